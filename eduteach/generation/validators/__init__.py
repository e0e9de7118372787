"""Domain checks that run after schema validation; each returns problems as sentences.

``PLAN_CHECKS`` maps a plan kind (the prompt template name) to its check, called as
``check(output, params)`` with the validated output model and the request's params dict.
The engine runs the same checks split as ``PLAN_FIELD_CHECKS`` (each about one top-level
field, so a repair can ask for that field alone) and ``PLAN_WHOLE_CHECKS`` (the rest).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from eduteach.generation.validators.plans import (
    LESSON_PLAN_FIELD_CHECKS,
    MINECRAFT_LESSON_PLAN_FIELD_CHECKS,
    UNIT_PLAN_FIELD_CHECKS,
    Check,
    check_challenges,
    check_essential_questions,
    check_lesson_count,
    check_lesson_plan,
    check_minecraft_lesson_plan,
    check_objectives,
    check_phase_order,
    check_procedure_minutes,
    check_standards,
    check_unit_pacing,
    check_unit_plan,
    check_vocabulary,
    codes_match,
    fix_procedure_minutes,
    objective_problem,
    standard_code,
)

PLAN_CHECKS: dict[str, Check] = {
    "lesson_plan": check_lesson_plan,
    "minecraft_lesson_plan": check_minecraft_lesson_plan,
    "unit_plan": check_unit_plan,
}

PLAN_FIELD_CHECKS: dict[str, dict[str, Check]] = {
    "lesson_plan": LESSON_PLAN_FIELD_CHECKS,
    "minecraft_lesson_plan": MINECRAFT_LESSON_PLAN_FIELD_CHECKS,
    "unit_plan": UNIT_PLAN_FIELD_CHECKS,
}

PLAN_WHOLE_CHECKS: dict[str, tuple[Check, ...]] = {
    "lesson_plan": (),
    "minecraft_lesson_plan": (),
    "unit_plan": (check_unit_pacing,),
}

Fix = Callable[[Any, Mapping[str, Any]], tuple[Any, list[str]]]

PLAN_FIXES: dict[str, tuple[Fix, ...]] = {
    "lesson_plan": (fix_procedure_minutes,),
    "minecraft_lesson_plan": (fix_procedure_minutes,),
    "unit_plan": (),
}
"""Deterministic corrections per kind, applied before the checks (see GenerationSpec.fixers)."""

__all__ = [
    "PLAN_CHECKS",
    "PLAN_FIELD_CHECKS",
    "PLAN_FIXES",
    "PLAN_WHOLE_CHECKS",
    "Check",
    "check_challenges",
    "check_essential_questions",
    "check_lesson_count",
    "check_lesson_plan",
    "check_minecraft_lesson_plan",
    "check_objectives",
    "check_phase_order",
    "check_procedure_minutes",
    "check_standards",
    "check_unit_pacing",
    "check_unit_plan",
    "check_vocabulary",
    "codes_match",
    "fix_procedure_minutes",
    "objective_problem",
    "standard_code",
]
