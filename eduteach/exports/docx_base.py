"""Shared building blocks for EduTeach's Word documents.

Every document starts from the committed, styled ``templates/docx/base.docx`` (built by
``scripts/build_docx_base.py``) and refers to its styles by name only; the words printed
around the content (headings, column names, the AI note) come from
``templates/docx/labels.toml``. :class:`DocumentBuilder` adds the pieces documents share:
title, details table, headings, lists that restart at 1, tables whose header row repeats on
every page, and a page header and footer with "Page X of Y".
"""

from __future__ import annotations

import io
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, cast

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Inches

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates" / "docx"
BASE_DOCX = TEMPLATES_DIR / "base.docx"
LABELS_TOML = TEMPLATES_DIR / "labels.toml"

PAPER_SIZES = {"letter": (Inches(8.5), Inches(11)), "a4": (Emu(7560310), Emu(10692130))}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class DocumentMeta:
    """What a document says about itself, in words the teacher chose or sees in the app.

    ``subject``, ``grade``, ``duration`` and ``language`` are printed as given (e.g. "Grade 5",
    "45 minutes"). ``locale`` picks the language of the document's own labels.
    """

    course_title: str
    subject: str
    grade: str
    duration: str
    language: str
    generated: date
    model_label: str
    offline_draft: bool = False
    reviewed: bool = False
    locale: str = "en"
    paper: Literal["letter", "a4"] = "letter"


class Labels:
    """The printed words for one locale, falling back to English key by key."""

    def __init__(self, chosen: Mapping[str, Any], english: Mapping[str, Any]) -> None:
        self._chosen = chosen
        self._english = english

    def _lookup(self, group: str | None, key: str) -> str | None:
        for table in (self._chosen, self._english):
            scope = table.get(group, {}) if group else table
            value = scope.get(key) if isinstance(scope, Mapping) else None
            if isinstance(value, str):
                return value
        return None

    def __call__(self, key: str, **values: object) -> str:
        """The label ``key`` with its ``{placeholders}`` filled in."""
        text = self._lookup(None, key)
        if text is None:
            raise KeyError(f"no label {key!r} in {LABELS_TOML.name}")
        return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)

    def choice(self, group: str, value: str) -> str:
        """The printed name of a fixed value (a phase, a challenge kind), or the value itself."""
        return self._lookup(group, value) or value


@lru_cache(maxsize=16)
def _label_tables(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def load_labels(locale: str = "en", path: Path = LABELS_TOML) -> Labels:
    """Labels for ``locale`` ("es", "es-MX", "pt_BR"...), English where a word is missing."""
    tables = _label_tables(path)
    tag = locale.strip().lower().replace("_", "-")
    chosen = tables.get(tag) or tables.get(tag.split("-")[0]) or {}
    return Labels(chosen, tables["en"])


@dataclass(frozen=True)
class Labelled:
    """A table cell holding a bold label and, under it, plain text."""

    label: str
    text: str = ""


Cell = str | Sequence[str] | Labelled
"""A table cell: text, a list of lines shown as bullets, or a label with text."""


def _add_field(paragraph: Any, instruction: str) -> None:
    """A complex field (PAGE, NUMPAGES) that Word and LibreOffice compute when laying out."""
    parts = (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None))
    for char_type, text in parts:
        run = paragraph.add_run()
        if char_type:
            fld_char = OxmlElement("w:fldChar")
            fld_char.set(qn("w:fldCharType"), char_type)
            run._r.append(fld_char)
        elif text == "1":
            run.text = text
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._r.append(instr)


