"""Health endpoints for load balancers and orchestrators."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import SQLAlchemyError

bp = Blueprint("ops", __name__)
log = logging.getLogger("eduteach.ops")


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """The process is up and answering."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    """The database answers; otherwise 503 so the balancer sends traffic elsewhere."""
    try:
        current_app.extensions["eduteach"].db.ping()
    except SQLAlchemyError as exc:
        log.error("readiness check failed: database unreachable (%s)", type(exc).__name__)
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
