"""The application factory."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from flask import Flask, Response, g, request

from . import logs
from .config import Settings, load_settings
from .services import Services
from .storage import migrate
from .web.proxy import TrustedProxyFix

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STATIC = Path(__file__).resolve().parent / "web" / "static"
log = logging.getLogger("eduteach.http")


def create_app(settings: Settings | None = None, *, upgrade_db: bool = True) -> Flask:
    """Build the tool's WSGI app. ``upgrade_db`` migrates the schema to head on start."""
    settings = settings or load_settings()
    logs.configure(settings.log_level)
    app = Flask(
        __name__,
        template_folder=str(TEMPLATES),
        static_folder=str(STATIC),
        instance_path=str(settings.instance_path),
    )
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=32 * 1024 * 1024,
        TEMPLATES_AUTO_RELOAD=False,
    )
    services = Services.build(settings)
    if upgrade_db:
        migrate.upgrade(services.db.engine)
    app.extensions["eduteach"] = services
    app.wsgi_app = TrustedProxyFix(app.wsgi_app, settings.trusted_proxies)  # type: ignore[method-assign]

    from .web import deep_linking, errors, lti, ops, pages, security, student, teacher

    app.register_blueprint(ops.bp)
    app.register_blueprint(lti.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(teacher.bp)
    app.register_blueprint(student.bp)
    app.register_blueprint(deep_linking.bp)
    errors.init_app(app)
    security.init_app(app)

    @app.before_request
    def _start() -> None:
        g.request_id = logs.new_request_id(request.headers.get("X-Request-ID"))
        logs.request_id.set(g.request_id)
        g.started = time.perf_counter()

    @app.after_request
    def _finish(response: Response) -> Response:
        response.headers["X-Request-ID"] = g.get("request_id", "-")
        if request.endpoint not in {"ops.healthz", "static"}:
            ms = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
            # Path only: query strings may carry launch tokens.
            log.info("%s %s %s %.0fms", request.method, request.path, response.status_code, ms)
        return response

    return app


def services() -> Services:
    """The current app's services (inside a request or app context)."""
    from flask import current_app

    svc: Services = current_app.extensions["eduteach"]
    return svc