class DocumentBuilder:
    """A Word document on the EduTeach base, built top to bottom."""

    def __init__(self, meta: DocumentMeta, title: str, base: Path = BASE_DOCX) -> None:
        self.meta = meta
        self.labels = load_labels(meta.locale)
        self.document: Any = docx.Document(str(base))
        self._setup_page(title)
        self._setup_properties(title)

    # --- page, header, footer, properties ------------------------------------------------

    @property
    def ai_note(self) -> str:
        """The AI-assistance note printed on the first page and in every footer."""
        return self.labels("ai_reviewed" if self.meta.reviewed else "ai_unreviewed")

    @property
    def text_width(self) -> int:
        """Width between the margins, in EMU."""
        section = self.document.sections[0]
        return int(section.page_width - section.left_margin - section.right_margin)

    def _setup_page(self, title: str) -> None:
        section = self.document.sections[0]
        section.page_width, section.page_height = PAPER_SIZES[self.meta.paper]

        header = section.header.paragraphs[0]
        header.style = "Header"
        header.text = " · ".join(p for p in (self.meta.course_title.strip(), title.strip()) if p)

        self._setup_footer(section.footer)

    def _setup_footer(self, footer: Any) -> None:
        # Two cells under a rule: the note wraps inside its own cell in any language and
        # never pushes the page number onto a line of its own.
        table = footer.add_table(1, 2, Emu(self.text_width))
        table.style = "EduTeach Footer"
        table.autofit = False
        for column, fraction in zip(table.columns, (0.76, 0.24), strict=True):
            column.width = column.cells[0].width = Emu(int(self.text_width * fraction))
        # Word wants a footer to end with a paragraph: keep the empty one after the table.
        footer.paragraphs[0]._p.addprevious(table._tbl)

        note = self.ai_note
        if self.meta.offline_draft:
            note = f"{self.labels('offline_draft')} · {note}"
        left, right = (cell.paragraphs[0] for cell in table.rows[0].cells)
        left.style = "Footer"
        left.text = note
        right.style = "Footer Page"
        # "Page {page} of {pages}" is split around its placeholders so the words stay in
        # labels.toml and each number becomes a field.
        for piece in re.split(r"(\{page\}|\{pages\})", self.labels("page")):
            if piece == "{page}":
                _add_field(right, "PAGE")
            elif piece == "{pages}":
                _add_field(right, "NUMPAGES")
            elif piece:
                right.add_run(piece)

    def _setup_properties(self, title: str) -> None:
        props = self.document.core_properties
        props.title = title
        props.subject = self.meta.subject
        props.author = props.last_modified_by = "EduTeach"
        props.comments = self.ai_note
        props.language = self.meta.locale
        stamp = datetime.combine(self.meta.generated, time(12, 0))
        props.created = props.modified = stamp

    # --- text -------------------------------------------------------------------------------

    def paragraph(self, text: str = "", style: str = "Normal") -> Any:
        """A paragraph in ``style``."""
        return self.document.add_paragraph(text, style=style)

    def title(self, text: str, subtitle: str = "") -> None:
        """The document title, and a subtitle under it."""
        self.paragraph(text, "Title")
        if subtitle:
            self.paragraph(subtitle, "Subtitle")

    def heading(self, text: str, level: int = 1) -> Any:
        """A heading: level 1 to 3, or "Lesson Title" for a heading that starts a new page."""
        return self.paragraph(text, f"Heading {level}")

    def page_title(self, text: str) -> Any:
        """A top-level heading that always starts on a new page."""
        return self.paragraph(text, "Lesson Title")

    def labelled(self, label: str, text: str, style: str = "Normal") -> Any:
        """A paragraph that starts with a bold label: "Focus: fractions on a number line"."""
        paragraph = self.paragraph("", style)
        paragraph.add_run(f"{label}: ", style="Label")
        paragraph.add_run(text)
        return paragraph

    def note(self) -> None:
        """The first-page notes: the offline-draft warning when it applies, then the AI note."""
        if self.meta.offline_draft:
            self.paragraph(self.labels("offline_draft"), "Warning")
        self.paragraph(
            self.labels(
                "provenance",
                note=self.ai_note,
                date=self.meta.generated.isoformat(),
                model=self.meta.model_label,
            ),
            "Note",
        )

    # --- lists ------------------------------------------------------------------------------

    def bullets(self, items: Sequence[str], style: str = "List Bullet") -> None:
        """A bulleted list."""
        for item in items:
            self.paragraph(item, style)

    def labelled_bullets(self, items: Sequence[tuple[str, str]]) -> None:
        """A bulleted list whose items start with a bold label."""
        for label, text in items:
            self.labelled(label, text, "List Bullet")

    def numbered(self, items: Sequence[str], style: str = "List Number") -> None:
        """A numbered list that starts at 1, however many numbered lists came before it."""
        if not items:
            return
        num_id = self._restarted_numbering(style)
        for item in items:
            paragraph = self.paragraph(item, style)
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = num_id

    def _restarted_numbering(self, style: str) -> int:
        """A new numbering instance of ``style``'s list definition, overridden to start at 1."""
        style_element = self.document.styles[style].element
        style_num = style_element.pPr.numPr.numId.val
        numbering = self.document.part.numbering_part.element
        abstract_id = numbering.num_having_numId(style_num).abstractNumId.val
        num = numbering.add_num(abstract_id)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return cast(int, num.numId)

    # --- tables -----------------------------------------------------------------------------

    def details(self, rows: Sequence[tuple[str, str]]) -> Any:
        """The label / value box under the title (subject, grade, duration...)."""
        table = self._table(len(rows), 2, "EduTeach Details", (0.24, 0.76))
        for row, (label, value) in zip(table.rows, rows, strict=True):
            self._fill(row.cells[0], label, "Table Heading")
            self._fill(row.cells[1], value)
        return table

    def grid(
        self, header: Sequence[str], rows: Sequence[Sequence[Cell]], widths: Sequence[float]
    ) -> Any:
        """A table whose header row repeats at the top of every page it runs onto.

        ``widths`` are fractions of the text width, one per column. Rows do not break
        across pages, so a step's teacher and student actions stay side by side.
        """
        table = self._table(len(rows) + 1, len(header), "EduTeach Grid", widths)
        head = table.rows[0]
        self._row_property(head, "w:tblHeader")
        for cell, text in zip(head.cells, header, strict=True):
            self._fill(cell, text, "Table Heading")
        for row, values in zip(table.rows[1:], rows, strict=True):
            self._row_property(row, "w:cantSplit")
            for cell, value in zip(row.cells, values, strict=True):
                self._fill(cell, value)
        return table

    def _table(self, rows: int, cols: int, style: str, widths: Sequence[float]) -> Any:
        body = self.document.element.body
        last = body[-2] if len(body) > 1 else None  # body[-1] is the section properties
        if last is not None and last.tag == qn("w:tbl"):
            # Two tables in a row would merge into one; a small paragraph keeps them apart.
            self.paragraph("", "Table Text")
        table = self.document.add_table(rows=rows, cols=cols, style=style)
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        total = self.text_width
        for column, fraction in zip(table.columns, widths, strict=True):
            width = Emu(int(total * fraction))
            column.width = width
            for cell in column.cells:
                cell.width = width
        return table

    @staticmethod
    def _row_property(row: Any, tag: str) -> None:
        tr_pr = row._tr.get_or_add_trPr()
        element = OxmlElement(tag)
        tr_pr.append(element)

    def _fill(self, cell: Any, value: Cell, style: str = "Table Text") -> None:
        first = cell.paragraphs[0]
        if isinstance(value, Labelled):
            first.style = style
            first.add_run(value.label, style="Label")
            if value.text:
                cell.add_paragraph(value.text, style=style)
        elif isinstance(value, str):
            first.style = style
            first.text = value
        else:
            lines = list(value)
            line_style = "Table Bullet" if len(lines) > 1 else style
            first.style = line_style
            first.text = lines[0] if lines else ""
            for line in lines[1:]:
                cell.add_paragraph(line, style=line_style)

    # --- output -----------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The finished .docx file."""
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def grade_label(grade: str) -> str:
    """How a grade value is printed in a document ("Grade 5", "Kindergarten")."""
    if grade.isdigit():
        return f"Grade {grade}"
    return {"K": "Kindergarten", "higher-ed": "Higher education"}.get(grade, grade)
