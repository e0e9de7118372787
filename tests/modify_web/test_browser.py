"""Chromium: a teacher modifies a reading and reviews it beside the original; WCAG 2.1 AA holds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from eduteach.readability import measure
from tests.fakes.openai_server import FakeOpenAI
from tests.lti.conftest import Lti
from tests.modify.texts import EASY
from tests.modify_web import samples
from tests.teacher.conftest import point_tool_at
from tests.teacher.test_browser_flow import accessibility_problems, shoot

pytestmark = pytest.mark.browser


def problems(page: Page) -> list[str]:
    """WCAG problems once the tool's page has loaded its stylesheets (axe reads the colours)."""
    frame = page.frame(name="tool_content")
    assert frame is not None
    frame.wait_for_load_state("load")
    return accessibility_problems(page)


@pytest.fixture
def modify_model(live: Lti, model_server: FakeOpenAI) -> Iterator[FakeOpenAI]:
    model_server.clear()
    responder = model_server.responder
    model_server.responder = lambda body: samples.answer()
    point_tool_at(live, model_server)
    yield model_server
    model_server.responder = responder
    model_server.clear()


def test_a_teacher_modifies_a_reading_and_compares_the_levels(
    live: Lti, page: Page, modify_model: FakeOpenAI
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live.config.course_url("science-7"))
    page.get_by_role("button", name="Open EduTeach as Ms. Rivera").click()
    tool = page.frame_locator("#tool-frame")
    expect(tool.get_by_role("heading", name="Course library")).to_be_visible(timeout=15_000)

    tool.get_by_role("link", name="Modify material").click()
    expect(tool.get_by_role("heading", level=1)).to_have_text("Modify material")
    tool.get_by_label("Or paste its text").fill(samples.MATERIAL)
    tool.get_by_role("button", name="Modify the material").click()
    expect(tool.get_by_role("alert")).to_contain_text("Choose at least one change")
    assert not problems(page)

    tool.get_by_label("Adjust the reading level to").select_option("2")
    tool.get_by_label("Simplify the vocabulary").check()
    tool.get_by_role("button", name="Modify the material").click()

    expect(tool.get_by_role("heading", level=1)).to_have_text(
        samples.answer()["title"], timeout=20_000
    )
    expect(tool.locator("[data-measured=original]")).to_have_text(measure(samples.MATERIAL).label())
    expect(tool.locator("[data-measured=version-1]")).to_have_text(measure(EASY).label())
    assert not problems(page)

    shoot(page, "modify_review")
    # Side by side on a desktop, stacked on a phone.
    original, version = tool.locator("#original"), tool.locator("#version-1")
    left, right = original.bounding_box(), version.bounding_box()
    assert left is not None
    assert right is not None
    assert right["x"] > left["x"] + left["width"] - 1
    page.set_viewport_size({"width": 375, "height": 800})
    left, right = original.bounding_box(), version.bounding_box()
    assert left is not None
    assert right is not None
    assert right["y"] >= left["y"] + left["height"] - 1
    assert not problems(page)

    tool.get_by_role("link", name="Edit the text of On level").click()
    tool.get_by_role("textbox", name="Text of On level").fill("Cats sit.")
    assert not problems(page)
    tool.get_by_role("button", name="Save text").click()
    expect(tool.locator("[data-measured=version-1]")).to_contain_text("too short to measure")
