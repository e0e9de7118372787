"""The AGS score message: where a queued score is posted and what it says.

Only the wire format lives here (no database, no HTTP), so it can be checked on its own
against the specification: https://www.imsglobal.org/spec/lti-ags/v2p0#score-publish-service
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from eduteach.storage.models import ScoreDelivery

SCORE_MEDIA_TYPE = "application/vnd.ims.lis.v1.score+json"


def score_url(line_item_url: str) -> str:
    """The line item's scores endpoint: ``/scores`` goes on the path, before any query.

    Moodle's line item URLs carry their identity in the query (``.../lineitem?type_id=3``),
    so appending to the whole string would name a line item that does not exist.
    """
    parts = urlsplit(line_item_url)
    path = parts.path.rstrip("/") + "/scores"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def iso_timestamp(moment: datetime) -> str:
    """ISO 8601 with an explicit offset, as AGS requires (SQLite hands back naive UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat()


def score_body(delivery: ScoreDelivery) -> dict[str, Any]:
    """The score message for a finished, machine-graded attempt.

    ``timestamp`` is the submission time, not the sending time: the LMS keeps the newest
    one, so a score that waited out an outage can never overwrite a later attempt's grade.
    No ``comment`` is sent: feedback stays in EduTeach, where it can wait for the due date.
    """
    return {
        "userId": delivery.user_sub,
        "scoreGiven": delivery.score_given,
        "scoreMaximum": delivery.score_maximum,
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
        "timestamp": iso_timestamp(delivery.timestamp),
    }
