"""Text normalisation, safe display names, and turning blocks into one plain text."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence

from eduteach.documents.messages import LABELS, warning_message
from eduteach.documents.model import (
    Block,
    DocumentKind,
    ExtractedDocument,
    Heading,
    ListItem,
    Paragraph,
    Table,
    UploadLimits,
)

MAX_LABEL_CHARS = 120

# Invisible characters that can hide text from the teacher who reviews it (bidi overrides,
# zero-width space, BOM) or are layout debris (soft hyphen); C0/C1 controls except tab and line
# feed; lone surrogates and non-characters. ZWJ/ZWNJ and LRM/RLM stay: real scripts need them.
_DROP = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u200b\u202a-\u202e\u2066-\u2069"
    "\ufeff\ufffe\uffff\ud800-\udfff]+"
)
_LINE_BREAKS = "\r\x0b\x0c\x85\u2028\u2029"
# Lone spaces are left alone: matching only what changes keeps long texts fast.
_SPACES = r"\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_INLINE_SPACE = re.compile(f" {{2,}}|[ {_SPACES}]{{2,}}|[{_SPACES}]")
_LINE_EDGES = re.compile(r"[ \t]*\n[ \t]*")
_BLANK_RUNS = re.compile(r"\n{3,}")


def clean_chars(text: str) -> str:
    """NFC, unified line breaks, no control or hiding characters; spacing is left as it was."""
    text = text.replace("\r\n", "\n")
    for char in _LINE_BREAKS:
        if char in text:
            text = text.replace(char, "\n")
    text = _DROP.sub("", text)
    if unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def tidy_inline(text: str) -> str:
    """One line of text: cleaned, every whitespace run a single space, trimmed."""
    return _INLINE_SPACE.sub(" ", clean_chars(text).replace("\n", " ")).strip()


def tidy_lines(text: str) -> str:
    """Text that keeps its line breaks: spaces collapsed per line, blank runs collapsed to one."""
    spaced = _LINE_EDGES.sub("\n", _INLINE_SPACE.sub(" ", clean_chars(text)))
    return _BLANK_RUNS.sub("\n\n", spaced).strip()


def safe_label(filename: str) -> str:
    """A display name for an upload: no folders, no hidden characters, bounded length."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = tidy_inline(name).strip(" .")
    if not name:
        return LABELS["unnamed"]
    if len(name) <= MAX_LABEL_CHARS:
        return name
    stem, dot, ext = name.rpartition(".")
    if dot and 0 < len(ext) <= 10:
        return stem[: MAX_LABEL_CHARS - len(ext) - 2].rstrip() + "…." + ext
    return name[: MAX_LABEL_CHARS - 1].rstrip() + "…"


def block_chars(block: Block) -> int:
    """Characters of content in a block, without rendering."""
    if isinstance(block, Table):
        return sum(len(cell) for row in block.rows for cell in row)
    return len(block.text)


def _table_row(row: Sequence[str]) -> str:
    return "| " + " | ".join(cell.replace("\n", " ").replace("|", "/") for cell in row) + " |"


def _render_block(block: Block, number: int) -> str:
    """A block in the markdown-like marks the model and the review pages read.

    Headings keep their level ("## "), lists their markers, tables their rows ("| a | b |",
    with a rule under the header): a reading modified for students keeps its structure.
    """
    if isinstance(block, Heading):
        return "#" * block.level + " " + block.text
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, ListItem):
        marker = f"{number}." if block.ordered else "-"
        return "  " * block.level + marker + " " + block.text
    rows = [_table_row(row) for row in block.rows]
    if len(rows) > 1:
        width = max(len(row) for row in block.rows)
        rows.insert(1, "|" + " --- |" * width)
    return "\n".join(rows)


