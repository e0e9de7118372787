"""The kinds of content, each with its request form, output schema, checks and Word renderer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from eduteach.generation import GenerationSpec
from eduteach.generation.schemas import PLAN_KINDS
from eduteach.generation.schemas.common import PlanRequest
from eduteach.generation.validators import (
    PLAN_CHECKS,
    PLAN_FIELD_CHECKS,
    PLAN_FIXES,
    PLAN_WHOLE_CHECKS,
    Check,
)


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    request: type[PlanRequest]
    output: type[BaseModel]
    # Every check at once (warnings on a teacher's edit); the engine runs the same checks
    # split into one-field checks and whole-artifact checks, to repair one field at a time.
    checks: Check
    field_checks: Mapping[str, Check]
    whole_checks: tuple[Check, ...]
    max_tokens: int
    fixers: tuple[Callable[[Any, Mapping[str, Any]], tuple[Any, list[str]]], ...] = ()

    def spec(self) -> GenerationSpec[Any]:
        return GenerationSpec(
            kind=self.name,
            output=self.output,
            validators=self.whole_checks,
            field_checks=self.field_checks,
            fixers=self.fixers,
            max_tokens=self.max_tokens,
        )


_LABELS = {
    "lesson_plan": ("Lesson plan", 3500),
    "minecraft_lesson_plan": ("Minecraft Education lesson plan", 4000),
    "unit_plan": ("Unit plan", 4000),
}

KINDS: dict[str, Kind] = {
    name: Kind(
        name=name,
        label=_LABELS[name][0],
        request=pair.request,
        output=pair.output,
        checks=PLAN_CHECKS[name],
        field_checks=PLAN_FIELD_CHECKS[name],
        whole_checks=PLAN_WHOLE_CHECKS[name],
        max_tokens=_LABELS[name][1],
        fixers=PLAN_FIXES[name],
    )
    for name, pair in PLAN_KINDS.items()
}


def kind(name: str) -> Kind:
    """The kind called ``name``; KeyError for anything else."""
    return KINDS[name]
