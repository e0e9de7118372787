"""Moodle XML: the category, each question type, and every activity read back the way Moodle's
importer reads it (cloze answers through a port of Moodle's own parser)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain, combinations

import lxml.html
import pytest
from pydantic import BaseModel

from eduteach.activities.fill_in import blanks, filled
from eduteach.activities.quiz import Quiz, QuizOption, score_item
from eduteach.exports.errors import UnsupportedExport
from eduteach.exports.moodle_xml import render_moodle_xml
from tests.activities import samples
from tests.exports_b.cases import KINDS, NASTY, nasty_fill_in, nasty_quiz, sample
from tests.exports_b.readers import (
    MoodleFile,
    MoodleQuestion,
    html_to_text,
    read_cloze,
    read_moodle_xml,
)

# Moodle's allowed grades (question_bank::fraction_options_full), in percent; others are refused.
MOODLE_GRADES = [
    100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667,
    14.28571, 12.5, 11.11111, 10, 5, 0,
]  # fmt: skip
MOODLE_TYPES = {
    "multiple_choice": "multichoice",
    "multiple_answer": "multichoice",
    "true_false": "truefalse",
    "short_answer": "shortanswer",
}


def _read(kind: str, activity: BaseModel | None = None, **options: str) -> MoodleFile:
    return read_moodle_xml(render_moodle_xml(kind, activity or sample(kind), **options))


def _allowed(percent: float) -> bool:
    return any(abs(abs(percent) - grade) < 0.001 for grade in MOODLE_GRADES)


@pytest.mark.parametrize("kind", KINDS)
def test_file_starts_with_the_activity_category(kind: str) -> None:
    activity = sample(kind)
    moodle = _read(kind, activity)
    assert moodle.category == f"$course${'/'}{activity.title}"
    assert moodle.category_info == activity.instructions
    for question in moodle.questions:
        assert question.name
        assert question.html


def test_category_can_be_chosen_and_keeps_its_slashes() -> None:
    moodle = _read("quiz", category="Science / Year 7")
    assert moodle.category == "$course$/Science // Year 7"


@pytest.mark.parametrize("kind", ["quiz", "self_quiz"])
def test_quiz_reads_back_item_by_item(kind: str) -> None:
    quiz = sample(kind)
    questions = _read(kind, quiz).questions
    assert len(questions) == len(quiz.items)
    for item, question in zip(quiz.items, questions, strict=True):
        assert question.type == MOODLE_TYPES[item.type]
        assert question.text == item.question
        assert question.general_feedback == item.explanation
        assert question.value("defaultgrade") == "1"
        if item.type == "short_answer":
            assert question.value("usecase") == "0"
            assert question.answers() == [(a, 100.0, "") for a in item.accepted_answers]
        elif item.type == "true_false":
            assert sorted(question.answers()) == sorted(
                (o.text.casefold(), 100.0 if o.correct else 0.0, o.feedback) for o in item.options
            )
        else:
            _assert_options(question, item.options, multiple=item.type == "multiple_answer")


def _assert_options(
    question: MoodleQuestion, options: Sequence[QuizOption], *, multiple: bool
) -> None:
    assert question.value("single") == ("false" if multiple else "true")
    read = question.answers()
    assert [(text, feedback) for text, _, feedback in read] == [
        (o.text, o.feedback) for o in options
    ]
    percents = [percent for _, percent, _ in read]
    assert [p > 0 for p in percents] == [o.correct for o in options]
    assert all(_allowed(p) for p in percents)
    if multiple:
        assert sum(p for p in percents if p > 0) == pytest.approx(100, abs=0.001)
        assert all(p < 0 for p, o in zip(percents, options, strict=True) if not o.correct)


def test_multiple_answer_grades_like_eduteach() -> None:
    """Every way of ticking the boxes earns in Moodle what EduTeach's own scoring gives."""
    quiz = sample("quiz")
    item, question = next(
        (i, q)
        for i, q in zip(quiz.items, _read("quiz", quiz).questions, strict=True)
        if i.type == "multiple_answer"
    )
    fractions = [percent / 100 for _, percent, _ in question.answers()]
    indexes = range(len(item.options))
    for ticked in chain.from_iterable(combinations(indexes, n) for n in range(len(indexes) + 1)):
        moodle = max(0.0, min(1.0, sum(fractions[i] for i in ticked)))
        assert moodle == pytest.approx(score_item(item, list(ticked)), abs=1e-4)


