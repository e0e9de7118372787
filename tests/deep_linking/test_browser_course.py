"""In Chromium, inside the practice LMS: Ms. Rivera adds a quiz from EduTeach's picker,
Alex Kim takes it in the LMS's frame, and the course gradebook shows his score."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from eduteach.grades import deliver_due
from eduteach.practice_lms.store import DEMO_COURSE_ID
from tests.activities import samples
from tests.deep_linking.test_round_trip import make_ready
from tests.lti.conftest import Lti
from tests.teacher.test_browser_flow import accessibility_problems

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "deep_linking"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_quiz_is_placed_taken_and_graded_in_the_lms(live: Lti, page: Page) -> None:
    make_ready(live, "quiz")
    title = samples.quiz_data()["title"]
    page.goto(live.config.course_url(DEMO_COURSE_ID))
    page.get_by_label("Assignment (one graded activity)").check()
    page.get_by_role("button", name="Add EduTeach content").click()

    picker = page.frame_locator("#tool-frame")
    expect(picker.get_by_role("heading", name="Add EduTeach content")).to_be_visible(timeout=15_000)
    picker.get_by_label(title).check()
    picker.get_by_label("Points").fill("20")
    shot(page, "01_picker")
    assert accessibility_problems(page) == []
    picker.get_by_role("button", name="Add to the course").click()

    expect(page.locator("#course-notice")).to_contain_text("EduTeach added 1 item")
    shot(page, "02_course_with_quiz")

    page.get_by_label("Open as").first.select_option(label="Alex Kim (Student)")
    page.get_by_role("button", name=f"Open {title}").click()
    player = page.frame_locator("#tool-frame")
    expect(player.locator("body")).to_have_attribute("data-role", "student", timeout=15_000)
    quiz = samples.quiz_data()["items"]
    for number, item in enumerate(quiz):
        block = player.locator(f"#q-{number}")
        if item["type"] == "short_answer":
            block.get_by_label("Your answer").fill(item["accepted_answers"][0])
            continue
        for option in item["options"]:
            if option["correct"]:
                block.get_by_label(option["text"], exact=True).check()
    shot(page, "03_student_answers")
    assert accessibility_problems(page) == []
    player.get_by_role("button", name="Submit answers").click()
    expect(player.locator("body")).to_contain_text("5 out of 5", timeout=15_000)
    shot(page, "04_student_result")

    assert deliver_due(live.tool_app.extensions["eduteach"]).delivered == 1
    page.goto(live.config.course_url(DEMO_COURSE_ID) + "/gradebook")
    expect(page.locator("#gradebook tbody tr", has_text="Alex Kim")).to_contain_text("20 / 20")
    shot(page, "05_gradebook")
