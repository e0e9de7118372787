"""The player's view for students: shuffled quizzes, and answers shown back as submitted."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from eduteach.activities import ACTIVITIES
from eduteach.activities.player import form_answers, player_view, read_responses
from tests.activities import samples

SALT = "server-secret"


def _model(kind: str) -> Any:
    return ACTIVITIES[kind].output.model_validate(samples.DATA[kind]())


def _order(view: dict[str, Any]) -> list[tuple[str, list[str]]]:
    return [(q["question"], [o["text"] for o in q["options"]]) for q in view["items"]]


def test_a_shuffled_quiz_keeps_one_order_per_key_and_differs_between_keys() -> None:
    quiz = _model("quiz")
    params = samples.params("quiz")
    plain = player_view("quiz", quiz, params, salt=SALT)
    assert _order(plain) == [(i.question, [o.text for o in i.options]) for i in quiz.items]
    one = player_view("quiz", quiz, params, salt=SALT, shuffle="student-1")
    assert _order(one) == _order(player_view("quiz", quiz, params, salt=SALT, shuffle="student-1"))
    others = {
        str(_order(player_view("quiz", quiz, params, salt=SALT, shuffle=f"student-{n}")))
        for n in range(2, 6)
    }
    assert len(others | {str(_order(one))}) > 1, "every student would see one order"
    assert [q["number"] for q in one["items"]] == [1, 2, 3, 4, 5]
    true_false = next(q for q in one["items"] if q["type"] == "true_false")
    assert [o["text"] for o in true_false["options"]] == ["True", "False"]


def test_a_shuffled_quiz_is_scored_by_what_the_student_chose() -> None:
    quiz = _model("quiz")
    view = player_view("quiz", quiz, samples.params("quiz"), salt=SALT, shuffle="student-7")
    form: MultiDict[str, str] = MultiDict()
    for shown in view["items"]:
        item = quiz.items[int(shown["id"])]
        for option in shown["options"]:
            if item.options[int(option["value"])].correct:
                form.add(f"q.{shown['id']}", option["value"])
        if item.type == "short_answer":
            form.add(f"q.{shown['id']}", "Chlorophyll")
    responses = read_responses("quiz", quiz, form, salt=SALT)
    score = ACTIVITIES["quiz"].score(quiz, responses, samples.params("quiz"))
    assert (score.points, score.max_points) == (5.0, 5.0)


@pytest.mark.parametrize(
    ("kind", "responses"),
    [
        ("quiz", {"answers": {"0": "1", "1": ["0", "3"], "3": "chlorophyl"}}),
        ("fill_in", {"blanks": {"0.0": "photosynthesis", "1.1": "sugar"}}),
        ("matching", {"matches": {"0": 4, "2": 2, "3": 0}}),
        ("flashcards", {"ratings": {"0": "knew", "4": "learning"}}),
    ],
)
def test_stored_answers_go_back_into_the_inputs_they_came_from(
    kind: str, responses: dict[str, Any]
) -> None:
    model = _model(kind)
    inputs = form_answers(kind, model, responses, salt=SALT)
    form: MultiDict[str, str] = MultiDict([(k, v) for k, vs in inputs.items() for v in vs])
    assert read_responses(kind, model, form, salt=SALT) == responses


def test_only_the_activitys_own_inputs_are_kept_and_typed_text_is_cut() -> None:
    quiz = _model("quiz")
    form = MultiDict(
        [("q.0", "1"), ("q.99", "1"), ("q.x", "2"), ("q.3", "a" * 5000), ("other", "1")]
    )
    answers = read_responses("quiz", quiz, form, salt=SALT)["answers"]
    assert set(answers) == {"0", "3"}
    assert len(answers["3"]) == 500
    deck = _model("flashcards")
    ratings = read_responses(
        "flashcards", deck, MultiDict([("r.0", "knew"), ("r.1", "great"), ("r.9", "knew")])
    )
    assert ratings == {"ratings": {"0": "knew"}}