def test_true_false_in_another_language_keeps_its_words() -> None:
    data = samples.quiz_data()
    [true_false] = [i for i in data["items"] if i["type"] == "true_false"]
    true_false["options"] = [
        {"text": "Verdadero", "correct": False, "feedback": ""},
        {"text": "Falso", "correct": True, "feedback": "¡Sin luz no hay glucosa!"},
    ]
    data["items"] = [true_false]
    [question] = _read("quiz", Quiz.model_validate(data)).questions
    assert question.type == "multichoice"
    assert question.answers() == [
        ("Verdadero", 0.0, ""),
        ("Falso", 100.0, "¡Sin luz no hay glucosa!"),
    ]


def test_matching_keeps_pairs_and_extra_definitions() -> None:
    activity = sample("matching")
    [question] = _read("matching", activity).questions
    assert question.type == "matching"
    assert question.text == activity.instructions
    pairs = [(p.term, p.definition) for p in activity.pairs]
    extras = [("", d) for d in activity.distractors]
    assert question.subquestions() == pairs + extras


def test_fill_in_is_one_cloze_per_passage() -> None:
    activity = sample("fill_in")
    questions = _read("fill_in", activity).questions
    assert len(questions) == len(activity.passages)
    for n, (passage, question) in enumerate(zip(activity.passages, questions, strict=True)):
        assert question.type == "cloze"
        _assert_cloze(question, passage.text, n)


def _assert_cloze(question: MoodleQuestion, text: str, index: int) -> None:
    body, found = read_cloze(question.html)
    expected = blanks(text, index)
    assert [b.kind for b in found] == ["SHORTANSWER"] * len(expected)
    assert [[a for a, _ in b.answers] for b in found] == [list(b.answers) for b in expected]
    assert all(fraction == 1.0 for b in found for _, fraction in b.answers)
    markup = lxml.html.fragment_fromstring(question.html, create_parent="div")
    assert {element.tag for element in markup.iter()} <= {"div", "p", "br"}  # no stray tags
    plain = html_to_text(body)
    for n, blank in enumerate(expected, start=1):
        plain = plain.replace(f"{{#{n}}}", blank.answers[0], 1)
    assert plain == filled(text)


def test_cloze_answers_escape_every_special_character() -> None:
    activity = nasty_fill_in()
    questions = _read("fill_in", activity).questions
    for n, (passage, question) in enumerate(zip(activity.passages, questions, strict=True)):
        _assert_cloze(question, passage.text, n)


def test_flashcards_are_short_answers_with_hints() -> None:
    deck = sample("flashcards")
    questions = _read("flashcards", deck).questions
    assert [q.type for q in questions] == ["shortanswer"] * len(deck.cards)
    for card, question in zip(deck.cards, questions, strict=True):
        assert question.text == card.front
        assert question.answers() == [(card.back, 100.0, "")]
        assert question.hints() == ([card.hint] if card.hint else [])


def test_special_characters_survive() -> None:
    quiz = nasty_quiz()
    for item, question in zip(quiz.items, _read("quiz", quiz).questions, strict=True):
        assert question.text == item.question
        assert question.general_feedback == item.explanation
        assert question.name.startswith(NASTY[:20])
        if item.type == "short_answer":
            assert question.answers() == [(a, 100.0, "") for a in item.accepted_answers]
        elif item.type != "true_false":
            _assert_options(question, item.options, multiple=item.type == "multiple_answer")


def test_kinds_without_questions_are_refused() -> None:
    with pytest.raises(UnsupportedExport, match="Moodle XML"):
        render_moodle_xml("lesson_plan", sample("quiz"))
