"""Cited codes must exist in the imported framework when the teacher picked from it."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from eduteach.content.kinds import KINDS
from eduteach.generation import (
    EndpointConfig,
    InMemoryModeCache,
    InvalidOutputError,
    ModelClient,
    generate,
)
from eduteach.generation.schemas import dump_params
from eduteach.standards.verified import cited_code_problems, verify_lines
from eduteach.storage.db import Database
from tests.activities.samples import params as sample_params
from tests.activities.samples import quiz_data
from tests.fakes.openai_server import FakeOpenAI, requested_schema
from tests.plans.samples import lesson_plan_data
from tests.teacher.fakes import fitting_plan

PICKED = "RSS.4.ECO.2 Predict what happens to a food web when one population grows or shrinks."
TYPED = "OWN.7 Explain photosynthesis in my own words"


def _quiz_params(**changes: Any) -> dict[str, Any]:
    return sample_params("quiz", standards=[PICKED], standards_verified=["RSS.4.ECO.2"], **changes)


def _quiz_citing(*codes: str) -> dict[str, Any]:
    data = quiz_data()
    for item, code in zip(data["items"], codes, strict=True):
        item["standard"] = code
    return data


def _client(fake: FakeOpenAI) -> ModelClient:
    config = EndpointConfig(
        base_url=fake.base_url, model=fake.model, api_key="k", total_timeout=10.0, max_retries=0
    )
    return ModelClient(config, mode_cache=InMemoryModeCache())


def test_lines_are_verified_when_their_code_is_imported(imported: Database) -> None:
    with imported.session() as s:
        codes = verify_lines(
            s, [PICKED.replace("RSS", "rss"), TYPED, "RSS.4.ECO.9 An invented one", "LMS.4.FR.1: x"]
        )
    assert codes == ["RSS.4.ECO.2", "LMS.4.FR.1"]


def test_a_code_that_only_resembles_the_picked_one_is_a_problem() -> None:
    params = {"standards": [PICKED, TYPED], "standards_verified": ["RSS.4.ECO.2"]}
    problems = cited_code_problems(
        [
            ("Standard 1", "rss.4.eco.2"),
            ("Standard 2", "4.ECO.2"),
            ("Standard 3", "OWN.7"),
            ("Standard 4", ""),
            ("Standard 5", "RSS.4.ECO.9"),
        ],
        params,
    )
    assert problems == [
        "Standard 2 cites '4.ECO.2', which is not a code in the imported standards; copy the "
        "code exactly as the teacher picked it: RSS.4.ECO.2.",
        "Standard 5 cites 'RSS.4.ECO.9', which is not a code in the imported standards; copy "
        "the code exactly as the teacher picked it: RSS.4.ECO.2.",
    ]


def test_typed_standards_alone_keep_the_looser_check() -> None:
    assert cited_code_problems([("Standard 1", "4.ECO.2")], {"standards": [PICKED]}) == []


def test_plans_check_their_cited_codes() -> None:
    kind = KINDS["lesson_plan"]
    invented = {"code": "4.ECO.2", "description": "Food webs"}
    plan = kind.output.model_validate(lesson_plan_data() | {"standards": [invented]})
    check = kind.field_checks["standards"]
    problems = check(plan, {"standards": [PICKED], "standards_verified": ["RSS.4.ECO.2"]})
    assert [p for p in problems if "not a code in the imported standards" in p] == [
        "Standard 1 cites '4.ECO.2', which is not a code in the imported standards; copy the "
        "code exactly as the teacher picked it: RSS.4.ECO.2."
    ]


def test_an_invented_code_is_sent_back_and_repaired(fake_model: FakeOpenAI) -> None:
    params = _quiz_params()
    draft = _quiz_citing("RSS.4.ECO.2", "4.ECO.2", "RSS.4.ECO.2", "RSS.4.ECO.2", "RSS.4.ECO.2")
    fixed_item = copy.deepcopy(draft["items"][1]) | {"standard": "RSS.4.ECO.2"}
    fake_model.enqueue_json(draft)
    fake_model.enqueue_json({"value": fixed_item})
    with _client(fake_model) as client:
        result = generate(client, KINDS["quiz"].spec((), params), params)
    assert [item.standard for item in result.output.items] == ["RSS.4.ECO.2"] * 5
    assert result.warnings == ()
    repair = fake_model.requests[1]["messages"][-1]["content"]
    assert "Question 2 cites '4.ECO.2', which is not a code in the imported standards" in repair


def test_a_quiz_that_keeps_the_invented_code_is_flagged(fake_model: FakeOpenAI) -> None:
    params = _quiz_params()
    draft = _quiz_citing("RSS.4.ECO.2", "RSS.4.ECO.2", "RSS.4.ECO.2", "RSS.4.ECO.2", "4.ECO.2")
    fake_model.enqueue_json(draft)
    for _ in range(2):
        fake_model.enqueue_json({"value": draft["items"][4]})
    with _client(fake_model) as client:
        result = generate(client, KINDS["quiz"].spec((), params), params)
    assert any(
        w.startswith("Needs your check: Question 5 cites '4.ECO.2'") for w in result.warnings
    )


def test_a_plan_that_keeps_an_invented_code_is_rejected(fake_model: FakeOpenAI) -> None:
    kind = KINDS["lesson_plan"]
    request = kind.request.model_validate(
        {
            "subject": "Science",
            "grade": "4",
            "description": "Food webs in a local pond and what happens when one population changes.",
            "standards": PICKED,
        }
    )
    params = dump_params(request) | {"standards_verified": ["RSS.4.ECO.2"]}
    invented = {"code": "4.ECO.2", "description": "Predict changes in a food web."}

    def keeps_inventing(body: dict[str, Any]) -> dict[str, Any]:
        if "value" in (requested_schema(body) or {}).get("properties", {}):
            return {"value": [invented]}
        return fitting_plan(body) | {"standards": [invented]}

    fake_model.responder = keeps_inventing
    with pytest.raises(InvalidOutputError) as caught, _client(fake_model) as client:
        generate(client, kind.spec((), params), params)
    assert any("'4.ECO.2', which is not a code" in p for p in caught.value.problems)
    assert len(fake_model.requests) == 3  # the draft and both repairs
