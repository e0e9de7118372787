"""The JSON of Assignment and Grade Services 2.0: score and line item bodies in, JSON out.

Pure functions: they read what a tool sends (raising ``InvalidBodyError`` with a sentence a
tool developer can act on) and shape what the platform answers.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eduteach.practice_lms.errors import InvalidBodyError
from eduteach.practice_lms.store import NewLineItem

ACTIVITY_PROGRESS = frozenset({"Initialized", "Started", "InProgress", "Submitted", "Completed"})
GRADING_PROGRESS = frozenset({"FullyGraded", "Pending", "PendingManual", "Failed", "NotReady"})


@dataclass(frozen=True)
class Score:
    """A score a tool posted, checked. ``timestamp_us`` orders scores (UTC microseconds)."""

    user_id: str
    score_given: float | None
    score_maximum: float | None
    comment: str | None
    activity_progress: str
    grading_progress: str
    timestamp: str
    timestamp_us: int


def read_object(raw: bytes) -> dict[str, Any]:
    """The JSON object of a request body; 400 when the body is not one."""
    try:
        value = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidBodyError(400, "The body is not valid JSON.") from exc
    if not isinstance(value, dict):
        raise InvalidBodyError(400, "The body must be a JSON object.")
    return value


def timestamp_us(value: object, field: str) -> int:
    """Microseconds since the epoch of an ISO 8601 date-time that names its time zone.

    Without a zone two timestamps cannot be ordered, and ordering is what the platform
    uses them for.
    """
    if not isinstance(value, str) or not value:
        raise InvalidBodyError(422, f"{field} must be an ISO 8601 date-time string.")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidBodyError(422, f"{field} {value!r} is not an ISO 8601 date-time.") from exc
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidBodyError(422, f"{field} {value!r} must include a time zone (Z or +hh:mm).")
    delta = moment - datetime.fromisoformat("1970-01-01T00:00:00+00:00")
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def _number(body: dict[str, Any], field: str) -> float | None:
    value = body.get(field)
    if value is None:
        return None
    # bool is an int in Python, never a score in JSON
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidBodyError(422, f"{field} must be a number.")
    return float(value)


def _text(body: dict[str, Any], field: str, default: str = "") -> str:
    value = body.get(field, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise InvalidBodyError(422, f"{field} must be a string.")
    return value


def _choice(body: dict[str, Any], field: str, allowed: frozenset[str]) -> str:
    value = body.get(field)
    if value not in allowed:
        raise InvalidBodyError(422, f"{field} must be one of {', '.join(sorted(allowed))}.")
    return str(value)


def parse_score(raw: bytes) -> Score:
    """A score body (``application/vnd.ims.lis.v1.score+json``), checked against AGS 2.0."""
    body = read_object(raw)
    user_id = body.get("userId")
    if not isinstance(user_id, str) or not user_id:
        raise InvalidBodyError(422, "userId must be the user's LTI id (the sub of launches).")
    given = _number(body, "scoreGiven")
    maximum = _number(body, "scoreMaximum")
    if given is not None and given < 0:
        raise InvalidBodyError(422, "scoreGiven must not be negative.")
    if given is not None and maximum is None:
        raise InvalidBodyError(422, "scoreMaximum is required when scoreGiven is sent.")
    if maximum is not None and maximum <= 0:
        raise InvalidBodyError(422, "scoreMaximum must be greater than 0.")
    comment = body.get("comment")
    if comment is not None and not isinstance(comment, str):
        raise InvalidBodyError(422, "comment must be a string.")
    timestamp = body.get("timestamp")
    return Score(
        user_id=user_id,
        score_given=given,
        score_maximum=maximum,
        comment=comment,
        activity_progress=_choice(body, "activityProgress", ACTIVITY_PROGRESS),
        grading_progress=_choice(body, "gradingProgress", GRADING_PROGRESS),
        timestamp=str(timestamp),
        timestamp_us=timestamp_us(timestamp, "timestamp"),
    )


def _optional_date(body: dict[str, Any], field: str) -> str:
    value = _text(body, field)
    if value:
        timestamp_us(value, field)
    return value


def parse_line_item(raw: bytes) -> NewLineItem:
    """A line item body (``application/vnd.ims.lis.v2.lineitem+json``) for POST or PUT."""
    return line_item_from(read_object(raw))


def line_item_from(body: dict[str, Any], default_label: str = "") -> NewLineItem:
    """A line item from its JSON object (an AGS body or a deep linking ``lineItem``)."""
    label = _text(body, "label", default_label).strip()
    if not label:
        raise InvalidBodyError(422, "label must be a non-empty string.")
    maximum = _number(body, "scoreMaximum")
    if maximum is None or maximum <= 0:
        raise InvalidBodyError(422, "scoreMaximum must be a number greater than 0.")
    released = body.get("gradesReleased")
    if released is not None and not isinstance(released, bool):
        raise InvalidBodyError(422, "gradesReleased must be true or false.")
    link_id = _text(body, "resourceLinkId")
    return NewLineItem(
        label=label,
        score_maximum=maximum,
        resource_id=_text(body, "resourceId"),
        tag=_text(body, "tag"),
        start_date_time=_optional_date(body, "startDateTime"),
        end_date_time=_optional_date(body, "endDateTime"),
        grades_released=released,
        resource_link_id=link_id or None,
    )


def number_json(value: float) -> int | float:
    """A number as JSON shows it: 10, not 10.0."""
    return int(value) if value.is_integer() else value
