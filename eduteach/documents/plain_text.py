"""Plain text (uploaded .txt or pasted): decoding, and the structure its lines suggest."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from eduteach.documents.cleaning import block_chars, clean_chars, tidy_inline
from eduteach.documents.errors import UploadError
from eduteach.documents.messages import warning_message
from eduteach.documents.model import Block, Heading, ListItem, Paragraph, Table

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Controls that real text files do not contain (tab, line breaks, form feed and the old DOS
# end-of-file mark are allowed).
_BINARY_CONTROLS = re.compile("[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")
_BINARY_SAMPLE = 65_536

_ATX_HEADING = re.compile(r" {0,3}(#{1,6})[ \t]+(\S.*?)(?:[ \t]+#+)?[ \t]*")
_SETEXT_RULE = re.compile(r" {0,3}(={3,}|-{3,})[ \t]*")
_BULLET = re.compile(r"([ \t]*)[-*+•◦▪‣·\u2013][ \t]+(\S.*)")
_NUMBERED = re.compile(r"([ \t]*)(?:\d{1,3}|[a-z])[.)][ \t]+(\S.*)")
_TABLE_RULE = re.compile(r"[\s|:+-]*-[\s|:+-]*")
_CHUNK_BREAK = re.compile(r"\n[ \t]*\n")


def decode_text(data: bytes) -> tuple[str, tuple[str, ...]]:
    """Text of a file by its BOM, else UTF-8, else Windows-1252; refuses binary data."""
    warnings: tuple[str, ...] = ()
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    try:
        if encoding is not None:
            text = data.decode(encoding)
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("cp1252")
                warnings = (warning_message("cp1252"),)
    except UnicodeDecodeError as exc:
        raise UploadError("not_supported") from exc
    sample = text[:_BINARY_SAMPLE]
    if "\x00" in text or len(_BINARY_CONTROLS.findall(sample)) > len(sample) // 100:
        raise UploadError("not_supported")
    return text, warnings


def _indent_width(indent: str) -> int:
    return len(indent.expandtabs(4))


class _ListLevels:
    """Turns indentation widths into nesting levels, the way a reader sees them."""

    def __init__(self) -> None:
        self._widths: list[int] = []

    def reset(self) -> None:
        self._widths = []

    def level(self, width: int) -> int:
        while self._widths and width < self._widths[-1]:
            self._widths.pop()
        if not self._widths or width > self._widths[-1]:
            self._widths.append(width)
        return min(len(self._widths) - 1, 8)


def _table_rows(lines: list[str]) -> tuple[tuple[str, ...], ...] | None:
    """Rows if every line of a chunk is a table row (tab-separated, or Markdown pipes)."""
    if len(lines) < 2:
        return None
    if all("\t" in line.strip() for line in lines):
        return tuple(
            tuple(tidy_inline(cell) for cell in line.strip().split("\t")) for line in lines
        )
    stripped = [line.strip() for line in lines]
    if all(line.startswith("|") for line in stripped):
        return tuple(
            tuple(tidy_inline(cell) for cell in line.strip("|").split("|"))
            for line in stripped
            if not _TABLE_RULE.fullmatch(line)
        )
    return None


def _chunk_blocks(lines: list[str], levels: _ListLevels) -> Iterator[Block]:
    rows = _table_rows(lines)
    if rows is not None:
        yield Table(rows=rows)
        return
    paragraph: list[str] = []
    item: ListItem | None = None

    def flush() -> Iterator[Block]:
        nonlocal item
        if paragraph:
            yield Paragraph(text="\n".join(paragraph))
            paragraph.clear()
        if item is not None:
            yield item
            item = None

    for line in lines:
        heading = _ATX_HEADING.fullmatch(line)
        bullet = _BULLET.fullmatch(line)
        numbered = None if bullet else _NUMBERED.fullmatch(line)
        rule = _SETEXT_RULE.fullmatch(line)
        if heading:
            yield from flush()
            levels.reset()
            yield Heading(text=tidy_inline(heading.group(2)), level=len(heading.group(1)))
        elif rule and len(paragraph) == 1 and item is None:
            text = paragraph.pop()
            yield Heading(text=text, level=1 if rule.group(1)[0] == "=" else 2)
        elif bullet or numbered:
            match = bullet or numbered
            assert match is not None
            yield from flush()
            level = levels.level(_indent_width(match.group(1)))
            item = ListItem(text=tidy_inline(match.group(2)), ordered=bool(numbered), level=level)
        elif item is not None and line[:1] in (" ", "\t"):
            item = item.model_copy(update={"text": item.text + " " + tidy_inline(line)})
        elif rule:
            continue  # a horizontal rule carries no text
        else:
            if item is not None:
                yield from flush()
            levels.reset()
            paragraph.append(tidy_inline(line))
    yield from flush()


def _blocks_of(text: str, budget: int) -> tuple[list[Block], bool]:
    blocks: list[Block] = []
    used = 0
    levels = _ListLevels()
    for chunk in _CHUNK_BREAK.split(clean_chars(text)):
        lines = [line.rstrip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if not (_BULLET.fullmatch(lines[0]) or _NUMBERED.fullmatch(lines[0])):
            levels.reset()
        for block in _chunk_blocks(lines, levels):
            blocks.append(block)
            used += block_chars(block)
            if used > budget:
                return blocks, True
    return blocks, False


def text_blocks(text: str, budget: int) -> tuple[list[Block], bool]:
    """Blocks from plain text: blank lines part paragraphs; #-headings, bullets, numbers, tables.

    Stops once the blocks hold more than `budget` characters and says whether it did. Only a
    prefix of a long text is examined, so a 10 MB file costs little more than its first pages.
    """
    window = budget * 2 + 4096
    while True:
        more = len(text) > window
        part = text
        if more:
            cut = text.rfind("\n", window // 2, window)
            part = text[: cut if cut > 0 else window]
        blocks, stopped = _blocks_of(part, budget)
        if stopped or not more:
            return blocks, stopped
        window *= 4
