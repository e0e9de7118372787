"""A teacher in headless Chromium: from the practice LMS to a Word lesson plan, inside the iframe.

Screenshots of every screen go to ``test-results/teacher/``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
from playwright.sync_api import Page, expect

from tests.fakes.openai_server import FakeOpenAI
from tests.lti.conftest import Lti
from tests.plans.samples import STANDARD

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "teacher"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def accessibility_problems(page: Page) -> list[str]:
    """WCAG 2.1 A/AA violations axe-core finds in the tool's frame (or the page itself)."""
    frames = [f for f in page.frames if f.name == "tool_content"] or [page.main_frame]
    frame = frames[0]
    # Evaluated through the debugging protocol: the tool's CSP needs no exception for tests.
    frame.evaluate(AXE.read_text(encoding="utf-8"))
    result = frame.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    return [
        f"{v['id']} ({v['impact']}): {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in result["violations"]
    ]


def shoot(page: Page, name: str) -> None:
    """Screenshot the LMS page with the tool's iframe stretched to show all of it; check WCAG."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    (frame,) = [f for f in page.frames if f.name == "tool_content"]
    height = frame.evaluate("document.documentElement.scrollHeight")
    frame_box = page.locator("#tool-frame")
    frame_box.evaluate(
        "(el, h) => { el.dataset.h = el.style.height; el.style.height = h + 'px'; }", height
    )
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    frame_box.evaluate("el => { el.style.height = el.dataset.h; }")
    problems = accessibility_problems(page)
    assert not problems, f"{name}: {problems}"


def test_a_teacher_creates_watches_edits_and_downloads_a_lesson_plan(
    live: Lti, page: Page, slow_model: FakeOpenAI, tmp_path: Path
) -> None:
    page.goto(live.config.course_url("science-7"))
    page.get_by_role("button", name="Open EduTeach as Ms. Rivera").click()
    tool = page.frame_locator("#tool-frame")
    expect(tool.locator("body")).to_have_attribute("data-role", "teacher", timeout=15_000)
    expect(tool.get_by_role("heading", name="Course library")).to_be_visible()
    shoot(page, "01_library_empty")

    tool.locator('a[href*="/teacher/new/lesson_plan"]').click()
    expect(tool.get_by_role("heading", level=1)).to_have_text("New lesson plan")
    tool.get_by_label("Subject").fill("Mathematics")
    tool.get_by_label("What students should learn").fill("Fractions")
    tool.get_by_role("button", name="Create the draft").click()
    summary = tool.get_by_role("alert")
    expect(summary).to_contain_text("There are 2 problems with the form")
    expect(tool.locator("#f-description-error")).to_contain_text("you wrote 9")
    expect(tool.get_by_label("Subject")).to_have_value("Mathematics")
    shoot(page, "02_form_with_problems")

    tool.get_by_label("Grade").select_option("5")
    tool.get_by_label("What students should learn").fill(
        "Adding fractions with unlike denominators using fraction strips"
    )
    tool.get_by_label("Standards").fill(STANDARD)
    tool.get_by_label("About your class").fill("Four English learners at a beginner level.")
    shoot(page, "03_form_filled")
    tool.get_by_role("button", name="Create the draft").click()

    bar = tool.locator("progress#job-progress")
    expect(bar).to_be_visible(timeout=10_000)
    expect(tool.locator("[data-stage]")).to_have_text("Waiting for the model", timeout=10_000)
    assert 0 < int(bar.get_attribute("value") or "0") < 100
    shoot(page, "04_progress")

    title = "Adding Fractions with Unlike Denominators"
    expect(tool.get_by_role("heading", level=1)).to_have_text(title, timeout=20_000)
    expect(tool.get_by_text("AI-assisted", exact=True)).to_be_visible()
    shoot(page, "05_review")

    vocabulary = tool.locator("#sec-vocabulary")
    vocabulary.get_by_role("link", name="Edit key vocabulary").click()
    editor = tool.locator("#sec-vocabulary form.section-edit")
    expect(editor).to_be_visible()
    editor.get_by_role("button", name="Add a term").click()
    editor.get_by_label("Term 3: Term").fill("equivalent fraction")
    editor.get_by_label("Term 3: What it means").fill("A fraction naming the same amount.")
    editor.get_by_label("Term 1: Term").fill("denominator (bottom number)")
    shoot(page, "06_editing_a_section")
    editor.get_by_role("button", name="Save changes").click()

    expect(tool.locator("[data-notice=edited]")).to_contain_text("as version 2")
    vocabulary = tool.locator("#sec-vocabulary")
    expect(vocabulary).to_contain_text("equivalent fraction")
    expect(vocabulary).to_contain_text("denominator (bottom number)")
    shoot(page, "07_saved")

    with page.expect_download() as download_info:
        tool.get_by_role("link", name="Download Word").click()
    download = download_info.value
    assert download.suggested_filename == "Adding-Fractions-with-Unlike-Denominators.docx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    document = docx.Document(io.BytesIO(saved.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert title in text
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "equivalent fraction" in text + cells

    tool.get_by_role("link", name=re.compile("Grade 7 Science")).click()
    expect(tool.get_by_role("link", name=title)).to_be_visible()
    shoot(page, "08_library_with_the_plan")


def test_the_review_page_reads_well_at_phone_width(
    live: Lti, browser_phone: Page, slow_model: FakeOpenAI
) -> None:
    slow_model.latency = 0.0
    page = browser_phone
    page.goto(live.config.course_url("science-7"))
    page.get_by_role("button", name="Open EduTeach as Ms. Rivera").click()
    tool = page.frame_locator("#tool-frame")
    expect(tool.locator("body")).to_have_attribute("data-role", "teacher", timeout=15_000)
    (frame,) = [f for f in page.frames if f.url.startswith(live.tool_url)]
    # At phone width the LMS's "open in a new window" is what teachers use: the tool alone.
    page.goto(frame.url)
    page.locator('a[href*="/teacher/new/unit_plan"]').click()
    page.get_by_label("Subject").fill("Science")
    page.get_by_label("Grade").select_option("7")
    page.get_by_label("What students should learn").fill(
        "Ecosystems: food webs, energy flow and human impact on local wetlands"
    )
    page.get_by_label("Length of each lesson (minutes)").fill("50")
    page.get_by_label("Number of lessons").fill("4")
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wetland Ecosystems", timeout=20_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "09_unit_review_phone.png"), full_page=True)
    assert accessibility_problems(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways at phone width"
    page.locator("#sec-lessons").get_by_role("link", name="Edit lesson sequence").click()
    expect(page.locator("#sec-lessons form.section-edit")).to_be_visible()
    page.screenshot(path=str(SHOTS / "10_unit_editing_phone.png"), full_page=True)
    assert accessibility_problems(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
