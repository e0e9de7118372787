"""An LMS administrator edits the school's AI-use scale over HTTP; teachers only use it.

Launches are real: the practice LMS signs them, the tool validates them. Mr. Okafor is
the LMS administrator (institution role Administrator, in no course); Ms. Rivera a teacher.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import pytest

from eduteach.guidelines import DEFAULT_SCALE, parse_scale, set_school_scale
from eduteach.storage.models import Artifact
from tests.fakes.openai_server import FakeOpenAI
from tests.guidelines import samples
from tests.lti.conftest import Lti
from tests.school_scale.forms import (
    PAGE,
    default_json,
    fields,
    focused,
    form_fields,
    press,
    stored,
    value_of,
)
from tests.teacher.conftest import Teacher, artifact_id_of, job_id_of, launch_as

HILLSIDE = {
    "name": "Hillside AI-use scale",
    "levels": [
        {
            "name": "No AI",
            "description": "Everything you hand in is your own work, made without AI.",
            "colour": "#7A271A",
            "ai_allowed": False,
            "disclosure_required": False,
        },
        {
            "name": "AI to get started",
            "description": "AI may help you find ideas; say how you used it.",
            "colour": "#0E7090",
        },
        {
            "name": "AI as a partner",
            "description": "AI may help throughout; cite every use.",
            "colour": "#FEC84B",
        },
    ],
}
GUIDELINES_FORM = {**samples.ASSIGNMENT, "grade": "6"}


def _write_guidelines(teacher: Teacher, model: FakeOpenAI, level: str) -> int:
    model.enqueue_json(samples.with_ai())
    answer = teacher.post("/teacher/guidelines/new", {**GUIDELINES_FORM, "level": level})
    assert answer.status_code == 303, answer.text[:2000]
    done = teacher.wait(job_id_of(answer))
    assert done["status"] == "succeeded", done
    return artifact_id_of(done["done_url"])


def _params(teacher: Teacher, artifact_id: int) -> dict[str, Any]:
    with teacher.lti.tool_app.extensions["eduteach"].db.session() as s:
        artifact = s.get(Artifact, artifact_id)
        assert artifact is not None
        return dict(artifact.params)


# --- who may ------------------------------------------------------------------------------


def test_the_administrator_finds_the_page_from_the_course_library(admin: Teacher) -> None:
    home = admin.get("/teacher")
    assert home.status_code == 200
    assert "School settings: AI-use scale" in home.text
    assert PAGE in home.text

    page = admin.get(PAGE)
    assert page.status_code == 200
    assert "<h1>School AI-use scale</h1>" in page.text
    assert "LMS administrator" in page.text
    for n, level in enumerate(DEFAULT_SCALE.levels, start=1):
        assert value_of(page, f"level-{n}-name") == level.name
        assert value_of(page, f"level-{n}-colour") == level.colour
        assert value_of(page, f"level-{n}-picker") == level.colour.lower()
    # The preview: the badge's colour and its text colour chosen by contrast.
    assert 'fill="#F5B800"' in page.text
    assert "Dark text on #F5B800" in page.text
    assert "White text on #B42318" in page.text


@pytest.mark.parametrize("who", ["rivera", "alex"])
def test_a_teacher_or_a_student_is_refused_and_the_home_has_no_link(
    lti: Lti, model: FakeOpenAI, who: str
) -> None:
    person = launch_as(lti, who)
    home = person.get("/teacher")
    assert "School settings" not in home.text
    assert PAGE not in home.text

    page = person.get(PAGE)
    assert page.status_code == 403
    assert "Only an LMS administrator can change the school&#39;s AI-use scale" in page.text

    changed = person.post(PAGE, fields(HILLSIDE))
    assert changed.status_code == 403
    assert stored(person) == DEFAULT_SCALE


def test_a_teacher_sees_who_sets_the_levels_on_the_guidelines_form(teacher: Teacher) -> None:
    form = teacher.get("/teacher/guidelines/new")
    assert "Your LMS administrator sets these levels" in form.text
    assert PAGE not in form.text


def test_without_a_launch_or_a_csrf_token_nothing_changes(admin: Teacher) -> None:
    anonymous = admin.browser.http.get(admin.url(PAGE), timeout=10, allow_redirects=False)
    assert anonymous.status_code == 401
    forged = admin.post(PAGE, fields(HILLSIDE), csrf=False)
    assert forged.status_code == 400
    assert stored(admin) == DEFAULT_SCALE


# --- saving ---------------------------------------------------------------------------------


def test_a_saved_scale_is_what_the_guidelines_form_and_generation_use(
    admin: Teacher, teacher: Teacher, model: FakeOpenAI
) -> None:
    before = _write_guidelines(teacher, model, level="3")

    saved = admin.post(PAGE, fields(HILLSIDE))
    assert saved.status_code == 303, saved.text[:3000]
    assert "done=saved" in saved.headers["Location"]
    confirmation = admin.browser.follow(saved)
    assert "The school's AI-use scale is saved" in html.unescape(confirmation.text)
    assert "these 3 levels" in confirmation.text
    assert stored(admin) == parse_scale(HILLSIDE)

    form = teacher.get("/teacher/guidelines/new")
    assert "Hillside AI-use scale" in form.text
    for level in HILLSIDE["levels"]:
        assert level["name"] in form.text
        assert f'fill="{level["colour"]}"' in form.text
    assert "AI for planning only" not in form.text

    after = _write_guidelines(teacher, model, level="2")
    level = _params(teacher, after)["ai_level"]
    assert (level["name"], level["colour"]) == ("AI to get started", "#0E7090")
    # Guidelines written before keep the level they were made with.
    old = _params(teacher, before)["ai_level"]
    assert (old["name"], old["colour"]) == ("AI as a collaborator, with disclosure", "#175CD3")
    review = teacher.get(f"/teacher/artifacts/{before}")
    assert "AI as a collaborator, with disclosure" in review.text


def test_the_form_as_shown_saves_the_scale_unchanged(admin: Teacher) -> None:
    page = admin.get(PAGE)
    saved = press(admin, form_fields(page), "save")
    assert saved.status_code == 303, saved.text[:3000]
    assert stored(admin) == DEFAULT_SCALE


def test_the_colour_picker_or_the_typed_colour_wins_whichever_was_changed(
    admin: Teacher,
) -> None:
    data = form_fields(admin.get(PAGE))
    data["level-2-picker"] = "#6941c6"  # picked without JavaScript; the text is as shown
    data["level-3-colour"] = "#0e7090"  # typed; the picker is as shown
    assert press(admin, data, "save").status_code == 303
    colours = [level.colour for level in stored(admin).levels]
    assert colours == ["#B42318", "#6941C6", "#0E7090", "#067647"]


# --- problems -------------------------------------------------------------------------------


def _set(n: int, **changes: Any) -> Callable[[dict[str, Any]], None]:
    def change(scale: dict[str, Any]) -> None:
        scale["levels"][n - 1].update(changes)

    return change


@pytest.mark.parametrize(
    ("change", "field", "message", "typed"),
    [
        (
            _set(2, colour="reddish"),
            "f-level-2-colour",
            "the colour must be written as #RRGGBB",
            ("level-2-colour", "reddish"),
        ),
        (
            _set(3, colour="#808080"),
            "f-level-3-colour",
            "neither white nor dark text is readable on #808080",
            ("level-3-colour", "#808080"),
        ),
        (
            _set(4, name="ai for PLANNING only"),
            "f-level-4-name",
            "Two levels are called “ai for PLANNING only”",
            ("level-4-name", "ai for PLANNING only"),
        ),
        (
            lambda scale: scale.update(levels=scale["levels"][1:2]),
            "levels-heading",
            "A scale has between 2 and 8 levels (this one has 1)",
            ("level-1-name", "AI for planning only"),
        ),
        (
            _set(1, ai_allowed=True, description="Work alone & <quietly>."),
            "f-level-1-ai_allowed",
            "is called “No AI” but allows students to use AI",
            ("level-1-description", "Work alone & <quietly>."),
        ),
    ],
    ids=["unreadable-colour", "low-contrast", "duplicate-names", "one-level", "no-ai-with-ai"],
)
def test_a_scale_with_a_problem_is_shown_again_with_the_message_and_nothing_saved(
    admin: Teacher,
    change: Callable[[dict[str, Any]], None],
    field: str,
    message: str,
    typed: tuple[str, str],
) -> None:
    scale = default_json()
    scale["name"] = "Our scale, being edited"
    change(scale)
    answer = admin.post(PAGE, fields(scale))
    assert answer.status_code == 422
    text = html.unescape(answer.text)
    assert "Nothing was saved" in text
    # In the summary, linked to the field, and next to the field itself.
    assert f'href="#{field}"' in answer.text
    assert text.count(message) == 2, text
    # Everything typed is still in the form.
    assert value_of(answer, typed[0]) == typed[1]
    assert value_of(answer, "name") == "Our scale, being edited"
    assert stored(admin) == DEFAULT_SCALE


def test_every_problem_is_listed_at_once_and_marks_its_field(admin: Teacher) -> None:
    scale = default_json()
    scale["levels"][1]["colour"] = "#808080"
    scale["levels"][2]["name"] = ""
    answer = admin.post(PAGE, fields(scale))
    assert answer.status_code == 422
    assert "are 2 problems" in answer.text
    assert 'id="f-level-2-colour-error"' in answer.text
    assert 'id="f-level-3-name-error"' in answer.text
    assert answer.text.count('aria-invalid="true"') == 2


# --- add, remove, move, restore -----------------------------------------------------------


def test_add_remove_and_move_change_the_form_not_the_school(admin: Teacher) -> None:
    data = form_fields(admin.get(PAGE))
    data["level-2-description"] = "Edited before moving: plan with AI, write alone."

    added = press(admin, data, "add")
    assert added.status_code == 200
    assert value_of(added, "count") == "5"
    assert value_of(added, "level-5-name") == ""
    assert value_of(added, "level-5-colour") == "#6941C6"  # a colour no level has yet
    assert focused(added) == ["f-level-5-name"]
    assert value_of(added, "level-2-description").startswith("Edited before moving")

    data = form_fields(added)
    data["level-5-name"] = "AI for everything"
    data["level-5-description"] = "Any use of AI, disclosed."
    moved = press(admin, data, "up-2")
    assert moved.status_code == 200
    assert value_of(moved, "level-1-name") == "AI for planning only"
    assert value_of(moved, "level-1-description").startswith("Edited before moving")
    assert value_of(moved, "level-2-name") == "No AI"
    assert "is now first on the scale" in html.unescape(moved.text)
    assert focused(moved) == ["level-1-down"]

    moved = press(admin, form_fields(moved), "down-1")
    assert [value_of(moved, f"level-{n}-name") for n in (1, 2)] == [
        "No AI",
        "AI for planning only",
    ]

    removed = press(admin, form_fields(moved), "remove-4")
    assert value_of(removed, "count") == "4"
    assert "Level 4 (“AI fully allowed, with disclosure”) was removed" in html.unescape(
        removed.text
    )
    assert value_of(removed, "level-4-name") == "AI for everything"
    assert stored(admin) == DEFAULT_SCALE

    saved = press(admin, form_fields(removed), "save")
    assert saved.status_code == 303
    assert [level.name for level in stored(admin).levels] == [
        "No AI",
        "AI for planning only",
        "AI as a collaborator, with disclosure",
        "AI for everything",
    ]
    assert stored(admin).levels[1].description.startswith("Edited before moving")


def test_a_scale_keeps_between_two_and_eight_levels(admin: Teacher) -> None:
    two = default_json()
    two["levels"] = two["levels"][:2]
    page = press(admin, fields(two), "add")
    assert page.text.count("Remove<span") == 3
    page = press(admin, form_fields(page), "remove-3")
    assert "Remove<span" not in page.text  # two levels: none can go
    page = admin.post(PAGE, fields(two, action="remove-1"))
    assert "A scale needs at least 2 levels" in page.text
    assert "Remove<span" not in page.text
    assert value_of(page, "count") == "2"

    eight = default_json()
    eight["levels"] = [
        {**level, "name": f"{level['name']} ({copy})"}
        for copy in (1, 2)
        for level in eight["levels"]
    ]
    page = admin.post(PAGE, fields(eight, action="add"))
    assert "at most 8 levels" in page.text
    assert 'value="add"' not in page.text
    assert value_of(page, "count") == "8"


def test_restore_fills_in_the_default_scale_and_saving_makes_it_the_schools(
    admin: Teacher,
) -> None:
    with admin.lti.tool_app.extensions["eduteach"].db.session() as s:
        set_school_scale(s, parse_scale(HILLSIDE))
    page = admin.get(PAGE)
    assert value_of(page, "name") == "Hillside AI-use scale"

    restored = press(admin, form_fields(page), "restore")
    assert restored.status_code == 200
    assert "It is not saved yet" in restored.text
    assert value_of(restored, "name") == DEFAULT_SCALE.name
    assert value_of(restored, "count") == "4"
    assert value_of(restored, "level-2-name") == "AI for planning only"
    assert stored(admin) == parse_scale(HILLSIDE)

    assert press(admin, form_fields(restored), "save").status_code == 303
    assert stored(admin) == DEFAULT_SCALE
