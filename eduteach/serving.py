"""Production serving with gunicorn's gthread workers."""

from __future__ import annotations

import logging
import os
from typing import Any

from gunicorn.app.base import BaseApplication

from .config import Settings

log = logging.getLogger("eduteach.serving")


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, settings: Settings, options: dict[str, Any]) -> None:
        self._settings = settings
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from .app import create_app
        from .grades import DeliveryRunner

        # The arbiter migrated already; workers must not race each other doing it.
        app = create_app(self._settings, upgrade_db=False)
        # Loaded after the fork, so each worker sends queued scores from a thread of its own.
        app.extensions["eduteach_grades"] = DeliveryRunner(app.extensions["eduteach"]).start()
        return app


def with_model(settings: Settings) -> tuple[Settings, Any]:
    """The settings to serve with, and the offline model's server when this host runs one.

    With an endpoint configured nothing changes. Without one, the offline model (if it was
    set up) is started once for the whole host; every worker talks to it, and its drafts are
    labelled as offline drafts.
    """
    if settings.llm_base_url or settings.extra.get("EDUTEACH_EMBEDDED_MODEL") == "off":
        return settings, None
    from .commands.model import EMBEDDED_CONTEXT, EMBEDDED_TIMEOUT, embedded_model_path

    path = embedded_model_path()
    if path is None:
        log.warning(
            "no model endpoint configured and the offline model is not set up: "
            "teachers will be told to ask an administrator"
        )
        return settings, None
    from .embedded import QWEN_MODEL, EmbeddedServer

    server = EmbeddedServer(path, QWEN_MODEL, n_ctx=EMBEDDED_CONTEXT)
    server.start()
    log.info("offline model started at %s", server.base_url)
    extra = dict(settings.extra)
    extra.setdefault("EDUTEACH_LLM_TIMEOUT", str(int(EMBEDDED_TIMEOUT)))
    extra.setdefault("EDUTEACH_LLM_MAX_RETRIES", "0")
    return (
        settings.with_overrides(
            llm_base_url=server.base_url.rstrip("/"),
            llm_model=server.model_name,
            llm_offline_draft=True,
            extra=extra,
        ),
        server,
    )


def default_workers() -> int:
    return max(2, min(8, 2 * (os.cpu_count() or 1)))


def run_gunicorn(
    settings: Settings, *, host: str, port: int, workers: int | None, threads: int
) -> None:
    """Migrate once, then serve until stopped."""
    from .storage import migrate
    from .storage.db import Database

    database = Database(settings.database_url)
    migrate.upgrade(database.engine)
    database.dispose()
    settings, model_server = with_model(settings)
    options = {
        "bind": f"{host}:{port}",
        "workers": workers or default_workers(),
        "worker_class": "gthread",
        "threads": threads,
        "timeout": 60,
        "graceful_timeout": 20,
        "keepalive": 5,
        # Access lines come from the app (path only, with request id); gunicorn's would
        # include query strings, which can carry launch tokens.
        "accesslog": None,
        "errorlog": "-",
        "loglevel": settings.log_level.lower(),
        "forwarded_allow_ips": ",".join(settings.trusted_proxies) or "127.0.0.1,::1",
        "proc_name": "eduteach",
    }
    try:
        _Gunicorn(settings, options).run()
    finally:
        if model_server is not None:
            model_server.stop()
