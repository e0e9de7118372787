"""Find imported standards by code, words, grade, framework and subject; look codes up.

Searches are plain SQL (LIKE on lower-cased text and on the JSON list of grades), so they
behave the same on SQLite and PostgreSQL. Only items with a code are returned: a standard
without one cannot be cited, checked or picked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Text, case, cast, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from eduteach.storage.models import StandardItem, StandardsFramework

from .case import education_level, search_text

MAX_RESULTS = 50
MAX_QUERY = 200
MAX_WORDS = 8


@dataclass(frozen=True)
class StandardHit:
    code: str
    statement: str
    education_levels: tuple[str, ...]
    framework_identifier: str
    framework_title: str

    @property
    def line(self) -> str:
        """The standard as a teacher's form line: "CODE statement"."""
        return f"{self.code} {self.statement}"


@dataclass(frozen=True)
class FrameworkSummary:
    identifier: str
    title: str
    subject: str
    version: str
    items: int


def grade_level(grade: str) -> str | None:
    """The CASE educationLevel for a form grade (K, 1..12); None for any other grade."""
    level = education_level(grade)
    return level if level == "KG" or (level.isdigit() and len(level) == 2) else None


def search_standards(
    session: Session,
    query: str = "",
    *,
    grade: str = "",
    frameworks: Sequence[str] = (),
    subject: str = "",
    limit: int = 25,
) -> list[StandardHit]:
    """Standards matching the query, best first.

    A code typed whole comes first, then codes that start with the query, then standards whose
    code and statement contain every word of it; each group in the framework's own order.
    ``grade`` keeps standards tagged with that grade (untagged ones are left out); a grade the
    frameworks cannot have (higher-ed) is ignored. ``frameworks`` are CFDocument identifiers.
    """
    text = " ".join(query.split())[:MAX_QUERY].casefold()
    code = func.lower(StandardItem.code)
    conditions: list[ColumnElement[bool]] = [StandardItem.code != ""]
    rank: ColumnElement[int] | None = None
    if text:
        words = search_text("", text).split()[:MAX_WORDS]
        by_words = [StandardItem.search_text.like(f"%{_escaped(w)}%", escape="\\") for w in words]
        prefix = code.like(f"{_escaped(text)}%", escape="\\")
        conditions.append(prefix | _all(by_words))
        rank = case((code == text, 0), (prefix, 1), else_=2)
    level = grade_level(grade) if grade else None
    if level:
        # The JSON list as stored (["04", "05"]) on either database.
        conditions.append(cast(StandardItem.education_levels, Text).like(f'%"{level}"%'))
    if frameworks:
        conditions.append(StandardsFramework.identifier.in_(list(frameworks)))
    if subject.strip():
        wanted = f"%{_escaped(subject.strip().casefold())}%"
        conditions.append(func.lower(StandardsFramework.subject).like(wanted, escape="\\"))
    statement = (
        select(StandardItem, StandardsFramework)
        .join(StandardsFramework, StandardItem.framework_id == StandardsFramework.id)
        .where(*conditions)
        .order_by(*([rank] if rank is not None else []), StandardsFramework.title, StandardItem.id)
        .limit(max(1, min(limit, MAX_RESULTS)))
    )
    return [_hit(item, framework) for item, framework in session.execute(statement)]


def find_codes(session: Session, codes: Iterable[str]) -> dict[str, StandardHit]:
    """The imported standards with these codes, keyed by the code lower-cased.

    Codes compare whole and ignoring case; a code found in several frameworks keeps the first
    imported.
    """
    wanted = sorted({c.strip().casefold() for c in codes if c.strip()})
    if not wanted:
        return {}
    found: dict[str, StandardHit] = {}
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(StandardItem, StandardsFramework)
            .join(StandardsFramework, StandardItem.framework_id == StandardsFramework.id)
            .where(func.lower(StandardItem.code).in_(wanted[start : start + 500]))
            .order_by(StandardsFramework.id, StandardItem.id)
        )
        for item, framework in rows:
            found.setdefault(item.code.casefold(), _hit(item, framework))
    return found


def list_frameworks(session: Session) -> list[FrameworkSummary]:
    """Every imported framework with its number of items, by title."""
    counts = (
        select(StandardItem.framework_id, func.count().label("total"))
        .group_by(StandardItem.framework_id)
        .subquery()
    )
    rows = session.execute(
        select(StandardsFramework, func.coalesce(counts.c.total, 0))
        .outerjoin(counts, counts.c.framework_id == StandardsFramework.id)
        .order_by(StandardsFramework.title, StandardsFramework.id)
    )
    return [FrameworkSummary(f.identifier, f.title, f.subject, f.version, int(n)) for f, n in rows]


def has_frameworks(session: Session) -> bool:
    """Whether any framework is imported (the picker is shown only then)."""
    return session.scalar(select(StandardsFramework.id).limit(1)) is not None


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _all(conditions: Sequence[ColumnElement[bool]]) -> ColumnElement[bool]:
    combined = conditions[0]
    for condition in conditions[1:]:
        combined = combined & condition
    return combined


def _hit(item: StandardItem, framework: StandardsFramework) -> StandardHit:
    return StandardHit(
        code=item.code,
        statement=item.statement,
        education_levels=tuple(item.education_levels or ()),
        framework_identifier=framework.identifier,
        framework_title=framework.title,
    )
