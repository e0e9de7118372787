"""Each activity type's checks: the problems a teacher (and the repair round) needs to hear."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from eduteach.activities import ACTIVITIES
from eduteach.activities.fill_in import FillIn, all_blanks, filled, segments, word_bank
from eduteach.activities.flashcards import FlashcardDeck
from eduteach.activities.matching import Matching, choices
from eduteach.activities.quiz import Quiz, QuizRequest
from tests.activities import samples


def problems(
    kind: str, data: dict[str, Any], sources: list[str] | None = None, **params: Any
) -> list[str]:
    activity = ACTIVITIES[kind]
    return activity.check(
        activity.output.model_validate(data), samples.params(kind, **params), sources or []
    )


@pytest.mark.parametrize("kind", list(ACTIVITIES))
def test_the_samples_pass(kind: str) -> None:
    assert problems(kind, samples.DATA[kind]()) == []


# --- flashcards -------------------------------------------------------------------------------


def test_flashcards_duplicate_fronts_and_count() -> None:
    data = samples.flashcards_data()
    data["cards"].append({**data["cards"][0], "front": "  photosynthesis! "})
    found = problems("flashcards", data)
    assert found == [
        "There are 6 cards but the teacher asked for 5; give exactly 5.",
        'The card front "photosynthesis!" appears more than once; make each unique.',
    ]


def test_flashcards_need_five_cards() -> None:
    data = samples.flashcards_data()
    data["cards"] = data["cards"][:4]
    with pytest.raises(ValueError, match="at least 5"):
        FlashcardDeck.model_validate(data)


# --- fill-in ----------------------------------------------------------------------------------


def passage(text: str) -> dict[str, Any]:
    data = samples.fill_in_data()
    data["passages"] = [{"text": text, "source_quote": ""}]
    return data


def test_fill_in_blanks_are_parsed_with_alternatives() -> None:
    activity = samples.fill_in()
    blanks = all_blanks(activity)
    assert [b.id for b in blanks] == ["0.0", "0.1", "1.0", "1.1"]
    assert blanks[2].answers == ("stomata", "stomates")
    assert filled(activity.passages[1].text).startswith(
        "Gases enter and leave the leaf through tiny pores called stomata."
    )
    shown = list(segments(activity.passages[0].text, 0))
    assert ("blank", "0.0") in shown
    assert "photosynthesis" not in "".join(text for kind, text in shown if kind == "text")
    assert word_bank(activity) == sorted(
        ["chlorophyll", "glucose", "mitochondria", "oxygen", "photosynthesis", "stomata"]
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plants need light to grow well in spring.", "Passage 1: it has no blanks"),
        (
            "Plants make food by [[the process of photosynthesis in leaves]] every day.",
            "is too long; a blank holds one key word",
        ),
        ("Leaves hold [[chlorophyll]] [[pigment]] for light today.", "two blanks are next to"),
        ("[[Chlorophyll]] is green.", "gives too little context for its blank"),
        (
            "The pigment chlorophyll is called [[chlorophyll]] by scientists.",
            "also appears in its own sentence",
        ),
        ("Leaves are [[green|Green]] because of a pigment.", "accepted answer"),
        ("Plants make [[food]] food from light and water.", "with the answers filled in it reads"),
        ("Plants make [[food] from light and water.", "a blank is not written correctly"),
    ],
)
def test_fill_in_passage_problems(text: str, expected: str) -> None:
    found = problems(
        "fill_in", passage(text), count=len(all_blanks(FillIn.model_validate(passage(text)))) or 1
    )
    assert any(expected in p for p in found), found


def test_fill_in_distractor_that_is_an_answer() -> None:
    data = samples.fill_in_data()
    data["distractors"] = ["Glucose", "oxygen", "oxygen"]
    found = problems("fill_in", data)
    assert any("'Glucose' is also an answer to a blank" in p for p in found)
    assert any('distractor "oxygen" appears more than once' in p for p in found)


def test_fill_in_without_word_bank_needs_no_distractors() -> None:
    data = samples.fill_in_data()
    data["distractors"] = []
    assert problems("fill_in", data, word_bank=False) == []
    assert any("needs 2 to 5 distractors" in p for p in problems("fill_in", data))


# --- matching ---------------------------------------------------------------------------------


def test_matching_terms_and_definitions_are_unique() -> None:
    data = samples.matching_data()
    data["pairs"][1]["term"] = "chloroplast"
    data["pairs"][2]["definition"] = data["pairs"][3]["definition"].upper()
    found = problems("matching", data)
    assert any('term "chloroplast" appears more than once' in p for p in found)
    assert any("definition" in p and "appears more than once" in p for p in found)


def test_matching_distractors_must_match_nothing() -> None:
    data = samples.matching_data()
    data["distractors"] = [data["pairs"][0]["definition"]]
    found = problems("matching", data)
    assert any("is the same as a pair's definition" in p for p in found)
    assert choices(Matching.model_validate(samples.matching_data()))[-1] == (
        "The part of the cell that stores genes"
    )


# --- quiz -------------------------------------------------------------------------------------


def quiz_with(index: int, **changes: Any) -> dict[str, Any]:
    data = samples.quiz_data()
    data["items"][index] = {**data["items"][index], **changes}
    return data


def opt(text: str, correct: bool = False) -> dict[str, Any]:
    return {"text": text, "correct": correct, "feedback": ""}


@pytest.mark.parametrize(
    ("index", "changes", "expected"),
    [
        (
            0,
            {"options": [opt("A", True), opt("B", True), opt("C"), opt("D")]},
            "exactly one correct option (it has 2)",
        ),
        (0, {"options": [opt("A", True), opt("B")]}, "give 3 to 6 options (it has 2)"),
        (
            0,
            {"options": [opt("Oxygen", True), opt(" oxygen "), opt("C"), opt("D")]},
            'option "oxygen" appears more than once',
        ),
        (
            0,
            {"options": [opt("A", True), opt("B"), opt("None of the above")]},
            "makes the answer key ambiguous",
        ),
        (1, {"options": [opt("A"), opt("B"), opt("C")]}, "mark at least one option correct"),
        (2, {"options": [opt("Yes", True), opt("No")]}, "options are True and False"),
        (
            2,
            {"options": [opt("True", True), opt("False", True)]},
            "exactly two options, True and False",
        ),
        (3, {"accepted_answers": []}, "list every acceptable answer"),
        (3, {"accepted_answers": ["Chlorophyll", "chlorophyll "]}, "appears more than once"),
        (3, {"options": [opt("chlorophyll", True)]}, "a short-answer question has no options"),
        (0, {"accepted_answers": ["co2"]}, "accepted_answers is only for short answer"),
    ],
)
def test_quiz_answer_key_problems(index: int, changes: dict[str, Any], expected: str) -> None:
    found = problems("quiz", quiz_with(index, **changes))
    assert any(f"Question {index + 1}: " in p and expected in p for p in found), found


def test_true_false_in_another_language_is_not_held_to_english_words() -> None:
    data = quiz_with(2, options=[opt("Verdadero"), opt("Falso", True)])
    assert problems("quiz", data, language="Español") == []


def test_quiz_types_count_and_coverage() -> None:
    data = samples.quiz_data()
    found = problems("quiz", data, item_types=["multiple_choice", "true_false"], count=6)
    assert "There are 5 questions but the teacher asked for 6; give exactly 6." in found
    assert any(
        "Question 2 is multiple answer, a type the teacher did not choose" in p for p in found
    )
    found = problems(
        "quiz",
        data,
        item_types=["multiple_choice", "true_false", "short_answer", "multiple_answer"],
    )
    assert found == []


def test_quiz_that_is_all_recall_fails_a_balanced_mix() -> None:
    data = samples.quiz_data()
    for item in data["items"]:
        item["dok"], item["bloom"] = 1, "remember"
    found = problems("quiz", data)
    assert "5 of 5 questions are recall (DOK 1) but a balanced quiz has at most 2" in found[0]
    assert "Only 0 of 5 questions ask for strategic thinking" in found[1]
    assert problems("quiz", data, mix="recall")[0].startswith("5 of 5 questions are recall")


def test_levels_must_be_consistent() -> None:
    found = problems("quiz", quiz_with(4, bloom="remember", dok=3), mix="recall")
    assert any("labelled Bloom's 'remember' but DOK 3" in p for p in found)


def test_quiz_standards_only_the_teachers() -> None:
    standard = "MS-LS1-6 Construct a scientific explanation for the role of photosynthesis"
    data = samples.quiz_data()
    for item in data["items"]:
        item["standard"] = "MS-LS1-6"
    assert problems("quiz", data, standards=[standard]) == []
    data["items"][0]["standard"] = "MS-LS9-9"
    found = problems("quiz", data, standards=[standard])
    assert found == [
        f'Question 1 cites "MS-LS9-9", which is not one of the teacher\'s standards; use one of: {standard}.'
    ]
    data["items"][0]["standard"] = ""
    assert problems("quiz", data, standards=[standard]) == [
        "Question 1 does not say which of the teacher's standards it assesses."
    ]


def test_quiz_request_reads_types_from_words_and_codes() -> None:
    request = QuizRequest.model_validate(
        {**samples.params("quiz"), "item_types": "mc, TF,short answer", "mix": "Higher order"}
    )
    assert request.item_types == ["multiple_choice", "true_false", "short_answer"]
    assert request.mix == "higher-order"


# --- material ---------------------------------------------------------------------------------


MATERIAL = "Chlorophyll is the green pigment in leaves.\n\nIt absorbs red and blue light."


def test_items_from_material_quote_it() -> None:
    data = samples.flashcards_data()
    for card in data["cards"]:
        card["source_quote"] = "chlorophyll is the GREEN pigment in leaves"
    assert problems("flashcards", data, [MATERIAL]) == []
    data["cards"][1]["source_quote"] = "Leaves are blue."
    data["cards"][2]["source_quote"] = ""
    found = problems("flashcards", data, [MATERIAL])
    assert found == [
        'Card 2: its source_quote "Leaves are blue." is not in the teacher\'s material; copy a '
        "sentence from the material exactly, and base the item on it.",
        "Card 3 does not say where in the teacher's material it comes from; copy the sentence "
        "it is based on into source_quote.",
    ]


def test_without_material_quotes_are_not_checked() -> None:
    data = copy.deepcopy(samples.quiz_data())
    data["items"][0]["source_quote"] = "anything"
    assert problems("quiz", data) == []
    assert isinstance(Quiz.model_validate(data), Quiz)


def test_a_teachers_edit_may_change_the_size_but_not_break_the_key() -> None:
    activity = ACTIVITIES["quiz"]
    data = samples.quiz_data()
    data["items"].append(copy.deepcopy(data["items"][2]) | {"question": "Roots make glucose."})
    quiz = activity.output.model_validate(data)
    params = samples.params("quiz")
    assert "There are 6 questions but the teacher asked for 5; give exactly 5." in activity.check(
        quiz, params
    )
    assert activity.check_edit(quiz, params) == []
    data["items"][0]["options"][1]["correct"] = True
    broken = activity.output.model_validate(data)
    assert any("exactly one correct option" in p for p in activity.check_edit(broken, params))


def test_matching_edit_may_drop_the_extra_definitions() -> None:
    activity = ACTIVITIES["matching"]
    data = samples.matching_data() | {"distractors": []}
    assert (
        activity.check_edit(activity.output.model_validate(data), samples.params("matching")) == []
    )


def test_mechanical_slips_are_put_right_before_the_checks() -> None:
    from eduteach.activities.quiz import fix_item_shapes

    data = quiz_with(0, accepted_answers=["carbon dioxide"])
    data["items"][2]["options"] = [opt("False", True)]  # only the right one of true/false
    data["items"][3]["options"] = [opt("Chlorophyll", True)]  # the answer written as an option
    data["items"][3]["accepted_answers"] = ["chlorophyl"]
    fixed, notes = fix_item_shapes(Quiz.model_validate(data), samples.params("quiz"))
    assert fixed.items[0].accepted_answers == []
    assert [(o.text, o.correct) for o in fixed.items[2].options] == [
        ("True", False),
        ("False", True),
    ]
    assert fixed.items[3].options == []
    assert fixed.items[3].accepted_answers == ["chlorophyl", "Chlorophyll"]
    assert notes == []
    assert ACTIVITIES["quiz"].check(fixed, samples.params("quiz")) == []


def test_a_clean_quiz_is_left_as_it_is() -> None:
    from eduteach.activities.quiz import fix_item_shapes

    quiz = samples.quiz()
    assert fix_item_shapes(quiz, samples.params("quiz"))[0] is quiz
