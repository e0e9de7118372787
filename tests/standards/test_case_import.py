"""Importing CASE packages: what is stored, and files that are refused whole."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from eduteach.standards import StandardsError, import_case, parse_case
from eduteach.standards import case as case_module
from eduteach.storage.db import Database
from eduteach.storage.models import StandardItem, StandardsFramework

from .conftest import MATH, SCIENCE, encoded, package


def _items(db: Database) -> dict[str, StandardItem]:
    with db.session() as s:
        return {i.identifier: i for i in s.scalars(select(StandardItem))}


def _by_code(db: Database) -> dict[str, StandardItem]:
    return {i.code: i for i in _items(db).values() if i.code}


def test_fixture_imports_with_counts_parents_and_levels(db: Database) -> None:
    with db.session() as s:
        result = import_case(s, SCIENCE.read_bytes())
    data = package()
    assert result.title == "Riverbend Sample Science Standards"
    assert result.items == len(data["CFItems"]) == 13
    assert not result.replaced
    items = _items(db)
    assert len(items) == 13
    codes = _by_code(db)
    # A standard sits under its cluster, the cluster under the grade heading, the heading
    # under the document (no parent).
    cluster = codes["RSS.4.ECO"]
    assert codes["RSS.4.ECO.1"].parent_identifier == cluster.identifier
    heading = items[cluster.parent_identifier]
    assert heading.code == ""
    assert heading.statement.startswith("Grade 4")
    assert heading.parent_identifier == ""
    assert codes["RSS.4.ECO.2a"].parent_identifier == codes["RSS.4.ECO.2"].identifier
    assert codes["RSS.4.ECO.2"].education_levels == ["04", "05"]
    assert codes["RSS.K.LT.1"].education_levels == ["KG"]
    assert codes["RSS.K.LT.1"].statement.startswith("Sort pictures of plants & animals")
    assert "étude" in codes["RSS.4.ENR.1"].search_text
    assert codes["RSS.4.ENR.1"].search_text == codes["RSS.4.ENR.1"].search_text.casefold()
    with db.session() as s:
        framework = s.scalars(select(StandardsFramework)).one()
        assert (framework.subject, framework.version) == ("Science", "1.0")
        assert len(framework.source_sha256) == 64


def test_reimport_of_the_same_document_replaces_its_items(db: Database) -> None:
    with db.session() as s:
        import_case(s, SCIENCE.read_bytes())
        import_case(s, MATH.read_bytes())
    data = package()
    data["CFItems"] = data["CFItems"][:3]
    data["CFItems"][1]["fullStatement"] = "Sort pictures into groups (revised)."
    data["CFAssociations"] = data["CFAssociations"][:3]
    with db.session() as s:
        result = import_case(s, encoded(data))
    assert result.replaced
    assert result.items == 3
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(StandardsFramework)) == 2
    codes = _by_code(db)
    assert codes["RSS.K.LT.1"].statement == "Sort pictures into groups (revised)."
    assert "RSS.4.ECO.1" not in codes
    assert "LMS.4.FR.1" in codes  # the other framework is untouched


def test_wrapped_package_and_grade_spellings_are_read() -> None:
    data = package(MATH)
    data["CFItems"][1]["educationLevel"] = ["4", "k"]
    parsed = parse_case(encoded({"CFPackage": data}))
    assert parsed.items[1].education_levels == ("04", "KG")


def _broken(change: Any) -> dict[str, Any]:
    data = package()
    change(data)
    return data


def _drop_statement(d: dict[str, Any]) -> None:
    del d["CFItems"][2]["fullStatement"]


def _duplicate_identifier(d: dict[str, Any]) -> None:
    d["CFItems"][4]["identifier"] = d["CFItems"][3]["identifier"]


def _unknown_parent(d: dict[str, Any]) -> None:
    d["CFAssociations"][5]["destinationNodeURI"]["identifier"] = "no-such-item"


def _unknown_child(d: dict[str, Any]) -> None:
    d["CFAssociations"][0]["originNodeURI"]["identifier"] = "ghost"


def _loop(d: dict[str, Any]) -> None:
    # The grade heading made a child of its own cluster.
    d["CFAssociations"][3]["destinationNodeURI"]["identifier"] = d["CFItems"][4]["identifier"]


def _no_document(d: dict[str, Any]) -> None:
    del d["CFDocument"]


def _no_title(d: dict[str, Any]) -> None:
    d["CFDocument"]["title"] = "  "


def _levels_not_list(d: dict[str, Any]) -> None:
    d["CFItems"][1]["educationLevel"] = "KG"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_drop_statement, r"Item 3 \([0-9a-f]{8}…\) has no fullStatement\."),
        (_duplicate_identifier, r"Item 5 .* same identifier as another item"),
        (_unknown_parent, r"Association 6 \(isChildOf\) points to no-such-item"),
        (_unknown_child, r"Association 1 \(isChildOf\) starts at ghost"),
        (_loop, r"its isChildOf associations form a loop"),
        (_no_document, r"no CFDocument"),
        (_no_title, r"The CFDocument has no title"),
        (_levels_not_list, r"Item 2 .* educationLevel that is not a list"),
    ],
)
def test_broken_packages_are_refused_and_nothing_is_written(
    db: Database, change: Any, message: str
) -> None:
    with db.session() as s:
        import_case(s, MATH.read_bytes())
    with pytest.raises(StandardsError, match=message) as caught, db.session() as s:
        import_case(s, encoded(_broken(change)))
    assert str(caught.value).endswith("Nothing was imported.")
    codes = _by_code(db)
    assert not any(code.startswith("RSS.") for code in codes)
    assert "LMS.4.FR.1" in codes


def test_a_failed_reimport_keeps_the_previous_version(db: Database) -> None:
    with db.session() as s:
        import_case(s, SCIENCE.read_bytes())
    with pytest.raises(StandardsError), db.session() as s:
        import_case(s, encoded(_broken(_drop_statement)))
    assert len(_items(db)) == 13


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", r"not valid JSON \(line 1, column 2"),
        (b"\xff\xfe\x00", r"not UTF-8"),
        (b"[1, 2]", r"not a CASE package"),
        (json.dumps({"CFDocument": {"identifier": "d", "title": "T"}}).encode(), r"no CFItems"),
    ],
)
def test_files_that_are_not_packages_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(StandardsError, match=message):
        parse_case(data)


def test_size_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(case_module, "MAX_ITEMS", 5)
    with pytest.raises(StandardsError, match=r"13 items; at most 5"):
        parse_case(SCIENCE.read_bytes())
    monkeypatch.setattr(case_module, "MAX_BYTES", 1000)
    with pytest.raises(StandardsError, match=r"at most 0 MB|can be at most"):
        parse_case(SCIENCE.read_bytes())


def test_many_problems_are_listed_up_to_a_limit() -> None:
    data = package()
    for item in data["CFItems"]:
        item["fullStatement"] = ""
    with pytest.raises(StandardsError) as caught:
        parse_case(encoded(data))
    text = str(caught.value)
    assert text.count("has no fullStatement") == case_module.MAX_PROBLEMS
    assert "(3 more problems not shown.)" in text
