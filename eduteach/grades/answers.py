"""What an LMS's answer to a score means: delivered, try again later, or a teacher must look.

Pure functions of the HTTP outcome and the clock, so the retry policy can be checked without
a server. Reasons are written for the teacher who sees them next to a student's grade; they
never contain the student's id or score.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import requests

DELIVERED = "delivered"
RETRY = "retry"
REFUSED = "refused"
STALE = "stale"  # the LMS already holds a newer score for this student

FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(days=3)
# A Retry-After beyond this is taken as a mistake rather than a week of silence.
LONGEST_RETRY_AFTER = timedelta(days=1)

# Statuses that say "not now" rather than "never": timeouts, too early, rate limits.
_TRANSIENT = {408, 425, 429}

_REFUSALS = {
    400: "The LMS refused the score as invalid (400). Resend it; if that fails too, "
    "ask your LMS administrator.",
    403: "The LMS does not let EduTeach send grades to this column (403). Check the tool's "
    "grade permissions in the LMS, then resend.",
    404: "The LMS no longer has this grade column (404). If it was deleted, open the activity "
    "once from the LMS so EduTeach learns its new column, then resend.",
    410: "The LMS no longer has this grade column (410). If it was deleted, open the activity "
    "once from the LMS so EduTeach learns its new column, then resend.",
    422: "The LMS could not record this score (422), for example because the student has left "
    "the course or the column no longer takes scores. Check the gradebook, then resend.",
}


@dataclass(frozen=True)
class Answer:
    """How one try went."""

    outcome: str  # DELIVERED | RETRY | REFUSED | STALE
    status: int | None  # the HTTP status; None when no answer came back
    reason: str = ""  # for the teacher; empty when delivered
    retry_after: timedelta | None = None


def answer_from(status: int, headers: Mapping[str, str], now: datetime) -> Answer:
    """Classify the scores endpoint's HTTP answer (after any token refresh)."""
    if 200 <= status < 300:
        return Answer(DELIVERED, status)
    if status == 401:
        return Answer(RETRY, status, "The LMS did not accept EduTeach's access token (401).")
    if status == 409:
        # Moodle's answer to a score older than the grade it holds: nothing to fix or resend.
        return Answer(STALE, status, "The LMS already holds a newer grade for this student (409).")
    if status == 429:
        return Answer(
            RETRY,
            status,
            "The LMS asked EduTeach to slow down (429).",
            retry_after(headers.get("Retry-After"), now),
        )
    if status in _TRANSIENT or status >= 500:
        return Answer(
            RETRY,
            status,
            f"The LMS had a problem ({status}).",
            retry_after(headers.get("Retry-After"), now),
        )
    reason = _REFUSALS.get(
        status,
        f"The LMS refused the score (HTTP {status}). Check the grade column in the LMS, "
        "then resend.",
    )
    return Answer(REFUSED, status, reason)


def no_answer(exc: requests.RequestException) -> Answer:
    """A try that got no HTTP answer at all: worth trying again."""
    if isinstance(exc, requests.Timeout):
        return Answer(RETRY, None, "The LMS did not answer in time.")
    return Answer(RETRY, None, "The LMS could not be reached.")


def token_refused(status: int | None) -> Answer:
    """The LMS's token endpoint would not give a token to send grades with.

    Tried again rather than sent to the teacher: only an administrator can fix a
    registration, and once they have, the waiting scores should simply go.
    """
    label = f" (HTTP {status})" if status is not None else ""
    return Answer(
        RETRY,
        status,
        f"The LMS did not give EduTeach access to its gradebook{label}; an administrator may "
        "need to check the tool's registration.",
    )


def retry_after(value: str | None, now: datetime) -> timedelta | None:
    """The wait a ``Retry-After`` header asks for (seconds or an HTTP date), if it is usable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        wait = timedelta(seconds=int(value))
    else:
        try:
            wait = parsedate_to_datetime(value) - now
        except (TypeError, ValueError):
            return None
    return min(max(wait, timedelta(0)), LONGEST_RETRY_AFTER)


def backoff(tries: int) -> timedelta:
    """The wait after ``tries`` failed tries: 30 s, 1 min, 2, 4, 8 … never more than an hour."""
    doubled = FIRST_DELAY * (1 << min(max(tries - 1, 0), 20))
    return min(doubled, MAX_DELAY)


def next_delay(tries: int, answer: Answer) -> timedelta:
    """Back off, but never sooner than the LMS asked."""
    return max(backoff(tries), answer.retry_after or timedelta(0))


def tries_within(window: timedelta) -> int:
    """How many tries the backoff schedule makes before ``window`` has passed.

    Counting tries rather than measuring from the submission means a resent score gets the
    whole window again, and so does one that waited while no deliverer was running.
    """
    tries, waited = 1, timedelta(0)
    while waited < window:
        waited += backoff(tries)
        tries += 1
    return tries


MAX_TRIES = tries_within(GIVE_UP_AFTER)


def gave_up(answer: Answer) -> str:
    """The teacher's message once the LMS has failed for the whole retry window."""
    days = GIVE_UP_AFTER.days
    return (
        f"EduTeach tried for {days} days, but the LMS never accepted this score. "
        f"Last problem: {answer.reason} Resend it once the LMS works again."
    )
