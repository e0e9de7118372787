"""Students in headless Chromium: each player completed with the keyboard alone.

Every screen passes axe-core's WCAG 2.1 A/AA rules at desktop and at 375 px, where nothing
scrolls sideways. Inside the LMS's iframe the page asks the LMS to fit the frame to it
(``lti.frameResize``). Screenshots go to /tmp/shots/student_*.png.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Locator, Page, Route, expect

from eduteach.storage.models import Attempt
from tests.lti.conftest import Lti
from tests.students.conftest import (
    Student,
    attempts,
    card_states,
    launch_student,
    place_activity,
)

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots")
AXE = Path(__file__).resolve().parents[1] / "teacher" / "vendor" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
HOST = """<!doctype html>
<html lang="en"><head><title>Grade 7 Science</title></head>
<body><main><h1>Grade 7 Science</h1>
<iframe id="tool" title="EduTeach" src="{src}" style="width:100%;height:300px;border:0"></iframe>
</main>
<script>
window.resizes = [];
window.addEventListener("message", function (event) {{
  var data = event.data;
  if (data && data.subject === "lti.frameResize") {{
    window.resizes.push(data.height);
    document.getElementById("tool").style.height = data.height + "px";
  }}
}});
</script></body></html>"""


def accessibility_problems(target: Page | Frame) -> list[str]:
    """WCAG 2.1 A/AA violations axe-core finds."""
    target.evaluate(AXE.read_text(encoding="utf-8"))
    result = target.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    return [
        f"{v['id']} ({v['impact']}): {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in result["violations"]
    ]


def check_screen(page: Page, name: str) -> None:
    """Screenshots at desktop and phone width; no WCAG problem, no sideways scroll."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    expect(page.locator("body")).to_have_attribute("data-role", "student")
    page.screenshot(path=str(SHOTS / f"student_{name}.png"), full_page=True)
    assert accessibility_problems(page) == [], name
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(SHOTS / f"student_{name}_phone.png"), full_page=True)
    assert accessibility_problems(page) == [], f"{name} at 375 px"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    page.set_viewport_size(DESKTOP)


def open_activity(page: Page, student: Student) -> None:
    page.goto(student.url(f"/student/activity?lt={student.token}"))
    expect(page.locator("body")).to_have_attribute("data-role", "student")


def press(control: Locator, *keys: str) -> None:
    """Focus a control, then use the keyboard only."""
    control.focus()
    for key in keys:
        control.page.keyboard.press(key)


def choose_by_keyboard(select: Locator, label: str) -> None:
    """Pick an option of a focused select with the arrow keys."""
    labels = select.locator("option").all_text_contents()
    select.focus()
    for _ in range(labels.index(label)):
        select.page.keyboard.press("ArrowDown")
    expect(select.locator("option:checked")).to_have_text(label)


def wait_for(found: Callable[[], list[Attempt]], count: int) -> None:
    deadline = time.monotonic() + 10
    while len(found()) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(found()) == count


def test_a_quiz_in_the_lms_frame_is_taken_by_keyboard_and_fits_the_frame(
    lti: Lti, page: Page
) -> None:
    placed = place_activity(lti, "quiz", attempts_allowed=1)
    student = launch_student(lti, "alex", placed.link_id)
    host = f"{lti.lms_url}/courses/science-7/quiz"
    src = student.url(f"/student/activity?lt={student.token}")

    def serve(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body=HOST.format(src=src))

    page.route(host, serve)
    page.goto(host)
    frame = page.frame_locator("#tool")
    expect(frame.locator("body")).to_have_attribute("data-role", "student", timeout=10_000)
    expect(frame.get_by_text("Attempt 1 of 1")).to_be_visible()
    page.wait_for_function("window.resizes.length > 0")
    first = page.evaluate("window.resizes[0]")
    assert first > 1000, "the whole quiz is taller than the 300 px frame"
    assert page.evaluate("document.getElementById('tool').offsetHeight") == first

    press(frame.locator("#q-0").get_by_label("Carbon dioxide (CO₂)"), "Space")
    press(
        frame.locator("#q-1").get_by_label("Light"), "Space", "Tab", "Space", "Tab", "Tab", "Space"
    )
    press(frame.locator("#q-2").get_by_label("True"), "ArrowDown")
    expect(frame.locator("#q-2").get_by_label("False")).to_be_checked()
    press(frame.locator("#q-3").get_by_label("Your answer"))
    page.keyboard.type("chlorophyll")
    press(frame.locator("#q-4").get_by_label("Both halves turn blue-black with iodine"), "Space")
    page.keyboard.press("Tab")
    expect(frame.get_by_role("button", name="Submit answers")).to_be_focused()
    page.keyboard.press("Enter")

    expect(frame.get_by_text("You scored 4 out of 5.")).to_be_visible()
    expect(frame.locator("#q-4 [data-feedback-for]")).to_contain_text("Not quite")
    page.wait_for_function(f"window.resizes[window.resizes.length - 1] !== {first}")
    assert [(a.points, a.max_points) for a in attempts(lti)] == [(4.0, 5.0)]

    open_activity(page, student)
    expect(page.get_by_text("as many as your teacher allows")).to_be_visible()
    check_screen(page, "quiz_closed")
    page.get_by_role("link", name="Attempt 1").click()
    expect(page.get_by_text("You scored 4 out of 5.")).to_be_visible()
    check_screen(page, "quiz_result")


