"""The teacher's request forms and the model's output contracts for plans."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from eduteach.generation.schemas import (
    PLAN_KINDS,
    LessonPlan,
    LessonPlanRequest,
    MinecraftLessonPlan,
    MinecraftLessonPlanRequest,
    UnitPlanRequest,
    dump_params,
    teacher_messages,
)
from tests.plans import samples


def _messages(model: type[BaseModel], **values: Any) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        model(**values)
    return teacher_messages(caught.value)


def test_a_minimal_request_gets_sensible_defaults() -> None:
    request = LessonPlanRequest(
        subject=" Science ", grade="5th grade", description="The water cycle and its stages"
    )
    assert dump_params(request) == {
        "subject": "Science",
        "grade": "5",
        "language": "English",
        "description": "The water cycle and its stages",
        "duration_minutes": 45,
        "standards": [],
        "class_notes": "",
        "tone": "encouraging",
    }


@pytest.mark.parametrize(
    ("typed", "grade"),
    [
        ("K", "K"),
        ("Kindergarten", "K"),
        ("grade 3", "3"),
        ("12", "12"),
        ("9th", "9"),
        ("College", "higher-ed"),
        ("Higher education", "higher-ed"),
    ],
)
def test_grades_are_understood_as_teachers_write_them(typed: str, grade: str) -> None:
    assert samples.lesson_request(grade=typed).grade == grade


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("grade", "13", "Choose a grade from K to 12, or Higher education."),
        ("grade", "Year 0", "Choose a grade from K to 12, or Higher education."),
        ("description", "Fractions", "at least 20 characters (you wrote 9)"),
        ("duration_minutes", 4, "between 5 and 180 minutes (you entered 4)"),
        ("duration_minutes", "181", "between 5 and 180 minutes (you entered 181)"),
        ("duration_minutes", "forty", "whole minutes, for example 45"),
        ("standards", [f"S.{n} standard" for n in range(11)], "at most 10 standards"),
        ("class_notes", "Email ana.p@school.org about her IEP", "Remove the email address"),
        ("tone", "sarcastic", "Choose a tone: encouraging, neutral, formal, playful."),
        ("language", "English!!", "Enter the language by name"),
        ("subject", "   ", "Enter the subject"),
    ],
)
def test_a_wrong_request_explains_itself_to_the_teacher(
    field: str, value: object, message: str
) -> None:
    values = samples.lesson_request().model_dump() | {field: value}
    messages = _messages(LessonPlanRequest, **values)
    assert list(messages) == [field]
    assert message in messages[field]


def test_missing_fields_are_named_in_plain_words() -> None:
    messages = _messages(LessonPlanRequest, grade="5")
    assert messages == {
        "subject": "This field is required.",
        "description": "This field is required.",
    }


def test_standards_arrive_one_per_line_without_blanks_or_repeats() -> None:
    request = samples.lesson_request(standards="RL.5.2 Theme\n\n  RL.5.2   Theme \nRL.5.3 Compare")
    assert request.standards == ["RL.5.2 Theme", "RL.5.3 Compare"]


@pytest.mark.parametrize("language", ["English", "Español", "Português (Brasil)", "中文"])
def test_languages_in_their_own_script_are_accepted(language: str) -> None:
    assert samples.lesson_request(language=language).language == language


def test_a_unit_request_limits_the_number_of_lessons() -> None:
    assert samples.unit_request(number_of_lessons="12").number_of_lessons == 12
    assert samples.unit_request(lessons_per_week="").lessons_per_week is None
    messages = _messages(UnitPlanRequest, **(samples.unit_params() | {"number_of_lessons": 31}))
    assert messages == {"number_of_lessons": "Choose a number of lessons between 2 and 30."}
    messages = _messages(UnitPlanRequest, **(samples.unit_params() | {"lessons_per_week": 8}))
    assert "between 1 and 7" in messages["lessons_per_week"]


def test_a_minecraft_request_needs_the_in_game_setting() -> None:
    params = samples.lesson_params()
    assert _messages(MinecraftLessonPlanRequest, **params) == {
        "in_game_setting": "This field is required."
    }
    request = MinecraftLessonPlanRequest(**params, in_game_setting="Ocean Explorer world")
    assert dump_params(request)["in_game_setting"] == "Ocean Explorer world"


def _objects(schema: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(schema, dict):
        if schema.get("type") == "object":
            found.append(schema)
        for value in schema.values():
            found += _objects(value)
    elif isinstance(schema, list):
        for value in schema:
            found += _objects(value)
    return found


@pytest.mark.parametrize("kind", sorted(PLAN_KINDS))
def test_output_schemas_work_with_strict_structured_output(kind: str) -> None:
    schema = PLAN_KINDS[kind].output.model_json_schema()
    text = json.dumps(schema)
    # Strict mode needs closed objects whose every property is required, and no unions.
    assert "anyOf" not in text
    assert "oneOf" not in text
    assert '"default"' not in text
    for obj in _objects(schema):
        assert obj["additionalProperties"] is False, obj["title"]
        assert set(obj["required"]) == set(obj["properties"]), obj["title"]
        for name, prop in obj["properties"].items():
            assert prop.get("description"), f"{obj['title']}.{name} has no description"


def test_the_output_contract_rejects_blank_text_unknown_fields_and_wrong_phases() -> None:
    with pytest.raises(ValidationError, match="must not be empty"):
        samples.lesson_plan(title="  ")
    with pytest.raises(ValidationError, match="Extra inputs"):
        LessonPlan.model_validate(samples.lesson_plan_data(rating="great"))
    steps = samples.lesson_plan_data()["procedure"]
    steps[0] = steps[0] | {"phase": "hook"}
    with pytest.raises(ValidationError, match="warm-up"):
        samples.lesson_plan(procedure=steps)


def test_a_minecraft_plan_keeps_the_classroom_structure() -> None:
    plan = samples.minecraft_plan()
    assert isinstance(plan, LessonPlan)
    assert set(LessonPlan.model_fields) < set(MinecraftLessonPlan.model_fields)
    assert [c.objective for c in plan.challenges] == [1, 2, 3]
