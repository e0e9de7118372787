"""Chromium: the LMS administrator opens EduTeach from the practice LMS's Platform settings,
edits a level of the school's AI-use scale and saves it; WCAG 2.1 AA at 1280 and 375 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from eduteach.guidelines import school_scale
from tests.browser.conftest import screenshot
from tests.lti.conftest import Lti
from tests.teacher.test_browser_flow import accessibility_problems

pytestmark = pytest.mark.browser


def _fits(page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    assert accessibility_problems(page) == [], f"at {width} px"
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page scrolls sideways at {width} px"


def test_the_administrator_edits_the_scale_from_the_practice_lms(live: Lti, page: Page) -> None:
    page.goto(live.lms_url + "/admin")
    page.get_by_role("button", name="Open EduTeach as the school administrator").click()
    expect(page.get_by_role("heading", name="School settings")).to_be_visible(timeout=15_000)
    assert accessibility_problems(page) == []
    page.get_by_role("link", name="School settings: AI-use scale").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("School AI-use scale")
    _fits(page, 1280)

    level = page.locator("#level-2")
    level.get_by_label("Name").fill("AI to get started")
    level.get_by_label("Colour", exact=True).fill("#0E7090")
    # The preview follows what is typed: the name, the colour, white text chosen by contrast.
    expect(level.locator("[data-badge-name]")).to_have_text("AI to get started")
    expect(level.locator("[data-fill]")).to_have_attribute("fill", "#0E7090")
    expect(level.locator("[data-badge]")).to_have_class("level-badge on-dark")
    expect(level.get_by_label("Colour picker for level 2")).to_have_value("#0e7090")

    # A colour nothing is readable on: said at once, and refused on saving with the typing kept.
    level.get_by_label("Colour", exact=True).fill("#808080")
    expect(level.locator("[data-contrast]")).to_contain_text("Neither white nor dark text")
    page.get_by_role("button", name="Save the school's scale").last.click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Nothing was saved")
    expect(summary).to_be_focused()
    expect(page.locator("#f-level-2-name")).to_have_value("AI to get started")
    _fits(page, 1280)
    screenshot(page, "school_scale_problem")

    page.locator("#f-level-2-colour").fill("#0E7090")
    page.get_by_role("button", name="Move down (level 2)").click()
    expect(page.locator("#f-level-3-name")).to_have_value("AI to get started")
    expect(page.locator("#level-3-down")).to_be_focused()
    page.get_by_role("button", name="Move up (level 3)").click()
    expect(page.locator("#f-level-2-name")).to_have_value("AI to get started")

    page.get_by_role("button", name="Save the school's scale").last.click()
    expect(page.get_by_role("status")).to_contain_text("The school's AI-use scale is saved")
    _fits(page, 1280)
    screenshot(page, "school_scale_saved")
    _fits(page, 375)
    screenshot(page, "school_scale_phone")

    with live.tool_app.extensions["eduteach"].db.session() as s:
        saved = school_scale(s)
    assert (saved.levels[1].name, saved.levels[1].colour) == ("AI to get started", "#0E7090")
