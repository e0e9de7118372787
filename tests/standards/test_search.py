"""Searching imported standards by code, words, grade, framework and subject."""

from __future__ import annotations

import pytest

from eduteach.standards import find_codes, list_frameworks, search_standards
from eduteach.standards.search import grade_level
from eduteach.storage.db import Database

from .conftest import MATH, package


def _codes(db: Database, query: str = "", **filters: object) -> list[str]:
    with db.session() as s:
        return [h.code for h in search_standards(s, query, **filters)]  # type: ignore[arg-type]


def test_a_whole_code_comes_first_then_codes_that_start_with_it(imported: Database) -> None:
    codes = _codes(imported, "rss.4.eco.2")
    assert codes[:2] == ["RSS.4.ECO.2", "RSS.4.ECO.2a"]
    assert _codes(imported, "RSS.4.ECO")[:4] == [
        "RSS.4.ECO",
        "RSS.4.ECO.1",
        "RSS.4.ECO.2",
        "RSS.4.ECO.2a",
    ]


def test_words_must_all_appear_in_code_or_statement(imported: Database) -> None:
    assert _codes(imported, "food web") == [
        "RSS.4.ECO",
        "RSS.4.ECO.1",
        "RSS.4.ECO.2",
        "RSS.4.ECO.2a",
    ]
    assert _codes(imported, "Food  WEB pond") == ["RSS.4.ECO.1"]
    assert _codes(imported, "fractions denominators") == ["LMS.4.FR.2", "LMS.5.FR.1"]
    assert _codes(imported, "food kangaroo") == []


def test_special_characters_are_searched_literally(imported: Database) -> None:
    assert _codes(imported, "plants &") == ["RSS.K.LT.1"]
    assert _codes(imported, "étude") == ["RSS.4.ENR.1"]
    assert _codes(imported, "100%") == []
    assert _codes(imported, "_") == []


def test_grade_keeps_standards_tagged_with_it(imported: Database) -> None:
    assert _codes(imported, "", grade="K") == ["RSS.K.LT.1", "RSS.K.LT.2"]
    fifth = _codes(imported, "", grade="5")
    assert fifth == ["LMS.5.FR.1", "RSS.4.ECO.2", "RSS.5.MAT.1", "RSS.5.MAT.2"]
    assert _codes(imported, "food", grade="5") == ["RSS.4.ECO.2"]
    # Higher education is not a CASE grade here: the filter is ignored, not "nothing".
    assert _codes(imported, "food", grade="higher-ed") == _codes(imported, "food")


def test_framework_and_subject_filters(imported: Database) -> None:
    math_id = package(MATH)["CFDocument"]["identifier"]
    assert _codes(imported, "4", frameworks=[math_id]) == ["LMS.4.FR.1", "LMS.4.FR.2"]
    assert _codes(imported, "", subject="math", grade="4") == ["LMS.4.FR.1", "LMS.4.FR.2"]
    assert _codes(imported, "", subject="science", grade="K") == ["RSS.K.LT.1", "RSS.K.LT.2"]


def test_items_without_a_code_are_never_results(imported: Database) -> None:
    with imported.session() as s:
        hits = search_standards(s, "grade")
    assert all(h.code for h in hits)
    assert "Kindergarten: living things" not in " ".join(h.statement for h in hits)


def test_limit(imported: Database) -> None:
    assert len(_codes(imported, "rss", limit=3)) == 3


def test_find_codes_is_exact_and_ignores_case(imported: Database) -> None:
    with imported.session() as s:
        found = find_codes(s, ["rss.4.eco.2", "4.ECO.2", "RSS.4.ECO.9", " LMS.5.FR.1 "])
    assert set(found) == {"rss.4.eco.2", "lms.5.fr.1"}
    assert found["rss.4.eco.2"].code == "RSS.4.ECO.2"
    assert found["lms.5.fr.1"].framework_title == "Lakeside Sample Mathematics Standards"


def test_list_frameworks_counts_items(imported: Database) -> None:
    with imported.session() as s:
        rows = list_frameworks(s)
    assert [(r.title, r.subject, r.items) for r in rows] == [
        ("Lakeside Sample Mathematics Standards", "Mathematics", 4),
        ("Riverbend Sample Science Standards", "Science", 13),
    ]


@pytest.mark.parametrize(
    ("grade", "level"), [("K", "KG"), ("kg", "KG"), ("4", "04"), ("12", "12"), ("higher-ed", None)]
)
def test_grade_levels(grade: str, level: str | None) -> None:
    assert grade_level(grade) == level
