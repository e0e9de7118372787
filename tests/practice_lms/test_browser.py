"""The course page in headless Chromium: the tool in an iframe, and LTI platform storage."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.practice_lms.conftest import LmsAndTool

pytestmark = pytest.mark.browser


def test_teacher_launch_in_iframe_with_platform_storage(
    running: LmsAndTool, page: Page, pytestconfig: pytest.Config
) -> None:
    page.goto(running.config.course_url("science-7"))
    page.get_by_role("button", name="Open EduTeach as Ms. Rivera").click()

    tool = page.frame_locator("#tool-frame")
    expect(tool.locator("#launched")).to_have_text("Stub tool launched as Ms. Rivera")
    expect(tool.locator("#roles")).to_contain_text("Instructor")
    expect(tool.locator("#storage")).not_to_be_empty()
    storage = json.loads(tool.locator("#storage").text_content() or "{}")

    supported = {m["subject"] for m in storage["capabilities"]["supported_messages"]}
    assert {"lti.capabilities", "lti.put_data", "lti.get_data"} <= supported
    assert storage["put"]["subject"] == "lti.put_data.response"
    assert (storage["put"]["key"], storage["put"]["value"]) == ("state", "abc")
    assert storage["got"]["subject"] == "lti.get_data.response"
    assert storage["got"]["value"] == "abc"
    assert "value" not in storage["missing"] or storage["missing"]["value"] is None
    assert storage["unknown"]["error"]["code"] == "unsupported_subject"
    assert running.tool.logins[-1]["lti_storage_target"] == "_parent"
    expect(page.locator("#tool-frame")).to_have_attribute("style", "height: 1234px;")

    shots = pytestconfig.rootpath / "test-results" / "practice_lms"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "course_with_tool.png"), full_page=True)


def test_platform_storage_ignores_other_frames_and_origins(running: LmsAndTool, page: Page) -> None:
    page.goto(running.config.course_url("science-7"))
    page.get_by_role("button", name="Open EduTeach as Alex Kim").click()
    tool = page.frame_locator("#tool-frame")
    expect(tool.locator("#storage")).to_contain_text('"value":"abc"')

    # the tool's own frame moves on to a page that hosts two intruder frames
    tool_frame = page.frame(name="tool_content")
    assert tool_frame is not None
    tool_frame.goto(f"{running.config.tool_base_url}/probe/nested")

    nested = page.frame_locator("#tool-frame")
    for title in ("foreign", "same origin"):
        intruder = nested.frame_locator(f"iframe[title='{title}']")
        expect(intruder.locator("#result")).to_have_text("ignored", timeout=10_000)
    expect(nested.locator("#after")).not_to_be_empty(timeout=10_000)
    after = json.loads(nested.locator("#after").text_content() or "{}")
    assert after["value"] == "abc"


def test_course_page_at_phone_width_keeps_buttons_reachable(
    running: LmsAndTool, browser: Browser
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(running.config.course_url("science-7"))
        button = page.get_by_role("button", name="Open EduTeach as Sam Patel")
        button.scroll_into_view_if_needed()
        expect(button).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    finally:
        context.close()
