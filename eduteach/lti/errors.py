"""Launch errors: a code for the logs and tests, and which page explains it to a person."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """Why a login or launch was refused. Each has its own plain-words explanation page."""

    EXPIRED = "expired"  # state gone or token too old: start again from the LMS
    REPLAYED = "replayed"  # nonce already used
    UNKNOWN_PLATFORM = "unknown_platform"
    UNKNOWN_DEPLOYMENT = "unknown_deployment"
    INVALID_TOKEN = "invalid_token"  # noqa: S105 - signature, kid, alg, format, audience
    INVALID_MESSAGE = "invalid_message"  # claims missing or wrong
    BROWSER_BLOCKED = "browser_blocked"  # no state cookie / platform storage value
    PLATFORM_UNREACHABLE = "platform_unreachable"  # JWKS could not be fetched
    BAD_REQUEST = "bad_request"  # login initiation missing parameters


class LaunchError(Exception):
    """A refused login or launch. ``detail`` is for the log only, never for the page."""

    def __init__(self, reason: Reason, detail: str, status: int = 400) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason
        self.detail = detail
        self.status = status
