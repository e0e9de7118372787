"""Activity sheets as a teacher prints them: converted by LibreOffice and read page by page.

The student copy must carry every question, card, term and blank and not one answer; the
answer key must carry every answer under the same numbers and letters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel

from eduteach.activities.fill_in import all_blanks, segments
from eduteach.activities.matching import choices
from eduteach.exports.activity_docx import render_activity_docx
from tests.activities import samples
from tests.plans.samples import meta
from tests.support.libreoffice import docx_to_pdf, pdf_text, requires_libreoffice

pytestmark = [pytest.mark.libreoffice, requires_libreoffice]

MODELS: dict[str, Callable[[], BaseModel]] = {
    "flashcards": samples.flashcards,
    "fill_in": samples.fill_in,
    "matching": samples.matching,
    "quiz": samples.quiz,
    "self_quiz": samples.quiz,
}
Printer = Callable[..., list[str]]


def _flat(text: str) -> str:
    """Line breaks and runs of spaces as single spaces: where lines wrap depends on fonts."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Printer:
    """Each page's text of a printed activity, converted once per module and kind of copy."""
    cache: dict[tuple[Any, ...], list[str]] = {}

    def render(
        kind: str, *, key: bool, activity: BaseModel | None = None, **params: Any
    ) -> list[str]:
        made = activity or MODELS[kind]()
        wanted = (kind, key, made.model_dump_json(), tuple(sorted(params.items())))
        if wanted not in cache:
            data = render_activity_docx(
                kind, made, samples.params(kind, **params), meta(), answer_key=key
            )
            folder = tmp_path_factory.mktemp(kind)
            cache[wanted] = pdf_text(docx_to_pdf(data, folder))
        return cache[wanted]

    return render


def _in_order(text: str, parts: list[str]) -> None:
    """Each part is in ``text``, after the one before it."""
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"{part!r} is missing or out of order"
        position = found + len(part)


@pytest.mark.parametrize("kind", list(MODELS))
@pytest.mark.parametrize(("key", "copy"), [(False, "Student copy"), (True, "Answer key")])
def test_every_page_says_which_copy_it_is(
    printed: Printer, kind: str, key: bool, copy: str
) -> None:
    pages = printed(kind, key=key)
    title = MODELS[kind]().title
    other = "Answer key" if copy == "Student copy" else "Student copy"
    heading = f"{title} — {copy}"
    assert heading in _flat(pages[0]).split(" · ", 1)[1]  # the title under the running header
    for page in pages:
        assert heading in _flat(page.splitlines()[0])  # the running header
        assert other not in page


# --- flashcards ------------------------------------------------------------------------------


def test_flashcards_print_each_front_beside_its_back(printed: Printer) -> None:
    deck = samples.flashcards()
    text = _flat(" ".join(printed("flashcards", key=False)))
    assert "Cut along the dashed lines" in text
    assert "Name:" in text
    order: list[str] = []
    for card in deck.cards:
        order += [card.front, *([f"Hint: {card.hint}"] if card.hint else []), card.back]
    _in_order(text, order)


def test_the_flashcard_key_lists_every_card_by_number(printed: Printer) -> None:
    deck = samples.flashcards()
    text = _flat(" ".join(printed("flashcards", key=True)))
    for number, card in enumerate(deck.cards, start=1):
        assert _flat(f"{number} {card.front} {card.back} {card.hint}") in text


# --- fill in the blanks ----------------------------------------------------------------------


def _passage_pattern(passage: str, index: int) -> str:
    """A passage as printed for students: each blank a number in brackets and a line."""
    marked = "".join(value if part == "text" else "\0" for part, value in segments(passage, index))
    return r"\((\d+)\) _{8,}".join(re.escape(piece) for piece in _flat(marked).split("\0"))


def test_fill_in_students_see_numbered_blank_lines_and_no_answers(printed: Printer) -> None:
    activity = samples.fill_in()
    text = _flat(" ".join(printed("fill_in", key=False, word_bank=False)))
    numbers: list[int] = []
    for index, passage in enumerate(activity.passages):
        found = re.search(_passage_pattern(passage.text, index), text)
        assert found, passage.text
        numbers += [int(n) for n in found.groups()]
    assert numbers == list(range(1, len(all_blanks(activity)) + 1))
    for blank in all_blanks(activity):
        for answer in blank.answers:
            assert answer not in text
    assert "Word bank" not in text


def test_the_word_bank_is_boxed_with_first_answers_and_distractors_only(printed: Printer) -> None:
    activity = samples.fill_in()
    text = _flat(" ".join(printed("fill_in", key=False, word_bank=True)))
    opening = _flat(next(segments(activity.passages[0].text, 0))[1])
    # The box's heading, its words between dots, then the first passage.
    bank = text.split("Word bank ", 1)[1].split(opening, 1)[0]
    firsts = [b.answers[0] for b in all_blanks(activity)]
    assert sorted(_flat(w) for w in bank.split("·")) == sorted([*firsts, *activity.distractors])
    for blank in all_blanks(activity):
        for alternate in blank.answers[1:]:
            assert alternate not in text
        assert text.count(blank.answers[0]) == 1  # in the bank, never in a passage


