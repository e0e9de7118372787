"""Word (.docx) text with its structure: headings, numbered and bulleted lists, tables."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import docx
from lxml import etree

from eduteach.documents.cleaning import block_chars, render_text, tidy_inline, tidy_lines
from eduteach.documents.errors import UploadError
from eduteach.documents.messages import warning_message
from eduteach.documents.model import Block, Heading, ListItem, Paragraph, Table, UploadLimits
from eduteach.documents.ooxml import vet_word_package

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MATH_T = "{http://schemas.openxmlformats.org/officeDocument/2006/math}t"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_VAL = f"{_W}val"

# Subtrees whose text is not what the reader sees: deleted or moved-away revisions, ruby
# pronunciation guides, field codes, property blocks, and the fallback copy of a drawing.
_SKIP = frozenset(
    f"{_W}{tag}"
    for tag in ("del", "moveFrom", "pPr", "rPr", "rt", "instrText", "delText", "sdtPr", "sdtEndPr")
) | {_MC_FALLBACK}
_TEXT = frozenset({f"{_W}t", _MATH_T})
_BREAKS = frozenset({f"{_W}br", f"{_W}cr"})
_TABS = frozenset({f"{_W}tab", f"{_W}ptab"})
_TEXT_BOX = f"{_W}txbxContent"
# Containers whose children are body content (paragraphs, tables) in their own right.
_TRANSPARENT = frozenset(f"{_W}{tag}" for tag in ("customXml", "ins", "moveTo", "smartTag"))

_HEADING_NAME = re.compile(r"heading\s*([1-9])")
_LIST_NAME = re.compile(r"list\s+(bullet|number)(?:\s+([1-9]))?")


def _val(parent: etree._Element | None, tag: str) -> str | None:
    if parent is None:
        return None
    child = parent.find(f"{_W}{tag}")
    return None if child is None else child.get(_VAL)


def _int(value: str | None) -> int | None:
    try:
        return None if value is None else int(value)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class _StyleInfo:
    """What a paragraph style says about structure, inherited along basedOn."""

    name: str = ""
    outline: int | None = None
    num_id: str | None = None
    ilvl: int | None = None


class _Styles:
    """Styles by id; a style's structure is worked out on first use and remembered."""

    def __init__(self, root: etree._Element) -> None:
        self._elements: dict[str, etree._Element] = {}
        self.default_id: str | None = None
        for style in root.findall(f"{_W}style"):
            style_id = style.get(f"{_W}styleId")
            if not style_id:
                continue
            self._elements.setdefault(style_id, style)
            if style.get(f"{_W}default") in ("1", "true") and style.get(f"{_W}type") == "paragraph":
                self.default_id = style_id
        self._own: dict[str, _StyleInfo] = {}
        self._resolved: dict[str, _StyleInfo] = {}

    def own(self, style_id: str) -> _StyleInfo:
        """What the style itself sets, ignoring the style it is based on."""
        if style_id not in self._own:
            style = self._elements[style_id]
            ppr = style.find(f"{_W}pPr")
            num_pr = None if ppr is None else ppr.find(f"{_W}numPr")
            self._own[style_id] = _StyleInfo(
                name=(_val(style, "name") or "").strip().lower(),
                outline=_int(_val(ppr, "outlineLvl")),
                num_id=_val(num_pr, "numId"),
                ilvl=_int(_val(num_pr, "ilvl")),
            )
        return self._own[style_id]

    def resolve(self, style_id: str | None) -> _StyleInfo:
        """The style's own settings, with gaps filled from the styles it is based on."""
        if style_id is None or style_id not in self._elements:
            style_id = self.default_id
        if style_id is None or style_id not in self._elements:
            return _StyleInfo()
        if style_id in self._resolved:
            return self._resolved[style_id]
        chain: list[_StyleInfo] = []
        current: str | None = style_id
        while current is not None and current in self._elements and len(chain) < 32:
            chain.append(self.own(current))
            based_on = _val(self._elements[current], "basedOn")
            current = based_on if based_on != current else None
        merged = _StyleInfo(
            name=chain[0].name,
            outline=next((i.outline for i in chain if i.outline is not None), None),
            num_id=next((i.num_id for i in chain if i.num_id is not None), None),
            ilvl=next((i.ilvl for i in chain if i.ilvl is not None), None),
        )
        self._resolved[style_id] = merged
        return merged

    def numbering_of(self, style_id: str) -> str | None:
        """The numId a numbering style points at (for abstractNum numStyleLink)."""
        return self.own(style_id).num_id if style_id in self._elements else None


