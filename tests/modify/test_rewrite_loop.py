"""The rewrite loop against the fake model: measured, sent back with feedback, bounded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from eduteach.content.kinds import kind
from eduteach.generation import EndpointConfig, ModelClient, SourceText, generate
from eduteach.modify import ModifyRequest
from tests.fakes.openai_server import FakeOpenAI
from tests.modify.texts import EASY, HARD, HARD_SENTENCE, answer, version

MATERIAL = "A river is long and wide. " * 10
# Another easy text (grade 1.7, like EASY): a second version on target that is not a copy.
OTHER_EASY = "The dog ran to the park. It saw a big red ball. " * 12


@pytest.fixture
def client(fake_endpoint: EndpointConfig) -> Iterator[ModelClient]:
    with ModelClient(fake_endpoint) as c:
        yield c


def params(**values: Any) -> dict[str, Any]:
    return ModifyRequest.model_validate(values).model_dump(mode="json")


def run(client: ModelClient, wanted: dict[str, Any], material: str = MATERIAL) -> Any:
    spec = kind("modified_text").spec([material], wanted)
    return generate(client, spec, wanted, [SourceText(label="reading.txt", text=material)])


def last_user_message(body: dict[str, Any]) -> str:
    return str(body["messages"][-1]["content"])


def test_too_hard_version_is_rewritten_with_the_measurements(
    client: ModelClient, fake_model: FakeOpenAI
) -> None:
    fake_model.enqueue_json(answer(HARD))
    fake_model.enqueue_json({"value": version(EASY)})
    result = run(client, params(reading_level="2"))
    assert result.output.versions[0].text.startswith("The cat sat")
    assert result.warnings == ()
    assert len(fake_model.requests) == 2
    feedback = last_user_message(fake_model.requests[1])
    assert "grade 11.0" in feedback
    assert "target grade 2" in feedback
    assert f'"{HARD_SENTENCE}"' in feedback  # a longest sentence
    assert "Elephants, families" in feedback  # the hardest words


def test_version_never_on_target_is_kept_with_its_measured_level(
    client: ModelClient, fake_model: FakeOpenAI
) -> None:
    fake_model.enqueue_json(answer(HARD))
    fake_model.enqueue_json({"value": version(HARD)}, times=2)
    result = run(client, params(reading_level="2"))
    assert result.output.versions[0].text == HARD.strip()
    assert len(fake_model.requests) == 3  # the answer and two rewrites, no more
    assert len(result.warnings) == 1
    assert "reads at about grade 11.0" in result.warnings[0]
    assert "target grade 2" in result.warnings[0]


def test_only_the_version_off_target_is_asked_again(
    client: ModelClient, fake_model: FakeOpenAI
) -> None:
    # Support reads a grade below the chosen level: targets 1 and 2, both met by EASY (1.7).
    wanted = params(reading_level="2", differentiate="support,on-level")
    fake_model.enqueue_json(answer(EASY, HARD))
    fake_model.enqueue_json({"value": version(OTHER_EASY, label="On level")})
    result = run(client, wanted)
    assert len(fake_model.requests) == 2
    repair = last_user_message(fake_model.requests[1])
    assert '"versions.1"' in repair
    assert "Version 2" in repair
    assert "Version 1" not in repair
    assert [v.text for v in result.output.versions] == [EASY.strip(), OTHER_EASY.strip()]
    assert result.warnings == ()


def test_a_version_that_copies_another_is_written_again(
    client: ModelClient, fake_model: FakeOpenAI
) -> None:
    wanted = params(reading_level="2", differentiate="support,on-level")
    fake_model.enqueue_json(answer(EASY, EASY))
    fake_model.enqueue_json({"value": version(OTHER_EASY, label="On level")})
    result = run(client, wanted)
    repair = last_user_message(fake_model.requests[1])
    assert "Version 2 (On level) is the same text as version 1" in repair
    assert [v.text for v in result.output.versions] == [EASY.strip(), OTHER_EASY.strip()]
    assert result.warnings == ()


def test_key_terms_of_the_original_must_stay(client: ModelClient, fake_model: FakeOpenAI) -> None:
    material = "Rivers matter. The water of the Nile feeds Egypt. " * 5
    fake_model.enqueue_json(answer(EASY))
    fixed = version(EASY, glossary=[{"term": "Nile", "meaning": "a river"}])
    fake_model.enqueue_json({"value": {**fixed, "text": EASY + " It flows through Egypt."}})
    result = run(client, params(simplify_vocabulary="on"), material)
    problem = last_user_message(fake_model.requests[1])
    assert "Nile" in problem
    assert "Egypt" in problem
    assert result.warnings == ()


def test_only_the_teachers_standards_may_be_cited(
    client: ModelClient, fake_model: FakeOpenAI
) -> None:
    wanted = params(standards="RI.4.1 Refer to details\nRI.4.2")
    invented = version(EASY, standards=["RI.9.9"])
    fake_model.enqueue_json({"title": "Animals", "versions": [invented]})
    fake_model.enqueue_json({"value": version(EASY, standards=["RI.4.1", "RI.4.2"])})
    result = run(client, wanted, "The cat sat on the mat. " * 6)
    assert "RI.9.9" in last_user_message(fake_model.requests[1])
    assert result.output.versions[0].standards == ["RI.4.1", "RI.4.2"]


def test_request_needs_an_operation_and_valid_levels() -> None:
    with pytest.raises(ValueError, match="at least one change"):
        ModifyRequest.model_validate({})
    with pytest.raises(ValueError, match="Choose versions from"):
        ModifyRequest.model_validate({"differentiate": "support,expert"})
    with pytest.raises(ValueError, match="from K to 12"):
        ModifyRequest.model_validate({"reading_level": "college"})
    ok = ModifyRequest.model_validate({"reading_level": "4th grade", "differentiate": "Support"})
    assert (ok.reading_level, ok.differentiate) == ("4", ["support"])
    assert json.dumps(ok.model_dump(mode="json"))
