"""The player's view model, answer checking and the editor's form reading, without a server."""

from __future__ import annotations

import json
from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from eduteach.activities import fill_in, matching, quiz
from eduteach.web.teacher.activities import (
    check_answers,
    flags_by_item,
    key_problems,
    matching_order,
    player_view,
    read_item,
    read_responses,
    warning_targets,
)
from tests.activities import samples

KINDS = ("flashcards", "fill_in", "matching", "quiz", "self_quiz")


def _secrets(kind: str) -> list[str]:
    """Strings of the sample's answer key that must never reach a student before checking."""
    data = samples.DATA[kind]()
    if kind in ("quiz", "self_quiz"):
        found = []
        for item in data["items"]:
            found += item["accepted_answers"] + [item["explanation"]]
            found += [o["feedback"] for o in item["options"] if o["feedback"]]
        return found
    if kind == "fill_in":
        return ["stomates", "[[", "|"]
    return []


@pytest.mark.parametrize("kind", KINDS)
def test_the_player_view_holds_nothing_of_the_answer_key(kind: str) -> None:
    model = samples.DATA[kind]
    activity = {
        "flashcards": samples.flashcards,
        "fill_in": samples.fill_in,
        "matching": samples.matching,
        "quiz": samples.quiz,
        "self_quiz": samples.quiz,
    }[kind]()
    view = player_view(kind, activity, samples.params(kind), salt="s3cret")
    dumped = json.dumps(view, ensure_ascii=False)
    for secret in _secrets(kind):
        assert secret not in dumped, secret
    for word in ("correct", "explanation", "accepted", "feedback", "source_quote", "bloom"):
        assert f'"{word}' not in dumped
    assert view["title"] == model()["title"]


def test_a_fill_in_without_word_bank_shows_no_answer_at_all() -> None:
    activity = samples.fill_in()
    view = player_view("fill_in", activity, samples.params("fill_in", word_bank=False))
    dumped = json.dumps(view, ensure_ascii=False)
    for blank in fill_in.all_blanks(activity):
        for answer in blank.answers:
            assert answer not in dumped
    assert view["word_bank"] == []
    blanks = [s for p in view["passages"] for s in p["segments"] if "blank" in s]
    assert [b["number"] for b in blanks] == [1, 2, 3, 4]
    text = "".join(s.get("text", "") for p in view["passages"] for s in p["segments"])
    assert "Plants make their own food in a process called" in text


def test_the_word_bank_mixes_answers_and_extras_in_a_fixed_shuffled_order() -> None:
    activity = samples.fill_in()
    params = samples.params("fill_in")
    bank = player_view("fill_in", activity, params, salt="a")["word_bank"]
    assert sorted(bank) == sorted(fill_in.word_bank(activity))
    assert bank == player_view("fill_in", activity, params, salt="a")["word_bank"]
    assert "stomates" not in bank  # only the first answer of a blank goes in the bank


@pytest.mark.parametrize("salt", ["one", "two", "three", "four", "five", "six"])
def test_matching_definitions_never_come_in_the_terms_order(salt: str) -> None:
    activity = samples.matching()
    view = player_view("matching", activity, samples.params("matching"), salt=salt)
    listed = [c["text"] for c in view["choices"]]
    in_pairs = [listed.index(p.definition) for p in activity.pairs]
    assert in_pairs != sorted(in_pairs), "definitions listed in the terms' order"
    assert sorted(listed) == sorted(matching.choices(activity))
    assert [c["value"] for c in view["choices"]] == [str(i) for i in range(len(listed))]
    assert [t["term"] for t in view["terms"]] == [p.term for p in activity.pairs]


def test_the_matching_order_depends_on_the_server_secret() -> None:
    activity = samples.matching()
    orders = {tuple(matching_order(activity, salt.encode())) for salt in "abcdefgh"}
    assert len(orders) > 1


def _matching_form(activity: matching.Matching, salt: str, wrong: int = -1) -> MultiDict[str, str]:
    """The player's form with every term matched right (but ``wrong``), by listed position."""
    view = player_view("matching", activity, samples.params("matching"), salt=salt)
    position = {c["text"]: c["value"] for c in view["choices"]}
    form: MultiDict[str, str] = MultiDict()
    for i, pair in enumerate(activity.pairs):
        text = activity.distractors[0] if i == wrong else pair.definition
        form.add(f"m.{i}", position[text])
    return form


def test_matching_answers_are_read_from_the_shuffled_positions_and_scored() -> None:
    activity = samples.matching()
    params = samples.params("matching")
    form = _matching_form(activity, "k", wrong=1)
    responses = read_responses("matching", activity, form, salt="k")
    result = check_answers("matching", activity, params, responses)
    assert [i["status"] for i in result["items"]] == [
        "correct",
        "incorrect",
        "correct",
        "correct",
    ]
    assert result["items"][1]["feedback"] == f"It matches: {activity.pairs[1].definition}"
    assert result["summary"] == "You scored 3 out of 4."
    right = read_responses("matching", activity, _matching_form(activity, "k"), salt="k")
    assert right == {"matches": {str(i): i for i in range(len(activity.pairs))}}


