"""Lesson and unit plans as Word documents: content and structure, read back with python-docx."""

from __future__ import annotations

import io
import subprocess
import sys
from typing import Any

import docx
from docx.oxml.ns import qn

from eduteach.exports import render_lesson_plan_docx, render_unit_plan_docx
from eduteach.exports.docx_base import BASE_DOCX
from tests.plans import samples


def _open(data: bytes) -> Any:
    return docx.Document(io.BytesIO(data))


def _styled(document: Any, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def _footer_text(document: Any) -> str:
    [row] = document.sections[0].footer.tables[0].rows
    return " | ".join(cell.text for cell in row.cells)


def _instructions(document: Any) -> list[str]:
    footer = document.sections[0].footer._element
    return [(i.text or "").strip() for i in footer.iter(qn("w:instrText"))]


def test_the_base_document_defines_every_style_the_renderers_use() -> None:
    styles = {s.name for s in docx.Document(str(BASE_DOCX)).styles}
    used = {
        "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Lesson Title",
        "List Bullet", "List Number", "Header", "Footer", "Footer Page", "Note", "Warning", "Table Text",
        "Table Heading", "Table Bullet", "Label", "EduTeach Grid", "EduTeach Details",
    }  # fmt: skip
    assert used <= styles


def test_a_lesson_plan_has_its_title_sections_and_details() -> None:
    document = _open(render_lesson_plan_docx(samples.lesson_plan().model_dump(), samples.meta()))
    assert _styled(document, "Title") == ["Adding Fractions with Unlike Denominators"]
    assert _styled(document, "Heading 1") == [
        "Overview",
        "Learning objectives",
        "Standards",
        "Materials",
        "Key vocabulary",
        "Procedure (45 minutes)",
        "Differentiation",
        "Formative assessment",
        "Homework or extension",
        "Teacher notes",
    ]
    assert _styled(document, "Heading 2") == ["Support", "On level", "Extension"]
    details = document.tables[0]
    assert [[c.text for c in row.cells] for row in details.rows] == [
        ["Subject", "Mathematics"],
        ["Grade", "Grade 5"],
        ["Duration", "45 minutes"],
        ["Language", "English"],
        ["Standards", "CCSS.MATH.CONTENT.5.NF.A.1"],
    ]
    assert document.core_properties.title == "Adding Fractions with Unlike Denominators"


def test_the_procedure_table_lists_every_step_and_repeats_its_header() -> None:
    document = _open(render_lesson_plan_docx(samples.lesson_plan().model_dump(), samples.meta()))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Phase and step")
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["Phase and step", "Min", "Teacher does", "Students do"]
    assert [r[1] for r in rows[1:]] == ["5", "10", "12", "13", "5"]
    assert rows[1][0] == "Warm-up\nFraction strip warm-up"
    header_props = table.rows[0]._tr.trPr
    assert header_props.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr.find(qn("w:tblHeader")) is None for r in table.rows[1:])


def test_the_page_header_and_footer_name_the_course_and_count_pages() -> None:
    document = _open(render_lesson_plan_docx(samples.lesson_plan().model_dump(), samples.meta()))
    header = document.sections[0].header.paragraphs[0].text
    assert header == "Grade 5 Mathematics — Room 12 · Adding Fractions with Unlike Denominators"
    assert _instructions(document) == ["PAGE", "NUMPAGES"]
    assert _footer_text(document) == "AI-assisted, reviewed by the teacher | Page 1 of 1"


def test_drafts_and_offline_drafts_say_so() -> None:
    plan = samples.lesson_plan().model_dump()
    reviewed = _open(render_lesson_plan_docx(plan, samples.meta()))
    assert _styled(reviewed, "Warning") == []
    assert _styled(reviewed, "Note") == [
        "AI-assisted, reviewed by the teacher. Generated on 2025-11-30 with gpt-4o-mini."
    ]
    offline = _open(
        render_lesson_plan_docx(
            plan, samples.meta(offline_draft=True, reviewed=False, model_label="Qwen2.5 1.5B")
        )
    )
    warning = "Offline draft made by a small local model — check carefully"
    assert _styled(offline, "Warning") == [warning]
    assert _styled(offline, "Note") == [
        "AI-assisted draft, not yet reviewed by the teacher. Generated on 2025-11-30 with "
        "Qwen2.5 1.5B."
    ]
    assert _footer_text(offline).startswith(warning + " · AI-assisted draft")


