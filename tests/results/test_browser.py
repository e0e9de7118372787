"""A teacher in headless Chromium publishes a quiz, copies its link and reads its results.

Every screen passes axe-core's WCAG 2.1 A/AA rules at desktop width and at 375 px, with no
sideways scrolling. Screenshots go to /tmp/shots/.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.activities_web.conftest import make_activity
from tests.activities_web.test_browser import check_screen
from tests.lti.conftest import Lti
from tests.results.conftest import (
    FakePlatformServices,
    delivery,
    only_publication,
    place,
    submit,
)
from tests.teacher.conftest import Teacher

pytestmark = pytest.mark.browser
T0 = datetime(2030, 3, 2, 9, 0, tzinfo=UTC)


def test_publish_copy_the_link_and_read_the_results(
    page: Page,
    lti: Lti,
    platform_services: FakePlatformServices,
    teacher_with_services: Teacher,
    student_subs: tuple[str, str],
) -> None:
    teacher = teacher_with_services
    artifact_id = make_activity(teacher, "quiz")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=lti.tool_url)

    page.goto(teacher.url(f"/teacher/artifacts/{artifact_id}/publish?lt={teacher.token}"))
    page.get_by_label("Attempts allowed").fill("2")
    page.get_by_label("Show the correct answers").select_option("after_due")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    check_screen(page, "results_publish_problem")
    page.get_by_label("Due date").fill("2030-05-30T15:00")
    page.get_by_role("button", name="Publish").click()

    expect(page.locator("[data-notice=gradebook-made]")).to_be_visible()
    page.get_by_role("button", name="Copy the custom parameter").click()
    expect(page.get_by_role("status").filter(has_text="Copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.get_by_label("Add this custom parameter", exact=False).input_value()
    assert copied.startswith("eduteach_activity=")
    check_screen(page, "results_publish_link")

    [made] = platform_services.line_items
    alex, sam = student_subs
    placement = place(lti, only_publication(lti), line_item=made["id"])
    wrong_gas = {"answers": {"0": ["1"], "1": ["0"], "3": "chlorofil"}}
    right = {"answers": {"0": ["0"], "1": ["0", "1", "3"], "2": ["1"], "3": "chlorophyll"}}
    first = submit(lti, placement, alex, "quiz", wrong_gas, T0)
    second = submit(lti, placement, sam, "quiz", right, T0 + timedelta(minutes=5))
    delivery(lti, first, "needs_attention", last_status=404, last_error="Line item not found")
    delivery(lti, second, "delivered")

    page.get_by_role("link", name="See results").click()
    expect(page.get_by_role("heading", name="How each item went")).to_be_visible()
    expect(page.get_by_role("row", name="Alex Kim")).to_contain_text("Needs attention")
    check_screen(page, "results_page")

    page.get_by_role("link", name="Scores needing attention in this course").click()
    check_screen(page, "results_needs_attention")
    page.get_by_role("button", name="Resend the score of Alex Kim").click()
    expect(page.locator("[data-notice=resent]")).to_be_visible()
    expect(page.locator("[data-empty]")).to_be_visible()
