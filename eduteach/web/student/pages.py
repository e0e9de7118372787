"""The pages a student sees: a player, a submitted attempt, and the notice that no more
attempts are allowed. Each is built from the placement and the student's own attempts."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from flask import request
from pydantic import BaseModel

from eduteach.activities.player import player_view
from eduteach.activities.srs import utc
from eduteach.storage.models import Attempt

from ..security import url_with_token
from .rules import plain_date
from .scope import Placed, render_page, secret


def new_submit_key() -> str:
    """The key a player's form carries: one per page, so a repeated submit is recognised."""
    return secrets.token_urlsafe(24)


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def _points(value: float) -> str:
    return f"{value:g}"


def score_line(attempt: Attempt) -> str:
    return f"{_points(attempt.points)} out of {_points(attempt.max_points)}"


def when(moment: datetime | None) -> dict[str, str]:
    """A time for a ``<time>`` element: the words, and the ISO value the script localises."""
    if moment is None:
        return {}
    # SQLite hands back times without their zone; a browser would read those as local time.
    moment = utc(moment)
    return {"text": plain_date(moment), "iso": moment.isoformat()}


def history(placed: Placed, attempts: Sequence[Attempt], now: datetime) -> list[dict[str, Any]]:
    """The student's earlier attempts, with their scores once the student may see them."""
    shown = placed.rules.feedback_open(now)
    return [
        {
            "number": number,
            "label": f"Attempt {number}" if placed.rules.limited else f"Try {number}",
            "submitted": when(attempt.submitted_at),
            "score": score_line(attempt) if shown else "",
            "url": url_with_token("student.result", number=number),
        }
        for number, attempt in enumerate(attempts, start=1)
    ]


def status(placed: Placed, now: datetime, **extra: Any) -> dict[str, Any]:
    """What the page says above the activity: the due date, and whether feedback waits."""
    rules = placed.rules
    return {
        "due": when(rules.due_at) if rules.limited else {},
        "held": rules.holds_feedback() and not rules.feedback_open(now),
        "practice": not placed.publication.graded,
        **extra,
    }


def player_page(
    placed: Placed,
    model: BaseModel,
    version: int,
    *,
    number: int,
    student: Mapping[str, Any],
    review: bool = False,
    results: Mapping[str, Any] | None = None,
    answers: Mapping[str, list[str]] | None = None,
    **context: Any,
) -> str:
    """The activity's player for attempt ``number``: to answer, or (``review``) as submitted."""
    view = player_view(
        placed.kind,
        model,
        placed.artifact.params,
        salt=secret(),
        shuffle=placed.shuffle_key(number),
    )
    return render_page(
        f"activities/{view['template']}/player.html",
        view=view,
        preview=False,
        version=version,
        review=review,
        results=results,
        results_by_id={item["id"]: item for item in (results or {}).get("items", [])},
        answers=answers or {},
        student=student,
        **context,
    )


def closed_page(placed: Placed, attempts: Sequence[Attempt], reason: str, now: datetime) -> str:
    """No new attempt: why, and the attempts already made."""
    return render_page(
        "student/closed.html",
        title=placed.artifact.title,
        reason=reason,
        student=status(placed, now, history=history(placed, attempts, now)),
    )
