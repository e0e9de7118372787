"""Guidance made by the engine against the fake model: accepted, or repaired to fit its level."""

from __future__ import annotations

from typing import Any

import pytest

from eduteach.content.kinds import kind
from eduteach.generation import (
    EndpointConfig,
    GenerationResult,
    InMemoryModeCache,
    ModelClient,
    generate,
)
from eduteach.guidelines import GuidelinesRequest
from tests.fakes.openai_server import FakeOpenAI
from tests.guidelines import samples


def _generate(fake: FakeOpenAI, params: dict[str, Any]) -> GenerationResult[Any]:
    config = EndpointConfig(base_url=fake.base_url, model=fake.model, max_retries=1)
    with ModelClient(config, mode_cache=InMemoryModeCache()) as client:
        return generate(client, kind("ai_guidelines").spec(), params)


def test_guidance_that_fits_its_level_is_accepted_as_drafted(fake_model: FakeOpenAI) -> None:
    fake_model.enqueue_json(samples.with_ai())
    result = _generate(fake_model, samples.params(3))
    assert result.output.model_dump() == samples.with_ai()
    assert result.provenance["repair_rounds"] == 0
    prompt = "\n".join(m["content"] for m in fake_model.requests[0]["messages"])
    # The model is told the school's level, by name and meaning, and the whole scale.
    assert "AI as a collaborator, with disclosure" in prompt
    assert "1. No AI:" in prompt
    assert "save our park & <library>" in prompt


def test_a_no_ai_guideline_that_lists_allowed_uses_is_repaired(fake_model: FakeOpenAI) -> None:
    fake_model.enqueue_json(samples.with_ai())  # the "No AI" level, but uses listed
    fake_model.enqueue_json({"value": []})
    fake_model.enqueue_json({"value": []})
    result = _generate(fake_model, samples.params(1))
    assert result.output.allowed_uses == []
    assert result.output.disclosure_steps == []
    assert len(fake_model.requests) == 3  # the draft, then each part asked for alone
    repair = fake_model.requests[1]["messages"][-1]["content"]
    assert "“No AI” allows no AI" in repair
    assert "allowed_uses" in repair


def test_a_disclosure_level_without_disclosure_is_repaired(fake_model: FakeOpenAI) -> None:
    draft = samples.with_ai() | {"disclosure_steps": [], "disclosure_statement": "I used AI."}
    fake_model.enqueue_json(draft)
    fake_model.enqueue_json({"value": samples.with_ai()["disclosure_steps"]})
    fake_model.enqueue_json({"value": samples.with_ai()["disclosure_statement"]})
    result = _generate(fake_model, samples.params(4))
    assert result.output.model_dump() == samples.with_ai()


def test_guidance_that_names_a_student_is_not_kept(fake_model: FakeOpenAI) -> None:
    named = samples.with_ai() | {"summary": "Dear Maya, you may use AI to plan."}
    for _ in range(3):
        fake_model.enqueue_json(named)
    from eduteach.generation import InvalidOutputError

    with pytest.raises(InvalidOutputError):
        _generate(fake_model, samples.params(3))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"assignment_description": "Write it."}, "assignment_description"),
        ({"assignment_description": "Send the letter to sam.lee@school.org " * 2}, "assignment_description"),
        ({"level": "0"}, "level"),
        ({"level": "nine"}, "level"),
        ({"assignment_title": "  "}, "assignment_title"),
    ],
)  # fmt: skip
def test_a_request_that_cannot_be_used_says_which_field(
    changes: dict[str, str], field: str
) -> None:
    from pydantic import ValidationError

    from eduteach.generation.schemas import teacher_messages

    with pytest.raises(ValidationError) as caught:
        GuidelinesRequest.model_validate(samples.ASSIGNMENT | {"level": "2"} | changes)
    message = teacher_messages(caught.value)[field]
    assert not message.startswith("Check this value")


def test_a_level_beyond_the_schools_scale_is_refused() -> None:
    from pydantic_core import PydanticCustomError

    with pytest.raises(PydanticCustomError, match="from 1 to 4"):
        samples.params(6)