class _Numbering:
    """Whether a (numId, level) pair draws bullets, numbers, or nothing."""

    def __init__(self, root: etree._Element, styles: _Styles) -> None:
        self._styles = styles
        self._abstract: dict[str, etree._Element] = {
            a.get(f"{_W}abstractNumId") or "": a for a in root.iter(f"{_W}abstractNum")
        }
        self._num: dict[str, etree._Element] = {
            n.get(f"{_W}numId") or "": n for n in root.iter(f"{_W}num")
        }

    def number_format(self, num_id: str, ilvl: int, depth: int = 0) -> str | None:
        """The level's w:numFmt ("bullet", "decimal", "none", ...) or None when undefined."""
        num = self._num.get(num_id)
        if num is None or depth > 3:
            return None
        for override in num.iter(f"{_W}lvlOverride"):
            lvl = override.find(f"{_W}lvl")
            if _int(override.get(f"{_W}ilvl")) == ilvl and lvl is not None:
                found = _val(lvl, "numFmt")
                if found:
                    return found
        abstract = self._abstract.get(_val(num, "abstractNumId") or "")
        if abstract is None:
            return None
        formats = {
            _int(lvl.get(f"{_W}ilvl")): _val(lvl, "numFmt") or "decimal"
            for lvl in abstract.iter(f"{_W}lvl")
        }
        if ilvl in formats:
            return formats[ilvl]
        # A level the list does not define still reads as part of the list: use the nearest
        # level above it.
        above = [level for level in formats if level is not None and level < ilvl]
        if above:
            return formats[max(above)]
        linked = _val(abstract, "numStyleLink")
        linked_num = self._styles.numbering_of(linked) if linked else None
        if linked_num and linked_num != num_id:
            return self.number_format(linked_num, ilvl, depth + 1)
        return None


