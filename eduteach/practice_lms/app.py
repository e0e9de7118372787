"""``create_practice_app``: the practice LMS as its own small Flask application."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from eduteach.practice_lms.config import PracticeConfig
from eduteach.practice_lms.platform import PracticePlatform

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
STATIC = TEMPLATES / "practice_lms" / "static"


def _secret_key(path: Path) -> str:
    """The session secret, generated once and kept (readable by this user only)."""
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        # another process created it a moment ago: use theirs
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secret)
    return secret


def create_practice_app(config: PracticeConfig | None = None) -> Flask:
    """Build the practice LMS web app for ``config`` (defaults: 127.0.0.1:5001 → :5000)."""
    from eduteach.practice_lms import api, views

    config = config or PracticeConfig()
    app = Flask(
        "eduteach.practice_lms",
        template_folder=str(TEMPLATES),
        static_folder=str(STATIC),
        static_url_path="/static",
        instance_path=str(config.instance_path.resolve()),
    )
    app.config.update(
        SECRET_KEY=_secret_key(config.secret_key_path),
        # the tool runs on the same host (another port): cookies ignore ports, names must differ
        SESSION_COOKIE_NAME="practice_lms_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.base_url.startswith("https://"),
        PRACTICE_CONFIG=config,
    )
    app.extensions["practice_platform"] = PracticePlatform(config)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    return app
