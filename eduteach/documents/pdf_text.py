"""PDF text with the structure its layout suggests: headings by size, paragraphs by spacing, lists.

A PDF stores positioned runs of glyphs, not paragraphs. pypdf extracts the runs in content-stream
order; their font size and position are enough to tell headings, paragraph breaks, list items and
running headers or page numbers apart in the documents teachers export from Word, Google Docs or
publishers' sites. No OCR: pages without a text layer are reported, not guessed at.
"""

from __future__ import annotations

import io
import itertools
import math
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pypdf import PasswordType, PdfReader

from eduteach.documents.cleaning import tidy_inline
from eduteach.documents.errors import UploadError
from eduteach.documents.messages import warning_message
from eduteach.documents.model import Block, Heading, ListItem, Paragraph, Table, UploadLimits
from eduteach.documents.plain_text import text_blocks

# Fewer visible characters than this, or only a page number, is a page without a text layer.
_MIN_PAGE_CHARS = 3
_HEADING_RATIO = 1.15
_MAX_HEADING_CHARS = 150
_MAX_BOLD_HEADING_CHARS = 80
# Average glyph width in ems, to estimate where a run ends; a gap of _COLUMN_GAP ems or more
# between runs on one line separates table cells (word gaps, even justified, are far smaller).
_GLYPH_WIDTH = 0.5
_COLUMN_GAP = 1.6
_COLUMN_TOLERANCE = 4.0
_PARAGRAPH_GAP = 1.45
_SHOWN_PAGES = 10

# Bullet glyphs, including the Symbol/Wingdings private-use code points Word exports.
_BULLET = re.compile(
    r"\s*(?:[•●▪■◦○‣∙·\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf06e]\s*|[-\u2013*]\s+)(\S.*)"
)
_MARKER = re.compile(
    r"[•●▪■◦○‣∙·\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf06e\u2013*-]|\(?(?:\d{1,3}|[a-z]|[ivx]{1,4})[.)]"
)
_NUMBERED = re.compile(r"\s*\(?(?:\d{1,3}|[a-z]|[ivx]{1,4})[.)]\s+(\S.*)")
_PAGE_NUMBER = re.compile(
    r"(?:page\s*)?[-\u2013(]?\s*\d{1,4}\s*[-\u2013)]?(?:\s*(?:of|/)\s*\d{1,4})?", re.I
)
_SENTENCE_END = re.compile(r"[.!?:;\"\u201d\u2019)\]]$")


@dataclass(slots=True)
class _Line:
    text: str
    x: float
    y: float
    size: float
    bold: bool
    page: int
    cells: tuple[tuple[float, str], ...] = ()


@dataclass(slots=True)
class _Fragments:
    """Text runs of one page as pypdf reports them to the visitor."""

    runs: list[tuple[str, float, float, float, bool]] = field(default_factory=list)

    def visit(self, text: str, cm: Any, tm: Any, font: Any, font_size: float) -> None:
        if not text:
            return
        _, _, c, d, e, f = (float(v) for v in tm)
        ca, cb, cc, cd, ce, cf = (float(v) for v in cm)
        # The text rendering matrix is tm x cm; its vertical scale sizes the glyphs.
        x = e * ca + f * cc + ce
        y = e * cb + f * cd + cf
        scale = math.hypot(c * ca + d * cc, c * cb + d * cd) or 1.0
        base_font = str(font.get("/BaseFont", "")) if hasattr(font, "get") else ""
        bold = "bold" in base_font.lower() or "black" in base_font.lower()
        self.runs.append((text, x, y, abs(float(font_size)) * scale, bold))


class _LineBuilder:
    """Collects the runs of one line; a wide horizontal gap between runs starts a new cell."""

    def __init__(self, page: int) -> None:
        self.page = page
        self.lines: list[_Line] = []
        self._reset()

    def _reset(self) -> None:
        self.first: tuple[float, float, float] | None = None
        self.sizes: Counter[float] = Counter()
        self.all_bold = True
        # Each cell: [x where it starts, estimated x where its text ends, its pieces].
        self.cells: list[tuple[float, float, list[str]]] = []

    def piece(self, text: str, x: float, y: float, size: float, bold: bool) -> None:
        visible = text.strip()
        if not visible:
            if self.cells:
                self.cells[-1][2].append(text)
            return
        if self.first is None:
            self.first = (x, y, size)
        self.sizes[round(size * 2) / 2] += len(visible)
        self.all_bold = self.all_bold and bold
        width = len(text) * size * _GLYPH_WIDTH
        if self.cells and x - self.cells[-1][1] <= _COLUMN_GAP * size:
            start, end, pieces = self.cells[-1]
            pieces.append(text)
            self.cells[-1] = (start, max(end, x + width, end + width), pieces)
        else:
            self.cells.append((x, x + width, [text]))

    def end_line(self) -> None:
        cells = tuple(
            (start, text)
            for start, _, pieces in self.cells
            if (text := tidy_inline("".join(pieces)))
        )
        if cells and self.first is not None:
            size = self.sizes.most_common(1)[0][0] if self.sizes else self.first[2]
            text = " ".join(text for _, text in cells)
            x, y, _ = self.first
            self.lines.append(_Line(text, x, y, size, self.all_bold, self.page, cells))
        self._reset()


