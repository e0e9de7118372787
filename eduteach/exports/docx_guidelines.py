"""AI-use guidelines as a Word document students can be given, with the level in its colour.

Takes plain data (the ``model_dump()`` of the guidance and the job's params) like the other
renderers. The level badge is a one-cell table shaded in the school's colour with the text
colour that reads on it; the level's name is written in it, so the colour is never the only
cue (and prints legibly in black and white).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor

from eduteach.exports.docx_base import DocumentBuilder, DocumentMeta
from eduteach.guidelines.colours import text_colour

WORDS = {
    "assignment": "Assignment",
    "level": "AI-use level",
    "level_of": "AI-use level {position} of {count}: {name}",
    "summary": "What this means for this assignment",
    "allowed": "You may use AI to",
    "none_allowed": "AI tools are not used at any stage of this assignment.",
    "not_allowed": "You may not",
    "disclosure": "How to disclose and cite AI use",
    "statement": "Disclosure statement to copy and complete",
    "why": "Why these rules",
    "teacher": "For the teacher (not for students)",
}


def _texts(data: Mapping[str, Any], key: str) -> list[str]:
    return [str(item) for item in data.get(key) or [] if str(item).strip()]


def _badge(b: DocumentBuilder, label: str, colour: str) -> None:
    """The level's name on its colour, across the page."""
    table = b.details([(label, "")])
    cell = table.rows[0].cells[0].merge(table.rows[0].cells[1])
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour.lstrip("#").upper())
    cell._tc.get_or_add_tcPr().append(shading)
    paragraph = cell.paragraphs[0]
    for run in paragraph.runs:
        run.text = ""
    run = paragraph.add_run(label)
    run.bold = True
    run.font.color.rgb = RGBColor.from_string(text_colour(colour).lstrip("#").upper())
    # The merged cell keeps the second cell's empty paragraph; drop it.
    for extra in cell.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)


def render_guidelines_docx(
    data: Mapping[str, Any], params: Mapping[str, Any], meta: DocumentMeta
) -> bytes:
    """The guidance as a .docx: level badge, the student-facing parts, then the teacher's note."""
    title = str(data.get("title") or WORDS["level"])
    level = params.get("ai_level") or {}
    scale = params.get("scale") or []
    b = DocumentBuilder(meta, title)
    b.title(title, str(params.get("assignment_title") or ""))
    rows = [(b.labels("subject"), meta.subject), (b.labels("grade"), meta.grade)]
    b.details([(label, value) for label, value in rows if value])
    if level:
        position = int(params.get("level") or 0)
        _badge(
            b,
            WORDS["level_of"].format(
                position=position, count=len(scale) or position, name=level.get("name", "")
            ),
            str(level.get("colour") or "#1A1A1A"),
        )
        if level.get("description"):
            b.paragraph(str(level["description"]))
    b.note()

    b.heading(WORDS["summary"], 1)
    b.paragraph(str(data.get("summary", "")))
    b.heading(WORDS["allowed"], 1)
    allowed = _texts(data, "allowed_uses")
    if allowed:
        b.bullets(allowed)
    else:
        b.paragraph(WORDS["none_allowed"])
    b.heading(WORDS["not_allowed"], 1)
    b.bullets(_texts(data, "not_allowed"))
    steps = _texts(data, "disclosure_steps")
    if steps:
        b.heading(WORDS["disclosure"], 1)
        b.numbered(steps)
    statement = str(data.get("disclosure_statement") or "").strip()
    if statement:
        b.heading(WORDS["statement"], 2 if steps else 1)
        b.paragraph(statement, "Quote")
    b.heading(WORDS["why"], 1)
    b.paragraph(str(data.get("why", "")))

    if data.get("teacher_rationale"):
        b.page_title(WORDS["teacher"])
        b.paragraph(str(data["teacher_rationale"]))
    return b.to_bytes()
