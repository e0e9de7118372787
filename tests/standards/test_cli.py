"""``eduteach standards``: import, list and search from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from eduteach.cli import main
from eduteach.storage.db import Database

from .conftest import MATH, SCIENCE, encoded, package


@pytest.fixture
def cli(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("EDUTEACH_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("EDUTEACH_DATABASE_URL", db.url)
    monkeypatch.setenv("EDUTEACH_BASE_URL", "https://eduteach.example.edu")
    return CliRunner()


def test_import_list_and_search(cli: CliRunner) -> None:
    empty = cli.invoke(main, ["standards", "list"])
    assert empty.exit_code == 0
    assert "No frameworks imported" in empty.output

    first = cli.invoke(main, ["standards", "import", str(SCIENCE)])
    assert first.exit_code == 0, first.output
    assert "Imported Riverbend Sample Science Standards: 13 items in" in first.output
    again = cli.invoke(main, ["standards", "import", str(SCIENCE)])
    assert "Replaced Riverbend Sample Science Standards: 13 items" in again.output
    assert cli.invoke(main, ["standards", "import", str(MATH)]).exit_code == 0

    listed = cli.invoke(main, ["standards", "list"]).output
    assert "Riverbend Sample Science Standards (Science, version 1.0)" in listed
    assert "    13 items" in listed
    assert "    4 items" in listed

    found = cli.invoke(main, ["standards", "search", "food", "web", "--grade", "5"])
    assert found.exit_code == 0
    assert found.output.splitlines() == [
        "RSS.4.ECO.2 Predict what happens to a food web when one population grows or shrinks, "
        "using evidence from a model."
    ]
    math_id = package(MATH)["CFDocument"]["identifier"]
    by_framework = cli.invoke(main, ["standards", "search", "fractions", "--framework", math_id])
    assert [line.split()[0] for line in by_framework.output.splitlines()] == [
        "LMS.4.FR.1",
        "LMS.4.FR.2",
        "LMS.5.FR.1",
    ]
    none = cli.invoke(main, ["standards", "search", "volcano"])
    assert none.exit_code == 1
    assert "No standards found." in none.output


def test_a_broken_file_is_refused_with_its_problem(cli: CliRunner, tmp_path: Path) -> None:
    data = package()
    del data["CFItems"][0]["fullStatement"]
    broken = tmp_path / "broken.json"
    broken.write_bytes(encoded(data))
    result = cli.invoke(main, ["standards", "import", str(broken)])
    assert result.exit_code == 1
    assert "broken.json: Item 1 (" in result.output
    assert "has no fullStatement. Nothing was imported." in result.output
    assert "No frameworks imported" in cli.invoke(main, ["standards", "list"]).output
