"""Domain checks that run after schema validation; each returns problems as sentences.

``PLAN_CHECKS`` maps a plan kind (the prompt template name) to its check, called as
``check(output, params)`` with the validated output model and the request's params dict.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from eduteach.generation.validators.plans import (
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

Check = Callable[[Any, Mapping[str, Any]], list[str]]

PLAN_CHECKS: dict[str, Check] = {
    "lesson_plan": check_lesson_plan,
    "minecraft_lesson_plan": check_minecraft_lesson_plan,
    "unit_plan": check_unit_plan,
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
    "PLAN_FIXES",
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
