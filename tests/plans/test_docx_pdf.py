"""The Word documents as a teacher prints them: converted by LibreOffice, read page by page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eduteach.exports import DocumentBuilder, render_lesson_plan_docx, render_unit_plan_docx
from tests.plans import samples
from tests.support.libreoffice import docx_to_pdf, pdf_text, requires_libreoffice

pytestmark = [pytest.mark.libreoffice, requires_libreoffice]


def _pages(data: bytes, tmp_path: Path) -> list[str]:
    """Each page's text with line breaks and runs of spaces made single spaces.

    Where a line wraps depends on the fonts installed; what the page says does not.
    """
    return [" ".join(page.split()) for page in pdf_text(docx_to_pdf(data, tmp_path))]


def _long_plan() -> dict[str, Any]:
    phases = ["warm-up"] * 2 + ["direct instruction"] * 3 + ["guided practice"] * 3
    phases += ["independent practice"] * 3 + ["closure"]
    steps = [
        {
            "phase": phase,
            "title": f"Station {n:02d}",
            "minutes": 5,
            "teacher_actions": [
                f"Station {n:02d}: circulate, listen to each pair's reasoning and note who "
                "needs a follow-up question about common denominators.",
                "Pause the class when the same misconception appears in three or more pairs.",
                "Model one example on the board, thinking aloud about each choice.",
            ],
            "student_actions": [
                "Solve the card's problem with fraction strips, then with numbers only.",
                "Explain the answer to a partner using the sentence frame on the card.",
                "Record the answer and one question on the station sheet.",
            ],
        }
        for n, phase in enumerate(phases, start=1)
    ]
    return samples.lesson_plan(procedure=steps).model_dump()


def test_a_lesson_plan_prints_with_title_headings_and_page_numbers(tmp_path: Path) -> None:
    plan = samples.lesson_plan().model_dump()
    pages = _pages(render_lesson_plan_docx(plan, samples.meta()), tmp_path)
    text = " ".join(pages)
    header = "Grade 5 Mathematics — Room 12 · Adding Fractions with Unlike Denominators"
    title = "Adding Fractions with Unlike Denominators Lesson plan · Mathematics · Grade 5"
    assert pages[0].startswith(f"{header} {title} Subject Mathematics")
    headings = ["Overview", "Learning objectives", "Materials", "Key vocabulary", "Procedure"]
    headings += ["Differentiation", "Formative assessment", "Homework or extension"]
    positions = [text.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert "AI-assisted, reviewed by the teacher" in pages[0]
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    # The procedure rows: each step's phase, title and minutes, in the table's order.
    rows = ["Phase and step Min Teacher does Students do", "Warm-up Fraction strip warm-"]
    rows += ["Direct instruction", "Guided practice", "Independent practice", "Closure Exit"]
    positions = [text.index(row) for row in rows]
    assert positions == sorted(positions)
    assert "1. Students will be able to find a common denominator" in text


def test_a_long_procedure_repeats_its_header_on_the_next_page(tmp_path: Path) -> None:
    pages = _pages(render_lesson_plan_docx(_long_plan(), samples.meta()), tmp_path)
    table_pages = [i for i, page in enumerate(pages) if "Station " in page]
    assert len(table_pages) >= 2, "the procedure should run over more than one page"
    for index in table_pages:
        assert "Phase and step" in pages[index]
        assert "Teacher does" in pages[index]
    assert "Station 12" in pages[table_pages[-1]]


def test_numbered_lists_each_start_at_one(tmp_path: Path) -> None:
    builder = DocumentBuilder(samples.meta(), "Lists")
    builder.numbered(["Alpha item", "Beta item"])
    builder.paragraph("Between the lists.")
    builder.numbered(["Gamma item", "Delta item"])
    builder.bullets(["Plain bullet"])
    [page] = _pages(builder.to_bytes(), tmp_path)
    assert "1. Alpha item 2. Beta item Between the lists. 1. Gamma item 2. Delta item" in page
    assert "• Plain bullet" in page


def test_a_unit_plan_prints_each_lesson_on_its_own_page(tmp_path: Path) -> None:
    unit = samples.unit_plan().model_dump()
    full = samples.lesson_plan_data(title="Who eats whom?")
    meta = samples.meta(offline_draft=True, reviewed=False)
    pages = _pages(render_unit_plan_docx(unit, {2: full}, meta), tmp_path)
    header = "Grade 5 Mathematics — Room 12 · Wetland Ecosystems"
    assert pages[0].startswith(f"{header} Wetland Ecosystems Unit plan")
    assert "Offline draft made by a small local model — check carefully" in pages[0]
    titles = ["Wetland lesson 1", "Who eats whom?", "Wetland lesson 3", "Wetland lesson 4"]
    for number, title in enumerate(titles, start=1):
        heading = f"Lesson {number}: {title}"
        [page] = [page for page in pages if heading in page]
        # Right under the running header: the lesson starts its page.
        assert page.startswith(f"{header} {heading}")
    full_lesson = next(page for page in pages if "Lesson 2: Who eats whom?" in page)
    assert "Phase and step" in full_lesson
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
