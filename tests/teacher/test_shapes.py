"""The generic section editor: shapes from the output schemas, forms read back, errors placed."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from eduteach.generation.schemas import LessonPlan, MinecraftLessonPlan, UnitPlan
from eduteach.web.teacher.shapes import errors_for, read_form, section, sections
from tests.plans.samples import lesson_plan_data


def test_every_section_of_every_plan_kind_has_a_form() -> None:
    kinds = {
        shape.name: shape.kind
        for model in (LessonPlan, MinecraftLessonPlan, UnitPlan)
        for shape in sections(model)
    }
    assert kinds["overview"] == "long_text"
    assert kinds["title"] == "text"
    assert kinds["objectives"] == "strings"
    assert kinds["procedure"] == "rows"
    assert kinds["differentiation"] == "group"
    assert kinds["pacing"] == "group"
    assert kinds["lessons"] == "rows"
    procedure = section(LessonPlan, "procedure")
    fields = {f.name: f for f in procedure.fields}
    assert fields["phase"].choices[0] == "warm-up"
    assert (fields["minutes"].kind, fields["minutes"].minimum) == ("integer", 1)
    assert fields["teacher_actions"].kind == "strings"
    assert procedure.min_items == 5


def test_rows_follow_the_page_order_and_blank_rows_are_dropped() -> None:
    vocabulary = section(LessonPlan, "vocabulary")
    value = read_form(
        vocabulary,
        [
            ("v.n7.term", "numerator"),
            ("v.n7.definition", "The top number."),
            ("v.0.term", "  denominator "),
            ("v.0.definition", "The bottom number."),
            ("v.1.term", ""),
            ("v.1.definition", "   "),
        ],
    )
    assert value == [
        {"term": "numerator", "definition": "The top number."},
        {"term": "denominator", "definition": "The bottom number."},
    ]


def test_lines_become_items_and_numbers_that_do_not_parse_stay_as_typed() -> None:
    steps = read_form(
        section(LessonPlan, "procedure"),
        [
            ("v.0.phase", "warm-up"),
            ("v.0.title", "Sort"),
            ("v.0.minutes", "ten"),
            ("v.0.teacher_actions", "Model one\r\n\r\n  Ask why  \n"),
            ("v.0.student_actions", "Sort cards"),
        ],
    )
    assert steps == [
        {
            "phase": "warm-up",
            "title": "Sort",
            "minutes": "ten",
            "teacher_actions": ["Model one", "Ask why"],
            "student_actions": ["Sort cards"],
        }
    ]
    group = read_form(
        section(LessonPlan, "differentiation"),
        [("v.support", "Frames"), ("v.on_level", "Set A"), ("v.extension", "Write one")],
    )
    assert group == {"support": ["Frames"], "on_level": ["Set A"], "extension": ["Write one"]}


def test_validation_errors_land_on_the_input_that_caused_them() -> None:
    shape = section(LessonPlan, "procedure")
    data = lesson_plan_data()
    data["procedure"][2]["minutes"] = "ten"
    data["procedure"][0]["teacher_actions"] = ["Fine", "  "]
    with pytest.raises(ValidationError) as caught:
        LessonPlan.model_validate(data)
    errors = errors_for(shape, caught.value)
    assert errors.by_input["v.2.minutes"] == "Enter a whole number, for example 10."
    assert errors.by_input["v.0.teacher_actions"].startswith("Line 2: ")
    assert not errors.general


def test_a_list_that_became_too_short_is_reported_on_the_whole_table() -> None:
    shape = section(LessonPlan, "procedure")
    with pytest.raises(ValidationError) as caught:
        LessonPlan.model_validate(lesson_plan_data(procedure=[]))
    assert errors_for(shape, caught.value).by_input == {"v": "Add at least 5 items."}
