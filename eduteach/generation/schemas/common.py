"""Pieces shared by the plan schemas: text fields, standards, and the teacher's request.

Output models are the model's contract: every field is required, described and closed
(``extra="forbid"``), so their JSON schema works with strict structured output. Request
models are the teacher's form: their error messages are written for the teacher.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError


def _non_blank(value: str) -> str:
    # Enforced in code: a schema's minLength lets "   " through, and not every server
    # enforces the schema. A blank value is never useful in a plan.
    value = value.strip()
    if not value:
        raise PydanticCustomError("blank", "This must not be empty.")
    return value


Text = Annotated[
    str,
    AfterValidator(_non_blank),
    # Servers that turn the schema into a grammar (llama.cpp) then cannot write "" at all;
    # strict mode does not take minLength, so its copy of the schema drops it (see structured).
    WithJsonSchema({"type": "string", "minLength": 1}),
]
"""A non-blank string, stripped."""


class OutputModel(BaseModel):
    """Base of everything the model returns: closed, and kept JSON-schema simple."""

    model_config = ConfigDict(extra="forbid")


class StandardRef(OutputModel):
    """A standard the plan addresses, taken from the teacher's selection."""

    code: str = Field(
        description=(
            "The standard's code copied exactly from the teacher's list (e.g. 'CCSS.MATH.CONTENT"
            ".5.NF.A.1'), or an empty string when the teacher's standard has no code."
        )
    )
    description: Text = Field(description="What the standard asks students to do, in one sentence.")


# --- the teacher's request ------------------------------------------------------------

GRADES: tuple[str, ...] = ("K", *(str(n) for n in range(1, 13)), "higher-ed")
"""Canonical grade values: K, 1 to 12, and ``higher-ed`` for college and university."""

Tone = Literal["encouraging", "neutral", "formal", "playful"]
TONES: tuple[str, ...] = get_args(Tone)

MIN_DESCRIPTION = 20
MAX_DESCRIPTION = 4000
MIN_DURATION = 5
MAX_DURATION = 180
MAX_STANDARDS = 10
MAX_STANDARD_LENGTH = 300
MAX_CLASS_NOTES = 1500

