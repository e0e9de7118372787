"""The scale form's model: what a post becomes, and where each problem of a scale is shown."""

from __future__ import annotations

import pytest

from eduteach.guidelines import DEFAULT_SCALE, ScaleError
from eduteach.web.teacher.scale_form import ScaleForm, place
from tests.school_scale.forms import default_json, fields


def test_a_posted_form_reads_back_as_the_scale_it_shows() -> None:
    assert ScaleForm.read(fields(default_json())).scale() == DEFAULT_SCALE


def test_an_unreadable_colour_is_kept_as_typed_and_the_preview_keeps_the_last_good_one() -> None:
    data = fields(default_json())
    data["level-2-colour"] = "sunflower"
    row = ScaleForm.read(data).levels[1]
    assert row.colour == "sunflower"
    assert row.swatch == "#F5B800"
    assert row.text_colour == "#1A1A1A"


def test_a_forged_count_reads_no_more_than_sixteen_levels() -> None:
    data = fields(default_json())
    data["count"] = "100000"
    assert len(ScaleForm.read(data).levels) == 16
    data["count"] = "lots"
    assert ScaleForm.read(data).levels == ()


def test_each_problem_is_placed_on_its_field_and_listed_in_the_forms_order() -> None:
    data = fields(default_json())
    data["name"] = " "
    data["level-1-colour"] = "#808080"
    form = ScaleForm.read(data).removed(4).removed(3).removed(2)  # one level left
    with pytest.raises(ScaleError) as caught:
        form.scale()
    placed = place(caught.value)
    assert set(placed.fields) == {"f-name", "levels-heading", "f-level-1-colour"}
    assert [target for _, target in placed.summary] == [
        "f-name",
        "levels-heading",
        "f-level-1-colour",
    ]