def _page_lines(runs: Sequence[tuple[str, float, float, float, bool]], page: int) -> list[_Line]:
    """Runs joined into lines; a line's position and size come from its first visible run."""
    builder = _LineBuilder(page)
    for text, x, y, size, bold in runs:
        for index, piece in enumerate(text.split("\n")):
            if index > 0:
                builder.end_line()
            if piece:
                builder.piece(piece, x, y, size, bold)
    builder.end_line()
    return builder.lines


def _running_key(line: _Line) -> tuple[str, int]:
    """Text with numbers masked, and height on the page: how a running header repeats."""
    return re.sub(r"\d+", "#", line.text.lower()), round(line.y / 3)


def _running_keys(pages: Sequence[Sequence[_Line]]) -> set[tuple[str, int]]:
    """Lines repeated at the top or bottom of most pages: running headers and footers."""
    if len(pages) < 3:
        return set()
    seen: Counter[tuple[str, int]] = Counter()
    for lines in pages:
        seen.update({_running_key(line) for line in (*lines[:2], *lines[-2:])})
    return {key for key, count in seen.items() if count >= max(3, len(pages) // 2)}


def _content_lines(pages: Sequence[Sequence[_Line]]) -> list[list[_Line]]:
    """Lines without page numbers and running headers or footers (kept where first seen)."""
    running = _running_keys(pages)
    seen: set[tuple[str, int]] = set()
    kept: list[list[_Line]] = []
    for lines in pages:
        last = len(lines) - 1
        page: list[_Line] = []
        for index, line in enumerate(lines):
            at_edge = index < 2 or index > last - 2
            key = _running_key(line)
            if at_edge and _PAGE_NUMBER.fullmatch(line.text):
                continue
            if at_edge and key in running:
                if key in seen:
                    continue
                seen.add(key)
            page.append(line)
        kept.append(page)
    return kept


class _Layout:
    """Document-wide measures: the body text size, heading sizes, the usual line spacing."""

    def __init__(self, lines: Sequence[_Line], page_width: float = 0.0) -> None:
        weights: Counter[float] = Counter()
        for line in lines:
            weights[round(line.size * 2) / 2] += len(line.text)
        self.body = weights.most_common(1)[0][0] if weights else 0.0
        larger = sorted(
            {
                round(line.size * 2) / 2
                for line in lines
                if self.is_larger(line) and len(line.text) <= _MAX_HEADING_CHARS
            },
            reverse=True,
        )
        self.heading_levels = {size: min(rank + 1, 6) for rank, size in enumerate(larger[:5])}
        self.bold_level = min(len(self.heading_levels) + 1, 6)
        gaps = [
            round(prev.y - line.y, 1)
            for prev, line in itertools.pairwise(lines)
            if prev.page == line.page
            and abs(line.size - self.body) < 0.6
            and abs(prev.size - self.body) < 0.6
            and 0 < prev.y - line.y < 4 * max(self.body, 1.0)
        ]
        # The lower quartile: paragraph gaps are the larger ones, line spacing the common small.
        self.spacing = statistics.quantiles(gaps, n=4)[0] if len(gaps) > 1 else 0.0
        body_lines = [line for line in lines if abs(line.size - self.body) < 0.6]
        lengths = sorted(len(line.text) for line in body_lines)
        longest_seen = lengths[int(len(lengths) * 0.8)] if lengths else 0
        # What fits between the margins, taking the right margin as wide as the left one.
        margin = min((line.x for line in body_lines), default=0.0)
        fits = (page_width - 2 * margin) / (self.body * _GLYPH_WIDTH) if self.body else 0.0
        self.full_line = max(longest_seen, fits)

    def is_larger(self, line: _Line) -> bool:
        return self.body > 0 and line.size >= self.body * _HEADING_RATIO

    def heading_level(self, line: _Line) -> int | None:
        if len(line.text) > _MAX_HEADING_CHARS or not any(ch.isalpha() for ch in line.text):
            return None
        return self.heading_levels.get(round(line.size * 2) / 2)

    def breaks_before(self, prev: _Line, line: _Line) -> bool:
        """Whether a vertical gap (or a jump back up, as into a new column) ends a paragraph."""
        if prev.page != line.page:
            return False
        gap = prev.y - line.y
        if gap < -1:
            return True
        if self.spacing > 0 and gap > self.spacing * _PARAGRAPH_GAP:
            return True
        # A sentence that ends well short of a full line ends its paragraph, whatever the
        # spacing (single-line paragraphs, double-spaced handouts).
        return bool(_SENTENCE_END.search(prev.text)) and len(prev.text) < self.full_line * 0.7


def _joined(text: str, more: str) -> str:
    # A word hyphenated at the end of a line continues on the next one.
    if len(text) > 1 and text.endswith("-") and text[-2].isalpha() and more[:1].islower():
        return text[:-1] + more
    return text + " " + more


class _Assembler:
    """Turns content lines into blocks, one decision per line."""

    def __init__(self, layout: _Layout) -> None:
        self.layout = layout
        self.blocks: list[Block] = []
        self.current: Heading | Paragraph | ListItem | None = None
        self.prev: _Line | None = None
        self.list_x: list[float] = []
        self.lines_in_current = 0
        self.all_bold = False
        self.rows: list[_Line] = []
        self.columns: list[float] = []

    def flush(self) -> None:
        self.flush_table()
        current = self.current
        # A lone, short, wholly bold body-size line is a heading in most exported documents.
        if (
            isinstance(current, Paragraph)
            and self.all_bold
            and self.lines_in_current == 1
            and len(current.text) <= _MAX_BOLD_HEADING_CHARS
            and not current.text.endswith((".", ",", ";"))
        ):
            current = Heading(text=current.text, level=self.layout.bold_level)
        if current is not None:
            self.blocks.append(current)
        self.current = None

    def flush_table(self) -> None:
        """Two or more aligned rows are a table; a lone row is just a line of text."""
        rows, self.rows = self.rows, []
        if len(rows) == 1:
            self.current = Paragraph(text=rows[0].text)
            self.lines_in_current, self.all_bold = 1, False
        elif rows:
            columns = sorted(self.columns)
            table: list[tuple[str, ...]] = []
            for row in rows:
                cells = [""] * len(columns)
                for x, text in row.cells:
                    index = min(range(len(columns)), key=lambda i: abs(columns[i] - x))
                    cells[index] = f"{cells[index]} {text}".strip()
                table.append(tuple(cells))
            self.blocks.append(Table(rows=tuple(table)))

    def _column(self, x: float) -> bool:
        return any(abs(x - column) <= _COLUMN_TOLERANCE for column in self.columns)

    def table_row(self, line: _Line) -> bool:
        """Take a line with several cells as a table row; False if it is not one."""
        if len(line.cells) < 2 or self.layout.heading_level(line) is not None:
            return False
        if len(line.cells) == 2 and _MARKER.fullmatch(line.cells[0][1]):
            return False  # a list marker with a wide hanging indent, not a table row
        xs = [x for x, _ in line.cells]
        if not self.rows or sum(map(self._column, xs)) < 2:
            self.flush()
            self.columns = []
        self.columns.extend(x for x in xs if not self._column(x))
        self.rows.append(line)
        return True

    def start(self, block: Heading | Paragraph | ListItem, line: _Line) -> None:
        self.flush()
        self.current = block
        self.lines_in_current = 1
        self.all_bold = line.bold

    def list_level(self, x: float) -> int:
        while self.list_x and x < self.list_x[-1] - 2:
            self.list_x.pop()
        if not self.list_x or x > self.list_x[-1] + 2:
            self.list_x.append(x)
        return min(len(self.list_x) - 1, 8)

    def add(self, line: _Line) -> None:
        prev, self.prev = self.prev, line
        if self.table_row(line):
            return
        self.flush_table()
        level = self.layout.heading_level(line)
        if level is not None:
            same_heading = (
                isinstance(self.current, Heading)
                and self.current.level == level
                and prev is not None
                and not self.layout.breaks_before(prev, line)
            )
            if same_heading and self.current is not None:
                self.extend(line)
                return
            self.list_x = []
            self.start(Heading(text=line.text, level=level), line)
            return
        bullet = _BULLET.fullmatch(line.text)
        numbered = None if bullet else _NUMBERED.fullmatch(line.text)
        match = bullet or numbered
        if match is not None:
            item = ListItem(
                text=match.group(1), ordered=bool(numbered), level=self.list_level(line.x)
            )
            self.start(item, line)
            return
        if prev is not None and self.continues(prev, line):
            self.extend(line)
            return
        self.list_x = []
        self.start(Paragraph(text=line.text), line)

    def continues(self, prev: _Line, line: _Line) -> bool:
        """Whether a line carries on the current paragraph or list item."""
        current = self.current
        if not isinstance(current, Paragraph | ListItem):
            return False
        if self.layout.breaks_before(prev, line) or abs(prev.size - line.size) >= 0.6:
            return False
        if prev.page != line.page and _SENTENCE_END.search(current.text):
            return False
        # Wrapped lines of a list item sit right of its marker.
        return not (isinstance(current, ListItem) and line.x < self.list_x[-1] + 2)

    def extend(self, line: _Line) -> None:
        assert self.current is not None
        text = _joined(self.current.text, line.text)
        self.current = self.current.model_copy(update={"text": text})
        self.lines_in_current += 1
        self.all_bold = self.all_bold and line.bold

    def finish(self) -> list[Block]:
        self.flush()
        return self.blocks


def _open(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        # Many PDFs are "encrypted" with an empty user password only to restrict printing.
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise UploadError("pdf_encrypted")
    except UploadError:
        raise
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:  # pypdf raises PdfReadError, ValueError, KeyError, ...
        if "password" in type(exc).__name__.lower() or "decrypt" in str(exc).lower():
            raise UploadError("pdf_encrypted") from exc
        raise UploadError("pdf_unreadable") from exc
    return reader


def _page_count(reader: PdfReader, limit: int) -> int:
    """Pages, refusing early on the declared count before pypdf walks a huge page tree."""
    try:
        root: Any = reader.trailer["/Root"]
        declared = int(root["/Pages"]["/Count"])
    except (MemoryError, RecursionError):
        raise
    except Exception:
        declared = 0
    if declared > limit:
        raise UploadError("pdf_too_many_pages", {"pages": declared, "limit": limit})
    try:
        count = len(reader.pages)
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:
        raise UploadError("pdf_unreadable") from exc
    if count > limit:
        raise UploadError("pdf_too_many_pages", {"pages": count, "limit": limit})
    return count


def _page_list(pages: Sequence[int]) -> str:
    shown = ", ".join(str(page) for page in pages[:_SHOWN_PAGES])
    return shown + (f" (+{len(pages) - _SHOWN_PAGES})" if len(pages) > _SHOWN_PAGES else "")


def pdf_blocks(data: bytes, limits: UploadLimits) -> tuple[list[Block], int, bool, tuple[str, ...]]:
    """Blocks of a PDF, its page count, whether reading stopped at the budget, and warnings."""
    reader = _open(data)
    count = _page_count(reader, limits.max_pdf_pages)
    pages: list[list[_Line]] = []
    widths: list[float] = []
    plain: list[str] = []
    without_text: list[int] = []
    used = 0
    stopped = False
    for index in range(count):
        fragments = _Fragments()
        try:
            page = reader.pages[index]
            widths.append(float(page.mediabox.width))
            text = page.extract_text(visitor_text=fragments.visit)
        except (MemoryError, RecursionError):
            raise
        except Exception:
            text = ""  # one broken page should not cost the teacher the rest
        lines = _page_lines(fragments.runs, index)
        if not lines and text.strip():
            # No positions came through the visitor: keep the text, lose the layout.
            plain.append(text)
        visible = " ".join(text.split())
        if len(visible) < _MIN_PAGE_CHARS or _PAGE_NUMBER.fullmatch(visible):
            without_text.append(index + 1)
        pages.append(lines)
        used += len(text)
        if used > limits.max_chars * 2:
            stopped = index + 1 < count
            break
    if len(without_text) == count:
        raise UploadError("pdf_no_text")
    content = _content_lines(pages)
    flat = [line for lines in content for line in lines]
    assembler = _Assembler(_Layout(flat, statistics.median(widths) if widths else 0.0))
    for line in flat:
        assembler.add(line)
    blocks = assembler.finish()
    for text in plain:
        blocks.extend(text_blocks(text, limits.max_chars)[0])
    warnings: tuple[str, ...] = ()
    if without_text:
        warnings = (warning_message("pdf_pages_without_text", pages=_page_list(without_text)),)
    return blocks, count, stopped, warnings