def test_fill_in_and_matching_are_completed_by_keyboard(lti: Lti, page: Page) -> None:
    fill_in = place_activity(lti, "fill_in", params={"word_bank": False})
    matching = place_activity(
        lti, "matching", feedback="after_due", due_at="2099-06-01T15:00:00+00:00"
    )

    student = launch_student(lti, "alex", fill_in.link_id)
    open_activity(page, student)
    check_screen(page, "fill_in")
    for number, word in enumerate(["photosynthesis", "chlorophyl", "stomates", "glucose"], 1):
        press(page.get_by_label(f"Blank {number}", exact=True))
        page.keyboard.type(word)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Submit my answers")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("You scored 4 out of 4.")).to_be_visible()
    check_screen(page, "fill_in_result")

    student = launch_student(lti, "alex", matching.link_id)
    open_activity(page, student)
    expect(
        page.get_by_text("Your teacher shows scores and feedback after the due date.")
    ).to_be_visible()
    check_screen(page, "matching")
    for pair in matching.data["pairs"]:
        select = page.get_by_label(pair["term"], exact=True)
        labels = select.locator("option").all_text_contents()
        choose_by_keyboard(select, next(t for t in labels if t.endswith(". " + pair["definition"])))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text("will be shown after the due date")).to_be_visible()
    expect(page.locator(".status-correct")).to_have_count(0)
    check_screen(page, "matching_held")
    assert [(a.points, a.max_points) for a in attempts(lti)] == [(4.0, 4.0), (4.0, 4.0)]


def test_flashcards_and_a_self_quiz_are_studied_by_keyboard(lti: Lti, page: Page) -> None:
    deck = place_activity(lti, "flashcards")
    self_quiz = place_activity(lti, "self_quiz")

    student = launch_student(lti, "alex", deck.link_id)
    open_activity(page, student)
    expect(page.locator("[data-deck-status]")).to_have_text("5 cards due today.")
    check_screen(page, "flashcards")
    flip = page.locator("[data-card]:visible [data-flip]")
    press(flip, "Space")
    expect(flip).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Enter")
    expect(flip).to_have_attribute("aria-pressed", "false")
    for rating in ("I knew it", "Still learning", "I knew it", "I knew it", "I knew it"):
        press(page.locator("[data-card]:visible [data-flip]"), "Space")
        press(page.get_by_role("button", name=rating), "Enter")
    expect(page.locator("[data-summary]")).to_contain_text("You knew 4 of 5 cards.")
    # The card still being learnt comes back in minutes: today, unless midnight (UTC) comes first.
    expect(page.locator("[data-summary-next]")).to_have_text(
        re.compile(r"^(1 card due today\.|No cards due today\. Next review on .+)$")
    )
    wait_for(lambda: attempts(lti), 1)
    assert len(card_states(lti)) == 5
    check_screen(page, "flashcards_done")

    student = launch_student(lti, "alex", self_quiz.link_id)
    open_activity(page, student)
    check_screen(page, "self_quiz")
    first = page.locator("#q-0")
    press(first.get_by_label("Oxygen"), "Space")
    press(first.get_by_role("button", name="Check question 1"), "Enter")
    expect(first.locator("[data-feedback-for]")).to_contain_text(
        "Not quite Oxygen is given out, not taken in."
    )
    press(first.get_by_role("button", name="Try again question 1"), "Enter")
    expect(first.get_by_label("Carbon dioxide (CO₂)")).to_be_focused()
    page.keyboard.press("Space")
    expect(first.get_by_label("Carbon dioxide (CO₂)")).to_be_checked()
    press(first.get_by_role("button", name="Check question 1"), "Enter")
    expect(first.locator("[data-feedback-for]")).to_contain_text("Correct")
    press(page.get_by_role("button", name="Finish and see my score"), "Enter")
    expect(page.get_by_text("You scored 1 out of 5.")).to_be_visible()
    expect(page.get_by_text("This was practice")).to_be_visible()
    check_screen(page, "self_quiz_result")
    assert len(attempts(lti)) == 2
