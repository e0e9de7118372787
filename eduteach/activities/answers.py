"""Comparing a student's typed answer with the accepted ones, as the teacher chose.

Every comparison first puts both texts in Unicode NFC (an "é" typed as one code point or as
"e" plus a combining accent is the same letter), trims them and collapses inner whitespace.
Case matters only when the teacher says so. Accents always matter, but with typo tolerance a
missing or wrong accent counts as one slip, like any other wrong letter; a language teacher
who wants accents exact sets the tolerance to 0.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

MAX_TYPO_TOLERANCE = 2
# A slip in a short word changes the word ("cat" -> "car"): tolerance applies from this length.
MIN_LENGTH_FOR_SLIPS = 4


@dataclass(frozen=True)
class Matching:
    """How strictly typed answers are compared."""

    case_sensitive: bool = False
    typo_tolerance: int = 1  # letters that may be wrong, missing, extra or swapped

    def __post_init__(self) -> None:
        if not 0 <= self.typo_tolerance <= MAX_TYPO_TOLERANCE:
            raise ValueError(f"typo_tolerance must be 0 to {MAX_TYPO_TOLERANCE}")


EXACT = Matching(case_sensitive=True, typo_tolerance=0)
TOLERANT = Matching()
"""The default: case ignored, one slip allowed in answers of four letters or more."""


def normalize(text: str, *, case_sensitive: bool = False) -> str:
    """NFC, trimmed, inner whitespace collapsed, and case-folded unless case matters."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    return text if case_sensitive else text.casefold()


def key(text: str) -> str:
    """A comparison key for spotting duplicates: case, accents, spacing and punctuation ignored."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = (c for c in decomposed if not unicodedata.combining(c))
    cleaned = "".join(c if c.isalnum() else " " for c in kept)
    return " ".join(cleaned.split())


def slips(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (insert, delete, replace, swap), stopping past limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def accepts(given: str, accepted: Iterable[str], matching: Matching = TOLERANT) -> bool:
    """True when ``given`` matches one of the ``accepted`` answers under ``matching``."""
    typed = normalize(given, case_sensitive=matching.case_sensitive)
    if not typed:
        return False
    for answer in accepted:
        wanted = normalize(answer, case_sensitive=matching.case_sensitive)
        if typed == wanted:
            return True
        tolerance = matching.typo_tolerance if len(wanted) >= MIN_LENGTH_FOR_SLIPS else 0
        if tolerance and slips(typed, wanted, tolerance) <= tolerance:
            return True
    return False