_HIGHER_ED = {
    "higher-ed",
    "higher ed",
    "higher education",
    "college",
    "university",
    "undergraduate",
    "graduate",
    "postsecondary",
    "post-secondary",
    "adult education",
}
_KINDERGARTEN = {"k", "kg", "kindergarten", "grade k"}
_GRADE_NUMBER = re.compile(r"^(?:grade\s*)?(\d{1,2})(?:st|nd|rd|th)?(?:\s*grade)?$")
_WORD = r"[^\W\d_]+(?:[ \-][^\W\d_]+)*"
_LANGUAGE = re.compile(rf"^{_WORD}(?: \({_WORD}\))?$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def normalize_grade(raw: object) -> str:
    """Map what a teacher types ("5th grade", "Kindergarten", "college") to a value in GRADES."""
    text = " ".join(str(raw or "").split()).casefold()
    if text in _KINDERGARTEN:
        return "K"
    if text in _HIGHER_ED:
        return "higher-ed"
    match = _GRADE_NUMBER.match(text)
    if match and 1 <= int(match.group(1)) <= 12:
        return str(int(match.group(1)))
    raise PydanticCustomError("grade", "Choose a grade from K to 12, or Higher education.")


def _whole_minutes(raw: object) -> object:
    if isinstance(raw, str):
        raw = raw.strip()
        if not raw.isdigit():
            raise PydanticCustomError(
                "duration", "Enter the length in whole minutes, for example 45."
            )
        return int(raw)
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise PydanticCustomError("duration", "Enter the length in whole minutes, for example 45.")
    return raw


def _duration(value: int) -> int:
    if not MIN_DURATION <= value <= MAX_DURATION:
        raise PydanticCustomError(
            "duration",
            "A lesson lasts between {low} and {high} minutes (you entered {value}).",
            {"low": MIN_DURATION, "high": MAX_DURATION, "value": value},
        )
    return value


def _subject(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise PydanticCustomError("subject", "Enter the subject, for example Science.")
    if len(value) > 100:
        raise PydanticCustomError("subject", "Keep the subject under 100 characters.")
    return value


def _language(value: str) -> str:
    value = " ".join(value.split())
    if not value or len(value) > 40 or not _LANGUAGE.match(value):
        raise PydanticCustomError(
            "language", "Enter the language by name, for example English or Español."
        )
    return value


def _description(value: str) -> str:
    value = value.strip()
    if len(value) < MIN_DESCRIPTION:
        raise PydanticCustomError(
            "description",
            "Describe what students should learn in at least {low} characters "
            "(you wrote {length}).",
            {"low": MIN_DESCRIPTION, "length": len(value)},
        )
    if len(value) > MAX_DESCRIPTION:
        raise PydanticCustomError(
            "description",
            "Keep the description under {high} characters (you wrote {length}).",
            {"high": MAX_DESCRIPTION, "length": len(value)},
        )
    return value


def _standard_lines(raw: object) -> object:
    # The form sends one standard per line; the API may send a list.
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = raw.splitlines()
    if not isinstance(raw, list | tuple):
        raise PydanticCustomError("standards", "List the standards one per line.")
    seen: set[str] = set()
    lines: list[str] = []
    for item in raw:
        line = " ".join(str(item).split())
        if line and line.casefold() not in seen:
            seen.add(line.casefold())
            lines.append(line)
    return lines


def _standards(value: list[str]) -> list[str]:
    if len(value) > MAX_STANDARDS:
        raise PydanticCustomError(
            "standards",
            "Choose at most {high} standards for one plan (you listed {count}).",
            {"high": MAX_STANDARDS, "count": len(value)},
        )
    for number, line in enumerate(value, start=1):
        if len(line) > MAX_STANDARD_LENGTH:
            raise PydanticCustomError(
                "standards",
                "Standard {number} is longer than {high} characters; keep its code and a short "
                "description.",
                {"number": number, "high": MAX_STANDARD_LENGTH},
            )
    return value


def _class_notes(value: str) -> str:
    value = value.strip()
    if len(value) > MAX_CLASS_NOTES:
        raise PydanticCustomError(
            "class_notes",
            "Keep the notes on your class under {high} characters.",
            {"high": MAX_CLASS_NOTES},
        )
    if _EMAIL.search(value):
        # Notes go to the model; student contact details must never do so.
        raise PydanticCustomError(
            "class_notes",
            "Remove the email address from your notes: describe the class's needs without "
            "names or contact details.",
        )
    return value


def _tone(raw: object) -> object:
    text = str(raw or "").strip().casefold()
    if text not in TONES:
        raise PydanticCustomError(
            "tone", "Choose a tone: {choices}.", {"choices": ", ".join(TONES)}
        )
    return text


Subject = Annotated[str, AfterValidator(_subject)]
Grade = Annotated[str, BeforeValidator(normalize_grade)]
Language = Annotated[str, AfterValidator(_language)]
Description = Annotated[str, AfterValidator(_description)]
Minutes = Annotated[int, BeforeValidator(_whole_minutes), AfterValidator(_duration)]
Standards = Annotated[list[str], BeforeValidator(_standard_lines), AfterValidator(_standards)]
ClassNotes = Annotated[str, AfterValidator(_class_notes)]
ToneField = Annotated[Tone, BeforeValidator(_tone)]


class PlanRequest(BaseModel):
    """What a teacher asks for, common to lesson and unit plans."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    subject: Subject = Field(description="Subject, e.g. Science.")
    grade: Grade = Field(description="K, 1 to 12, or higher-ed.")
    language: Language = Field(default="English", description="Language the plan is written in.")
    description: Description = Field(description="What students should learn.")
    duration_minutes: Minutes = Field(default=45, description="Length of one lesson in minutes.")
    standards: Standards = Field(default_factory=list, description="Standards, one per item.")
    class_notes: ClassNotes = Field(
        default="", description="Needs of the class (English learners, IEPs), without names."
    )
    tone: ToneField = Field(default="encouraging", description="Tone of the plan's wording.")


def teacher_messages(error: ValidationError) -> dict[str, str]:
    """The first message for each field of a failed request, keyed by field name.

    Messages written in the validators above are passed through; pydantic's own (a missing
    field, a wrong type) are replaced by one plain sentence.
    """
    messages: dict[str, str] = {}
    for item in error.errors(include_url=False):
        loc = item.get("loc") or ("form",)
        field = str(loc[0])
        if field in messages:
            continue
        kind = item.get("type", "")
        if kind == "missing":
            messages[field] = "This field is required."
        elif kind == "extra_forbidden":
            messages[field] = "This field is not part of the form."
        elif kind in _OUR_ERRORS:
            messages[field] = str(item["msg"])
        else:
            messages[field] = "Check this value: " + str(item["msg"]).rstrip(".") + "."
    return messages


_OUR_ERRORS = {
    "blank",
    "grade",
    "duration",
    "subject",
    "language",
    "description",
    "standards",
    "class_notes",
    "tone",
    "lessons",
    "lessons_per_week",
    "in_game_setting",
    # activities (eduteach.activities.common)
    "count",
    "choice",
    "switch",
    "item_types",
    # modifying material (eduteach.modify)
    "operations",
    "reading_level",
    "differentiate",
    "key_terms",
}


def dump_params(request: BaseModel) -> dict[str, Any]:
    """The request as the plain ``params`` dict that prompts and validators receive."""
    return request.model_dump(mode="json")
