"""Unit plans: a sequence of lesson outlines with big ideas, assessment and pacing."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from eduteach.generation.schemas.common import OutputModel, PlanRequest, StandardRef, Text

MIN_LESSONS = 2
MAX_LESSONS = 30


class LessonOutline(OutputModel):
    """One lesson of the unit, short enough to expand into a full lesson plan later."""

    title: Text = Field(description="A clear, specific title for the lesson.")
    focus: Text = Field(description="The one idea or skill this lesson centres on, in a sentence.")
    objectives: list[Text] = Field(
        min_length=1,
        max_length=4,
        description="Measurable objectives: 'Students will be able to' and an observable verb.",
    )
    key_activities: list[Text] = Field(
        min_length=1, max_length=6, description="The main things students do, in order."
    )
    minutes: int = Field(ge=5, le=180, description="Length of this lesson in minutes.")


class SummativeAssessment(OutputModel):
    """How students show what they learned across the unit."""

    title: Text = Field(description="Name of the task, e.g. 'Design a fraction recipe book'.")
    description: Text = Field(description="What students make or do, and under what conditions.")
    success_criteria: list[Text] = Field(
        min_length=1, max_length=8, description="Criteria the work is judged by, student-facing."
    )


class Pacing(OutputModel):
    """How the lessons spread over the calendar."""

    lessons_per_week: int = Field(ge=1, le=7, description="How many lessons are taught each week.")
    weeks: int = Field(
        ge=1,
        le=30,
        description="Number of weeks: the number of lessons divided by lessons per week, rounded up.",
    )
    notes: Text = Field(
        description="Advice on pacing: buffer time, review points, where to slow down."
    )


class UnitPlan(OutputModel):
    """A unit: its goals, its lessons in order, and how it is assessed."""

    title: Text = Field(description="A clear, engaging title for the unit.")
    overview: Text = Field(description="Three to five sentences: what the unit covers and why.")
    big_ideas: list[Text] = Field(
        min_length=1, max_length=5, description="Enduring understandings students keep."
    )
    essential_questions: list[Text] = Field(
        min_length=1,
        max_length=5,
        description="Open questions that drive the unit, each a question.",
    )
    standards: list[StandardRef] = Field(
        max_length=10,
        description="Only standards from the teacher's list; empty when the teacher gave none.",
    )
    lessons: list[LessonOutline] = Field(
        min_length=1, max_length=MAX_LESSONS, description="The lessons in teaching order."
    )
    summative_assessment: SummativeAssessment = Field(description="The end-of-unit assessment.")
    pacing: Pacing = Field(description="How the lessons spread over the weeks.")


def _count(raw: object, name: str, low: int, high: int, what: str) -> int:
    text = str(raw).strip() if isinstance(raw, str | int) and not isinstance(raw, bool) else ""
    if not text.isdigit() or not low <= int(text) <= high:
        raise PydanticCustomError(
            name,
            "Choose {what} between {low} and {high}.",
            {"what": what, "low": low, "high": high},
        )
    return int(text)


def _lessons(raw: object) -> int:
    return _count(raw, "lessons", MIN_LESSONS, MAX_LESSONS, "a number of lessons")


def _lessons_per_week(raw: object) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    return _count(raw, "lessons_per_week", 1, 7, "a number of lessons per week")


class UnitPlanRequest(PlanRequest):
    """A teacher's request for a unit plan; ``duration_minutes`` is the length of each lesson."""

    number_of_lessons: Annotated[int, BeforeValidator(_lessons)] = Field(
        description="How many lessons the unit has."
    )
    lessons_per_week: Annotated[int | None, BeforeValidator(_lessons_per_week)] = Field(
        default=None, description="How many lessons are taught each week, if the teacher knows."
    )
