"""An activity type, and the score a student's responses earn.

Each type is one module in this package (its output schema, checks, scoring function) plus
its editor and player templates under ``templates/activities/<name>/``, and one entry in
``registry.ACTIVITIES``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from eduteach.activities.common import ActivityRequest, Check, field_checks


@dataclass(frozen=True)
class ItemResult:
    """What one item earned. ``feedback`` is shown only once the student has earned it."""

    item: str
    points: float
    max_points: float
    feedback: str = ""

    @property
    def correct(self) -> bool:
        return self.points >= self.max_points > 0


@dataclass(frozen=True)
class Score:
    """A scored attempt: points out of the maximum, item by item."""

    items: tuple[ItemResult, ...]

    @property
    def points(self) -> float:
        return round(sum(r.points for r in self.items), 4)

    @property
    def max_points(self) -> float:
        return round(sum(r.max_points for r in self.items), 4)

    @property
    def fraction(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0


Scorer = Callable[[Any, Mapping[str, Any], Mapping[str, Any]], Score]
"""``score(activity, responses, params)``: pure, no I/O; never trusts the browser's key."""


@dataclass(frozen=True)
class ActivityType:
    """One kind of learning activity."""

    name: str  # kind and prompt template name, e.g. "fill_in"
    cli_name: str  # the `eduteach generate` subcommand, e.g. "fill-in"
    label: str
    request: type[ActivityRequest]
    output: type[BaseModel]
    items_field: str  # the list a teacher edits item by item
    item_label: str  # how the checks name one item: "Question" 3
    score: Scorer
    graded: bool
    max_tokens: int
    checks: Mapping[str, Check] = field(default_factory=dict)  # field name -> check
    # (label, source_quote) per item, for the grounding check when material was given.
    quotes: Callable[[Any], list[tuple[str, str]]] | None = None
    # The request's counts as an activity has them now ({"count": 6}): after the teacher adds
    # or deletes items on purpose, the checks hold the activity to its own size.
    counts: Callable[[Any], dict[str, int]] | None = None
    # List fields whose length the request fixes: field name -> request parameter.
    sized_fields: Mapping[str, str] = field(default_factory=dict)
    # Deterministic corrections before the checks (see GenerationSpec.fixers).
    fixers: tuple[Callable[[Any, Mapping[str, Any]], tuple[Any, list[str]]], ...] = ()

    def field_checks(self, sources: Sequence[str] = ()) -> dict[str, Check]:
        """The checks by field, with the grounding check when there is material."""
        return field_checks(self.checks, self.quotes, self.items_field, sources)

    def check(
        self, output: Any, params: Mapping[str, Any], sources: Sequence[str] = ()
    ) -> list[str]:
        """Every problem of an activity at once."""
        return [p for c in self.field_checks(sources).values() for p in c(output, params)]

    def list_sizes(self, params: Mapping[str, Any]) -> dict[str, int]:
        """The list lengths the request fixes ({"items": 5}), for the schema sent to the model."""
        return {name: int(params[key]) for name, key in self.sized_fields.items() if key in params}

    def check_edit(self, output: Any, params: Mapping[str, Any]) -> list[str]:
        """The problems of a teacher's edit: the sizes the teacher chose are not problems."""
        sizes = self.counts(output) if self.counts else {}
        return self.check(output, {**params, **sizes})
