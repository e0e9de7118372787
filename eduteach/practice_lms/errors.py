"""Errors of the practice LMS: each carries a plain sentence for the page and a reason for the log."""

from __future__ import annotations


class PracticeLmsError(Exception):
    """Base class of everything the practice LMS refuses."""


class PracticeConfigError(PracticeLmsError):
    """A setting of the practice LMS is missing or wrong."""


class KeyStoreError(PracticeLmsError):
    """A signing key cannot be used, created or retired."""


class UnknownUserError(PracticeLmsError):
    """No person with that key, or not enrolled in that course."""


class AuthRequestError(PracticeLmsError):
    """The tool's OIDC authorization request is refused.

    ``message`` is shown to the person in the browser; ``reason`` is for the log.
    """

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(reason)
        self.message = message
        self.reason = reason


class TokenRequestError(PracticeLmsError):
    """The OAuth 2 token request is refused, with an RFC 6749 error code."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status


class NotAllowedError(PracticeLmsError):
    """The person may not do that here (e.g. a student adding content to a course)."""


class DeepLinkingError(PracticeLmsError):
    """A deep linking response is refused; nothing it carries is placed in the course.

    ``message`` is shown to the teacher; ``reason`` is a short code for the page and the log.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message


class ServiceError(PracticeLmsError):
    """An LTI Advantage service request is refused with an HTTP status and a sentence."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class InvalidBodyError(ServiceError):
    """A service request's JSON body breaks the rules: 400 unreadable, 422 wrong content."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(status, message)