def _collect(element: etree._Element, parts: list[str], boxes: list[etree._Element]) -> None:
    """Visible text of a paragraph in reading order; text boxes are set aside for later."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag in _TEXT:
            parts.append(child.text or "")
        elif tag in _TABS:
            parts.append("\t")
        elif tag in _BREAKS:
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
        elif tag == _TEXT_BOX:
            boxes.append(child)
        else:
            _collect(child, parts, boxes)


class _BodyReader:
    """Walks body content in document order and turns it into blocks."""

    def __init__(self, styles: _Styles, numbering: _Numbering, budget: int) -> None:
        self.styles = styles
        self.numbering = numbering
        self.budget = budget
        self.blocks: list[Block] = []
        self.used = 0

    @property
    def full(self) -> bool:
        return self.used > self.budget

    def add(self, block: Block | None) -> None:
        if block is not None and block_chars(block) > 0:
            self.blocks.append(block)
            self.used += block_chars(block)

    def container(self, element: etree._Element) -> None:
        for child in element:
            if self.full:
                return
            tag = child.tag
            if tag == f"{_W}p":
                self.paragraph(child)
            elif tag == f"{_W}tbl":
                self.add(self.table(child))
            elif tag == f"{_W}sdt":
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    self.container(content)
            elif tag in _TRANSPARENT:
                self.container(child)

    def paragraph(self, p: etree._Element) -> None:
        parts: list[str] = []
        boxes: list[etree._Element] = []
        _collect(p, parts, boxes)
        self.add(self.classify(p, "".join(parts)))
        for box in boxes:
            self.container(box)

    def classify(self, p: etree._Element, raw: str) -> Block | None:
        """Heading, list item or paragraph, from the paragraph's own settings and its style."""
        ppr = p.find(f"{_W}pPr")
        style = self.styles.resolve(_val(ppr, "pStyle"))
        own_outline = _int(_val(ppr, "outlineLvl"))
        outline = own_outline if own_outline is not None else style.outline
        level: int | None = None
        if outline is not None and 0 <= outline <= 8:
            level = min(outline + 1, 6)
        elif match := _HEADING_NAME.fullmatch(style.name):
            level = min(int(match.group(1)), 6)
        elif style.name == "title":
            level = 1
        if level is not None:
            text = tidy_inline(raw)
            return Heading(text=text, level=level) if text else None
        item = self.list_item(ppr, style, raw)
        if item is not None:
            return item
        text = tidy_lines(raw)
        return Paragraph(text=text) if text else None

    def list_item(self, ppr: etree._Element | None, style: _StyleInfo, raw: str) -> Block | None:
        num_pr = None if ppr is None else ppr.find(f"{_W}numPr")
        name_match = _LIST_NAME.fullmatch(style.name)
        name_level = int(name_match.group(2)) - 1 if name_match and name_match.group(2) else 0
        own_ilvl = _int(_val(num_pr, "ilvl"))
        ilvl = own_ilvl if own_ilvl is not None else (style.ilvl or name_level)
        num_id = _val(num_pr, "numId") or style.num_id
        ordered: bool | None = None
        if num_id and num_id != "0":
            number_format = self.numbering.number_format(num_id, ilvl)
            if number_format is not None and number_format != "none":
                ordered = number_format != "bullet"
        if ordered is None and name_match and num_id != "0":
            ordered = name_match.group(1) == "number"
        if ordered is None:
            return None
        text = tidy_inline(raw)
        if not text:
            return None
        return ListItem(text=text, ordered=ordered, level=max(0, min(ilvl, 8)))

    def table(self, tbl: etree._Element) -> Table | None:
        rows: list[tuple[str, ...]] = []
        for tr in _children(tbl, "tr"):
            cells = tuple(self.cell_text(tc) for tc in _children(tr, "tc"))
            if any(cells):
                rows.append(cells)
        return Table(rows=tuple(rows)) if rows else None

    def cell_text(self, tc: etree._Element) -> str:
        inner = _BodyReader(self.styles, self.numbering, self.budget)
        inner.container(tc)
        return render_text(inner.blocks).replace("\n\n", "\n")


def _children(element: etree._Element, tag: str) -> list[etree._Element]:
    """Direct children with a tag, looking through content controls and custom XML wrappers."""
    found: list[etree._Element] = []
    for child in element:
        if child.tag == f"{_W}{tag}":
            found.append(child)
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                found.extend(_children(content, tag))
        elif child.tag in _TRANSPARENT:
            found.extend(_children(child, tag))
    return found


def docx_blocks(data: bytes, limits: UploadLimits) -> tuple[list[Block], bool, tuple[str, ...]]:
    """Blocks of a Word file, whether reading stopped at the character budget, and warnings."""
    vetted = vet_word_package(data, limits)
    try:
        document = docx.Document(io.BytesIO(vetted.package))
        body = document.element.body
        styles = _Styles(document.styles.element)
        numbering = _Numbering(document.part.numbering_part.element, styles)
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors, ...
        raise UploadError("docx_unreadable") from exc
    reader = _BodyReader(styles, numbering, limits.max_chars)
    reader.container(body)
    if not reader.blocks:
        raise UploadError("docx_no_text")
    warnings = (warning_message("macros"),) if vetted.has_macros else ()
    return reader.blocks, reader.full, warnings
