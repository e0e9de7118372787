"""Matching by drag and drop in headless Chromium, on top of the selects that stay the answer.

A definition dropped on a term sets that term's select (what the form posts); a select
changed by keyboard shows in the term's drop zone; a definition moved to another term leaves
the first; each term can be cleared; every change is announced. Mouse and touch both drag
(Pointer Events); without JavaScript the selects alone still work. axe-core finds no WCAG 2.1
A/AA problem at desktop or 375 px, and the page breaks no rule of its Content Security Policy.
Screenshots go to /tmp/shots/matching_dnd*.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, CDPSession, Locator, Page, expect

from tests.activities_web.conftest import make_activity
from tests.lti.conftest import Lti
from tests.students.conftest import (
    TEACHER,
    attempts,
    launch_student,
    place_activity,
    right_matches,
)
from tests.students.test_browser import (
    DESKTOP,
    PHONE,
    SHOTS,
    accessibility_problems,
    choose_by_keyboard,
    open_activity,
)
from tests.teacher.conftest import launch_as

pytestmark = pytest.mark.browser
TALL = {"width": 1280, "height": 1400}  # every term in view, so a mouse can reach it
GHOST_ROTATE = "getComputedStyle(document.querySelector('.match-ghost')).rotate"


def check_screen(page: Page, name: str) -> None:
    """Screenshots at desktop and 375 px; no WCAG problem, no sideways scroll."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(SHOTS / f"matching_dnd_{name}.png"), full_page=True)
    assert accessibility_problems(page) == [], name
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(SHOTS / f"matching_dnd_{name}_phone.png"), full_page=True)
    assert accessibility_problems(page) == [], f"{name} at 375 px"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    if size:
        page.set_viewport_size(size)


def watch_csp(page: Page) -> list[str]:
    """The page's Content Security Policy complaints, as the console reports them."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


def definition(page: Page, text: str) -> Locator:
    """A definition in the lettered list."""
    return page.locator("[data-match-bank] > li", has_text=text)


def term(page: Page, name: str) -> Locator:
    """A term's box: its label, drop zone and select."""
    return page.locator("[data-match-terms] > li").filter(has=page.locator("label", has_text=name))


def center(target: Locator) -> tuple[float, float]:
    box = target.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def mouse_drag(page: Page, source: Locator, target: Locator) -> None:
    """Press on ``source``, move in steps onto ``target`` and let go, as a hand does."""
    page.mouse.move(*center(source))
    page.mouse.down()
    page.mouse.move(*center(target), steps=8)
    page.mouse.up()


def letter_of(page: Page, text: str) -> str:
    return definition(page, text).get_attribute("data-letter") or ""


def values(page: Page, data: dict[str, Any]) -> dict[str, str]:
    """Each term's select value, by term."""
    return {
        pair["term"]: page.get_by_label(pair["term"], exact=True).input_value()
        for pair in data["pairs"]
    }


