"""Checks of a modified text: measured reading level, key terms kept, standards cited.

The reading-level check is what makes "grade 4" a measured promise: each version is measured
(``eduteach.readability``), and one that misses its target by more than ``TOLERANCE`` grades
gets a problem naming the level found, its longest sentences and hardest words. The engine
sends that problem back for that version alone; after the last repair round the version is
kept, and the same sentence becomes the teacher's warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from eduteach.activities.answers import key
from eduteach.activities.common import count_problem
from eduteach.modify.models import ModifiedText, Version
from eduteach.readability import Reading, grade_label, measure

Check = Callable[[Any, Mapping[str, Any]], list[str]]

TOLERANCE = 1.0
# A support or English-learner version reads a grade below the chosen level, an advanced one
# a grade above: differentiated versions that all read alike would not be differentiated.
_OFFSET = {"support": -1, "english-learners": -1, "on-level": 0, "advanced": 1}
# A capitalised word after a lower-case word is a name or term, not a sentence start.
_NAMED = re.compile(r"(?<=[a-z,;:] )([A-Z][\w'-]+(?: [A-Z][\w'-]+)*)")
_PLAIN_CAPITALS = frozenset({"I", "I'm", "I've", "I'll", "I'd"})


def grade_number(grade: str) -> int:
    """A request's reading level as a number: K is 0."""
    return 0 if grade == "K" else int(grade)


def version_levels(params: Mapping[str, Any]) -> list[str]:
    """The differentiation level of each version wanted (one "on-level" when none chosen)."""
    return list(params.get("differentiate") or ["on-level"])


def targets(params: Mapping[str, Any]) -> list[int | None]:
    """The grade each version should read at, or None when the teacher kept the level."""
    level = params.get("reading_level")
    if not level:
        return [None for _ in version_levels(params)]
    base = grade_number(str(level))
    return [min(12, max(0, base + _OFFSET[name])) for name in version_levels(params)]


def target_label(grade: int) -> str:
    return "kindergarten" if grade == 0 else f"grade {grade}"


def _quoted(items: Sequence[str], limit: int = 120) -> str:
    shown = [item if len(item) <= limit else item[: limit - 1].rstrip() + "…" for item in items]
    return "; ".join(f'"{item}"' for item in shown)


def level_problem(number: int, version: Version, reading: Reading, target: int) -> str | None:
    """Why a version's measured level misses its target, with what to change; None if on target."""
    if reading.grade is None or abs(reading.grade - target) <= TOLERANCE:
        return None
    where = f"Version {number} ({version.label!r}) reads at about {grade_label(reading.grade)}"
    if reading.grade > target:
        advice = (
            f"{where}, harder than the target {target_label(target)}. Use shorter sentences "
            "and everyday words"
        )
        if reading.longest_sentences:
            advice += f"; split these long sentences: {_quoted(reading.longest_sentences)}"
        if reading.hardest_words:
            advice += f"; replace or explain these words: {', '.join(reading.hardest_words)}"
        return advice + "."
    return (
        f"{where}, easier than the target {target_label(target)}. Join short sentences and use "
        "the subject's precise words where the students can take them."
    )


def reading_level(output: ModifiedText, params: Mapping[str, Any]) -> list[str]:
    """Each version measures within about a grade of its target."""
    problems = []
    for number, (version, target) in enumerate(
        zip(output.versions, targets(params), strict=False), start=1
    ):
        if target is None:
            continue
        problem = level_problem(number, version, measure(version.text), target)
        if problem:
            problems.append(problem)
    return problems


def _code(standard: str) -> str:
    return standard.split()[0].casefold() if standard.split() else ""


def standards_cited(output: ModifiedText, params: Mapping[str, Any]) -> list[str]:
    """Versions cite only the teacher's standards, and at least one when there are some."""
    chosen = [str(s) for s in params.get("standards") or []]
    allowed = {_code(s) for s in chosen} | {s.casefold() for s in chosen}
    problems = []
    for number, version in enumerate(output.versions, start=1):
        unknown = [c for c in version.standards if c.casefold() not in allowed]
        if unknown:
            problems.append(
                f"Version {number} cites {', '.join(unknown)}, which the teacher did not choose; "
                "cite only the teacher's codes, copied exactly."
            )
        elif chosen and not version.standards:
            problems.append(
                f"Version {number} cites none of the teacher's standards; list the codes it "
                "addresses."
            )
    return problems


def key_terms(sources: Sequence[str], params: Mapping[str, Any]) -> list[str]:
    """Terms every version must keep: the teacher's, and names/terms capitalised mid-sentence."""
    found = list(params.get("key_terms") or [])
    for source in sources:
        found.extend(m for m in _NAMED.findall(source) if m not in _PLAIN_CAPITALS)
    return list(dict.fromkeys(found))


def _mentions(text: str, term: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE) is not None


def terms_kept(sources: Sequence[str]) -> Check:
    """A check that every key term of the original is still in a version or its glossary."""

    def check(output: ModifiedText, params: Mapping[str, Any]) -> list[str]:
        terms = key_terms(sources, params)
        problems = []
        for number, version in enumerate(output.versions, start=1):
            glossary = " ".join(entry.term for entry in version.glossary)
            missing = [
                t for t in terms if not _mentions(version.text, t) and not _mentions(glossary, t)
            ]
            if missing:
                problems.append(
                    f"Version {number} leaves out key terms of the original: "
                    f"{', '.join(missing[:10])}. Keep each one (explain it if needed) or list "
                    "it in the glossary."
                )
        return problems

    return check


def distinct_versions(output: ModifiedText, params: Mapping[str, Any]) -> list[str]:
    """Each version is written for its own group: none is a copy of another (the offline model
    once returned the same text as the support and the advanced version)."""
    first: dict[str, int] = {}
    problems = []
    for number, version in enumerate(output.versions, start=1):
        text = key(version.text)
        if text in first:
            problems.append(
                f"Version {number} ({version.label}) is the same text as version {first[text]}; "
                "write it again for its own students and reading level."
            )
        first.setdefault(text, number)
    return problems


def version_checks(sources: Sequence[str] = ()) -> Check:
    """Every check of the versions, as one field check (the engine repairs version by version)."""
    keep_terms = terms_kept(sources)

    def check(output: ModifiedText, params: Mapping[str, Any]) -> list[str]:
        return [
            *count_problem("versions", len(output.versions), len(version_levels(params))),
            *distinct_versions(output, params),
            *reading_level(output, params),
            *standards_cited(output, params),
            *keep_terms(output, params),
        ]

    return check
