"""What every activity type shares: the teacher's request, item provenance and the checks.

An activity request is a plan request without the lesson's length and tone, plus how many
items to make. Types add their own options (the quiz's item types and cognitive mix, the
fill-in's matching rules). Items made from the teacher's material quote the sentence they
come from, and a check finds that quote in the material, so "answerable from your text" is
verified, not promised.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from eduteach.activities.answers import key
from eduteach.generation.schemas.common import (
    ClassNotes,
    Description,
    Grade,
    Language,
    Standards,
    Subject,
)

Check = Callable[[Any, Mapping[str, Any]], list[str]]

SOURCE_QUOTE_DESCRIPTION = (
    "When the teacher gave material: a sentence or phrase copied exactly from it that this item "
    "is based on. An empty string when there is no material."
)

_TRUE = {"on", "true", "yes", "1"}
_FALSE = {"", "off", "false", "no", "0"}


def switch(raw: object) -> object:
    """A checkbox or flag: "on"/"true"/"yes"/"1" or "off"/"false"/"no"/"0"/blank."""
    if isinstance(raw, bool):
        return raw
    text = str(raw if raw is not None else "").strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise PydanticCustomError("switch", "Choose yes or no.")


Switch = Annotated[bool, BeforeValidator(switch)]


def whole_number(name: str, low: int, high: int) -> Callable[[object], object]:
    """A validator for a count typed in a form, with the teacher's words for the range."""

    def check(raw: object) -> object:
        text = str(raw).strip() if raw is not None else ""
        if isinstance(raw, bool) or not (isinstance(raw, int) or text.isdigit()):
            raise PydanticCustomError(
                "count",
                "Enter {name} as a whole number from {low} to {high}.",
                {"name": name, "low": low, "high": high},
            )
        value = int(text) if not isinstance(raw, int) else raw
        if not low <= value <= high:
            raise PydanticCustomError(
                "count",
                "Choose {name} from {low} to {high} (you entered {value}).",
                {"name": name, "low": low, "high": high, "value": value},
            )
        return value

    return check


class ActivityRequest(BaseModel):
    """What a teacher asks for, common to every activity type."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    subject: Subject = Field(description="Subject, e.g. Science.")
    grade: Grade = Field(description="K, 1 to 12, or higher-ed.")
    language: Language = Field(default="English", description="Language of the activity.")
    description: Description = Field(description="The topic: what students should practise.")
    standards: Standards = Field(default_factory=list, description="Standards, one per item.")
    class_notes: ClassNotes = Field(
        default="", description="Needs of the class (English learners, IEPs), without names."
    )


# --- checks shared by the types ---------------------------------------------------------


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f'"{text}"' if len(text) <= limit else f'"{text[: limit - 1].rstrip()}…"'


def count_problem(what: str, found: int, wanted: int) -> list[str]:
    """The activity has exactly the number of items the teacher asked for."""
    if found == wanted:
        return []
    return [f"There are {found} {what} but the teacher asked for {wanted}; give exactly {wanted}."]


def duplicates(values: Sequence[str], what: str, *, where: str = "") -> list[str]:
    """Each value appears once (ignoring case, accents, spacing and punctuation)."""
    seen: set[str] = set()
    problems = []
    for value in values:
        k = key(value)
        if k in seen:
            problems.append(
                f"{where}The {what} {_quote(value, 40)} appears more than once; make each unique."
            )
        seen.add(k)
    return problems


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def grounding(quotes: Sequence[tuple[str, str]], sources: Sequence[str]) -> list[str]:
    """Each (label, quote) is found in the teacher's material (ignoring case and punctuation).

    With no material there is nothing to check.
    """
    if not sources:
        return []
    corpus = [_plain(text) for text in sources]
    problems = []
    for label, quote in quotes:
        wanted = _plain(quote)
        if not wanted:
            problems.append(
                f"{label} does not say where in the teacher's material it comes from; copy the "
                "sentence it is based on into source_quote."
            )
        elif not any(wanted in text for text in corpus):
            problems.append(
                f"{label}: its source_quote {_quote(quote)} is not in the teacher's material; "
                "copy a sentence from the material exactly, and base the item on it."
            )
    return problems


def selected_standard(code: str, selected: Sequence[str], label: str) -> list[str]:
    """An item's standard is empty or one the teacher selected."""
    from eduteach.generation.validators import codes_match, standard_code

    if not code.strip():
        return []
    for line in selected:
        line_code = standard_code(line)
        if (line_code and codes_match(code, line_code)) or _plain(code) in _plain(line):
            return []
    if not selected:
        return [f"{label} cites a standard but the teacher selected none; leave standard empty."]
    return [
        f"{label} cites {_quote(code, 40)}, which is not one of the teacher's standards; use "
        f"one of: {'; '.join(selected)}."
    ]


M = TypeVar("M", bound=BaseModel)


def field_checks(
    checks: Mapping[str, Check],
    grounded: Callable[[Any], list[tuple[str, str]]] | None,
    field: str,
    sources: Sequence[str],
) -> dict[str, Check]:
    """The type's checks plus, with material, the grounding check on ``field``."""
    result = dict(checks)
    if grounded is None or not sources:
        return result
    own = result.get(field)

    def with_grounding(output: Any, params: Mapping[str, Any]) -> list[str]:
        problems = own(output, params) if own else []
        return [*problems, *grounding(grounded(output), sources)]

    result[field] = with_grounding
    return result
