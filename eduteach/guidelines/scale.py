"""The school's AI-use scale: its levels, their checks, and where the school's default is kept.

A level's colour is shown as a badge behind its name, on screen, in the LMS and in Word, so
it must be readable: white or dark text on it must reach the WCAG AA contrast of 4.5:1.
The colour is never the only cue; the level's name is always written next to it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from eduteach.storage.models import AiUseScale, utcnow

from .colours import MIN_CONTRAST, best_contrast, is_hex_colour, text_colour

MIN_LEVELS = 2
MAX_LEVELS = 8
MAX_NAME = 80
MAX_DESCRIPTION = 400
MAX_SCALE_NAME = 200
DEFAULT_SCALE_NAME = "School AI-use scale"

_NO_AI = re.compile(r"^\s*no\s+ai\b", re.IGNORECASE)


@dataclass(frozen=True)
class ScaleProblem:
    """One problem of a scale, and where it is: a level (1-based) and one of its settings.

    ``level`` None is the scale itself; ``field`` None is the whole scale or the whole level.
    The web form shows the sentence next to that field; the command line prints it.
    """

    text: str
    level: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        return self.text


class ScaleError(ValueError):
    """A scale that cannot be used; ``problems`` are sentences an administrator can act on.

    ``located`` holds the same problems with the level and setting each one is about.
    """

    def __init__(self, problems: Sequence[str | ScaleProblem]) -> None:
        self.located = [p if isinstance(p, ScaleProblem) else ScaleProblem(p) for p in problems]
        self.problems = [p.text for p in self.located]
        super().__init__(" ".join(self.problems))


class Level(BaseModel):
    """One level of the scale, from least to most AI.

    ``ai_allowed`` and ``disclosure_required`` tell the checks what guidance for this level
    must say (a level without AI lists no allowed uses; one with disclosure explains it).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str
    colour: str
    ai_allowed: bool = True
    disclosure_required: bool = True

    @property
    def text_colour(self) -> str:
        """White or dark text, whichever reads better on this level's colour."""
        return text_colour(self.colour)


