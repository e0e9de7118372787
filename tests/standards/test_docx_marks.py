"""Word documents mark the standards that are not codes of an imported framework."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest

from eduteach.activities.quiz import Quiz
from eduteach.exports.activity_docx import render_activity_docx
from eduteach.exports.docx_plans import render_lesson_plan_docx, render_unit_plan_docx
from eduteach.standards.marks import verified_codes
from tests.activities.samples import params as sample_params
from tests.activities.samples import quiz_data
from tests.plans.samples import lesson_plan_data, meta, unit_plan_data

REAL = "RSS.4.ECO.2"
TYPED = "OWN.7"
STANDARDS = [
    {"code": REAL, "description": "Predict what happens to a food web."},
    {"code": TYPED, "description": "Explain photosynthesis in my own words."},
]
PARAMS = {
    "standards": [f"{REAL} Predict what happens to a food web.", f"{TYPED} Explain it."],
    "standards_verified": [REAL],
}


def _text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_lesson_plan_marks_only_the_typed_standard() -> None:
    plan = lesson_plan_data(standards=STANDARDS)
    text = _text(render_lesson_plan_docx(plan, meta(), verified=verified_codes(PARAMS)))
    assert f"{TYPED} (unverified)" in text
    assert REAL in text
    assert f"{REAL} (unverified)" not in text


def test_a_unit_plan_and_its_lessons_mark_typed_standards() -> None:
    unit = unit_plan_data(standards=STANDARDS)
    lesson = lesson_plan_data(standards=[STANDARDS[1]])
    data = render_unit_plan_docx(unit, {1: lesson}, meta(), verified=verified_codes(PARAMS))
    text = _text(data)
    assert f"{TYPED} (unverified)" in text
    assert f"{REAL} (unverified)" not in text
    # The unit's details, its standards section and the full lesson all say so.
    assert text.count(f"{TYPED} (unverified)") >= 3


@pytest.mark.parametrize(
    "params",
    [
        {"standards": PARAMS["standards"]},  # nothing was looked up: no framework imported
        {"standards": [], "standards_verified": [REAL]},  # no standards asked for
    ],
)
def test_nothing_is_marked_without_a_list_of_verified_codes(params: dict[str, Any]) -> None:
    plan = lesson_plan_data(standards=STANDARDS)
    text = _text(render_lesson_plan_docx(plan, meta(), verified=verified_codes(params)))
    assert "(unverified)" not in text
    assert TYPED in text


def _quiz(*codes: str) -> Quiz:
    data = quiz_data()
    for item, code in zip(data["items"], codes, strict=False):
        item["standard"] = code
    return Quiz.model_validate(data)


def test_the_answer_key_marks_an_items_unverified_standard() -> None:
    quiz = _quiz(REAL.lower(), TYPED)
    params = sample_params("quiz", **PARAMS)
    key = _text(render_activity_docx("quiz", quiz, params, meta(), answer_key=True))
    assert f"{TYPED} (unverified)" in key
    assert f"{REAL.lower()} (unverified)" not in key  # a code matches whatever its case
    student = _text(render_activity_docx("quiz", quiz, params, meta(), answer_key=False))
    assert TYPED not in student


def test_an_answer_key_without_verified_codes_is_unmarked() -> None:
    quiz = _quiz(REAL, TYPED)
    params = sample_params("quiz", standards=PARAMS["standards"])
    key = _text(render_activity_docx("quiz", quiz, params, meta(), answer_key=True))
    assert TYPED in key
    assert "(unverified)" not in key
