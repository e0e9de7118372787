"""A teacher in headless Chromium reviews each kind of activity and tries it as a student.

One test per kind: edit an item, add, move and delete one, make a bad edit, see a flagged
item, then preview and complete the player. Every screen passes axe-core's WCAG 2.1 A/AA rules
at desktop and phone width. Screenshots go to /tmp/shots/.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.activities_web.conftest import make_activity, stored
from tests.teacher.conftest import Teacher

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots")
AXE = Path(__file__).resolve().parents[1] / "teacher" / "vendor" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def accessibility_problems(page: Page) -> list[str]:
    """WCAG 2.1 A/AA violations axe-core finds on the page."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    return [
        f"{v['id']} ({v['impact']}): {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in result["violations"]
    ]


def check_screen(page: Page, name: str) -> None:
    """Screenshot at desktop and phone width; no WCAG problem and no sideways scroll at either."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert accessibility_problems(page) == [], name
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(SHOTS / f"{name}_phone.png"), full_page=True)
    assert accessibility_problems(page) == [], f"{name} at phone width"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    page.set_viewport_size(DESKTOP)


def open_editor(page: Page, teacher: Teacher, artifact_id: int) -> None:
    page.goto(teacher.url(f"/teacher/artifacts/{artifact_id}?lt={teacher.token}"))
    expect(page.locator("body")).to_have_attribute("data-role", "teacher")


def save(page: Page, button: str, notice: str) -> None:
    page.locator("form.item-edit").get_by_role("button", name=button).click()
    expect(page.locator(f"[data-notice={notice}]")).to_be_visible()


def open_preview(page: Page) -> str:
    """Open the player from the editor; its HTML as the server sent it."""
    page.get_by_role("link", name="Preview as a student").click()
    expect(page.get_by_text("Preview — answers are not recorded.")).to_be_visible()
    expect(page.locator("body")).to_have_attribute("data-role", "teacher")
    return html.unescape(page.content())


def edit_add_move_delete(
    page: Page,
    teacher: Teacher,
    artifact_id: int,
    *,
    noun: str,
    field: str,
    label: str,
    new_fields: dict[str, str],
) -> None:
    """The steps every kind shares, on ``field`` (an item's one-line text, labelled ``label``)."""
    items_field = {"question": "items", "card": "cards", "pair": "pairs", "passage": "passages"}
    key = items_field[noun]
    before, _, _ = stored(teacher, artifact_id)
    count = len(before[key])

    page.get_by_role("link", name=f"Edit {noun} 1").click()
    form = page.locator("form.item-edit")
    edited = before[key][0][field] + " (edited)"
    form.get_by_label(label, exact=True).fill(edited)
    save(page, f"Save {noun}", "saved")
    data, _, version = stored(teacher, artifact_id)
    assert data[key][0][field] == edited
    assert version == 2

    page.get_by_role("link", name=f"Add a {noun}").click()
    form = page.locator("form.item-edit")
    for name, value in new_fields.items():
        form.get_by_label(name, exact=True).fill(value)
    save(page, f"Add this {noun}", "added")
    data, _, _ = stored(teacher, artifact_id)
    assert len(data[key]) == count + 1

    page.get_by_role("button", name=f"Move up {noun} {count + 1}").click()
    expect(page.locator("[data-notice=moved]")).to_be_visible()
    moved, _, _ = stored(teacher, artifact_id)
    assert moved[key][count - 1] == data[key][count]
    assert moved[key][count] == data[key][count - 1]

    page.get_by_role("button", name=f"Delete {noun} 1").click()
    expect(page.locator("[data-notice=deleted]")).to_contain_text(f"Deleted {noun} 1")
    after, _, version = stored(teacher, artifact_id)
    assert after[key] == moved[key][1:]
    assert version == 5


def bad_edit(page: Page, *, noun: str, label: str, kept_label: str) -> None:
    """Empty a required input: the problem shows next to it and the other input keeps its text."""
    page.get_by_role("link", name=f"Edit {noun} 1").click()
    form = page.locator("form.item-edit")
    kept = form.get_by_label(kept_label, exact=True)
    kept.fill("Typed by the teacher, not lost")
    form.get_by_label(label, exact=True).fill("")
    form.get_by_role("button", name=f"Save {noun}").click()
    expect(page.get_by_role("alert")).to_contain_text("This change could not be saved yet")
    problem = page.locator("form.item-edit .field-error").first
    expect(problem).to_contain_text("This must not be empty.")
    expect(page.locator("form.item-edit").get_by_label(kept_label, exact=True)).to_have_value(
        "Typed by the teacher, not lost"
    )


def test_a_quiz_is_edited_flagged_and_taken(page: Page, teacher: Teacher) -> None:
    flag = "Needs your check: Question 2: the option 'Soil & sand' may be arguable."
    artifact_id = make_activity(teacher, "quiz", warnings=[flag])
    open_editor(page, teacher, artifact_id)
    card = page.locator("#item-1")
    expect(card.locator(".flag-badge")).to_have_text("Needs your check")
    expect(card).to_contain_text("the option 'Soil & sand' may be arguable")
    expect(page.locator("#item-0 .flag-badge")).to_have_count(0)
    check_screen(page, "editor_quiz")

    bad_edit(page, noun="question", label="Question", kept_label="Explanation")
    check_screen(page, "editor_quiz_error")

    open_editor(page, teacher, artifact_id)
    page.get_by_role("link", name="Edit question 1").click()
    form = page.locator("form.item-edit")
    form.get_by_label("Option 2: Correct").check()
    form.get_by_label("Option 1: Correct").uncheck()
    form.get_by_label("Option 2", exact=True).fill("Oxygen (O₂)")
    save(page, "Save question", "saved")
    data, _, _ = stored(teacher, artifact_id)
    options = data["items"][0]["options"]
    assert [o["correct"] for o in options] == [False, True, False, False]
    assert options[1]["text"] == "Oxygen (O₂)"

    page.get_by_role("link", name="Add a question").click()
    form = page.locator("form.item-edit")
    form.get_by_label("Question type").select_option("true_false")
    expect(form.get_by_label("Option 1", exact=True)).to_have_value("True")
    expect(form.get_by_label("Accepted answers")).to_be_hidden()
    form.get_by_label("Question", exact=True).fill(
        "Leaves look green because of a pigment in them."
    )
    form.get_by_label("Option 1: Correct").check()
    form.get_by_label("Explanation").fill("That pigment reflects green light.")
    form.get_by_label("Bloom's level").select_option("remember")
    form.get_by_label("Depth of Knowledge").select_option("1")
    save(page, "Add this question", "added")
    data, _, _ = stored(teacher, artifact_id)
    assert data["items"][5]["type"] == "true_false"
    assert data["items"][5]["options"][0] == {"text": "True", "correct": True, "feedback": ""}

    page.get_by_role("button", name="Move up question 6").click()
    expect(page.locator("[data-notice=moved]")).to_be_visible()
    page.get_by_role("button", name="Delete question 1").click()
    expect(page.locator("[data-notice=deleted]")).to_contain_text("Deleted question 1")
    data, _, version = stored(teacher, artifact_id)
    assert [i["question"][:9] for i in data["items"]] == [
        "Which of ",
        "A plant k",
        "What is t",
        "Leaves lo",
        "A student",
    ]
    assert version == 5
    check_screen(page, "editor_quiz_after_changes")

    source = open_preview(page)
    for item in data["items"]:
        assert item["explanation"] not in source
        for answer in item["accepted_answers"]:
            assert answer not in source
        for option in item["options"]:
            assert not option["feedback"] or option["feedback"] not in source
    check_screen(page, "player_quiz")
    page.locator("#q-0").get_by_label("Light").check()
    page.locator("#q-0").get_by_label("Water").check()
    page.locator("#q-0").get_by_label("Carbon dioxide").check()
    page.locator("#q-1").get_by_label("False").check()
    page.locator("#q-2").get_by_label("Your answer").fill("Chlorophyl")
    page.locator("#q-3").get_by_label("False").check()  # wrong: it is true
    page.get_by_role("button", name="Submit answers").click()
    expect(page.locator("[data-score]")).to_contain_text("You scored 3 out of 5.")
    expect(page.locator("[data-score]")).to_be_focused()
    expect(page.locator("#q-3 [data-feedback-for]")).to_contain_text(
        "Not quite That pigment reflects green light."
    )
    expect(page.locator("#q-0 [data-feedback-for]")).to_contain_text("Correct")
    expect(page.locator("#q-4 [data-feedback-for]")).to_contain_text("Not answered")
    check_screen(page, "player_quiz_checked")
    page.get_by_role("button", name="Start again").click()
    expect(page.locator("[data-score]")).to_be_empty()
    expect(page.locator("#q-2").get_by_label("Your answer")).to_have_value("")


def test_a_self_quiz_gives_feedback_per_question_with_retries(page: Page, teacher: Teacher) -> None:
    artifact_id = make_activity(teacher, "self_quiz")
    open_editor(page, teacher, artifact_id)
    expect(page.get_by_text("Practice, not graded")).to_be_visible()
    check_screen(page, "editor_self_quiz")

    open_preview(page)
    check_screen(page, "player_self_quiz")
    first = page.locator("#q-0")
    first.get_by_label("Oxygen").check()
    first.get_by_role("button", name="Check question 1").click()
    expect(first.locator("[data-feedback-for]")).to_contain_text(
        "Not quite Oxygen is given out, not taken in."
    )
    expect(first).not_to_contain_text("Plants combine CO₂")
    first.get_by_role("button", name="Try again question 1").click()
    expect(first.get_by_label("Oxygen")).not_to_be_checked()
    expect(first.locator("[data-feedback-for]")).to_be_empty()
    first.get_by_label("Carbon dioxide (CO₂)").check()
    first.get_by_role("button", name="Check question 1").click()
    expect(first.locator("[data-feedback-for]")).to_contain_text("Correct")
    expect(first.get_by_role("button", name="Try again question 1")).to_be_hidden()

    fourth = page.locator("#q-3")
    fourth.get_by_label("Your answer").fill("chloroplast")
    fourth.get_by_role("button", name="Check question 4").click()
    expect(fourth.locator("[data-feedback-for]")).to_contain_text("Not quite")
    fourth.get_by_role("button", name="Show the answer to question 4").click()
    expect(fourth.locator("[data-feedback-for]")).to_contain_text(
        "Chlorophyll absorbs red and blue light"
    )
    expect(page.locator("#q-1 [data-feedback-for]")).to_be_empty()
    check_screen(page, "player_self_quiz_checked")


def test_flashcards_are_edited_and_studied(page: Page, teacher: Teacher) -> None:
    artifact_id = make_activity(
        teacher, "flashcards", warnings=["Needs your check: Card 2: the back repeats the front."]
    )
    open_editor(page, teacher, artifact_id)
    expect(page.locator("#item-1 .flag-badge")).to_be_visible()
    check_screen(page, "editor_flashcards")
    bad_edit(page, noun="card", label="Back", kept_label="Front")
    open_editor(page, teacher, artifact_id)
    edit_add_move_delete(
        page,
        teacher,
        artifact_id,
        noun="card",
        field="front",
        label="Front",
        new_fields={"Front": "Starch", "Back": "How a plant stores glucose."},
    )

    source = open_preview(page)
    assert "source_quote" not in source
    check_screen(page, "player_flashcards")
    data, _, _ = stored(teacher, artifact_id)
    first = data["cards"][0]
    card = page.locator("[data-card]:visible")
    expect(page.locator("[data-progress]")).to_have_text("Card 1 of 5")
    card.get_by_role("button").click()
    expect(card.get_by_role("button")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-announce]")).to_have_text(f"Back: {first['back']}")
    page.keyboard.press("Space")
    expect(card.get_by_role("button")).to_have_attribute("aria-pressed", "false")
    page.keyboard.press("Enter")
    expect(card.get_by_role("button")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="Next").click()
    expect(page.locator("[data-progress]")).to_have_text("Card 2 of 5")
    page.get_by_role("button", name="Previous").click()
    for rating in ("I knew it", "Still learning", "I knew it", "I knew it", "I knew it"):
        page.get_by_role("button", name=rating).click()
    expect(page.locator("[data-summary]")).to_contain_text("You knew 4 of 5 cards.")
    check_screen(page, "player_flashcards_done")
    page.get_by_role("button", name="Study the ones still learning").click()
    expect(page.locator("[data-progress]")).to_have_text("Card 1 of 1")
    page.get_by_role("button", name="Shuffle").click()
    expect(page.locator("[data-progress]")).to_have_text("Card 1 of 1")


def test_matching_is_edited_and_matched_by_keyboard(page: Page, teacher: Teacher) -> None:
    artifact_id = make_activity(
        teacher, "matching", warnings=["Needs your check: Pair 3: the definition is vague."]
    )
    open_editor(page, teacher, artifact_id)
    expect(page.locator("#item-2 .flag-badge")).to_be_visible()
    check_screen(page, "editor_matching")
    bad_edit(page, noun="pair", label="Term", kept_label="Definition")
    open_editor(page, teacher, artifact_id)
    edit_add_move_delete(
        page,
        teacher,
        artifact_id,
        noun="pair",
        field="term",
        label="Term",
        new_fields={"Term": "Phloem", "Definition": "Tubes carrying sugar around the plant"},
    )

    page.locator("#item-0 details.regen summary").click()
    box = page.get_by_label("How should EduTeach rewrite pair 1?")
    expect(box).to_be_focused()
    box.fill("Use the example of jo@school.example's garden")
    page.get_by_role("button", name="Regenerate this pair").click()
    expect(page.locator("#regen-0-error")).to_contain_text("Remove the email address")
    expect(page.get_by_label("How should EduTeach rewrite pair 1?")).to_have_value(
        "Use the example of jo@school.example's garden"
    )
    check_screen(page, "editor_matching_regenerate")
    assert teacher.jobs() == []

    source = open_preview(page)
    data, _, _ = stored(teacher, artifact_id)
    places = [source.index(p["definition"]) for p in data["pairs"]]
    assert places != sorted(places), "definitions listed in the terms' order"
    check_screen(page, "player_matching")
    for number, pair in enumerate(data["pairs"]):
        select = page.get_by_label(pair["term"], exact=True)
        labels = select.locator("option").all_text_contents()
        wanted = data["distractors"][0] if number == 0 else pair["definition"]
        choice = next(text for text in labels if text.endswith(". " + wanted))
        select.focus()
        select.select_option(label=choice)
    page.get_by_role("button", name="Check my matches").click()
    total = len(data["pairs"])
    expect(page.locator("[data-score]")).to_contain_text(f"You scored {total - 1} out of {total}.")
    first = page.locator('[data-feedback-for="0"]')
    expect(first).to_contain_text(f"Not quite It matches: {data['pairs'][0]['definition']}")
    check_screen(page, "player_matching_checked")


def test_a_fill_in_is_edited_and_filled_in(page: Page, teacher: Teacher) -> None:
    artifact_id = make_activity(
        teacher, "fill_in", warnings=["Needs your check: Passage 2: a blank gives itself away."]
    )
    open_editor(page, teacher, artifact_id)
    expect(page.locator("#item-1 .flag-badge")).to_be_visible()
    check_screen(page, "editor_fill_in")

    page.get_by_role("link", name="Edit passage 1").click()
    box = page.locator("form.item-edit").get_by_label("Passage", exact=True)
    box.fill(
        "Plants make food by [[photosynthesis]]. The pigment [[chlorophyll|chlorophyl]] is green."
    )
    expect(page.locator("[data-blank-count]")).to_have_text("2 blanks found")
    expect(page.locator("[data-blank-list]")).to_contain_text(
        "chlorophyll (also accepted: chlorophyl)"
    )
    box.fill("No blank here yet, only [[an open one.")
    expect(page.locator("[data-blank-count]")).to_contain_text(
        "0 blanks found. A blank is not closed"
    )
    check_screen(page, "editor_fill_in_typing")
    save_button = page.locator("form.item-edit").get_by_role("button", name="Save passage")
    save_button.click()
    expect(page.locator("#f-text-error")).to_contain_text("not written correctly")
    expect(page.locator("form.item-edit").get_by_label("Passage", exact=True)).to_have_value(
        "No blank here yet, only [[an open one."
    )
    open_editor(page, teacher, artifact_id)
    edit_add_move_delete(
        page,
        teacher,
        artifact_id,
        noun="passage",
        field="text",
        label="Passage",
        new_fields={"Passage": "Oxygen leaves the leaf as a [[waste]] product of the process."},
    )
    page.locator("#sec-distractors").get_by_role("link", name="Edit word bank extras").click()
    page.get_by_role("textbox", name="Word bank extras").fill("oxygen\nmitochondria\nnucleus")
    page.get_by_role("button", name="Save word bank extras").click()
    expect(page.locator("#sec-distractors [data-notice=edited]")).to_be_visible()
    assert stored(teacher, artifact_id)[0]["distractors"] == ["oxygen", "mitochondria", "nucleus"]

    source = open_preview(page)
    assert "[[" not in source
    assert "stomates" not in source
    check_screen(page, "player_fill_in")
    data, _, _ = stored(teacher, artifact_id)
    assert [p["text"][:6] for p in data["passages"]] == ["Oxygen", "Gases "]
    page.get_by_label("Blank 1", exact=True).select_option("oxygen")  # wrong: waste
    page.get_by_label("Blank 2", exact=True).select_option("stomata")
    page.get_by_label("Blank 3", exact=True).select_option("glucose")
    page.get_by_role("button", name="Check my answers").click()
    expect(page.locator("[data-score]")).to_contain_text("You scored 2 out of 3.")
    expect(page.locator('[data-feedback-for="0.0"]')).to_contain_text("Not quite Answer: waste")
    check_screen(page, "player_fill_in_checked")

    typed = make_activity(teacher, "fill_in", word_bank=False)
    page.goto(teacher.url(f"/teacher/artifacts/{typed}/preview?lt={teacher.token}"))
    expect(page.locator(".word-bank")).to_have_count(0)
    page.get_by_label("Blank 3", exact=True).fill("stomates")
    page.get_by_role("button", name="Check my answers").click()
    expect(page.locator('[data-feedback-for="1.0"]')).to_contain_text("Correct")
    expect(page.locator("[data-score]")).to_contain_text("You scored 1 out of 4.")
    check_screen(page, "player_fill_in_typed")
