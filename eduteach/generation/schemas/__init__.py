"""Output schemas (the model's contract) and request models (the teacher's form) for plans.

``PLAN_KINDS`` pairs each kind's prompt template name with its request and output model:
``templates/prompts/<kind>.system.j2`` ↔ the output model.
"""

from __future__ import annotations

from typing import NamedTuple

from pydantic import BaseModel

from eduteach.generation.schemas.common import (
    GRADES,
    TONES,
    OutputModel,
    PlanRequest,
    StandardRef,
    dump_params,
    normalize_grade,
    teacher_messages,
)
from eduteach.generation.schemas.lesson_plan import (
    PHASES,
    Differentiation,
    LessonPlan,
    LessonPlanRequest,
    MinecraftChallenge,
    MinecraftLessonPlan,
    MinecraftLessonPlanRequest,
    MinecraftRole,
    ProcedureStep,
    ShowingWork,
    VocabularyTerm,
)
from eduteach.generation.schemas.unit_plan import (
    LessonOutline,
    Pacing,
    SummativeAssessment,
    UnitPlan,
    UnitPlanRequest,
)


class PlanKind(NamedTuple):
    """A kind of plan: what the teacher fills in and what the model must return."""

    request: type[PlanRequest]
    output: type[BaseModel]


PLAN_KINDS: dict[str, PlanKind] = {
    "lesson_plan": PlanKind(LessonPlanRequest, LessonPlan),
    "minecraft_lesson_plan": PlanKind(MinecraftLessonPlanRequest, MinecraftLessonPlan),
    "unit_plan": PlanKind(UnitPlanRequest, UnitPlan),
}

__all__ = [
    "GRADES",
    "PHASES",
    "PLAN_KINDS",
    "TONES",
    "Differentiation",
    "LessonOutline",
    "LessonPlan",
    "LessonPlanRequest",
    "MinecraftChallenge",
    "MinecraftLessonPlan",
    "MinecraftLessonPlanRequest",
    "MinecraftRole",
    "OutputModel",
    "Pacing",
    "PlanKind",
    "PlanRequest",
    "ProcedureStep",
    "ShowingWork",
    "StandardRef",
    "SummativeAssessment",
    "UnitPlan",
    "UnitPlanRequest",
    "VocabularyTerm",
    "dump_params",
    "normalize_grade",
    "teacher_messages",
]
