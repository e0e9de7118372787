"""A student's attempts on a placement: listed, numbered, and recorded with their score.

An attempt and its score's outbox entry are written in one transaction, so a committed
attempt always has its score on the way to the gradebook, and a failure before the commit
leaves neither. The form's ``submit_key`` makes a repeated submit find the first attempt.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from eduteach.activities.base import Score
from eduteach.grades.outbox import enqueue_score
from eduteach.storage.models import Attempt

from .scope import Placed

SUBMIT_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
"""What a submit key looks like (``secrets.token_urlsafe``)."""


def attempts_of(session: Session, placed: Placed) -> list[Attempt]:
    """The student's attempts on the placement, first one first (attempt 1, 2, ...)."""
    return list(
        session.scalars(
            select(Attempt)
            .where(
                Attempt.placement_id == placed.placement.id,
                Attempt.user_sub == placed.user_sub,
            )
            .order_by(Attempt.id)
        )
    )


def number_of(attempts: list[Attempt], attempt: Attempt) -> int:
    """An attempt's number among the student's attempts (1 for the first)."""
    return next(n for n, a in enumerate(attempts, start=1) if a.id == attempt.id)


def lock_student(session: Session, placed: Placed) -> None:
    """Make one student's submits on one placement wait for each other until commit.

    Two submits at once (two tabs, a double click) then see each other: the attempt limit
    holds and a repeated key finds its attempt. PostgreSQL takes a transaction lock; SQLite
    allows one writer at a time anyway.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.sha256(f"{placed.placement.id}|{placed.user_sub}".encode()).digest()
    key = int.from_bytes(digest[:8], "big", signed=True)
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def record_attempt(
    session: Session,
    placed: Placed,
    *,
    submit_key: str,
    version: int,
    responses: Mapping[str, Any],
    score: Score,
    now: datetime,
) -> Attempt:
    """Store the attempt and queue its score (graded publications with a line item only)."""
    attempt = Attempt(
        placement_id=placed.placement.id,
        user_sub=placed.user_sub,
        submit_key=submit_key,
        artifact_version=version,
        responses=dict(responses),
        results=[
            {"item": r.item, "points": r.points, "max_points": r.max_points} for r in score.items
        ],
        points=score.points,
        max_points=score.max_points,
        submitted_at=now,
    )
    session.add(attempt)
    session.flush()
    enqueue_score(session, attempt, placed.placement, placed.publication)
    return attempt
