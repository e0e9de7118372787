"""Fixtures for standards: the self-written CASE packages, imported into a clean database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eduteach.standards import import_case
from eduteach.storage.db import Database
from tests.teacher.conftest import (
    live,
    lms_with_storage,
    lti,
    lti_servers,
    model,
    model_server,
    teacher,
)

# Fixtures borrowed from the teacher tests: the practice LMS, a launched teacher, the fake model.
__all__ = ["live", "lms_with_storage", "lti", "lti_servers", "model", "model_server", "teacher"]

CASE_DIR = Path(__file__).parent.parent / "fixtures" / "case"
SCIENCE = CASE_DIR / "riverbend_science.json"
MATH = CASE_DIR / "lakeside_math.json"


def package(path: Path = SCIENCE) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def encoded(data: dict[str, Any]) -> bytes:
    return json.dumps(data).encode("utf-8")


def import_fixtures(db: Database) -> None:
    with db.session() as s:
        import_case(s, SCIENCE.read_bytes())
        import_case(s, MATH.read_bytes())


@pytest.fixture
def imported(db: Database) -> Database:
    """A database holding both fixture frameworks."""
    import_fixtures(db)
    return db
