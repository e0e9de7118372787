"""Reading level on fixed texts, against the published formulas worked by hand."""

from __future__ import annotations

import pytest

from eduteach.readability import grade_label, measure, prose, syllables
from tests.modify.texts import EASY, HARD, HARD_SENTENCE


def test_grade_is_the_median_of_the_three_formulas() -> None:
    reading = measure(HARD)
    assert (reading.words, reading.sentences) == (105, 15)
    # 0.39 x 7 + 11.8 x 14/7 - 15.59
    assert reading.flesch_kincaid == pytest.approx(10.74)
    # 0.058 x (42/7 x 100) - 0.296 x (1/7 x 100) - 15.8
    assert reading.coleman_liau == pytest.approx(14.7714, abs=1e-3)
    # 4.71 x 43/7 + 0.5 x 7 - 21.43
    assert reading.automated_readability == pytest.approx(11.0029, abs=1e-3)
    assert reading.grade == pytest.approx(11.0029, abs=1e-3)
    assert not reading.uses_spache
    assert reading.label() == "grade 11.0"


def test_early_grade_text_uses_spache() -> None:
    reading = measure(EASY)
    # The general formulas fall below zero here: -1.45, -4.3, -4.3.
    assert reading.flesch_kincaid == pytest.approx(-1.45)
    assert reading.coleman_liau == pytest.approx(-4.3)
    # Spache: 0.141 x 6 + 0.086 x 0 % unfamiliar + 0.839
    assert reading.grade == pytest.approx(1.685)
    assert reading.uses_spache


def test_spache_counts_unfamiliar_words_of_two_syllables_or_more() -> None:
    # 2 unfamiliar words in 7: 0.141 x 7 + 0.086 x 200/7 + 0.839
    assert measure(HARD).spache == pytest.approx(4.2831, abs=1e-3)


@pytest.mark.parametrize(
    ("text", "words", "sentences"),
    [("", 0, 0), ("The cat sat. The dog ran.", 6, 2), ("The cat sat on the mat. " * 4, 24, 4)],
)
def test_short_text_is_not_measured(text: str, words: int, sentences: int) -> None:
    reading = measure(text)
    assert reading.too_short
    assert reading.grade is None
    assert (reading.words, reading.sentences) == (words, sentences)
    assert reading.label().startswith("too short to measure")


def test_feedback_names_long_sentences_and_hard_words() -> None:
    text = HARD + "It is big. " * 3
    reading = measure(text)
    assert reading.longest_sentences[0] == HARD_SENTENCE
    assert set(reading.hardest_words) == {"Elephants", "families"}
    assert reading.hardest_words[0] == "Elephants"  # same syllables, longer word first


@pytest.mark.parametrize(
    ("word", "count"),
    [("elephant", 3), ("population", 4), ("over", 2), ("cat", 1), ("Families", 3)],
)
def test_syllables_follow_the_pronouncing_dictionary(word: str, count: int) -> None:
    assert syllables(word) == count


def test_markdown_structure_counts_each_heading_item_and_cell_as_a_unit() -> None:
    flat = prose(
        "# Big cats\n\n- Lions hunt\n- Tigers swim\n\n| Cat | Home |\n|---|---|\n| Lion | Africa |"
    )
    assert flat == "Big cats. Lions hunt. Tigers swim. Cat. Home. Lion. Africa."


@pytest.mark.parametrize(
    ("grade", "label"),
    [(0.4, "kindergarten"), (4.25, "grade 4.2"), (13.6, "grade 13.6 (beyond grade 12)")],
)
def test_grade_labels(grade: float, label: str) -> None:
    assert grade_label(grade) == label


def test_measuring_needs_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("readability tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert measure(HARD + " Zebras graze.").grade is not None
