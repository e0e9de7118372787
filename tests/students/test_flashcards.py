"""A student's flashcards: spaced repetition that persists from one launch to the next."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from eduteach.activities.srs import utc
from tests.lti.conftest import Lti
from tests.students.conftest import (
    Student,
    card_states,
    launch_student,
    page_fields,
    place_activity,
    text_of,
)

JSON = {"Accept": "application/json"}


def deck_order(page: str) -> list[tuple[str, bool]]:
    """The cards as the deck lists them: (card, due today)."""
    return [(card, bool(due)) for card, due in re.findall(r'data-card="(\d+)"( data-due)?', page)]


def rate(student: Student, page: str, card: str, rating: str) -> dict[str, object]:
    hidden = page_fields(page).hidden
    resp = student.post(
        "/student/activity/rate",
        [
            ("lt", hidden["lt"]),
            ("csrf_token", hidden["csrf_token"]),
            ("card", card),
            ("rating", rating),
        ],
        headers=JSON,
    )
    assert resp.status_code == 200, resp.text[:300]
    body: dict[str, object] = resp.json()
    return body


def test_ratings_schedule_each_card_and_the_next_launch_starts_with_the_due_ones(
    lti: Lti,
) -> None:
    deck = place_activity(lti, "flashcards")
    first = launch_student(lti, "alex", deck.link_id)
    page = first.activity()
    assert "5 cards due today." in text_of(page)
    assert deck_order(page) == [(str(n), True) for n in range(5)]

    knew = rate(first, page, "0", "knew")
    assert knew["due_today"] == 4
    rate(first, page, "1", "learning")
    now = datetime.now(UTC)
    states = {s.card: s for s in card_states(lti)}
    assert utc(states[0].due_at) > now + timedelta(days=1)
    assert utc(states[1].due_at) <= now + timedelta(minutes=11)
    assert [states[0].reviews, states[1].reviews] == [1, 1]

    second = launch_student(lti, "alex", deck.link_id)
    page = second.activity()
    order = deck_order(page)
    assert order[-1] == ("0", False), "the card known comes last, not due"
    assert {card for card, due in order if due} >= {"2", "3", "4"}
    due = sum(1 for _, is_due in order if is_due)
    assert f"{due} cards due today." in text_of(page)

    again = rate(second, page, "0", "knew")
    states = {s.card: s for s in card_states(lti)}
    assert states[0].reviews == 2
    assert utc(states[0].due_at) > now + timedelta(days=1)
    assert again["due_today"] == due

    other = launch_student(lti, "sam", deck.link_id).activity()
    assert "5 cards due today." in text_of(other), "progress is each student's own"


def test_when_nothing_is_due_the_deck_says_when_the_next_review_is(lti: Lti) -> None:
    deck = place_activity(lti, "flashcards")
    student = launch_student(lti, "alex", deck.link_id)
    page = student.activity()
    for card in range(5):
        last = rate(student, page, str(card), "knew")
    assert last["due_today"] == 0
    assert str(last["text"]).startswith("No cards due today. Next review on ")
    page = student.activity()
    assert "No cards due today. Next review on " in text_of(page)
    assert not any(due for _, due in deck_order(page))


def test_a_rating_must_name_a_card_of_the_deck_and_a_known_rating(lti: Lti) -> None:
    deck = place_activity(lti, "flashcards")
    quiz = place_activity(lti, "quiz")
    student = launch_student(lti, "alex", deck.link_id)
    page = student.activity()
    hidden = page_fields(page).hidden
    base = [("lt", hidden["lt"]), ("csrf_token", hidden["csrf_token"])]
    for card, rating in (("5", "knew"), ("x", "knew"), ("0", "perfect")):
        resp = student.post("/student/activity/rate", [*base, ("card", card), ("rating", rating)])
        assert resp.status_code == 400
    on_quiz = launch_student(lti, "alex", quiz.link_id)
    quiz_page = on_quiz.activity()
    fields = page_fields(quiz_page).hidden
    resp = on_quiz.post(
        "/student/activity/rate",
        [
            ("lt", fields["lt"]),
            ("csrf_token", fields["csrf_token"]),
            ("card", "0"),
            ("rating", "knew"),
        ],
    )
    assert resp.status_code == 404
    assert card_states(lti) == []
