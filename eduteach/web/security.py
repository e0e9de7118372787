"""Launch tokens, CSRF, and the headers that let LMS pages frame the tool."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlencode

from flask import Flask, Response, abort, current_app, g, request, url_for
from sqlalchemy.exc import SQLAlchemyError

from eduteach.lti import sessions
from eduteach.lti.context import LaunchContext
from eduteach.lti.platforms import all_frame_origins, platform_origins
from eduteach.lti.roles import Audience
from eduteach.storage.models import LaunchRecord, Platform

log = logging.getLogger("eduteach.security")
F = TypeVar("F", bound=Callable[..., Any])
TOKEN_FIELD = "lt"  # noqa: S105 - a field name, not a secret
TOKEN_HEADER = "X-Launch-Token"  # noqa: S105
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
_ORIGINS_TTL = 30.0


def _svc() -> Any:
    return current_app.extensions["eduteach"]


def presented_token() -> str:
    return (
        request.headers.get(TOKEN_HEADER)
        or request.form.get(TOKEN_FIELD)
        or request.args.get(TOKEN_FIELD)
        or ""
    )


def current_launch() -> LaunchContext | None:
    """The launch this request belongs to, loaded once per request."""
    if "launch" not in g:
        g.launch, g.launch_record, g.launch_token = None, None, ""
        token = presented_token()
        if token:
            with _svc().db.session() as s:
                found = sessions.load_session(s, token)
            if found:
                g.launch_record, g.launch = found
                g.launch_token = token
    return cast(LaunchContext | None, g.launch)


def current_record() -> LaunchRecord:
    current_launch()
    return cast(LaunchRecord, g.launch_record)


def requires_launch(*audiences: Audience) -> Callable[[F], F]:
    """Views that need a valid launch (and, when given, one of these audiences)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            launch = current_launch()
            if launch is None:
                abort(401)
            if audiences and launch.audience not in audiences:
                abort(403)
            if request.method not in ("GET", "HEAD", "OPTIONS"):
                presented = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD, "")
                if not sessions.check_csrf(
                    current_app.config["SECRET_KEY"], g.launch_token, presented
                ):
                    abort(400, description="csrf")
            return view(*args, **kwargs)

        return cast(F, wrapper)

    return decorate


NOT_ADMIN = "not_admin"
"""The 403 page's kind for a launch that is not by an LMS administrator."""


def requires_admin(view: F) -> F:
    """Views for LMS administrators only (launch roles, see ``LaunchContext.is_admin``).

    Anyone else gets a 403 page saying only an LMS administrator may go there; the CSRF
    rule of ``requires_launch`` holds for the rest.
    """
    guarded = requires_launch()(view)

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        launch = current_launch()
        if launch is None:
            abort(401)
        if not launch.is_admin:
            abort(403, description=NOT_ADMIN)
        return guarded(*args, **kwargs)

    return cast(F, wrapper)


def url_with_token(endpoint: str, **values: Any) -> str:
    """A link that keeps the launch: the token rides along in the query string."""
    url = url_for(endpoint, **values)
    token = g.get("launch_token") or ""
    if token:
        url += ("&" if "?" in url else "?") + urlencode({TOKEN_FIELD: token})
    return url


def _registered_origins() -> list[str]:
    cache = current_app.extensions.setdefault("eduteach_origins", {"at": 0.0, "value": []})
    if time.monotonic() - cache["at"] > _ORIGINS_TTL:
        try:
            with _svc().db.session() as s:
                cache["value"] = all_frame_origins(s)
        except SQLAlchemyError:
            # A database outage must not turn every page (health checks, error pages) into a
            # 500: keep the origins we knew; /readyz reports the outage.
            log.warning(
                "frame-ancestors: registered origins unavailable, keeping %d known",
                len(cache["value"]),
            )
        cache["at"] = time.monotonic()
    return list(cache["value"])


def frame_ancestors() -> list[str]:
    """Who may frame this response: the launch's platform, else every registered platform."""
    launch, record = g.get("launch"), g.get("launch_record")
    if launch is not None and record is not None:
        with _svc().db.session() as s:
            platform = s.get(Platform, record.platform_id)
            origins = platform_origins(platform) if platform else set()
        return sorted(origins | set(launch.presentation_origins))
    return _registered_origins()


def init_app(app: Flask) -> None:
    @app.before_request
    def _nonce() -> None:
        g.csp_nonce = secrets.token_urlsafe(16)

    @app.context_processor
    def _template_helpers() -> dict[str, Any]:
        token = g.get("launch_token") or ""
        return {
            "launch_token": token,
            "csrf_token": sessions.csrf_token(app.config["SECRET_KEY"], token) if token else "",
            "csp_nonce": g.get("csp_nonce", ""),
            "url_with_token": url_with_token,
        }

    @app.after_request
    def _headers(response: Response) -> Response:
        ancestors = " ".join(["'self'", *frame_ancestors()])
        nonce = g.get("csp_nonce", "")
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}'; "
            "style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            "object-src 'none'; base-uri 'none'; "
            f"frame-ancestors {ancestors}"
        )
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Content-Type-Options"] = "nosniff"
        if g.get("launch_token"):
            response.headers["Cache-Control"] = "no-store"
        return response
