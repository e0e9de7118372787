"""Verified standards: codes a teacher picked that exist in an imported framework.

When a request is made, each standard line whose code is found in an imported framework is
looked up and its code kept in ``params["standards_verified"]``; the other lines stay as the
teacher typed them and are "unverified". The generation checks then hold a cited code to the
verified codes exactly: "4.ECO.2" for a framework's "RSS.4.ECO.2" is an invented code, even
though the looser selection check would accept it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from eduteach.generation.validators import codes_match, standard_code

from .marks import PARAM, line_code
from .search import find_codes

if TYPE_CHECKING:
    from eduteach.content.kinds import Kind

Check = Callable[[Any, Mapping[str, Any]], list[str]]

# Where each kind cites standards: (top-level field, attribute holding the code, label).
# The label matches the one the engine uses to repair a single item ("Question 3").
CITED_CODES: dict[str, tuple[str, str, str]] = {
    "lesson_plan": ("standards", "code", "Standard"),
    "minecraft_lesson_plan": ("standards", "code", "Standard"),
    "unit_plan": ("standards", "code", "Standard"),
    "quiz": ("items", "standard", "Question"),
    "self_quiz": ("items", "standard", "Question"),
    # A version of modified material cites a list of codes.
    "modified_text": ("versions", "standards", "Version"),
}


def verify_lines(session: Session, lines: Sequence[str]) -> list[str]:
    """The imported codes among the teacher's lines, as the framework writes them.

    A line is verified when its first word is a code of an imported framework, whether it was
    picked from the search or typed: the database decides, not what the form claims.
    """
    candidates = [line_code(line) for line in lines]
    found = find_codes(session, candidates)
    codes: list[str] = []
    for code in candidates:
        hit = found.get(code.casefold())
        if hit is not None and hit.code not in codes:
            codes.append(hit.code)
    return codes


def cited_code_problems(cited: Sequence[tuple[str, str]], params: Mapping[str, Any]) -> list[str]:
    """Problems for (label, code) citations that are not real codes of the picked standards.

    Without verified standards nothing is checked here (typed standards keep the looser
    selection check). A code may also match a typed, unverified line.
    """
    verified = [str(c) for c in params.get(PARAM) or []]
    if not verified:
        return []
    exact = {c.casefold() for c in verified}
    typed = [
        code
        for line in params.get("standards") or []
        if line_code(str(line)).casefold() not in exact
        and (code := standard_code(str(line))) is not None
    ]
    problems = []
    for label, code in cited:
        code = code.strip()
        if not code or code.casefold() in exact or any(codes_match(code, t) for t in typed):
            continue
        problems.append(
            f"{label} cites {code!r}, which is not a code in the imported standards; copy the "
            f"code exactly as the teacher picked it: {', '.join(verified)}."
        )
    return problems


def _codes(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def real_codes_check(field: str, attribute: str, label: str) -> Check:
    """A check that the codes cited in ``field`` (a list) exist among the verified codes.

    Each entry's ``attribute`` is one code, or a list of codes.
    """

    def check(output: Any, params: Mapping[str, Any]) -> list[str]:
        entries = getattr(output, field, None) or []
        cited = [
            (f"{label} {number}", str(code or ""))
            for number, entry in enumerate(entries, start=1)
            for code in _codes(getattr(entry, attribute, None))
        ]
        return cited_code_problems(cited, params)

    return check


def _joined(first: Check | None, second: Check) -> Check:
    if first is None:
        return second

    def both(output: Any, params: Mapping[str, Any]) -> list[str]:
        return [*first(output, params), *second(output, params)]

    return both


def requiring_real_codes(kinds: Mapping[str, Kind]) -> dict[str, Kind]:
    """The kinds that cite standards, with the real-code check added to the citing field."""
    changed: dict[str, Kind] = {}
    for name, (field, attribute, label) in CITED_CODES.items():
        kind = kinds.get(name)
        if kind is None:
            continue
        extra = real_codes_check(field, attribute, label)
        if kind.activity is not None:
            checks = dict(kind.activity.checks)
            checks[field] = _joined(checks.get(field), extra)
            changed[name] = replace(
                kind, field_checks=checks, activity=replace(kind.activity, checks=checks)
            )
        else:
            checks = dict(kind.field_checks)
            checks[field] = _joined(checks.get(field), extra)
            changed[name] = replace(kind, field_checks=checks)
    return changed
