"""Flashcards and matching pairs as tab-separated lines, the format Quizlet and Anki import.

One card a line, ``front<TAB>back`` (matching: ``term<TAB>definition``), no header line,
lines ending in ``\\n``; the caller writes the text as UTF-8. Tabs and line breaks inside a
field become spaces, since either would start a new field or card. Fields are written as
they are, because Quizlet reads quotation marks literally; only a field that starts with
``"`` is quoted CSV-style (``"`` doubled inside), since Anki and CSV readers would otherwise
take that first mark as the start of a quoted field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel

from eduteach.activities.flashcards import FlashcardDeck
from eduteach.activities.matching import Matching
from eduteach.exports.activities import unsupported
from eduteach.exports.errors import UnsupportedExport

# Every character str.splitlines() breaks on, and the tab.
_BREAKS = re.compile(r"[\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")


def field(text: str) -> str:
    """One field: on one line, without tabs, and quoted only when it starts with ``"``."""
    flat = _BREAKS.sub(" ", text).strip(" ")
    if flat.startswith('"'):
        return '"' + flat.replace('"', '""') + '"'
    return flat


def _lines(rows: Iterable[tuple[str, str]]) -> str:
    return "".join(f"{field(left)}\t{field(right)}\n" for left, right in rows)


def render_tsv(kind: str, activity: BaseModel) -> str:
    """Flashcards (front, back) or matching pairs (term, definition) as TSV text.

    Other activity types have no two-column form: ``UnsupportedExport`` says which formats
    they do have.
    """
    if kind == "flashcards" and isinstance(activity, FlashcardDeck):
        return _lines((card.front, card.back) for card in activity.cards)
    if kind == "matching" and isinstance(activity, Matching):
        return _lines((pair.term, pair.definition) for pair in activity.pairs)
    problem = unsupported(kind, "tsv")
    if problem:
        raise UnsupportedExport(problem)
    raise TypeError(f"{type(activity).__name__} is not a {kind!r} activity")