class Scale(BaseModel):
    """A named list of levels, ordered from least to most AI use."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = DEFAULT_SCALE_NAME
    levels: tuple[Level, ...] = Field(min_length=1)

    def level(self, position: int) -> Level:
        """The level at ``position`` (1-based, as teachers count); IndexError outside."""
        if not 1 <= position <= len(self.levels):
            raise IndexError(position)
        return self.levels[position - 1]


DEFAULT_SCALE = Scale(
    levels=(
        Level(
            name="No AI",
            description=(
                "Students complete the whole assignment without any AI tools, so that the work "
                "shows what they can do on their own."
            ),
            colour="#B42318",
            ai_allowed=False,
            disclosure_required=False,
        ),
        Level(
            name="AI for planning only",
            description=(
                "Students may use AI to brainstorm, plan or research ideas, but write and "
                "create everything they hand in themselves, and say how they used AI."
            ),
            colour="#F5B800",
        ),
        Level(
            name="AI as a collaborator, with disclosure",
            description=(
                "Students may use AI to help draft, give feedback and improve their work, "
                "checking what it says and explaining how they used it."
            ),
            colour="#175CD3",
        ),
        Level(
            name="AI fully allowed, with disclosure",
            description=(
                "Students may use AI throughout the assignment, as long as they take "
                "responsibility for the result and disclose and cite every use."
            ),
            colour="#067647",
        ),
    )
)
"""The scale a school starts with until an administrator sets its own."""


# --- reading a scale an administrator wrote ------------------------------------------------


def _text(
    raw: Mapping[str, Any], key: str, where: str, limit: int, position: int
) -> tuple[str, list[ScaleProblem]]:
    value = raw.get(key)
    if not isinstance(value, str) or not " ".join(value.split()):
        return "", [ScaleProblem(f"{where} needs a {key} (some text).", position, key)]
    value = " ".join(value.split())
    if len(value) > limit:
        return value, [
            ScaleProblem(f"{where}: keep the {key} under {limit} characters.", position, key)
        ]
    return value, []


def _flag(
    raw: Mapping[str, Any], key: str, where: str, default: bool, position: int
) -> tuple[bool, list[ScaleProblem]]:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        return default, [ScaleProblem(f'{where}: "{key}" must be true or false.', position, key)]
    return value, []


def _level(raw: object, position: int) -> tuple[Level | None, list[ScaleProblem]]:
    where = f"Level {position}"
    if not isinstance(raw, Mapping):
        text = f"{where} must be an object with a name, a description and a colour."
        return None, [ScaleProblem(text, position)]
    unknown = sorted(set(raw) - set(Level.model_fields))
    problems = [
        ScaleProblem(f'{where}: "{key}" is not a setting of a level.', position) for key in unknown
    ]
    name, found = _text(raw, "name", where, MAX_NAME, position)
    problems += found
    if name:
        where = f"Level {position} (“{name}”)"
    description, found = _text(raw, "description", where, MAX_DESCRIPTION, position)
    problems += found
    allowed, found = _flag(raw, "ai_allowed", where, not _NO_AI.match(name), position)
    problems += found
    disclosure, found = _flag(raw, "disclosure_required", where, allowed, position)
    problems += found
    colour = raw.get("colour")
    if not isinstance(colour, str) or not is_hex_colour(colour):
        text = f"{where}: the colour must be written as #RRGGBB, for example #175CD3."
        problems.append(ScaleProblem(text, position, "colour"))
    else:
        colour = colour.strip().upper()
        best = best_contrast(colour)
        if best < MIN_CONTRAST:
            text = (
                f"{where}: neither white nor dark text is readable on {colour} (best contrast "
                f"{best:.1f}:1, at least {MIN_CONTRAST}:1 is needed); choose a darker or "
                "lighter colour."
            )
            problems.append(ScaleProblem(text, position, "colour"))
    if name and _NO_AI.match(name) and allowed:
        text = f"{where} is called “No AI” but allows students to use AI."
        problems.append(ScaleProblem(text, position, "ai_allowed"))
    if disclosure and not allowed:
        text = f"{where} allows no AI, so it cannot require disclosing AI use."
        problems.append(ScaleProblem(text, position, "disclosure_required"))
    if problems:
        return None, problems
    return Level(
        name=name,
        description=description,
        colour=str(colour),
        ai_allowed=allowed,
        disclosure_required=disclosure,
    ), []


def parse_scale(data: object) -> Scale:
    """A scale from an administrator's JSON (``{"name": ..., "levels": [...]}`` or the list).

    Raises ``ScaleError`` listing every problem at once, so one round of fixes is enough.
    """
    if isinstance(data, list):
        data = {"levels": data}
    if not isinstance(data, Mapping):
        raise ScaleError(['The file must hold an object with "levels": a list of levels.'])
    unknown = sorted(set(data) - {"name", "levels"})
    problems = [
        ScaleProblem(f'"{key}" is not a setting of a scale; use "name" and "levels".')
        for key in unknown
    ]
    name = data.get("name", DEFAULT_SCALE_NAME)
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_SCALE_NAME:
        text = f"The scale's name must be some text under {MAX_SCALE_NAME} characters."
        problems.append(ScaleProblem(text, None, "name"))
    raw_levels = data.get("levels")
    if not isinstance(raw_levels, list):
        raise ScaleError(
            [*problems, ScaleProblem('The scale needs "levels": a list of levels.', None, "levels")]
        )
    if not MIN_LEVELS <= len(raw_levels) <= MAX_LEVELS:
        text = (
            f"A scale has between {MIN_LEVELS} and {MAX_LEVELS} levels "
            f"(this one has {len(raw_levels)})."
        )
        problems.append(ScaleProblem(text, None, "levels"))
    levels: list[tuple[int, Level]] = []
    for position, raw in enumerate(raw_levels, start=1):
        level, found = _level(raw, position)
        problems += found
        if level is not None:
            levels.append((position, level))
    seen: set[str] = set()
    for position, level in levels:
        key = level.name.casefold()
        if key in seen:
            text = f"Two levels are called “{level.name}”: give each level its own name."
            problems.append(ScaleProblem(text, position, "name"))
        seen.add(key)
    if problems:
        raise ScaleError(problems)
    try:
        return Scale(name=" ".join(str(name).split()), levels=tuple(level for _, level in levels))
    except ValidationError as exc:  # pragma: no cover - every rule is checked above
        raise ScaleError([str(exc)]) from None


def scale_fingerprint(scale: Scale) -> str:
    """A short digest of the levels' order and names: a form chosen on an older scale differs."""
    names = "\n".join(level.name for level in scale.levels)
    return hashlib.sha256(names.encode("utf-8")).hexdigest()[:16]


def scale_json(scale: Scale) -> dict[str, Any]:
    """The scale as the JSON an administrator edits (what ``parse_scale`` reads back)."""
    return scale.model_dump(mode="json")


# --- the school's scale in the database ------------------------------------------------------


def _default_row(session: Session) -> AiUseScale | None:
    return session.scalars(
        select(AiUseScale).where(AiUseScale.is_default.is_(True)).order_by(AiUseScale.id)
    ).first()


def school_scale(session: Session) -> Scale:
    """The school's default scale; the built-in one is stored first when there is none."""
    row = _default_row(session)
    if row is None:
        row = AiUseScale(
            name=DEFAULT_SCALE.name,
            levels=[level.model_dump(mode="json") for level in DEFAULT_SCALE.levels],
            is_default=True,
        )
        session.add(row)
        session.flush()
    try:
        return parse_scale({"name": row.name, "levels": row.levels})
    except ScaleError:
        # A row edited by hand into something unusable must not stop teachers working.
        return DEFAULT_SCALE


def set_school_scale(session: Session, scale: Scale) -> None:
    """Make ``scale`` the school's default (the stored row is updated in place)."""
    row = _default_row(session)
    if row is None:
        row = AiUseScale(is_default=True)
        session.add(row)
    row.name = scale.name
    row.levels = [level.model_dump(mode="json") for level in scale.levels]
    row.updated_at = utcnow()
    session.flush()
