"""Opt-in: the whole lesson-plan flow against a real model endpoint, down to the Word file.

Run with the endpoint's usual settings and the opt-in flag, for example::

    EDUTEACH_TEST_LIVE_ENDPOINT=1 EDUTEACH_LLM_BASE_URL=https://api.openai.com/v1 \\
    EDUTEACH_LLM_MODEL=gpt-4o-mini EDUTEACH_LLM_API_KEY=sk-... \\
    pytest -m live_model tests/live

It sends one lesson-plan request (a made-up topic, no student data) and costs a few thousand
tokens. A small local model may need the repair rounds; a model too weak to pass the checks
fails here with the problems it left.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from eduteach.cli import main
from eduteach.exports import load_labels
from eduteach.generation.schemas import PHASES, LessonPlan, LessonPlanRequest, dump_params
from eduteach.generation.validators import check_lesson_plan

_OPTED_IN = os.environ.get("EDUTEACH_TEST_LIVE_ENDPOINT") == "1"
_CONFIGURED = bool(os.environ.get("EDUTEACH_LLM_BASE_URL") and os.environ.get("EDUTEACH_LLM_MODEL"))

pytestmark = [
    pytest.mark.live_model,
    pytest.mark.skipif(
        not _OPTED_IN,
        reason="opt-in: set EDUTEACH_TEST_LIVE_ENDPOINT=1 and EDUTEACH_LLM_BASE_URL, "
        "EDUTEACH_LLM_MODEL (and EDUTEACH_LLM_API_KEY) to run against a real model endpoint",
    ),
    pytest.mark.skipif(
        _OPTED_IN and not _CONFIGURED,
        reason="EDUTEACH_TEST_LIVE_ENDPOINT=1 is set but EDUTEACH_LLM_BASE_URL and "
        "EDUTEACH_LLM_MODEL are not: name the endpoint to test",
    ),
    # A local CPU model writes a 45-minute plan, plus repairs, in minutes.
    pytest.mark.timeout(1800),
]

REQUEST = {
    "subject": "Science",
    "grade": "4",
    "description": "How plants make their own food from sunlight, water and air (photosynthesis)",
    "duration_minutes": "40",
}


def test_a_real_model_makes_a_lesson_plan_that_passes_the_checks_and_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out, data = tmp_path / "plan.docx", tmp_path / "plan.json"

    result = CliRunner().invoke(
        main,
        [
            "generate", "lesson-plan",
            "--subject", REQUEST["subject"],
            "--grade", REQUEST["grade"],
            "--topic", REQUEST["description"],
            "--duration", REQUEST["duration_minutes"],
            "-o", str(out),
            "--json", str(data),
        ],
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    plan = LessonPlan.model_validate(json.loads(data.read_text(encoding="utf-8")))
    params = dump_params(LessonPlanRequest.model_validate(REQUEST))
    assert check_lesson_plan(plan, params) == []
    assert sum(step.minutes for step in plan.procedure) == 40
    assert {step.phase for step in plan.procedure} == set(PHASES)
    assert "completion tokens" in result.stdout

    document = docx.Document(str(out))
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    assert next(p.text for p in paragraphs if p.style.name == "Title") == plan.title
    headings = [p.text for p in paragraphs if p.style.name.startswith("Heading")]
    labels = load_labels()
    assert labels("objectives") in headings
    assert labels("procedure", minutes=40) in headings
    procedure_rows = max(len(table.rows) for table in document.tables)
    assert procedure_rows >= len(plan.procedure) + 1
    body = "\n".join(p.text for p in paragraphs)
    for objective in plan.objectives:
        assert objective in body
    footer = document.sections[0].footer
    footer_text = "\n".join(
        cell.text for table in footer.tables for row in table.rows for cell in row.cells
    )
    assert labels("ai_unreviewed") in footer_text
