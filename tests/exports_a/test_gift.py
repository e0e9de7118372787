"""GIFT exports read back the way Moodle reads them: every item, option, mark and feedback."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import pytest

from eduteach.activities.fill_in import FillIn, all_blanks, filled
from eduteach.activities.flashcards import FlashcardDeck
from eduteach.activities.matching import Matching
from eduteach.activities.quiz import Quiz, QuizItem, score_item
from eduteach.exports.gift import render_gift
from tests.activities import samples
from tests.exports_a.gift_reader import Question, read_gift

SPECIALS = "~=#{}:\\"


def _questions(kind: str, activity: Any) -> list[Question]:
    questions, _ = read_gift(render_gift(kind, activity))
    return questions


def _moodle_mark(question: Question, chosen: tuple[int, ...]) -> float:
    """What Moodle gives a multiple-answer attempt: the weights chosen, from 0 to 100 %."""
    total = sum(question.answers[i].weight for i in chosen)
    return min(max(total, 0.0), 100.0) / 100


def _check_choice(question: Question, item: QuizItem) -> None:
    assert [(a.text, a.feedback) for a in question.answers] == [
        (o.text, o.feedback) for o in item.options
    ]
    if item.type == "multiple_choice":
        assert question.single
        assert [a.weight == 100 for a in question.answers] == [o.correct for o in item.options]
        return
    assert not question.single
    right = sum(o.correct for o in item.options)
    assert sum(a.weight for a in question.answers if a.weight > 0) == pytest.approx(100, abs=1e-3)
    for answer, option in zip(question.answers, item.options, strict=True):
        assert answer.weight == pytest.approx((100 if option.correct else -100) / right, abs=1e-4)
    # Every way of ticking boxes earns in Moodle what it earns in EduTeach.
    options = range(len(item.options))
    for size in range(len(item.options) + 1):
        for chosen in combinations(options, size):
            assert _moodle_mark(question, chosen) == pytest.approx(
                score_item(item, list(chosen)), abs=1e-4
            )


@pytest.mark.parametrize("kind", ["quiz", "self_quiz"])
def test_every_quiz_item_survives_the_round_trip(kind: str) -> None:
    quiz = samples.quiz()
    questions = _questions(kind, quiz)
    assert len(questions) == len(quiz.items)
    assert len({q.name for q in questions}) == len(questions)
    for question, item in zip(questions, quiz.items, strict=True):
        assert quiz.title in question.name
        assert question.text == item.question
        assert question.text_format == "plain"
        assert question.general_feedback == item.explanation
        if item.type == "short_answer":
            assert question.kind == "shortanswer"
            assert [(a.text, a.weight) for a in question.answers] == [
                (a, 100) for a in item.accepted_answers
            ]
        elif item.type == "true_false":
            right = next(o for o in item.options if o.correct)
            wrong = next(o for o in item.options if not o.correct)
            assert question.kind == "truefalse"
            assert question.truth is (right.text == "True")
            assert (question.feedback_right, question.feedback_wrong) == (
                right.feedback,
                wrong.feedback,
            )
        else:
            assert question.kind == "multichoice"
            _check_choice(question, item)


def test_a_self_quiz_says_it_is_practice_and_a_quiz_does_not() -> None:
    _, practice = read_gift(render_gift("self_quiz", samples.quiz()))
    _, graded = read_gift(render_gift("quiz", samples.quiz()))
    assert any("practice" in line for line in practice)
    assert not any("practice" in line for line in graded)


def test_true_false_feedback_goes_to_the_option_the_student_picks() -> None:
    data = samples.quiz_data()
    data["items"] = [data["items"][2]]
    item = data["items"][0]
    item["options"] = [
        {"text": "True", "correct": True, "feedback": "Right: light = energy."},
        {"text": "False", "correct": False, "feedback": "Think about #light."},
    ]
    [question] = _questions("quiz", Quiz.model_validate(data))
    assert question.truth is True
    assert question.feedback_right == "Right: light = energy."
    assert question.feedback_wrong == "Think about #light."


def test_true_false_in_another_language_stays_a_two_option_choice() -> None:
    data = samples.quiz_data()
    data["items"] = [data["items"][2]]
    data["items"][0]["options"] = [
        {"text": "Verdadero", "correct": False, "feedback": ""},
        {"text": "Falso", "correct": True, "feedback": "Sin luz no hay fotosíntesis."},
    ]
    [question] = _questions("quiz", Quiz.model_validate(data))
    assert question.kind == "multichoice"
    assert [(a.text, a.weight, a.feedback) for a in question.answers] == [
        ("Verdadero", 0, ""),
        ("Falso", 100, "Sin luz no hay fotosíntesis."),
    ]


def test_matching_keeps_every_pair_and_says_the_extra_definitions_are_left_out() -> None:
    activity = samples.matching()
    questions, comments = read_gift(render_gift("matching", activity))
    [question] = questions
    assert question.kind == "match"
    assert question.name == activity.title
    assert question.text == activity.instructions
    assert question.pairs == [(p.term, p.definition) for p in activity.pairs]
    for extra in activity.distractors:
        assert any(extra in line for line in comments)


def test_each_blank_becomes_a_missing_word_question_in_its_passage() -> None:
    activity = samples.fill_in()
    questions = _questions("fill_in", activity)
    blanks = all_blanks(activity)
    assert len(questions) == len(blanks)
    for question, blank in zip(questions, blanks, strict=True):
        passage = activity.passages[int(blank.id.split(".")[0])].text
        assert question.kind == "shortanswer"
        assert [a.text for a in question.answers] == list(blank.answers)
        # One blank, where this answer goes; every other blank is filled in.
        assert question.text.count("_____") == 1
        assert question.text.replace("_____", blank.answers[0]) == filled(passage)


def test_flashcards_become_short_answer_questions_front_to_back() -> None:
    deck = samples.flashcards()
    questions = _questions("flashcards", deck)
    assert len(questions) == len(deck.cards)
    for question, card in zip(questions, deck.cards, strict=True):
        assert question.kind == "shortanswer"
        assert question.text.split("\n")[0] == card.front
        if card.hint:
            assert question.text.split("\n")[1] == f"({card.hint})"
        assert [a.text for a in question.answers] == [card.back]


def _everywhere(text: str) -> dict[str, Any]:
    """Activities with ``text`` in every field the export writes."""
    quiz = samples.quiz_data()
    quiz["title"] = f"Quiz {text}"
    for number, item in enumerate(quiz["items"]):
        item["question"] = f"Question {number} {text}"
        item["explanation"] = f"Because {text}"
        for index, option in enumerate(item["options"]):
            if item["type"] != "true_false":
                option["text"] = f"Option {index} {text}"
            option["feedback"] = f"Feedback {index} {text}"
        item["accepted_answers"] = [f"answer {text}" for _ in item["accepted_answers"][:1]]
    matching = samples.matching_data()
    matching["title"] = f"Matching {text}"
    matching["instructions"] = f"Match {text}"
    for number, pair in enumerate(matching["pairs"]):
        pair["term"] = f"Term {number} {text}"
        pair["definition"] = f"Definition {number} {text}"
    fill_in = samples.fill_in_data()
    fill_in["passages"][0]["text"] = f"Before {text} the [[word {text}|other {text}]] after {text}."
    deck = samples.flashcards_data()
    for number, card in enumerate(deck["cards"]):
        card.update(front=f"Front {number} {text}", back=f"Back {text}", hint=f"Hint {text}")
    return {
        "quiz": Quiz.model_validate(quiz),
        "matching": Matching.model_validate(matching),
        "fill_in": FillIn.model_validate(fill_in),
        "flashcards": FlashcardDeck.model_validate(deck),
    }


@pytest.mark.parametrize("char", [*SPECIALS, "\n", "\\n", "\\~", "::", "####", "&<>\"'"])
def test_every_special_character_survives_in_every_field(char: str) -> None:
    text = f"x{char}y"
    made = _everywhere(text)
    quiz, matching = made["quiz"], made["matching"]
    for question, item in zip(_questions("quiz", quiz), quiz.items, strict=True):
        assert question.name.startswith(quiz.title)
        assert question.text == item.question
        assert question.general_feedback == item.explanation
        if item.type == "short_answer":
            assert [a.text for a in question.answers] == item.accepted_answers
        elif item.type == "true_false":
            assert {question.feedback_right, question.feedback_wrong} == {
                o.feedback for o in item.options
            }
        else:
            assert [(a.text, a.feedback) for a in question.answers] == [
                (o.text, o.feedback) for o in item.options
            ]
    [match] = _questions("matching", matching)
    assert match.text == matching.instructions
    assert match.pairs == [(p.term, p.definition) for p in matching.pairs]
    first = _questions("fill_in", made["fill_in"])[0]
    assert [a.text for a in first.answers] == [f"word {text}", f"other {text}"]
    assert first.text == f"Before {text} the _____ after {text}."
    for question, card in zip(
        _questions("flashcards", made["flashcards"]), made["flashcards"].cards, strict=True
    ):
        assert question.text == f"{card.front}\n({card.hint})"
        assert [a.text for a in question.answers] == [card.back]


def test_special_characters_are_written_with_a_backslash() -> None:
    data = samples.quiz_data()
    data["items"][0]["question"] = "a ~ b = c # d { e } f : g \\ h"
    gift = render_gift("quiz", Quiz.model_validate(data))
    assert "a \\~ b \\= c \\# d \\{ e \\} f \\: g \\\\ h" in gift


def test_an_arrow_cannot_turn_a_question_into_a_matching_question() -> None:
    # Moodle reads an answer block with "=" and "->" as matching: the arrow is written "→".
    quiz = samples.quiz_data()
    quiz["items"][3]["accepted_answers"] = ["CO2 -> O2"]
    [*_, short, _] = _questions("quiz", Quiz.model_validate(quiz))
    assert short.kind == "shortanswer"
    assert [a.text for a in short.answers] == ["CO2 \u2192 O2"]
    matching = samples.matching_data()
    matching["pairs"][0]["term"] = "light -> sugar"
    matching["pairs"][0]["definition"] = "What photosynthesis does -> in short"
    [question] = _questions("matching", Matching.model_validate(matching))
    assert question.pairs[0] == ("light \u2192 sugar", "What photosynthesis does -> in short")


def test_an_asterisk_in_a_typed_answer_is_literal_in_moodle() -> None:
    # Moodle's short answer reads "*" as "anything" and "\*" as an asterisk.
    quiz = samples.quiz_data()
    quiz["items"][3]["accepted_answers"] = ["6*CO2"]
    [*_, short, _] = _questions("quiz", Quiz.model_validate(quiz))
    assert [a.text for a in short.answers] == ["6\\*CO2"]


def test_the_activity_must_be_of_the_kind_named() -> None:
    with pytest.raises(TypeError):
        render_gift("quiz", samples.matching())
