"""Checks that AI-use guidance says what its level means; each returns problems as sentences.

The sentences go back to the model in a repair round and are shown to the teacher after an
edit, so they name the level and say what to change.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from eduteach.readability import grade_label, measure

from .schema import STUDENT_FIELDS, AiGuidelines

Check = Callable[[Any, Mapping[str, Any]], list[str]]

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# Guidance is for the whole class: a greeting or a mention of one named student means the
# model (or a pasted description) put a person into it.
_ADDRESSED = re.compile(r"\b(?:Dear|Hi|Hello|Hey)\s+[A-Z][a-z]+\b|(?<![\w.])@[A-Za-z]\w+")
_PLACEHOLDER = re.compile(r"\[[^\]]+\]")
# Grades a student text may read above the class's grade before it goes back for a rewrite:
# the formulas are estimates, and subject words ("disclosure", "evidence") lift them a little.
READING_MARGIN = 2.0
# The parts students read as prose; the disclosure statement is a form with blanks to fill in,
# which the formulas cannot read as sentences.
_READ_FIELDS = ("summary", "allowed_uses", "not_allowed", "disclosure_steps", "why")
_TOO_HARD = "The guidance for students reads at about"
_REWRITE = (
    "Rewrite summary, allowed_uses, not_allowed, disclosure_steps and why with shorter "
    "sentences and everyday words"
)


def _level(params: Mapping[str, Any]) -> Mapping[str, Any]:
    level = params.get("ai_level")
    return level if isinstance(level, Mapping) else {}


def _name(params: Mapping[str, Any]) -> str:
    return str(_level(params).get("name") or "this level")


def check_allowed_uses(output: AiGuidelines, params: Mapping[str, Any]) -> list[str]:
    """A level without AI lists no allowed uses; any other level lists at least one."""
    level = _level(params)
    if not level:
        return []
    if not level.get("ai_allowed", True) and output.allowed_uses:
        listed = "; ".join(output.allowed_uses)
        return [
            f"The level “{_name(params)}” allows no AI, but allowed_uses lists: {listed}. "
            "Return an empty allowed_uses list and say in not_allowed that AI tools are not "
            "used at any stage."
        ]
    if level.get("ai_allowed", True) and not output.allowed_uses:
        return [
            f"The level “{_name(params)}” allows some AI use: list in allowed_uses at least one "
            "concrete way students may use AI in this assignment."
        ]
    return []


def check_disclosure_steps(output: AiGuidelines, params: Mapping[str, Any]) -> list[str]:
    """A level that requires disclosure explains how to disclose and cite AI use.

    A level without AI has nothing to disclose: steps there would tell students AI is fine.
    """
    level = _level(params)
    if level and not level.get("ai_allowed", True) and output.disclosure_steps:
        return [
            f"The level “{_name(params)}” allows no AI, so there is nothing to disclose: "
            "return an empty disclosure_steps list."
        ]
    if level.get("disclosure_required") and len(output.disclosure_steps) < 2:
        return [
            f"The level “{_name(params)}” requires students to disclose AI use: give at least "
            "two disclosure_steps saying how to disclose and how to cite it (tool, date, "
            "what was asked, what was kept)."
        ]
    return []


def check_disclosure_statement(output: AiGuidelines, params: Mapping[str, Any]) -> list[str]:
    """A level that requires disclosure gives a statement template with blanks to fill in."""
    if not _level(params).get("disclosure_required"):
        return []
    if not _PLACEHOLDER.search(output.disclosure_statement):
        return [
            f"The level “{_name(params)}” requires disclosure: disclosure_statement must be a "
            "statement students copy and complete, with blanks in square brackets such as "
            "[name of the AI tool] and [what I used it for]."
        ]
    return []


def _student_texts(output: AiGuidelines) -> Iterator[tuple[str, str]]:
    for field in STUDENT_FIELDS:
        value = getattr(output, field)
        for text in value if isinstance(value, list) else [value]:
            yield field, str(text)


def check_no_names(output: AiGuidelines, params: Mapping[str, Any]) -> list[str]:
    """Guidance speaks to the whole class: no greetings to a named student, no addresses."""
    for field, text in [*_student_texts(output), ("teacher_rationale", output.teacher_rationale)]:
        if _EMAIL.search(text) or _ADDRESSED.search(text):
            return [
                f"{field} addresses or names a particular person; write to the whole class "
                "(“you”, “students”) without names or contact details."
            ]
    return []


def _reading_text(output: AiGuidelines) -> str:
    """The student-facing prose, one line per part, as the formulas should count it."""
    lines = [text for field, text in _student_texts(output) if field in _READ_FIELDS]
    return "\n".join(lines)


def check_reading_level(output: AiGuidelines, params: Mapping[str, Any]) -> list[str]:
    """Guidance students cannot read does not guide them: it must read near the class's grade.

    Only a text long enough to measure is judged, and higher education has no grade to aim at.
    """
    grade = str(params.get("grade") or "")
    if grade != "K" and not grade.isdigit():
        return []
    target = 0 if grade == "K" else int(grade)
    reading = measure(_reading_text(output))
    if reading.grade is None or reading.grade <= target + READING_MARGIN:
        return []
    class_level = "kindergarten" if target == 0 else f"grade {target}"
    problem = (
        f"{_TOO_HARD} {grade_label(reading.grade)}, too hard for a {class_level} class. {_REWRITE}"
    )
    if reading.longest_sentences:
        shown = "; ".join(f"“{s}”" for s in reading.longest_sentences)
        problem += f"; split these long sentences: {shown}"
    return [problem + "."]


def teacher_warning(problem: str) -> str | None:
    """The warning a teacher sees for guidance kept after its repairs, or None to refuse it.

    Only guidance that still reads above the class's grade is kept (the teacher can simplify
    it in review, and it is measured again); guidance that contradicts its level, or names a
    person, is never kept.
    """
    if not problem.startswith(_TOO_HARD):
        return None
    measured, _, rest = problem.partition(f" {_REWRITE}")
    hint = "Shorten its sentences and use everyday words before students see it"
    if "; split these long sentences: " in rest:
        hint += ", starting with " + rest.split("; split these long sentences: ", 1)[1]
    return f"{measured} (measured after two rewrites). {hint.rstrip('.')}."


FIELD_CHECKS: dict[str, Check] = {
    "allowed_uses": check_allowed_uses,
    "disclosure_steps": check_disclosure_steps,
    "disclosure_statement": check_disclosure_statement,
}
"""Checks by the field each is about: a repair can ask for that field alone."""

WHOLE_CHECKS: tuple[Check, ...] = (check_no_names, check_reading_level)
"""Checks of the guidance as a whole."""
