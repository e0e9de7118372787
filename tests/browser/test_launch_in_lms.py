"""A person clicks from the practice LMS into EduTeach, inside the course's iframe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import screenshot
from tests.lti.conftest import Lti

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("person", "role", "heading"),
    [
        ("Ms. Rivera", "teacher", "Welcome to EduTeach"),
        ("Alex Kim", "student", "Your activities"),
        ("Sam Patel", "student", "Your activities"),
    ],
)
def test_launch_from_the_course_opens_the_right_home_in_the_iframe(
    live: Lti, page: Page, person: str, role: str, heading: str
) -> None:
    page.goto(live.config.course_url("science-7"))
    page.get_by_role("button", name=f"Open EduTeach as {person}").click()
    tool = page.frame_locator("#tool-frame")
    expect(tool.locator("body")).to_have_attribute("data-role", role, timeout=15_000)
    expect(tool.get_by_role("heading", level=1)).to_have_text(heading)
    expect(tool.locator(".topbar")).to_contain_text("Grade 7 Science")
    frame = page.frame(name="tool_content")
    assert frame is not None
    assert frame.url.startswith(live.tool_url)
    screenshot(page, f"{role}_home_in_practice_lms")


def test_the_launch_works_when_the_browser_blocks_the_tools_cookies(live: Lti, page: Page) -> None:
    """With third-party cookies blocked, platform storage (postMessage) carries the login proof."""
    stripped: list[str] = []

    def drop_cookies(route: Route) -> None:
        response = route.fetch()
        # route.fetch() shares the context's cookie jar: forget what it stored, as a
        # browser blocking third-party cookies would never have kept it.
        page.context.clear_cookies()
        headers = {k: v for k, v in response.headers.items() if k.lower() != "set-cookie"}
        stripped.append(route.request.url)
        route.fulfill(response=response, headers=headers)

    page.route(f"{live.tool_url}/lti/login*", drop_cookies)
    page.goto(live.config.course_url("science-7"))
    page.get_by_role("button", name="Open EduTeach as Alex Kim").click()
    tool = page.frame_locator("#tool-frame")
    expect(tool.locator("body")).to_have_attribute("data-role", "student", timeout=15_000)
    assert stripped, "the tool's login answer had its cookie removed"
    assert not [c for c in page.context.cookies() if c["name"].startswith("et_state_")]
