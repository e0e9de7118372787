"""The school's AI-use scale: the built-in default, and an administrator's file checked."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from eduteach.guidelines import (
    DEFAULT_SCALE,
    ScaleError,
    contrast_ratio,
    parse_scale,
    scale_json,
    school_scale,
    set_school_scale,
    text_colour,
)
from eduteach.storage.db import Database
from eduteach.storage.models import AiUseScale


def _file() -> dict[str, Any]:
    return copy.deepcopy(scale_json(DEFAULT_SCALE))


def test_the_default_scale_has_the_four_levels_a_school_starts_with() -> None:
    names = [level.name for level in DEFAULT_SCALE.levels]
    assert names == [
        "No AI",
        "AI for planning only",
        "AI as a collaborator, with disclosure",
        "AI fully allowed, with disclosure",
    ]
    assert not DEFAULT_SCALE.levels[0].ai_allowed
    assert all(level.disclosure_required for level in DEFAULT_SCALE.levels[2:])
    for level in DEFAULT_SCALE.levels:
        assert contrast_ratio(level.colour, level.text_colour) >= 4.5


def test_the_default_reads_back_as_itself() -> None:
    assert parse_scale(_file()) == DEFAULT_SCALE


def test_a_plain_list_of_levels_is_a_scale_and_flags_follow_the_name() -> None:
    scale = parse_scale(
        [
            {"name": "No AI", "description": "On your own.", "colour": "#b42318"},
            {"name": "AI with care", "description": "Disclose it.", "colour": "#067647"},
        ]
    )
    assert [level.ai_allowed for level in scale.levels] == [False, True]
    assert [level.disclosure_required for level in scale.levels] == [False, True]
    assert scale.levels[0].colour == "#B42318"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda f: f.update(levels=f["levels"][:1]), "between 2 and 8 levels (this one has 1)"),
        (lambda f: f.update(levels=f["levels"] * 3), "between 2 and 8 levels (this one has 12)"),
        (
            lambda f: f["levels"][2].update(name=" ai FOR planning only"),
            "Two levels are called “ai FOR planning only”",
        ),
        (lambda f: f["levels"][1].update(colour="yellow"), "must be written as #RRGGBB"),
        (lambda f: f["levels"][1].update(colour="#777777"), "neither white nor dark text"),
        (lambda f: f["levels"][2].update(name="  "), "Level 3 needs a name"),
        (lambda f: f["levels"][0].update(ai_allowed=True), "is called “No AI” but"),
        (lambda f: f["levels"][0].update(disclosure_required=True), "cannot require disclosing"),
        (lambda f: f["levels"][1].update(shade="dark"), '"shade" is not a setting of a level'),
    ],
)
def test_an_unusable_scale_is_refused_with_a_sentence_that_says_why(
    change: Any, expected: str
) -> None:
    data = _file()
    change(data)
    with pytest.raises(ScaleError) as caught:
        parse_scale(data)
    assert any(expected in problem for problem in caught.value.problems), caught.value.problems


def test_every_problem_is_listed_at_once() -> None:
    data = _file()
    data["levels"][1]["colour"] = "#777777"
    data["levels"][3]["name"] = data["levels"][2]["name"]
    with pytest.raises(ScaleError) as caught:
        parse_scale(data)
    assert len(caught.value.problems) == 2


def test_text_on_a_colour_is_white_on_dark_and_dark_on_light() -> None:
    assert text_colour("#175CD3") == "#FFFFFF"
    assert text_colour("#F5B800") == "#1A1A1A"


def test_the_default_is_stored_once_and_an_admins_scale_replaces_it(database_url: str) -> None:
    db = Database(database_url)
    from eduteach.storage import migrate

    migrate.upgrade(db.engine)
    try:
        with db.session() as s:
            assert school_scale(s) == DEFAULT_SCALE
        with db.session() as s:
            assert school_scale(s) == DEFAULT_SCALE
            assert s.query(AiUseScale).count() == 1
        mine = parse_scale(
            {
                "name": "Hillside AI scale",
                "levels": [
                    {"name": "Red", "description": "No AI.", "colour": "#B42318",
                     "ai_allowed": False, "disclosure_required": False},
                    {"name": "Green", "description": "AI with disclosure.", "colour": "#067647"},
                ],
            }
        )  # fmt: skip
        with db.session() as s:
            set_school_scale(s, mine)
        with db.session() as s:
            assert school_scale(s) == mine
            assert s.query(AiUseScale).count() == 1
    finally:
        db.dispose()