def test_definitions_dragged_with_a_mouse_set_the_selects_that_are_submitted(
    lti: Lti, page: Page
) -> None:
    placed = place_activity(lti, "matching")
    chloroplast, stoma, xylem, glucose = (p["definition"] for p in placed.data["pairs"])
    student = launch_student(lti, "alex", placed.link_id)
    complaints = watch_csp(page)
    page.set_viewport_size(TALL)
    open_activity(page, student)
    right = right_matches(page.content(), placed.data)
    announced = page.locator("[data-match-announce]")
    expect(page.get_by_text("Drag a definition onto a term")).to_be_visible()
    expect(page.locator("[data-match-slot]")).to_have_count(4)

    mouse_drag(page, definition(page, xylem), term(page, "Glucose"))
    expect(page.get_by_label("Glucose", exact=True)).to_have_value(right["m.2"])
    expect(term(page, "Glucose").locator("[data-match-chip]")).to_contain_text(xylem)
    expect(announced).to_have_text(f"Glucose matched with {letter_of(page, xylem)}: {xylem}.")

    # The same definition dragged again is moved: the first term's select is cleared.
    mouse_drag(page, definition(page, xylem), term(page, "Xylem"))
    expect(page.get_by_label("Xylem", exact=True)).to_have_value(right["m.2"])
    expect(page.get_by_label("Glucose", exact=True)).to_have_value("")
    expect(term(page, "Glucose").locator("[data-match-chip]")).to_be_hidden()
    expect(announced).to_have_text(
        f"Xylem matched with {letter_of(page, xylem)}: {xylem}. Glucose no longer has a match."
    )

    # A definition already on a term is dragged from there to another.
    mouse_drag(page, definition(page, chloroplast), term(page, "Stoma"))
    expect(page.get_by_label("Stoma", exact=True)).to_have_value(right["m.0"])
    mouse_drag(page, term(page, "Stoma").locator("[data-match-chip]"), term(page, "Chloroplast"))
    expect(page.get_by_label("Chloroplast", exact=True)).to_have_value(right["m.0"])
    expect(page.get_by_label("Stoma", exact=True)).to_have_value("")

    # A select changed by keyboard shows in its drop zone and marks the definition as used.
    stoma_select = page.get_by_label("Stoma", exact=True)
    choose_by_keyboard(stoma_select, f"{letter_of(page, stoma)}. {stoma}")
    expect(term(page, "Stoma").locator("[data-match-chip]")).to_contain_text(stoma)
    expect(definition(page, stoma)).to_have_class(re.compile(r"\bis-used\b"))

    # Cleared with its button; focus goes back to the term's select.
    mouse_drag(page, definition(page, glucose), term(page, "Glucose"))
    expect(page.get_by_label("Glucose", exact=True)).to_have_value(right["m.3"])
    term(page, "Glucose").get_by_role("button", name="Clear the match for Glucose").click()
    expect(page.get_by_label("Glucose", exact=True)).to_have_value("")
    expect(page.get_by_label("Glucose", exact=True)).to_be_focused()
    expect(announced).to_have_text("Glucose: match cleared.")
    expect(definition(page, glucose)).not_to_have_class(re.compile(r"\bis-used\b"))

    # Mid-drag: the term under the pointer is marked; Escape drops nothing.
    page.mouse.move(*center(definition(page, glucose)))
    page.mouse.down()
    page.mouse.move(*center(term(page, "Glucose")), steps=8)
    expect(term(page, "Glucose")).to_have_class(re.compile(r"\bis-over\b"))
    assert page.evaluate(GHOST_ROTATE) != "none"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "matching_dnd_dragging.png"))
    page.keyboard.press("Escape")
    page.mouse.up()
    expect(page.locator(".match-ghost")).to_have_count(0)
    expect(page.get_by_label("Glucose", exact=True)).to_have_value("")

    mouse_drag(page, definition(page, glucose), term(page, "Glucose"))
    assert values(page, placed.data) == {
        "Chloroplast": right["m.0"],
        "Stoma": right["m.1"],
        "Xylem": right["m.2"],
        "Glucose": right["m.3"],
    }
    check_screen(page, "matched")

    page.get_by_role("button", name="Submit my matches").click()
    expect(page.get_by_text("You scored 4 out of 4.")).to_be_visible()
    assert [(a.points, a.max_points) for a in attempts(lti)] == [(4.0, 4.0)]
    # The submitted attempt shows its answers in locked selects: nothing to drag.
    expect(page.locator("select:disabled")).to_have_count(4)
    expect(page.locator("[data-match-slot], .match-grip")).to_have_count(0)
    check_screen(page, "submitted")
    assert complaints == []


@pytest.fixture
def phone(browser: Browser) -> Iterator[tuple[Page, CDPSession]]:
    """A touch phone at 375 px that prefers reduced motion, and its touch screen (CDP)."""
    context: BrowserContext = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, reduced_motion="reduce"
    )
    page = context.new_page()
    yield page, context.new_cdp_session(page)
    context.close()


def touch(screen: CDPSession, kind: str, x: float = 0, y: float = 0) -> None:
    points = [] if kind == "touchEnd" else [{"x": x, "y": y}]
    screen.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})


def back_to_top(page: Page) -> None:
    """Scroll to the top and wait until the page stays there: a swipe leaves a fling that
    can keep scrolling after one scrollTo, moving what is under the next finger."""
    still = 0
    for _ in range(100):
        page.evaluate("window.scrollTo(0, 0)")
        page.wait_for_timeout(30)
        still = still + 1 if page.evaluate("window.scrollY") == 0 else 0
        if still == 5:
            return
    raise AssertionError("the page kept scrolling after a swipe")


