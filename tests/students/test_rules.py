"""The teacher's settings as the rules a student's attempts follow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from eduteach.activities import ACTIVITIES
from eduteach.web.student.rules import Rules, parse_due

NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)


def rules(kind: str = "quiz", **settings: object) -> Rules:
    return Rules.of(settings, ACTIVITIES[kind])


def test_attempts_are_counted_against_the_limit_of_a_graded_activity() -> None:
    limited = rules(attempts_allowed=3)
    assert [limited.attempts_left(n) for n in (0, 2, 3, 5)] == [3, 1, 0, 0]
    assert limited.attempt_label(2) == "Attempt 2 of 3"
    assert limited.refusal(2, NOW) == ""
    assert "3 times, as many as your teacher allows" in limited.refusal(3, NOW)
    assert "once" in rules(attempts_allowed=1).refusal(1, NOW)
    assert rules(attempts_allowed=0).attempts_left(40) is None
    assert rules().attempt_label(4) == "Attempt 4"


@pytest.mark.parametrize("kind", ["flashcards", "self_quiz"])
def test_practice_has_unlimited_tries_and_feedback_at_once(kind: str) -> None:
    practice = rules(kind, attempts_allowed=1, feedback="after_due", due_at="2099-01-01T00:00")
    assert practice.attempts_left(9) is None
    assert practice.refusal(9, NOW) == ""
    assert practice.feedback_open(NOW)
    assert practice.attempt_label(2) == ""


def test_feedback_after_the_due_date_waits_and_then_closes_the_activity() -> None:
    due = NOW + timedelta(hours=1)
    held = rules(attempts_allowed=3, feedback="after_due", due_at=due.isoformat())
    assert held.holds_feedback()
    assert not held.feedback_open(NOW)
    assert held.refusal(1, NOW) == ""
    later = NOW + timedelta(hours=2)
    assert held.feedback_open(later)
    assert "It takes no more answers." in held.refusal(1, later)


def test_feedback_after_a_due_date_never_set_is_shown_after_submit() -> None:
    undated = rules(feedback="after_due", due_at="")
    assert not undated.holds_feedback()
    assert undated.feedback_open(NOW)
    assert rules(feedback="after_submit", due_at="2000-01-01").feedback_open(NOW)


def test_a_due_date_is_read_as_the_teacher_typed_it() -> None:
    assert parse_due("2025-03-14T17:00") == datetime(2025, 3, 14, 17, 0, tzinfo=UTC)
    assert parse_due("2025-03-14T17:00:00Z") == datetime(2025, 3, 14, 17, 0, tzinfo=UTC)
    assert parse_due("2025-03-14T18:00+01:00") == datetime(2025, 3, 14, 17, 0, tzinfo=UTC)
    assert parse_due("") is None
    assert parse_due("next Friday") is None
