"""TSV exports as Quizlet and Anki read them: one card a line, two tab-separated fields."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from pydantic import BaseModel

from eduteach.activities.flashcards import FlashcardDeck
from eduteach.exports.errors import UnsupportedExport
from eduteach.exports.tsv import render_tsv
from tests.activities import samples


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter="\t"))


def test_flashcards_are_front_and_back_one_card_a_line() -> None:
    deck = samples.flashcards()
    text = render_tsv("flashcards", deck)
    assert _rows(text) == [[card.front, card.back] for card in deck.cards]
    assert text.encode("utf-8").decode("utf-8") == text
    assert text.endswith("\n")


def test_matching_is_term_and_definition_without_the_extra_definitions() -> None:
    activity = samples.matching()
    text = render_tsv("matching", activity)
    assert _rows(text) == [[pair.term, pair.definition] for pair in activity.pairs]
    for extra in activity.distractors:
        assert extra not in text


def test_tabs_and_line_breaks_inside_a_field_become_spaces() -> None:
    data = samples.flashcards_data()
    data["cards"][0].update(front="light\tenergy", back="first line\nsecond line\r\nthird")
    data["cards"][1].update(back="para one\u2028para two")
    deck = FlashcardDeck.model_validate(data)
    text = render_tsv("flashcards", deck)
    assert len(text.splitlines()) == len(deck.cards)
    rows = _rows(text)
    assert rows[0] == ["light energy", "first line second line third"]
    assert rows[1][1] == "para one para two"


def test_quotation_marks_are_kept_as_typed() -> None:
    data = samples.flashcards_data()
    data["cards"][0].update(front='The "iodine test"', back='"Blue-black" means starch')
    deck = FlashcardDeck.model_validate(data)
    text = render_tsv("flashcards", deck)
    # Quizlet reads the line as it is: a quote inside a field is left alone...
    assert text.splitlines()[0].startswith('The "iodine test"\t')
    # ...and a CSV reader such as Anki's reads both fields back exactly.
    assert _rows(text)[0] == [deck.cards[0].front, deck.cards[0].back]


@pytest.mark.parametrize(
    ("kind", "make"),
    [("quiz", samples.quiz), ("self_quiz", samples.quiz), ("fill_in", samples.fill_in)],
)
def test_other_activity_types_have_no_tsv_form(kind: str, make: Callable[[], BaseModel]) -> None:
    with pytest.raises(UnsupportedExport, match="gift"):
        render_tsv(kind, make())