def test_quiz_answers_score_with_feedback_and_partial_credit() -> None:
    activity = samples.quiz()
    form = MultiDict(
        [
            ("q.0", "0"),
            ("q.1", "0"),
            ("q.1", "2"),
            ("q.2", "1"),
            ("q.3", "Chlorophyl "),
            ("q.4", "2"),
        ]
    )
    responses = read_responses("quiz", activity, form)
    result = check_answers("quiz", activity, samples.params("quiz"), responses)
    statuses = {i["id"]: i["status"] for i in result["items"]}
    assert statuses == {
        "0": "correct",
        "1": "incorrect",  # one right and one wrong choice earn nothing (of three right)
        "2": "correct",
        "3": "correct",
        "4": "incorrect",
    }
    assert "Plants combine CO₂ and water" in result["items"][0]["feedback"]
    assert result["points"] == 3


def test_practice_shows_only_the_chosen_options_feedback_until_the_answer_is_asked_for() -> None:
    activity = samples.quiz()
    params = samples.params("self_quiz")
    responses = read_responses("self_quiz", activity, MultiDict([("q.0", "1")]))
    first = check_answers("self_quiz", activity, params, responses, only="0", reveal=False)
    (item,) = first["items"]
    assert item["status"] == "incorrect"
    assert item["feedback"] == "Oxygen is given out, not taken in."
    assert "CO₂ and water" not in json.dumps(first, ensure_ascii=False)
    shown = check_answers("self_quiz", activity, params, responses, only="0", reveal=True)
    assert "Plants combine CO₂ and water" in shown["items"][0]["feedback"]


def test_fill_in_answers_accept_alternatives_and_one_slip() -> None:
    activity = samples.fill_in()
    form = MultiDict(
        [("b.0.0", "photosynthesis"), ("b.0.1", "chlorophyl"), ("b.1.0", "stomates"), ("b.1.1", "")]
    )
    responses = read_responses("fill_in", activity, form)
    result = check_answers("fill_in", activity, samples.params("fill_in"), responses)
    assert [i["status"] for i in result["items"]] == ["correct", "correct", "correct", "incorrect"]
    assert result["items"][3]["feedback"] == "Answer: glucose"


def test_flags_name_the_items_they_are_about() -> None:
    warnings = [
        "Needs your check: Question 3: the option 'All of the above' makes the key ambiguous.",
        "Question 12 is labelled Bloom's 'remember' but DOK 3.",
        "3 of 5 questions are recall (DOK 1).",
    ]
    assert flags_by_item(warnings, "question") == {2: [warnings[0]], 11: [warnings[1]]}
    assert warning_targets(warnings, "question") == [
        (warnings[0], 2),
        (warnings[1], 11),
        (warnings[2], None),
    ]
    assert flags_by_item(["Passage 2: blank 1 has no answer."], "passage") == {
        1: ["Passage 2: blank 1 has no answer."]
    }


def _question_form(**fields: Any) -> MultiDict[str, str]:
    form: MultiDict[str, str] = MultiDict()
    for name, value in fields.items():
        for one in value if isinstance(value, list) else [value]:
            form.add(name.replace("__", "."), one)
    return form


def test_a_question_form_keeps_only_what_its_type_uses() -> None:
    form = _question_form(
        type="short_answer",
        question="  What is the green pigment?  ",
        options__0__text="Chlorophyll",
        options__0__correct="on",
        accepted_answers="chlorophyll\r\n\r\n chlorophyl \n",
        explanation="It absorbs light.",
        bloom="remember",
        dok="1",
        standard="",
    )
    item = read_item("quiz", form)
    assert item["options"] == []
    assert item["accepted_answers"] == ["chlorophyll", "chlorophyl"]
    assert item["question"] == "What is the green pigment?"
    assert item["dok"] == 1

    form.setlist("type", ["multiple_choice"])
    form.add("options.3.text", "Carotene")
    item = read_item("quiz", form)
    assert item["accepted_answers"] == []
    assert item["options"] == [
        {"text": "Chlorophyll", "correct": True, "feedback": ""},
        {"text": "Carotene", "correct": False, "feedback": ""},
    ]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"type": "multiple_choice"}, "options", "exactly one correct option (you ticked 3)"),
        ({"type": "multiple_answer", "options": []}, "options", "at least two options"),
        ({"type": "true_false"}, "options", "True and False"),
        ({"type": "short_answer", "options": []}, "accepted_answers", "at least one answer"),
    ],
)
def test_a_question_whose_key_cannot_work_is_refused(
    changes: dict[str, Any], field: str, words: str
) -> None:
    item = quiz.QuizItem.model_validate(samples.quiz_data()["items"][1] | changes)
    assert words in key_problems("quiz", item)[field]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("A passage with no blank at all.", "Mark at least one blank"),
        ("A passage with [[one]] blank and a [[broken one.", "not written correctly"),
        ("A passage with an [[]] empty blank.", "Blank 1 is empty"),
    ],
)
def test_a_passage_whose_blanks_cannot_work_is_refused(text: str, words: str) -> None:
    passage = fill_in.FillInPassage(text=text, source_quote="")
    assert words in key_problems("fill_in", passage)["text"]


def test_a_valid_item_has_no_key_problems() -> None:
    for item in samples.quiz().items:
        assert key_problems("quiz", item) == {}
    for passage in samples.fill_in().passages:
        assert key_problems("fill_in", passage) == {}
