"""AI-use guidelines: what the teacher asks for, and what the model must return.

The level's name, description and colour come from the school's scale and travel in the
job's params (``ai_level``), never from the model: the model writes the words for students,
the school decides what the level is called and how it looks.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from eduteach.generation.schemas.common import (
    Grade,
    Language,
    OutputModel,
    Subject,
    Text,
    dump_params,
)

from .scale import MAX_LEVELS, Scale

MAX_TITLE = 200
MIN_ASSIGNMENT = 20
MAX_ASSIGNMENT = 4000
MAX_USES = 8
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def _title(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise PydanticCustomError("blank", "Enter the assignment's title.")
    if len(value) > MAX_TITLE:
        raise PydanticCustomError(
            "blank", "Keep the title under {high} characters.", {"high": MAX_TITLE}
        )
    return value


def _assignment(value: str) -> str:
    value = value.strip()
    if len(value) < MIN_ASSIGNMENT:
        raise PydanticCustomError(
            "description",
            "Describe the assignment in at least {low} characters: what students make or do "
            "(you wrote {length}).",
            {"low": MIN_ASSIGNMENT, "length": len(value)},
        )
    if len(value) > MAX_ASSIGNMENT:
        raise PydanticCustomError(
            "description",
            "Keep the description under {high} characters (you wrote {length}).",
            {"high": MAX_ASSIGNMENT, "length": len(value)},
        )
    if _EMAIL.search(value):
        # The description goes to the model: no student contact details.
        raise PydanticCustomError(
            "description",
            "Remove the email address from the description: describe the assignment without "
            "names or contact details.",
        )
    return value


def _position(raw: object) -> int:
    text = str(raw).strip() if isinstance(raw, str | int) and not isinstance(raw, bool) else ""
    if not text.isdigit() or not 1 <= int(text) <= MAX_LEVELS:
        raise PydanticCustomError("choice", "Choose one of the school's AI-use levels.")
    return int(text)


class GuidelinesRequest(BaseModel):
    """A teacher's request: the assignment, the level chosen on the school's scale, the class."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    assignment_title: Annotated[str, AfterValidator(_title)] = Field(
        description="The assignment's title, as students see it in the LMS."
    )
    assignment_description: Annotated[str, AfterValidator(_assignment)] = Field(
        description="What students make or do for the assignment."
    )
    level: Annotated[int, BeforeValidator(_position)] = Field(
        description="The AI-use level, by its position on the school's scale (1 = least AI)."
    )
    subject: Subject = Field(description="Subject, e.g. History.")
    grade: Grade = Field(description="K, 1 to 12, or higher-ed.")
    language: Language = Field(default="English", description="Language of the guidance.")


def guidelines_params(request: GuidelinesRequest, scale: Scale) -> dict[str, Any]:
    """The job's params: the request plus the chosen level and the whole scale, from the school.

    Raises ``PydanticCustomError`` ("choice") when the scale has no level at that position
    (an administrator may have shortened it since the form was shown).
    """
    try:
        level = scale.level(request.level)
    except IndexError:
        raise PydanticCustomError(
            "choice",
            "Choose a level from 1 to {high}: the school's scale has {high} levels.",
            {"high": len(scale.levels)},
        ) from None
    return dump_params(request) | {
        "ai_level": level.model_dump(mode="json") | {"text_colour": level.text_colour},
        "scale": [{"name": step.name, "description": step.description} for step in scale.levels],
    }


class AiGuidelines(OutputModel):
    """Guidance for students on using AI in one assignment, and a note for the teacher."""

    title: Text = Field(description="A short title, e.g. 'Using AI in: <assignment title>'.")
    summary: Text = Field(
        description="Two or three sentences to students: what this level means for this task."
    )
    allowed_uses: list[Text] = Field(
        max_length=MAX_USES,
        description=(
            "What students may use AI for in this assignment, one concrete use each. An empty "
            "list when the level allows no AI at all."
        ),
    )
    not_allowed: list[Text] = Field(
        min_length=1,
        max_length=MAX_USES,
        description="What students must not use AI for in this assignment, one each.",
    )
    disclosure_steps: list[Text] = Field(
        max_length=6,
        description=(
            "How students disclose and cite any AI use (tool, date, prompts, what they kept), "
            "step by step. An empty list when the level allows no AI."
        ),
    )
    disclosure_statement: str = Field(
        description=(
            "A statement students copy and complete, with blanks in square brackets, e.g. "
            "'I used [tool] on [date] to [purpose]…'. For a level without AI: a statement "
            "that they did not use AI."
        )
    )
    why: Text = Field(
        description="Why these rules: what students learn by following them, in two to four "
        "sentences."
    )
    teacher_rationale: Text = Field(
        description="For the teacher only: why this level fits the assignment's goals, and "
        "what to watch for, in two to four sentences."
    )


STUDENT_FIELDS = (
    "summary",
    "allowed_uses",
    "not_allowed",
    "disclosure_steps",
    "disclosure_statement",
    "why",
)
"""The parts students read (the LMS page and the Word document show these to them)."""
