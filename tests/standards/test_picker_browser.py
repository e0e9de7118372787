"""The standards picker in Chromium: search, pick, remove, submit; checked with axe-core."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from eduteach.standards import import_case
from eduteach.storage.models import GenerationJob
from tests.fakes.openai_server import FakeOpenAI
from tests.lti.conftest import Lti
from tests.teacher.conftest import point_tool_at
from tests.teacher.fakes import fitting_plan
from tests.teacher.test_browser_flow import accessibility_problems

from .conftest import MATH, SCIENCE

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "standards"


@pytest.fixture
def live_model(live: Lti, model_server: FakeOpenAI) -> Iterator[FakeOpenAI]:
    model_server.clear()
    model_server.responder = fitting_plan
    point_tool_at(live, model_server)
    yield model_server
    model_server.clear()


def test_a_teacher_picks_standards_from_an_imported_framework(
    live: Lti, page: Page, live_model: FakeOpenAI
) -> None:
    db = live.tool_app.extensions["eduteach"].db
    with db.session() as s:
        import_case(s, SCIENCE.read_bytes())
        import_case(s, MATH.read_bytes())
    page.goto(live.config.course_url("science-7"))
    page.get_by_role("button", name="Open EduTeach as Ms. Rivera").click()
    tool = page.frame_locator("#tool-frame")
    expect(tool.get_by_role("heading", name="Course library")).to_be_visible(timeout=15_000)
    tool.locator('a[href*="/teacher/new/lesson_plan"]').click()
    expect(tool.get_by_role("heading", level=1)).to_have_text("New lesson plan")

    tool.get_by_label("Subject").fill("Science")
    tool.get_by_label("Grade").select_option("4")
    tool.get_by_label("What students should learn").fill(
        "Food webs in a local pond and what happens when one population changes"
    )
    search = tool.get_by_label("Search by code or words")
    search.fill("food web")
    results = tool.locator("#standards-results")
    expect(results.get_by_role("button")).to_have_count(4)
    expect(tool.locator("#standards-status")).to_have_text("4 standards found.")
    results.get_by_role("button", name="Pick RSS.4.ECO.2 Predict").click()
    results.get_by_role("button", name="Pick RSS.4.ECO.1 Draw").click()
    chosen = tool.locator("#standards-chosen")
    expect(chosen.locator("li")).to_have_count(2)
    expect(chosen).to_contain_text("Verified")

    # Unticking a chip removes the standard.
    chosen.get_by_label("RSS.4.ECO.1 Draw a food web").click()
    expect(chosen.locator("li")).to_have_count(1)
    expect(tool.locator("#standards-status")).to_have_text("Standard removed.")

    # Enter searches; it does not submit the form.
    search.fill("fractions")
    search.press("Enter")
    expect(results.get_by_role("button")).to_have_count(2)  # grade 4 only
    tool.get_by_label("Standards you type (unverified)").fill("OWN.1 Work safely near water")

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "picker.png"), full_page=True)
    problems = accessibility_problems(page)
    assert not problems, problems

    tool.get_by_role("button", name="Create the draft").click()
    expect(tool.get_by_role("heading", level=1)).not_to_have_text("New lesson plan", timeout=20_000)
    with db.session() as s:
        job = s.query(GenerationJob).one()
        assert job.params["standards"] == [
            "RSS.4.ECO.2 Predict what happens to a food web when one population grows or "
            "shrinks, using evidence from a model.",
            "OWN.1 Work safely near water",
        ]
        assert job.params["standards_verified"] == ["RSS.4.ECO.2"]


def test_the_modify_forms_picker_has_a_grade_of_its_own(
    live: Lti, page: Page, live_model: FakeOpenAI
) -> None:
    db = live.tool_app.extensions["eduteach"].db
    with db.session() as s:
        import_case(s, SCIENCE.read_bytes())
    page.goto(live.config.course_url("science-7"))
    page.get_by_role("button", name="Open EduTeach as Ms. Rivera").click()
    tool = page.frame_locator("#tool-frame")
    expect(tool.get_by_role("heading", name="Course library")).to_be_visible(timeout=15_000)
    tool.get_by_role("link", name="Modify material").click()
    expect(tool.get_by_role("heading", level=1)).to_have_text("Modify material")

    # The form has no class grade (its reading level is the text's, not the class's).
    tool.get_by_label("Search by code or words").fill("food web")
    results = tool.locator("#standards-results")
    expect(results.get_by_role("button")).to_have_count(4)
    tool.locator("#standards-grade").select_option("5")
    expect(results.get_by_role("button")).to_have_count(1)
    expect(results.get_by_role("button")).to_contain_text("RSS.4.ECO.2")
    tool.locator("#standards-grade").select_option("")
    expect(results.get_by_role("button")).to_have_count(4)
    problems = accessibility_problems(page)
    assert not problems, problems
