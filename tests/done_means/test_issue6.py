"""Issue 6's "Done means", walked in Chromium as the teacher would, in one browser session.

A teacher uploads a reading, asks for grade 4 with support and advanced versions aligned to
two imported standards, sees the measured grade of each version and the cited codes,
downloads them, and writes AI-use guidelines that appear next to an assignment in the course.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from playwright.sync_api import Page, expect

from eduteach.practice_lms.store import (
    DEMO_ASSIGNMENT_ID,
    DEMO_ASSIGNMENT_TITLE,
    DEMO_COURSE_ID,
)
from eduteach.readability import measure
from eduteach.standards import import_case
from tests.done_means import samples
from tests.fakes.openai_server import FakeOpenAI, requested_schema
from tests.guidelines import samples as guidelines
from tests.lti.conftest import Lti
from tests.standards.conftest import MATH, SCIENCE
from tests.support.libreoffice import docx_to_pdf, pdf_text, requires_libreoffice
from tests.teacher.conftest import point_tool_at
from tests.teacher.test_browser_flow import accessibility_problems

pytestmark = [pytest.mark.browser, pytest.mark.libreoffice, requires_libreoffice]
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "done_means"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}


def answer(body: dict[str, Any]) -> dict[str, Any]:
    """The fake model: modified versions when asked for them, else the guidelines."""
    schema = requested_schema(body) or {}
    if "versions" in schema.get("properties", {}):
        return samples.modified()
    return guidelines.with_ai()


@pytest.fixture
def issue6_model(live: Lti, model_server: FakeOpenAI) -> Iterator[FakeOpenAI]:
    model_server.clear()
    responder = model_server.responder
    model_server.responder = answer
    point_tool_at(live, model_server)
    yield model_server
    model_server.responder = responder
    model_server.clear()


def reading_docx(path: Path) -> Path:
    """The teacher's reading as a Word file: a heading and one paragraph."""
    document = docx.Document()
    document.add_heading(samples.TITLE, level=1)
    document.add_paragraph(samples.ORIGINAL)
    document.save(str(path))
    return path


