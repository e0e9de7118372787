"""The kinds of content, each with its request form, output schema, checks and Word renderer.

Plans (lesson, Minecraft lesson, unit) and activities (flashcards, fill-in, matching, quiz,
self-quiz) are all kinds: the engine, the jobs, the library and the versions treat them
alike. An activity kind also carries its ``ActivityType`` (scoring, editor, player).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from pydantic import BaseModel

from eduteach import guidelines, modify
from eduteach.activities import ACTIVITIES, ActivityType
from eduteach.generation import GenerationSpec
from eduteach.generation.schemas import PLAN_KINDS
from eduteach.generation.validators import (
    PLAN_FIELD_CHECKS,
    PLAN_FIXES,
    PLAN_WHOLE_CHECKS,
    Check,
)
from eduteach.guidelines import checks as guideline_checks
from eduteach.standards.verified import CITED_CODES, real_codes_check, requiring_real_codes


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    request: type[BaseModel]
    output: type[BaseModel]
    # Checks by the top-level field each is about (a repair can ask for that field alone),
    # and checks of the whole artifact.
    field_checks: Mapping[str, Check]
    whole_checks: tuple[Check, ...]
    max_tokens: int
    fixers: tuple[Callable[[Any, Mapping[str, Any]], tuple[Any, list[str]]], ...] = ()
    activity: ActivityType | None = None
    # Problems the teacher may fix in review: see GenerationSpec.keepable.
    keepable: Callable[[str], str | None] | None = None

    @property
    def is_activity(self) -> bool:
        return self.activity is not None

    def checks(self, output: Any, params: Mapping[str, Any]) -> list[str]:
        """Every problem at once (the warnings shown after a teacher's edit)."""
        if self.activity is not None:
            return self.activity.check_edit(output, params)
        checks = [*self.whole_checks, *self.field_checks.values()]
        return [problem for check in checks for problem in check(output, params)]

    def spec(
        self, sources: Sequence[str] = (), params: Mapping[str, Any] | None = None
    ) -> GenerationSpec[Any]:
        """How the engine makes this kind; ``sources`` are the teacher's material as text.

        Activities made from material get the check that each item quotes it, and keep an
        item that still fails after the repairs, flagged for the teacher; with the request's
        ``params`` their schema asks for exactly the number of items wanted.
        """
        field_checks = (
            self.activity.field_checks(sources) if self.activity else dict(self.field_checks)
        )
        return GenerationSpec(
            kind=self.name,
            output=self.output,
            validators=self.whole_checks,
            field_checks=field_checks,
            fixers=self.fixers,
            max_tokens=self.max_tokens,
            keep_flagged=self.is_activity,
            keepable=self.keepable,
            list_sizes=self.activity.list_sizes(params or {}) if self.activity else {},
            item_parts=(
                {self.activity.items_field: self.activity.item_label} if self.activity else {}
            ),
        )


_LABELS = {
    "lesson_plan": ("Lesson plan", 3500),
    "minecraft_lesson_plan": ("Minecraft Education lesson plan", 4000),
    "unit_plan": ("Unit plan", 4000),
}

PLANS: dict[str, Kind] = {
    name: Kind(
        name=name,
        label=_LABELS[name][0],
        request=pair.request,
        output=pair.output,
        field_checks=PLAN_FIELD_CHECKS[name],
        whole_checks=PLAN_WHOLE_CHECKS[name],
        max_tokens=_LABELS[name][1],
        fixers=PLAN_FIXES[name],
    )
    for name, pair in PLAN_KINDS.items()
}

ACTIVITY_KINDS: dict[str, Kind] = {
    name: Kind(
        name=name,
        label=t.label,
        request=t.request,
        output=t.output,
        field_checks=t.checks,
        whole_checks=(),
        max_tokens=t.max_tokens,
        fixers=t.fixers,
        activity=t,
    )
    for name, t in ACTIVITIES.items()
}

KINDS: dict[str, Kind] = PLANS | ACTIVITY_KINDS

# AI-use guidelines for an assignment (issue 6, part C): the level comes from the school's
# scale in the request's params; the checks make the guidance match it.
KINDS[guidelines.KIND_NAME] = Kind(
    name=guidelines.KIND_NAME,
    label=guidelines.LABEL,
    request=guidelines.GuidelinesRequest,
    output=guidelines.AiGuidelines,
    field_checks=guidelines.FIELD_CHECKS,
    whole_checks=guidelines.WHOLE_CHECKS,
    max_tokens=guidelines.MAX_TOKENS,
    keepable=guideline_checks.teacher_warning,
)


# Modified material (issue 6, part B): its spec measures each version's reading level and
# repairs version by version, keeping a version still off target with a warning.
@dataclass(frozen=True)
class _ModifyKind(Kind):
    def spec(
        self, sources: Sequence[str] = (), params: Mapping[str, Any] | None = None
    ) -> GenerationSpec[Any]:
        """The modify recipe (its checks depend on the material), plus the check that a version
        cites only codes that exist in the imported frameworks."""
        base = modify.spec(sources, params)
        own = base.field_checks["versions"]
        real_codes = real_codes_check(*CITED_CODES[modify.KIND])

        def versions(output: Any, values: Mapping[str, Any]) -> list[str]:
            return [*own(output, values), *real_codes(output, values)]

        return replace(base, field_checks={**base.field_checks, "versions": versions})


KINDS[modify.KIND] = _ModifyKind(
    name=modify.KIND,
    label=modify.LABEL,
    request=modify.ModifyRequest,
    output=modify.ModifiedText,
    field_checks={"versions": modify.version_checks()},
    whole_checks=(),
    max_tokens=modify.MAX_TOKENS,
)

# Standards picked from imported frameworks (issue 6, part A): a plan or quiz may cite their
# codes only exactly as the framework writes them (eduteach.standards.verified).
KINDS.update(requiring_real_codes(KINDS))


def kind(name: str) -> Kind:
    """The kind called ``name``; KeyError for anything else."""
    return KINDS[name]