def _rendered_parts(blocks: Sequence[Block]) -> list[tuple[str, str]]:
    """Each block's text with the separator that goes before it."""
    parts: list[tuple[str, str]] = []
    # One (ordered, count) per nesting level of the list being rendered.
    counters: list[tuple[bool, int]] = []
    previous: Block | None = None
    for block in blocks:
        number = 0
        if isinstance(block, ListItem):
            if not isinstance(previous, ListItem):
                counters = []
            del counters[block.level + 1 :]
            counters.extend([(block.ordered, 0)] * (block.level + 1 - len(counters)))
            ordered, count = counters[block.level]
            number = count + 1 if ordered == block.ordered else 1
            counters[block.level] = (block.ordered, number)
        together = isinstance(block, ListItem) and isinstance(previous, ListItem)
        separator = "" if previous is None else ("\n" if together else "\n\n")
        parts.append((separator, _render_block(block, number)))
        previous = block
    return parts


def render_text(blocks: Sequence[Block]) -> str:
    """Plain text of the blocks: blank line between blocks, lists marked, tables as `a | b`."""
    return "".join(separator + body for separator, body in _rendered_parts(blocks))


def _cut_words(text: str, room: int) -> str:
    if room <= 0:
        return ""
    if len(text) <= room:
        return text
    cut = text[:room]
    space = cut.rfind(" ")
    return (cut[:space] if space > room // 2 else cut).rstrip()


def _shrink(block: Block, room: int) -> Block | None:
    """The block cut down so that its rendering fits in `room` characters, or None."""
    if isinstance(block, Table):
        rows: list[tuple[str, ...]] = []
        used = 0
        for row in block.rows:
            line = " | ".join(cell.replace("\n", " ") for cell in row)
            if used + len(line) + (1 if rows else 0) > room:
                break
            used += len(line) + (1 if rows else 0)
            rows.append(row)
        if rows:
            return Table(rows=tuple(rows))
        # Not even the first row fits: keep what fits of it as text rather than nothing.
        first = " | ".join(cell.replace("\n", " ") for cell in block.rows[0]) if block.rows else ""
        text = _cut_words(first, room)
        return Paragraph(text=text) if text else None
    overhead = len(_render_block(block, 1)) - len(block.text)
    if isinstance(block, ListItem) and block.ordered:
        overhead += 3  # room for a longer number than 1
    text = _cut_words(block.text, room - overhead)
    return block.model_copy(update={"text": text}) if text else None


def truncate_blocks(blocks: Sequence[Block], max_chars: int) -> tuple[tuple[Block, ...], bool]:
    """The longest prefix of blocks whose rendered text fits max_chars, and whether it was cut."""
    kept: list[Block] = []
    used = 0
    for (separator, body), block in zip(_rendered_parts(blocks), blocks, strict=True):
        if used + len(separator) + len(body) <= max_chars:
            kept.append(block)
            used += len(separator) + len(body)
            continue
        smaller = _shrink(block, max_chars - used - len(separator))
        if smaller is not None:
            kept.append(smaller)
        return tuple(kept), True
    return tuple(kept), False


def finish_document(
    *,
    label: str,
    kind: DocumentKind,
    blocks: Iterable[Block],
    original: bytes,
    limits: UploadLimits,
    page_count: int | None = None,
    warnings: Sequence[str] = (),
    cut_short: bool = False,
) -> ExtractedDocument:
    """Assemble the document: drop empty blocks, apply the character cap, render the text."""
    useful = [block for block in blocks if block_chars(block) > 0]
    kept, truncated = truncate_blocks(useful, limits.max_chars)
    text = render_text(kept)
    if len(text) > limits.max_chars:
        # Numbering can widen past the estimate in _shrink; the cap itself is not negotiable.
        text = text[: limits.max_chars]
        truncated = True
    truncated = truncated or cut_short
    notes = list(warnings)
    if truncated:
        notes.append(warning_message("truncated", limit=limits.max_chars))
    return ExtractedDocument(
        label=label,
        kind=kind,
        text=text,
        blocks=kept,
        page_count=page_count,
        char_count=len(text),
        sha256=hashlib.sha256(original).hexdigest(),
        truncated=truncated,
        warnings=tuple(notes),
    )