def finger_drag(page: Page, screen: CDPSession, source: Locator, target: Locator) -> None:
    """Drag by touch from ``source``'s grip; held at the screen's bottom edge until
    ``target`` (below the fold) has scrolled into view, then dropped on it."""
    x, y = center(source.locator(".match-grip"))
    edge = PHONE["height"] - 10
    touch(screen, "touchStart", x, y)
    for step in range(1, 9):
        touch(screen, "touchMove", x, y + (edge - y) * step / 8)
    # Reduced motion: the dragged copy does not tilt.
    assert page.evaluate(GHOST_ROTATE) == "none"
    for wiggle in range(200):
        if center(target)[1] < PHONE["height"] - 120:
            break
        touch(screen, "touchMove", x, edge - wiggle % 2)
        page.wait_for_timeout(20)
    tx, ty = center(target)
    for step in range(1, 6):
        touch(screen, "touchMove", x + (tx - x) * step / 5, edge + (ty - edge) * step / 5)
    touch(screen, "touchEnd")


def test_a_definition_is_dragged_by_touch_to_a_term_below_the_fold(
    lti: Lti, phone: tuple[Page, CDPSession]
) -> None:
    page, screen = phone
    placed = place_activity(lti, "matching")
    glucose = placed.data["pairs"][3]["definition"]
    student = launch_student(lti, "sam", placed.link_id)
    open_activity(page, student)
    right = right_matches(page.content(), placed.data)
    expect(page.locator(".match-slot")).to_have_count(4)
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.match-slot')).transitionDuration")
        == "0s"
    )

    # A swipe on a definition's text scrolls the page and drags nothing.
    x, y = center(definition(page, glucose).locator("[data-choice-text]"))
    touch(screen, "touchStart", x, y)
    for step in range(1, 9):
        touch(screen, "touchMove", x, y - 25 * step)
    touch(screen, "touchEnd")
    page.wait_for_function("window.scrollY > 50")
    assert all(v == "" for v in values(page, placed.data).values())
    back_to_top(page)

    finger_drag(page, screen, definition(page, glucose), term(page, "Glucose"))
    expect(page.get_by_label("Glucose", exact=True)).to_have_value(right["m.3"])
    expect(term(page, "Glucose").locator("[data-match-chip]")).to_contain_text(glucose)
    page.screenshot(path=str(SHOTS / "matching_dnd_touch_phone.png"), full_page=True)
    assert accessibility_problems(page) == []


def test_without_javascript_the_selects_alone_are_submitted(
    lti: Lti, browser: Browser, page: Page
) -> None:
    placed = place_activity(lti, "matching")
    student = launch_student(lti, "alex", placed.link_id)
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(student.url(f"/student/activity?lt={student.token}"))
        expect(plain.get_by_text("Drag a definition onto a term")).to_be_hidden()
        expect(plain.locator("[data-match-slot], .match-grip")).to_have_count(0)
        for name, value in right_matches(plain.content(), placed.data).items():
            plain.locator(f"select[name='{name}']").select_option(value)
        SHOTS.mkdir(parents=True, exist_ok=True)
        plain.screenshot(path=str(SHOTS / "matching_dnd_no_script.png"), full_page=True)
        plain.get_by_role("button", name="Submit my matches").click()
        expect(plain.get_by_text("You scored 4 out of 4.")).to_be_visible()
        assert [(a.points, a.max_points) for a in attempts(lti)] == [(4.0, 4.0)]
    finally:
        context.close()

    # axe-core needs script, so the page it checks is one where activities.js never arrives.
    page.route("**/static/activities.js*", lambda route: route.abort())
    second = launch_student(lti, "sam", placed.link_id)
    open_activity(page, second)
    expect(page.locator("[data-match-slot]")).to_have_count(0)
    check_screen(page, "no_script_axe")


def test_a_teachers_preview_drags_checks_and_starts_again(lti: Lti, page: Page) -> None:
    teacher = launch_as(lti, TEACHER)
    artifact_id = make_activity(teacher, "matching")
    page.set_viewport_size(TALL)
    page.goto(teacher.url(f"/teacher/artifacts/{artifact_id}/preview?lt={teacher.token}"))
    stoma = "A pore that lets CO₂ in & O₂ out"
    mouse_drag(page, definition(page, stoma), term(page, "Stoma"))
    page.get_by_role("button", name="Check my matches").click()
    expect(page.locator("[data-score]")).to_contain_text("You scored 1 out of 4.")
    expect(term(page, "Stoma").locator("[data-feedback-for]")).to_contain_text("Correct")
    check_screen(page, "preview_checked")
    page.get_by_role("button", name="Start again").click()
    expect(page.get_by_label("Stoma", exact=True)).to_have_value("")
    expect(term(page, "Stoma").locator("[data-match-chip]")).to_be_hidden()
    expect(definition(page, stoma)).not_to_have_class(re.compile(r"\bis-used\b"))
