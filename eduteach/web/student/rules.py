"""The teacher's settings for a publication, as the rules a student's attempts follow.

Graded types (quiz, fill-in, matching) count attempts against the limit and may hold back
feedback until the due date; practice types (flashcards, self-quiz) have unlimited tries and
show feedback at once. Once feedback held for the due date is shown, the activity takes no
more answers: a new attempt would be made with the answers in view.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eduteach.activities.base import ActivityType
from eduteach.activities.srs import utc

AFTER_DUE = "after_due"


def parse_due(raw: object) -> datetime | None:
    """The due date the teacher set (ISO 8601, UTC when no zone is given); None when unset."""
    if isinstance(raw, datetime):
        return utc(raw)
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        return utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        return None


def plain_date(moment: datetime, *, time: bool = True) -> str:
    """A date for a student to read ("Friday 14 March 2025, 17:00 UTC"); pages show it in
    the student's own time zone when their browser runs the script."""
    moment = utc(moment)
    day = f"{moment:%A} {moment.day} {moment:%B %Y}"
    return f"{day}, {moment:%H:%M} UTC" if time else day


@dataclass(frozen=True)
class Rules:
    """How many attempts a student has, and when feedback is shown."""

    attempts_allowed: int  # 0: unlimited
    feedback: str  # "after_submit" | "after_due"
    due_at: datetime | None
    shuffle: bool
    limited: bool  # attempts count against the limit (graded types only)

    @classmethod
    def of(cls, settings: Mapping[str, Any], activity: ActivityType) -> Rules:
        """The rules of a publication's settings for an activity of this type."""
        allowed = settings.get("attempts_allowed", 0)
        return cls(
            attempts_allowed=max(0, allowed) if isinstance(allowed, int) else 0,
            feedback=str(settings.get("feedback") or "after_submit"),
            due_at=parse_due(settings.get("due_at")),
            shuffle=bool(settings.get("shuffle", False)),
            limited=activity.graded,
        )

    def attempts_left(self, used: int) -> int | None:
        """Attempts the student may still make (None: no limit)."""
        if not self.limited or not self.attempts_allowed:
            return None
        return max(0, self.attempts_allowed - used)

    def holds_feedback(self) -> bool:
        """Feedback waits for the due date (a teacher's "after due" with no date waits for
        nothing: there is no date to wait for)."""
        return self.limited and self.feedback == AFTER_DUE and self.due_at is not None

    def feedback_open(self, now: datetime) -> bool:
        """Whether a submitted attempt's score and feedback may be shown now."""
        return not self.holds_feedback() or (self.due_at is not None and utc(now) >= self.due_at)

    def refusal(self, used: int, now: datetime) -> str:
        """Why the student may not start another attempt, in plain words ("" when they may)."""
        left = self.attempts_left(used)
        if left == 0:
            times = "once" if self.attempts_allowed == 1 else f"{self.attempts_allowed} times"
            return f"You have done this activity {times}, as many as your teacher allows."
        if self.holds_feedback() and self.feedback_open(now):
            assert self.due_at is not None
            return (
                f"This activity closed on {plain_date(self.due_at)}, when its answers were "
                "shown. It takes no more answers."
            )
        return ""

    def attempt_label(self, number: int) -> str:
        """ "Attempt 2 of 3" (or "Attempt 2" without a limit); "" for practice."""
        if not self.limited:
            return ""
        if self.attempts_allowed:
            return f"Attempt {number} of {self.attempts_allowed}"
        return f"Attempt {number}"