def check(page: Page, name: str, *, phone: bool = False) -> None:
    """Screenshot the page (the tool's frame stretched to show all of it); no WCAG problem."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    sizes = [("desktop", DESKTOP)] + ([("phone", PHONE)] if phone else [])
    for label, size in sizes:
        page.set_viewport_size(size)
        frame = page.frame(name="tool_content")
        box = page.locator("#tool-frame")
        if frame is not None:
            frame.wait_for_load_state("load")
            height = frame.evaluate("document.documentElement.scrollHeight")
            box.evaluate("(el, h) => { el.style.height = h + 'px'; }", height)
        page.screenshot(path=str(SHOTS / f"{name}_{label}.png"), full_page=True)
        if frame is not None:
            box.evaluate("el => { el.style.height = ''; }")
        problems = accessibility_problems(page)
        assert not problems, f"{name} at {label}: {problems}"
    page.set_viewport_size(DESKTOP)


def test_a_teacher_adapts_a_reading_and_sets_ai_rules_next_to_an_assignment(
    live: Lti, page: Page, issue6_model: FakeOpenAI, tmp_path: Path
) -> None:
    with live.tool_app.extensions["eduteach"].db.session() as s:
        import_case(s, SCIENCE.read_bytes())
        import_case(s, MATH.read_bytes())
    course_url = live.config.course_url(DEMO_COURSE_ID)
    page.set_viewport_size(DESKTOP)
    page.goto(course_url)
    page.get_by_role("button", name="Open EduTeach as Ms. Rivera").click()
    tool = page.frame_locator("#tool-frame")
    expect(tool.get_by_role("heading", name="Course library")).to_be_visible(timeout=15_000)

    # A reading uploaded as Word; grade 4, support and advanced, two picked standards.
    tool.get_by_role("link", name="Modify material").click()
    expect(tool.get_by_role("heading", level=1)).to_have_text("Modify material")
    tool.get_by_label("Your material (a file)").set_input_files(
        reading_docx(tmp_path / "wetland.docx")
    )
    tool.get_by_label("Adjust the reading level to").select_option("4")
    tool.get_by_label("Support", exact=True).check()
    tool.get_by_label("Advanced", exact=True).check()
    tool.get_by_label("Search by code or words").fill("food web")
    results = tool.locator("#standards-results")
    results.get_by_role("button", name="Pick RSS.4.ECO.1 Draw").click()
    results.get_by_role("button", name="Pick RSS.4.ECO.2 Predict").click()
    expect(tool.locator("#standards-chosen li")).to_have_count(2)
    tool.get_by_role("button", name="Modify the material").click()

    # Each version with its measured grade and the codes it cites.
    expect(tool.get_by_role("heading", level=1)).to_have_text(
        samples.modified()["title"], timeout=30_000
    )
    for number, (label, text) in enumerate(
        [("Support", samples.SUPPORT), ("Advanced", samples.ADVANCED)], start=1
    ):
        expect(tool.locator(f"#h-version-{number}")).to_have_text(label)
        expect(tool.locator(f"[data-measured=version-{number}]")).to_have_text(
            measure(text).label()
        )
        cited = tool.get_by_role("list", name=f"Standards cited in {label}")
        expect(cited.get_by_role("listitem")).to_have_text(samples.CODES)
    assert measure(samples.SUPPORT).label() == "grade 2.8"
    assert measure(samples.ADVANCED).label() == "grade 4.9"
    check(page, "01_modified_versions")

    # The Word file holds both versions, their measured grades and the codes.
    with page.expect_download() as download:
        tool.get_by_role("link", name="Download Word", exact=True).click()
    word = Path(download.value.path()).read_bytes()
    text = " ".join(" ".join(pdf_text(docx_to_pdf(word, tmp_path, "versions"))).split())
    for label, version in (("Support", samples.SUPPORT), ("Advanced", samples.ADVANCED)):
        assert label in text
        assert version[:60] in text
        assert measure(version).label() in text
    for code in samples.CODES:
        assert code in text

    # The assignment the teacher wrote in the LMS, and its "Add EduTeach content".
    page.goto(course_url)
    assignment = page.locator(f"#assignment-{DEMO_ASSIGNMENT_ID}")
    expect(assignment.get_by_role("heading", level=4)).to_have_text(DEMO_ASSIGNMENT_TITLE)
    expect(assignment).to_contain_text("Graded · out of 20 points")
    check(page, "02_course_with_assignment", phone=True)
    assignment.get_by_role("link", name=DEMO_ASSIGNMENT_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(DEMO_ASSIGNMENT_TITLE)
    check(page, "03_assignment", phone=True)
    page.get_by_role("button", name="Add content from EduTeach to this assignment").click()

    # From the picker to guidelines for that assignment, filled in from the LMS.
    picker = page.frame_locator("#tool-frame")
    expect(picker.get_by_role("heading", name="Add EduTeach content")).to_be_visible(timeout=15_000)
    expect(page.get_by_role("heading", level=1)).to_have_text(DEMO_ASSIGNMENT_TITLE)
    check(page, "04_picker_for_the_assignment", phone=True)
    picker.get_by_role(
        "link", name=f"Write AI-use guidelines for “{DEMO_ASSIGNMENT_TITLE}”"
    ).click()
    expect(picker.get_by_role("heading", level=1)).to_have_text("New AI-use guidelines")
    expect(picker.get_by_label("Assignment title")).to_have_value(DEMO_ASSIGNMENT_TITLE)
    expect(picker.get_by_label("The assignment", exact=True)).to_contain_text("Riverbend wetland")
    picker.get_by_label("3. AI as a collaborator, with disclosure").check()
    picker.get_by_label("Subject").fill("Science")
    picker.get_by_label("Grade").select_option("7")
    check(page, "05_guidelines_form_prefilled")
    picker.get_by_role("button", name="Write the guidelines").click()

    # Reviewed, marked ready, and added next to the assignment in the same launch.
    expect(picker.get_by_role("heading", level=1)).to_have_text(
        guidelines.with_ai()["title"], timeout=30_000
    )
    adding = picker.locator("#add-to-course")
    expect(adding).to_contain_text(f"Add it next to “{DEMO_ASSIGNMENT_TITLE}”")
    picker.get_by_role("button", name="Mark as ready").click()
    expect(adding.get_by_role("button", name="Add to the course")).to_be_visible()
    check(page, "06_guidelines_ready_to_add")
    adding.get_by_role("button", name="Add to the course").click()

    # Back in the LMS: the guidelines sit in the assignment's description.
    expect(page.locator("#course-notice")).to_contain_text(
        "EduTeach added 1 item to this assignment.", timeout=15_000
    )
    statement = guidelines.with_ai()["disclosure_statement"]
    expect(page.locator(".plms-attached").last).to_contain_text(statement)
    check(page, "07_assignment_with_guidelines", phone=True)
    page.goto(course_url)
    attached = page.locator(f"#assignment-{DEMO_ASSIGNMENT_ID} .plms-attached")
    expect(attached).to_contain_text("AI-use level 3 of 4: AI as a collaborator, with disclosure")
    expect(attached).to_contain_text(statement)
    assert guidelines.with_ai()["teacher_rationale"] not in attached.inner_text()
    check(page, "08_course_with_guidelines", phone=True)
