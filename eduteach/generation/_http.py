"""An HTTP client for the openai SDK that adds a total deadline per model call.

The SDK already retries 408/409/429/5xx and timeouts with backoff and honours ``Retry-After``;
this client only adds what it lacks:

* a deadline over all attempts of one call (httpx timeouts are per attempt): every attempt's
  timeouts are capped by the time left, and once it is spent the call stops, retries or not;
* ``x-should-retry: false`` (which the SDK obeys) on answers that retrying cannot fix: a
  rejected ``response_format`` (llama.cpp answers HTTP 500 to ``json_schema``) and a
  ``Retry-After`` longer than the time left.
"""

from __future__ import annotations

import contextlib
import math
import re
import time
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import httpx2
import openai

# A read timeout this close to the deadline is the deadline itself, not a reason to retry.
_DEADLINE_SLACK = 0.25
_FORMAT_REJECTION_STATUSES = frozenset({400, 415, 422, 500, 501})
_FORMAT_WORDS = re.compile(
    r"response_format|json_schema|json_object|schema|grammar|structured output", re.IGNORECASE
)


class DeadlineExceeded(Exception):
    """The total time for one model call ran out (raised outside the SDK's retry loop)."""


@dataclass
class CallState:
    """Per-call bookkeeping, kept in a context variable so one client serves many threads."""

    deadline: float
    last_failure: int | None = None
    """Status of the last answer the SDK may retry (429, 5xx), for a precise deadline error."""
    attempts: int = 0

    def remaining(self) -> float:
        return self.deadline - time.monotonic()


_CALL: ContextVar[CallState | None] = ContextVar("eduteach_model_call", default=None)


@contextlib.contextmanager
def call_deadline(total_seconds: float) -> Iterator[CallState]:
    """Run the enclosed SDK call(s) under one total deadline."""
    state = CallState(deadline=time.monotonic() + total_seconds)
    token = _CALL.set(state)
    try:
        yield state
    finally:
        _CALL.reset(token)


def mentions_response_format(text: str) -> bool:
    """True when an error text is about the requested output format."""
    return bool(_FORMAT_WORDS.search(text))


def retry_after_seconds(headers: httpx2.Headers) -> float | None:
    """``Retry-After`` / ``retry-after-ms`` in seconds, when given as a number."""
    for name, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            seconds = float(value) / divisor
        except ValueError:
            continue
        if math.isfinite(seconds):
            return seconds
    return None


def _capped_timeouts(current: Any, remaining: float) -> dict[str, float]:
    timeouts = dict(current) if isinstance(current, dict) else {}
    capped: dict[str, float] = {}
    for key in ("connect", "read", "write", "pool"):
        value = timeouts.get(key)
        capped[key] = remaining if value is None else min(float(value), remaining)
    return capped


def _is_format_rejection(request: httpx2.Request, response: httpx2.Response) -> bool:
    if response.status_code not in _FORMAT_REJECTION_STATUSES:
        return False
    try:
        sent_format = b'"response_format"' in request.content
    except httpx2.RequestNotRead:
        return False
    return sent_format and mentions_response_format(response.text)


class GuardedHttpClient(openai.DefaultHttpxClient):
    """The SDK's default HTTP client (proxies, limits, redirects) plus the call deadline."""

    def send(self, request: httpx2.Request, **kwargs: Any) -> httpx2.Response:
        state = _CALL.get()
        if state is None:
            return super().send(request, **kwargs)
        remaining = state.remaining()
        if remaining <= 0:
            raise DeadlineExceeded
        request.extensions = {
            **request.extensions,
            "timeout": _capped_timeouts(request.extensions.get("timeout"), remaining),
        }
        state.attempts += 1
        try:
            response = super().send(request, **kwargs)
        except httpx2.TimeoutException as exc:
            if state.remaining() <= _DEADLINE_SLACK:
                raise DeadlineExceeded from exc
            raise
        if response.status_code < 400 or kwargs.get("stream", False):
            return response
        if _is_format_rejection(request, response):
            response.headers["x-should-retry"] = "false"
            return response
        if response.status_code == 429 or response.status_code >= 500:
            state.last_failure = response.status_code
        wait = retry_after_seconds(response.headers)
        if wait is not None and wait >= state.remaining():
            response.headers["x-should-retry"] = "false"
        return response
