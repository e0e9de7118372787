"""The school's AI-use scale as an HTML form: read from the posted fields, changed, checked.

Pure data, no Flask: the page (``school.py``) reads a ``ScaleForm`` from the posted fields,
applies the button the administrator pressed (add, remove, move, restore) and checks it
with ``parse_scale`` only when they save. Everything typed travels back into the form
as typed, valid or not.

A colour has two inputs: a colour picker and the ``#RRGGBB`` text beside it (for keyboard
users, and to paste a school's brand colour). Without JavaScript they are not kept in step,
so each carries the value it was shown with, and the one the administrator changed wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from eduteach.guidelines import (
    DEFAULT_SCALE,
    MAX_LEVELS,
    MIN_LEVELS,
    Scale,
    ScaleError,
    parse_scale,
    text_colour,
)
from eduteach.guidelines.colours import MIN_CONTRAST, best_contrast, is_hex_colour

MAX_POSTED_LEVELS = 16
"""More levels than this in a post are a forged form: the rest is not read."""
NEW_LEVEL_COLOURS = ("#6941C6", "#0E7090", "#C4320A", "#344054", "#175CD3", "#067647")
"""Colours offered to a new level, the first one no level uses yet (all readable)."""
FALLBACK_COLOUR = "#344054"
LEVEL_FIELDS = ("name", "description", "colour", "ai_allowed", "disclosure_required")


@dataclass(frozen=True)
class LevelRow:
    """One level as the form holds it: what was typed, and a valid colour to preview."""

    name: str = ""
    description: str = ""
    colour: str = ""
    swatch: str = FALLBACK_COLOUR
    ai_allowed: bool = True
    disclosure_required: bool = True

    @property
    def text_colour(self) -> str:
        """White or dark, whichever reads better on the preview's colour."""
        return text_colour(self.swatch)

    @property
    def contrast(self) -> float:
        """The contrast of the preview's text on its colour (WCAG ratio)."""
        return best_contrast(self.swatch)

    @property
    def readable(self) -> bool:
        return self.contrast >= MIN_CONTRAST

    def raw(self) -> dict[str, Any]:
        """The level as ``parse_scale`` reads it."""
        return {
            "name": self.name,
            "description": self.description,
            "colour": self.colour,
            "ai_allowed": self.ai_allowed,
            "disclosure_required": self.disclosure_required,
        }


@dataclass(frozen=True)
class ScaleForm:
    """The scale's name and its levels, in order from least to most AI."""

    name: str
    levels: tuple[LevelRow, ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, scale: Scale) -> ScaleForm:
        """The form showing a stored scale."""
        return cls(
            name=scale.name,
            levels=tuple(
                LevelRow(
                    name=level.name,
                    description=level.description,
                    colour=level.colour,
                    swatch=level.colour,
                    ai_allowed=level.ai_allowed,
                    disclosure_required=level.disclosure_required,
                )
                for level in scale.levels
            ),
        )

    @classmethod
    def read(cls, form: Mapping[str, str]) -> ScaleForm:
        """The form as posted (``level-N-...`` fields, N from 1 to ``count``)."""
        try:
            count = int(form.get("count", "0"))
        except ValueError:
            count = 0
        rows = tuple(
            _read_level(form, position)
            for position in range(1, max(0, min(count, MAX_POSTED_LEVELS)) + 1)
        )
        return cls(name=form.get("name", ""), levels=rows)

    @property
    def can_add(self) -> bool:
        return len(self.levels) < MAX_LEVELS

    @property
    def can_remove(self) -> bool:
        return len(self.levels) > MIN_LEVELS

    def added(self) -> ScaleForm:
        """One more, empty level at the end (most AI), in a colour no level has yet."""
        used = {row.swatch.upper() for row in self.levels}
        colour = next((c for c in NEW_LEVEL_COLOURS if c not in used), NEW_LEVEL_COLOURS[0])
        return replace(self, levels=(*self.levels, LevelRow(colour=colour, swatch=colour)))

    def removed(self, position: int) -> ScaleForm:
        """Without the level at ``position`` (1-based)."""
        rows = list(self.levels)
        del rows[position - 1]
        return replace(self, levels=tuple(rows))

    def moved(self, position: int, step: int) -> ScaleForm:
        """The level at ``position`` swapped with its neighbour ``step`` (-1 up, +1 down)."""
        rows = list(self.levels)
        other = position - 1 + step
        rows[position - 1], rows[other] = rows[other], rows[position - 1]
        return replace(self, levels=tuple(rows))

    def scale(self) -> Scale:
        """The scale, checked; ``ScaleError`` with every problem and where it is."""
        return parse_scale({"name": self.name, "levels": [row.raw() for row in self.levels]})


def default_form() -> ScaleForm:
    """The built-in scale a school starts with, in the form."""
    return ScaleForm.of(DEFAULT_SCALE)


def _read_level(form: Mapping[str, str], position: int) -> LevelRow:
    prefix = f"level-{position}-"

    def value(key: str) -> str:
        return str(form.get(prefix + key, ""))

    typed, picked = value("colour").strip(), value("picker").strip()
    shown, swatch = value("shown").strip(), value("swatch").strip()
    # The one the administrator changed wins; JavaScript keeps both equal anyway.
    if typed != shown or not is_hex_colour(picked) or picked.upper() == swatch.upper():
        colour = typed
    else:
        colour = picked.upper()
    if is_hex_colour(colour):
        swatch = colour.upper()
    elif not is_hex_colour(swatch):
        swatch = FALLBACK_COLOUR
    return LevelRow(
        name=value("name"),
        description=value("description"),
        colour=colour,
        swatch=swatch.upper(),
        ai_allowed=bool(value("ai_allowed")),
        disclosure_required=bool(value("disclosure_required")),
    )


@dataclass(frozen=True)
class Problems:
    """A refused scale's problems, each placed where the form shows it.

    ``fields`` maps a field's id (``f-name``, ``f-level-2-colour``) to its sentences;
    ``levels`` a level's position to sentences about the whole level; ``summary`` lists
    every sentence with the id it links to, in the form's order.
    """

    fields: dict[str, list[str]]
    levels: dict[int, list[str]]
    summary: list[tuple[str, str]]


def field_id(level: int | None, name: str | None) -> str:
    """The id of a field of the form (``f-name``, ``f-level-3-colour``), or of a level."""
    if level is None:
        return "f-name" if name == "name" else "levels-heading"
    if name in LEVEL_FIELDS:
        return f"f-level-{level}-{name}"
    return f"level-{level}"


def place(error: ScaleError) -> Problems:
    """Where each problem of ``error`` goes on the page."""
    fields: dict[str, list[str]] = {}
    levels: dict[int, list[str]] = {}
    summary: list[tuple[int, int, str, str]] = []
    for problem in error.located:
        target = field_id(problem.level, problem.field)
        if problem.level is not None and problem.field not in LEVEL_FIELDS:
            levels.setdefault(problem.level, []).append(problem.text)
        elif problem.level is not None or problem.field in ("name", "levels"):
            fields.setdefault(target, []).append(problem.text)
        if problem.level is None:
            order = 0 if problem.field == "name" else 1
        else:
            order = LEVEL_FIELDS.index(problem.field) if problem.field in LEVEL_FIELDS else -1
        summary.append((problem.level or 0, order, problem.text, target))
    summary.sort(key=lambda item: (item[0], item[1]))
    return Problems(fields, levels, [(text, target) for _, _, text, target in summary])
