"""One line per event, with the request id; tokens and personal data never reach the log.

Views log facts (reason codes, issuer, deployment), not request bodies. As a second line of
defence a filter masks anything shaped like a JWT, a bearer token or an email address.
"""

from __future__ import annotations

import logging
import re
import secrets
import sys
from contextvars import ContextVar
from typing import TextIO

request_id: ContextVar[str] = ContextVar("request_id", default="-")

_JWT = re.compile(r"eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*")
_BEARER = re.compile(r"(?i)(bearer\s+)[\w.~+/=-]+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_SECRETISH = re.compile(
    r"(?i)((?:api[_-]?key|token|secret|password|id_token|state|nonce)[\"']?\s*[=:]\s*[\"']?)[^\s\"'&,]+"
)


def redact(text: str) -> str:
    text = _JWT.sub("[jwt]", text)
    text = _BEARER.sub(r"\1[token]", text)
    text = _EMAIL.sub("[email]", text)
    return _SECRETISH.sub(r"\1[redacted]", text)


class _Format(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        record.request_id = request_id.get()
        line = super().format(record)
        return redact(line).replace("\n", " | ")


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is now (servers and test runners swap it)."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        return None


def new_request_id(incoming: str | None) -> str:
    if incoming and re.fullmatch(r"[\w.-]{8,64}", incoming):
        return incoming
    return secrets.token_hex(8)


def configure(level: str = "INFO") -> None:
    """Install the one-line formatter on the root logger (idempotent)."""
    root = logging.getLogger()
    for handler in root.handlers:
        if getattr(handler, "_eduteach", False):
            root.setLevel(level)
            return
    handler = _Stderr()
    handler._eduteach = True  # type: ignore[attr-defined]
    handler.setFormatter(
        _Format("%(asctime)s %(levelname)s %(name)s request_id=%(request_id)s %(message)s")
    )
    root.addHandler(handler)
    root.setLevel(level)
    # werkzeug logs full request lines, query strings included: keep it to warnings.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
