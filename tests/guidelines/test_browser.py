"""Chromium: a teacher writes AI-use guidelines from the course library; WCAG 2.1 AA holds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.fakes.openai_server import FakeOpenAI
from tests.guidelines import samples
from tests.lti.conftest import Lti
from tests.teacher.conftest import point_tool_at
from tests.teacher.test_browser_flow import accessibility_problems, shoot

pytestmark = pytest.mark.browser


@pytest.fixture
def guidance_model(live: Lti, model_server: FakeOpenAI) -> Iterator[FakeOpenAI]:
    model_server.clear()
    responder = model_server.responder
    model_server.responder = lambda body: samples.with_ai()
    point_tool_at(live, model_server)
    yield model_server
    model_server.responder = responder
    model_server.clear()


def test_a_teacher_writes_guidelines_for_an_assignment(
    live: Lti, page: Page, guidance_model: FakeOpenAI
) -> None:
    page.goto(live.config.course_url("science-7"))
    page.get_by_role("button", name="Open EduTeach as Ms. Rivera").click()
    tool = page.frame_locator("#tool-frame")
    expect(tool.get_by_role("heading", name="Course library")).to_be_visible(timeout=15_000)

    tool.get_by_role("link", name="AI-use guidelines").first.click()
    expect(tool.get_by_role("heading", level=1)).to_have_text("New AI-use guidelines")
    tool.get_by_role("button", name="Write the guidelines").click()
    expect(tool.get_by_role("alert")).to_contain_text("problems with the form")
    assert not accessibility_problems(page)

    tool.get_by_label("Assignment title").fill(samples.ASSIGNMENT["assignment_title"])
    tool.get_by_label("The assignment", exact=True).fill(
        samples.ASSIGNMENT["assignment_description"]
    )
    tool.get_by_label("3. AI as a collaborator, with disclosure").check()
    tool.get_by_label("Subject").fill("English")
    tool.get_by_label("Grade").select_option("6")
    assert not accessibility_problems(page)
    tool.get_by_role("button", name="Write the guidelines").click()

    expect(tool.get_by_role("heading", level=1)).to_have_text(
        samples.with_ai()["title"], timeout=20_000
    )
    expect(tool.locator("#sec-allowed_uses")).to_contain_text(samples.with_ai()["allowed_uses"][0])
    shoot(page, "guidelines_review")