def test_each_numbered_list_gets_its_own_numbering_that_starts_at_one() -> None:
    unit = samples.unit_plan().model_dump()
    document = _open(render_unit_plan_docx(unit, {}, samples.meta()))
    numbering = document.part.numbering_part.element
    num_ids = []
    for paragraph in document.paragraphs:
        num_pr = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
        if paragraph.style.name == "List Number" and num_pr is not None:
            num_ids.append(num_pr.numId.val)
    lists = sorted(set(num_ids))
    assert len(lists) == 5  # essential questions and the objectives of each of 4 lessons
    for num_id in lists:
        num = numbering.num_having_numId(num_id)
        assert num.lvlOverride_lst[0].startOverride.val == 1


def test_empty_sections_are_left_out() -> None:
    plan = samples.lesson_plan(vocabulary=[], standards=[], teacher_notes=[]).model_dump()
    document = _open(render_lesson_plan_docx(plan, samples.meta()))
    headings = _styled(document, "Heading 1")
    assert "Key vocabulary" not in headings
    assert "Standards" not in headings
    assert "Teacher notes" not in headings
    assert document.tables[0].rows[4].cells[1].text == "None selected"


def test_a_minecraft_plan_adds_the_game_sections() -> None:
    document = _open(render_lesson_plan_docx(samples.minecraft_plan().model_dump(), samples.meta()))
    assert _styled(document, "Heading 1")[-1] == "Minecraft Education"
    assert {"In-game setting", "World or template", "Challenges", "Groups and roles"} <= set(
        _styled(document, "Heading 2")
    )
    challenges = next(t for t in document.tables if t.rows[0].cells[0].text == "Objective")
    assert [r.cells[0].text for r in challenges.rows[1:]] == [
        "Objective 1",
        "Objective 2",
        "Objective 3",
    ]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Book & quill: Two sentences explaining the sum." in text


def test_a_unit_plan_holds_each_lesson_full_or_as_outline() -> None:
    unit = samples.unit_plan().model_dump()
    full = samples.lesson_plan_data(title="Who eats whom?")
    document = _open(render_unit_plan_docx(unit, {2: full}, samples.meta()))
    assert _styled(document, "Lesson Title") == [
        "Lesson 1: Wetland lesson 1",
        "Lesson 2: Who eats whom?",
        "Lesson 3: Wetland lesson 3",
        "Lesson 4: Wetland lesson 4",
    ]
    assert _styled(document, "Heading 1") == [
        "Overview",
        "Big ideas",
        "Essential questions",
        "Standards",
        "Lesson sequence",
        "Summative assessment",
        "Pacing",
    ]
    assert "Procedure (45 minutes)" in _styled(document, "Heading 2")
    notes = _styled(document, "Note")
    assert (
        notes.count("Outline only: expand this lesson into a full lesson plan before teaching it.")
        == 3
    )


def test_labels_follow_the_document_language() -> None:
    meta = samples.meta(locale="es-MX", language="Español")
    document = _open(render_lesson_plan_docx(samples.lesson_plan().model_dump(), meta))
    assert "Objetivos de aprendizaje" in _styled(document, "Heading 1")
    assert _footer_text(document).endswith(" | Página 1 de 1")
    procedure = next(t for t in document.tables if t.rows[0].cells[0].text == "Fase y paso")
    assert procedure.rows[1].cells[0].text.startswith("Activación")


def test_a4_paper_is_available() -> None:
    data = render_lesson_plan_docx(samples.lesson_plan().model_dump(), samples.meta(paper="a4"))
    section = _open(data).sections[0]
    assert round(section.page_width.mm) == 210
    assert round(section.page_height.mm) == 297


def test_exports_do_not_depend_on_generation_or_flask() -> None:
    code = (
        "import sys, eduteach.exports; "
        "bad = [m for m in sys.modules if m.startswith(('eduteach.generation', 'flask'))]; "
        "print(*bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
