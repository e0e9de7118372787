"""The teacher's modify request and the modified text the model returns."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from eduteach.activities.common import Switch
from eduteach.generation.schemas.common import (
    ClassNotes,
    Language,
    OutputModel,
    Standards,
    Text,
    normalize_grade,
)

Level = Literal["support", "on-level", "advanced", "english-learners"]
LEVELS: tuple[str, ...] = get_args(Level)
LEVEL_LABELS = {
    "support": "Support",
    "on-level": "On level",
    "advanced": "Advanced",
    "english-learners": "English learners",
}
MAX_KEY_TERMS = 30


def _reading_level(raw: object) -> object:
    """K or 1 to 12 as typed ("4", "grade 4", "K"); blank for "keep the level"."""
    if raw is None or not str(raw).strip():
        return None
    grade = normalize_grade(raw)
    if grade == "higher-ed":
        raise PydanticCustomError("reading_level", "Choose a reading level from K to 12.")
    return grade


def _levels(raw: object) -> object:
    """A comma-separated list ("support,advanced") or a list; blank for one version."""
    if raw is None:
        return []
    items = str(raw).split(",") if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple):
        raise PydanticCustomError("differentiate", "List the versions separated by commas.")
    chosen: list[str] = []
    for item in items:
        value = str(item).strip().casefold().replace(" ", "-").replace("_", "-")
        if not value:
            continue
        if value not in LEVELS:
            raise PydanticCustomError(
                "differentiate",
                "Choose versions from: {choices} (you wrote '{value}').",
                {"choices": ", ".join(LEVELS), "value": str(item).strip()},
            )
        if value not in chosen:
            chosen.append(value)
    return chosen


def _terms(raw: object) -> object:
    """Key terms one per line or separated by commas."""
    if raw is None:
        return []
    items = raw.replace("\n", ",").split(",") if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple):
        raise PydanticCustomError("key_terms", "List the key terms separated by commas.")
    terms = list(dict.fromkeys(" ".join(str(t).split()) for t in items if str(t).strip()))
    if len(terms) > MAX_KEY_TERMS:
        raise PydanticCustomError(
            "key_terms", "Mark at most {high} key terms.", {"high": MAX_KEY_TERMS}
        )
    return terms


ReadingLevel = Annotated[str | None, BeforeValidator(_reading_level)]
Levels = Annotated[list[Level], BeforeValidator(_levels)]
KeyTerms = Annotated[list[str], BeforeValidator(_terms)]


class ModifyRequest(BaseModel):
    """What the teacher wants done to their material, in the order it is done."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    language: Language = Field(default="English", description="Language of the material.")
    standards: Standards = Field(
        default_factory=list, description="Standards to align the material to, one per line."
    )
    reading_level: ReadingLevel = Field(
        default=None, description="Target reading level: K or 1 to 12; blank keeps the level."
    )
    differentiate: Levels = Field(
        default_factory=list,
        description="Versions to make: support, on-level, advanced, english-learners.",
    )
    simplify_vocabulary: Switch = Field(
        default=False, description="Replace hard words, with a glossary of the replaced terms."
    )
    add_examples: Switch = Field(default=False, description="Add examples for these students.")
    students: ClassNotes = Field(
        default="", description="About the students (for examples and pitch), without names."
    )
    key_terms: KeyTerms = Field(
        default_factory=list, description="Terms that must stay in every version."
    )

    @model_validator(mode="after")
    def _something_to_do(self) -> ModifyRequest:
        if not (
            self.standards
            or self.reading_level
            or self.differentiate
            or self.simplify_vocabulary
            or self.add_examples
        ):
            raise PydanticCustomError(
                "operations",
                "Choose at least one change: standards, a reading level, versions, simpler "
                "vocabulary or examples.",
            )
        return self


class GlossaryEntry(OutputModel):
    term: Text = Field(description="A word or phrase of the original that this version replaced.")
    meaning: Text = Field(description="What it means, in words the students know.")


class Version(OutputModel):
    label: Text = Field(description="The version's name, e.g. 'Support' or 'Grade 4'.")
    text: Text = Field(
        description=(
            "The whole modified material. Keep the original's structure as markdown: '# ' "
            "headings, '- ' or '1. ' list items, '| a | b |' table rows, blank lines between "
            "paragraphs."
        )
    )
    glossary: list[GlossaryEntry] = Field(
        description="Terms of the original replaced or simplified here, with their meaning."
    )
    standards: list[str] = Field(
        description="Codes of the teacher's standards this version addresses, copied exactly."
    )
    changes: list[Text] = Field(
        min_length=1, max_length=8, description="What changed and why, one short line each."
    )


class ModifiedText(OutputModel):
    title: Text = Field(description="A short title for the material.")
    versions: list[Version] = Field(
        min_length=1, max_length=4, description="The modified versions, in the order asked for."
    )
