"""Errors a generation can end with, each with a message a teacher understands.

Every error carries a stable ``code`` (for the web layer, logs and metrics) and a short
``user_message``. ``detail`` is technical text for the log: it never holds the API key,
and it never holds prompt or source text.
"""

from __future__ import annotations

from collections.abc import Sequence


class GenerationError(Exception):
    """Base class: the model endpoint could not produce a valid artifact."""

    code: str = "generation_failed"
    user_message: str = "The draft could not be made. Please try again."

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.user_message)
        self.detail = detail


class RefusalError(GenerationError):
    """The model declined the request (refusal field, content filter, or a refusal reply)."""

    code = "refusal"
    user_message = (
        "The model declined to write this. Rephrase the request or remove sensitive "
        "content from the description and source files, then try again."
    )


class TruncatedOutputError(GenerationError):
    """The answer stopped at the token limit (``finish_reason == "length"``)."""

    code = "truncated"
    user_message = (
        "The answer was too long and got cut off. Ask for less (a shorter lesson, fewer "
        "items or shorter sources) or ask your administrator to raise the token limit."
    )


class GenerationTimeoutError(GenerationError):
    """The model did not answer within the total time allowed."""

    code = "timeout"
    user_message = (
        "The model took too long to answer. Nothing was lost: try again, perhaps with a "
        "shorter request, or later when the service is less busy."
    )


class EndpointUnreachableError(GenerationError):
    """The endpoint could not be reached, or kept failing (5xx) after retries."""

    code = "unreachable"
    user_message = (
        "The AI service is not reachable right now. Nothing was lost: try again in a few "
        "minutes. If it keeps happening, tell your administrator."
    )


class RateLimitedError(GenerationError):
    """The endpoint kept answering 429 (rate limit or quota) after retries."""

    code = "rate_limited"
    user_message = (
        "The AI service is busy or its usage limit was reached. Please try again in a few minutes."
    )

    def __init__(self, detail: str = "", *, retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class EndpointConfigError(GenerationError):
    """Authentication or configuration problem: 401, 403, 404 (model not found), bad request."""

    code = "endpoint_config"
    user_message = (
        "The AI service is not set up correctly (key, address or model name). "
        "Please tell your administrator."
    )


class PromptTooLongError(GenerationError):
    """The prompt does not fit the model's context window."""

    code = "too_long"
    user_message = (
        "The request is too long for this model. Use fewer or shorter source files and try again."
    )


class InvalidOutputError(GenerationError):
    """The answer still broke the schema or the domain checks after every repair round."""

    code = "invalid_output"
    user_message = (
        "The model's draft did not pass the quality checks, even after it was asked to fix "
        "it. Nothing was saved. Try again, or simplify the request."
    )

    def __init__(self, problems: Sequence[str], detail: str = "") -> None:
        super().__init__(detail or "; ".join(problems))
        self.problems: tuple[str, ...] = tuple(problems)
