"""Deep linking, a student launch and the gradebook in headless Chromium."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from eduteach.practice_lms.store import DEMO_COURSE_ID
from tests.practice_lms.conftest import LmsAndTool
from tests.practice_lms.tool_side import ToolSide

pytestmark = pytest.mark.browser


def test_teacher_adds_content_student_opens_it_gradebook_shows_the_score(
    served: LmsAndTool, page: Page, pytestconfig: pytest.Config
) -> None:
    page.goto(served.config.course_url(DEMO_COURSE_ID))
    page.get_by_label("Module item (activities, links or content)").check()
    page.get_by_role("button", name="Add EduTeach content").click()

    picker = page.frame_locator("#tool-frame")
    expect(picker.locator("#picker")).to_have_text("Choose content")
    picker.get_by_role("button", name="Add to course").click()

    # the return page leaves the tool's frame: the whole window shows the course again
    expect(page.locator("#course-notice")).to_contain_text("EduTeach added 2 items")
    expect(page.locator("#tool-frame")).to_have_count(0)
    expect(page.get_by_text("Plants turn light into food.")).to_be_visible()
    shots = pytestconfig.rootpath / "test-results" / "practice_lms"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "course_with_content.png"), full_page=True)

    page.get_by_label("Open as").select_option(label="Alex Kim (Student)")
    page.get_by_role("button", name="Open Photosynthesis quiz").click()
    tool = page.frame_locator("#tool-frame")
    expect(tool.locator("#launched")).to_have_text("Stub tool launched as Alex Kim")
    assert json.loads(tool.locator("#custom").text_content() or "{}") == {
        "eduteach_activity": "quiz-42"
    }

    claims = served.tool.launches[-1]
    line_item = claims["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"]["lineitem"]
    side = ToolSide(served)
    assert side.post_score(line_item, side.score("alex", scoreGiven=9)).status_code == 200

    page.get_by_role("link", name="Gradebook").click()
    expect(page.locator("#gradebook")).to_contain_text("Photosynthesis quiz")
    expect(page.locator("#gradebook tbody tr", has_text="Alex Kim")).to_contain_text("9 / 10")
    expect(page.locator("#score-log")).to_contain_text("200 stored")

    page.screenshot(path=str(shots / "gradebook.png"), full_page=True)


def test_refused_answer_is_explained_inside_the_tool_frame(served: LmsAndTool, page: Page) -> None:
    page.goto(served.config.course_url(DEMO_COURSE_ID))
    # an assignment takes a single graded link: the stub's two items are refused
    page.get_by_label("Assignment (one graded activity)").check()
    page.get_by_role("button", name="Add EduTeach content").click()
    page.frame_locator("#tool-frame").get_by_role("button", name="Add to course").click()

    refused = page.frame_locator("#tool-frame").locator("#deep-linking-refused")
    expect(refused).to_have_attribute("data-reason", "too_many_items")
    expect(refused).to_contain_text("Nothing was added to the course")
