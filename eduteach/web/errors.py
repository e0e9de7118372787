"""Error pages: plain words for people, JSON for API callers, never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, g, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, InternalServerError

from eduteach.lti.errors import LaunchError

log = logging.getLogger("eduteach.errors")
_PAGE_KINDS = frozenset({"csrf", "not_admin"})
"""Descriptions of an abort that have their own words on the error page."""


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.path.startswith("/api/") or (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def _role() -> str:
    launch = g.get("launch")
    return launch.audience.value if launch is not None else "student"


def init_app(app: Flask) -> None:
    @app.errorhandler(LaunchError)
    def _launch(exc: LaunchError) -> ResponseReturnValue:
        log.warning("launch refused reason=%s detail=%s", exc.reason.value, exc.detail)
        if _wants_json():
            return jsonify(error=exc.reason.value), exc.status
        return render_template(
            "lti/launch_error.html", page_role="student", reason=exc.reason.value
        ), exc.status

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> ResponseReturnValue:
        code = exc.code or 500
        kind = exc.description if exc.description in _PAGE_KINDS else str(code)
        if _wants_json():
            return jsonify(error=kind), code
        return render_template("errors/page.html", page_role=_role(), code=code, kind=kind), code

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> ResponseReturnValue:
        log.exception("unhandled error on %s %s", request.method, request.path)
        if _wants_json():
            return jsonify(error="internal"), 500
        return render_template(
            "errors/page.html", page_role=_role(), code=500, kind="500"
        ), InternalServerError.code
