"""Scoring on the server: what each answer earns, whatever the browser sends."""

from __future__ import annotations

from typing import Any

import pytest

from eduteach.activities import ACTIVITIES
from eduteach.activities.quiz import score_item
from tests.activities import samples


def score(kind: str, responses: dict[str, Any], **params: Any):  # type: ignore[no-untyped-def]
    activity = ACTIVITIES[kind]
    model = activity.output.model_validate(samples.DATA[kind]())
    return activity.score(model, responses, samples.params(kind, **params))


def test_quiz_all_right_and_feedback_per_item() -> None:
    result = score(
        "quiz",
        {"answers": {"0": [0], "1": [0, 1, 3], "2": [1], "3": " Chlorophyl ", "4": ["0"]}},
    )
    assert (result.points, result.max_points, result.fraction) == (5.0, 5.0, 1.0)
    assert result.items[0].feedback.startswith("Yes: CO₂ enters through the stomata.")
    assert all(item.correct for item in result.items)


def test_quiz_wrong_missing_and_forged_answers_earn_nothing() -> None:
    result = score(
        "quiz",
        {"answers": {"0": [1], "2": [0, 1], "3": "respiration", "4": [99], "9": [0]}},
    )
    assert result.points == 0.0
    assert result.items[0].feedback.startswith("Oxygen is given out, not taken in.")
    assert len(result.items) == 5  # an answer to a question that does not exist is ignored


@pytest.mark.parametrize(
    ("chosen", "earned"),
    [
        ([0, 1, 3], 1.0),
        ([0, 1], 0.6667),
        ([0, 1, 2], 0.3333),
        ([2], 0.0),
        ([0, 1, 2, 3], 0.6667),
        ([], 0.0),
    ],
)
def test_multiple_answer_partial_credit(chosen: list[int], earned: float) -> None:
    item = samples.quiz().items[1]
    assert score_item(item, chosen) == earned


def test_choosing_two_options_of_a_single_answer_question_is_wrong() -> None:
    item = samples.quiz().items[0]
    assert score_item(item, [0, 1]) == 0.0
    assert score_item(item, "0") == 1.0


def test_fill_in_tolerance_and_case_follow_the_teacher() -> None:
    answers = {"0.0": "Photosynthesys", "0.1": "CHLOROPHYLL", "1.0": "stomates", "1.1": "glucose"}
    tolerant = score("fill_in", {"blanks": answers})
    assert tolerant.points == 4.0
    strict = score("fill_in", {"blanks": answers}, case_sensitive=True, typo_tolerance=0)
    assert [item.correct for item in strict.items] == [False, False, True, True]
    assert strict.items[2].feedback == "stomata / stomates"


def test_matching_one_point_per_term() -> None:
    result = score("matching", {"matches": {"0": 0, "1": "1", "2": 4, "3": 2}})
    assert [item.correct for item in result.items] == [True, True, False, False]
    assert result.points == 2.0


def test_flashcards_count_the_cards_the_student_knew() -> None:
    result = score("flashcards", {"ratings": {"0": "knew", "1": "learning", "4": "knew"}})
    assert (result.points, result.max_points) == (2.0, 5.0)
    assert not ACTIVITIES["flashcards"].graded
    assert not ACTIVITIES["self_quiz"].graded
    assert ACTIVITIES["quiz"].graded
