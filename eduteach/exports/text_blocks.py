"""Markdown-like text as blocks: headings, paragraphs, lists and tables.

Modified versions are written with these marks ("# ", "- ", "1. ", "| a | b |"); the review
page shows their structure and the Word export rebuilds it from the same blocks, so the two
always agree. Everything else is plain text (the page escapes it all).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BULLET = re.compile(r"^\s*[-*+•]\s+(.*)$")
_NUMBER = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_RULE = re.compile(r"^\s*\|?\s*:?-{2,}")
BlockKind = Literal["heading", "paragraph", "bullets", "numbered", "table"]


@dataclass(frozen=True)
class TextBlock:
    """One block. ``depth`` is a heading's depth as written ("# " is 1); a table's items are
    its rows (lists of cells, padded to the same width), the first the header."""

    kind: BlockKind
    items: tuple[Any, ...]
    depth: int = 0


def _line_block(line: str) -> tuple[BlockKind | None, Any]:
    """The kind of block a line belongs to, and its content (None for a table's rule line)."""
    if heading := _HEADING.match(line):
        return "heading", (len(heading.group(1)), heading.group(2).strip())
    if line.strip().startswith("|"):
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        return "table", None if _RULE.match(line) else cells
    if bullet := _BULLET.match(line):
        return "bullets", bullet.group(1).strip()
    if number := _NUMBER.match(line):
        return "numbered", number.group(1).strip()
    return ("paragraph", line.strip()) if line.strip() else (None, None)


def _block(kind: BlockKind | None, items: list[Any]) -> TextBlock | None:
    if not items:
        return None
    if kind == "paragraph":
        return TextBlock("paragraph", (" ".join(items),))
    if kind == "table":
        width = max(len(row) for row in items)
        return TextBlock("table", tuple([*row, *[""] * (width - len(row))] for row in items))
    if kind in ("bullets", "numbered"):
        return TextBlock(kind, tuple(items))
    return None


def text_blocks(text: str) -> list[TextBlock]:
    """The structure of markdown-like text; lines of one kind in a row make one block."""
    blocks: list[TextBlock] = []
    kind: BlockKind | None = None
    items: list[Any] = []
    for line in [*text.splitlines(), ""]:
        found, value = _line_block(line)
        if found != kind or found == "heading":
            if (block := _block(kind, items)) is not None:
                blocks.append(block)
            kind, items = found, []
        if found == "heading":
            depth, words = value
            blocks.append(TextBlock("heading", (words,), depth=depth))
            kind = None
        elif value is not None:
            items.append(value)
    return blocks