def test_the_fill_in_key_numbers_every_answer_with_its_alternates(printed: Printer) -> None:
    activity = samples.fill_in()
    text = _flat(" ".join(printed("fill_in", key=True)))
    for number, blank in enumerate(all_blanks(activity), start=1):
        first, *others = blank.answers
        assert f"({number}) {first}" in text  # in its passage
        assert _flat(f"{number} {first} {', '.join(others)}") in text.split("Answers", 1)[1]
    for extra in activity.distractors:
        assert extra in text


# --- matching --------------------------------------------------------------------------------


def _letters(text: str, activity: Any) -> dict[str, str]:
    """Each definition's printed letter, read from the page."""
    letters = {}
    for definition in choices(activity):
        found = re.findall(rf"\b([A-Z])\. {re.escape(definition)}", text)
        assert len(found) == 1, definition
        letters[definition] = found[0]
    return letters


def test_matching_students_get_numbered_terms_and_shuffled_lettered_definitions(
    printed: Printer,
) -> None:
    activity = samples.matching()
    text = _flat(" ".join(printed("matching", key=False)))
    for number, pair in enumerate(activity.pairs, start=1):
        assert re.search(rf"{number}\. {re.escape(pair.term)} _{{4,}}", text)
    letters = _letters(text, activity)
    assert sorted(letters.values()) == [chr(65 + i) for i in range(len(letters))]
    in_term_order = [letters[pair.definition] for pair in activity.pairs]
    assert in_term_order != sorted(in_term_order)
    assert "Matches" not in text
    assert not re.search(r"\d[\u2013-][A-Z]\b", text)


def test_the_matching_key_gives_each_term_the_letter_students_see(printed: Printer) -> None:
    activity = samples.matching()
    student = _letters(_flat(" ".join(printed("matching", key=False))), activity)
    key = _flat(" ".join(printed("matching", key=True)))
    assert _letters(key, activity) == student
    matches = " ".join(
        f"{n}\u2013{student[pair.definition]}" for n, pair in enumerate(activity.pairs, start=1)
    )
    assert f"Matches: {matches}" in key
    for number, pair in enumerate(activity.pairs, start=1):
        assert f"{number}. {pair.term} {student[pair.definition]} " in key
    extras = sorted(student[extra] for extra in activity.distractors)
    assert f"Match no term: {', '.join(extras)}" in key


# --- quizzes ---------------------------------------------------------------------------------


def _line_with(pages: list[str], text: str) -> str:
    [line] = [line for page in pages for line in page.splitlines() if text in line]
    return line


@pytest.mark.parametrize("kind", ["quiz", "self_quiz"])
def test_quiz_students_get_numbered_questions_boxes_and_no_answers(
    printed: Printer, kind: str
) -> None:
    quiz = samples.quiz()
    pages = printed(kind, key=False)
    text = _flat(" ".join(pages))
    order = []
    for number, item in enumerate(quiz.items, start=1):
        order.append(_flat(f"{number}. {item.question}"))
        for index, option in enumerate(item.options):
            label = (
                option.text if item.type == "true_false" else f"{chr(65 + index)}. {option.text}"
            )
            order.append(label)
            assert "\u2610" in _line_with(pages, label)  # ☐
            if option.feedback:
                assert option.feedback not in text
        for answer in item.accepted_answers:
            assert answer not in text
        if item.type == "short_answer":
            order.append("Answer: ____")
        assert item.explanation not in text
    _in_order(text, order)
    assert "\u2611" not in text  # ☑
    assert "Bloom" not in text
    assert "DOK" not in text


@pytest.mark.parametrize("kind", ["quiz", "self_quiz"])
def test_the_quiz_key_ticks_the_right_options_and_explains_each_item(
    printed: Printer, kind: str
) -> None:
    quiz = samples.quiz()
    pages = printed(kind, key=True)
    text = _flat(" ".join(pages))
    order = []
    for number, item in enumerate(quiz.items, start=1):
        order.append(_flat(f"{number}. {item.question}"))
        for index, option in enumerate(item.options):
            label = (
                option.text if item.type == "true_false" else f"{chr(65 + index)}. {option.text}"
            )
            line = _line_with(pages, label)
            assert ("\u2611" in line) is option.correct
            assert ("\u2610" in line) is not option.correct
            order.append(label)
            if option.feedback:
                assert option.feedback in line
        if item.accepted_answers:
            order.append(f"Accepted answers: {'; '.join(item.accepted_answers)}")
        order.append(f"Explanation: {item.explanation}")
        order.append(f"Bloom: {item.bloom.capitalize()} · DOK: {item.dok}")
    _in_order(text, order)
    correct = sum(option.correct for item in quiz.items for option in item.options)
    assert text.count("\u2611") == correct
