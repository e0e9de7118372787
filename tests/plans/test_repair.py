"""A lesson plan with a few bad fields is repaired field by field, the rest kept as drafted.

This is the failure the small offline model showed in real runs: a complete plan with one
empty field, which a whole-plan repair did not fix twice in a row.
"""

from __future__ import annotations

import json

from eduteach.content.kinds import kind
from eduteach.generation import EndpointConfig, InMemoryModeCache, ModelClient, generate
from tests.fakes.openai_server import FakeOpenAI
from tests.plans.samples import lesson_params, lesson_plan_data


def test_blank_homework_and_a_vague_objective_are_asked_for_alone(
    fake_model: FakeOpenAI,
) -> None:
    good = lesson_plan_data()
    draft = {
        **good,
        "homework": "   ",
        "objectives": ["Understand fractions", *good["objectives"][1:]],
    }
    fake_model.enqueue_json(draft)
    # The schema problem first (domain checks need a plan that fits the schema), then the rest.
    fake_model.enqueue_json({"value": "Add three pairs of fractions at home using the strips."})
    fake_model.enqueue_json({"value": good["objectives"]})
    config = EndpointConfig(base_url=fake_model.base_url, model=fake_model.model, max_retries=1)
    with ModelClient(config, mode_cache=InMemoryModeCache()) as client:
        result = generate(client, kind("lesson_plan").spec(), lesson_params())
    plan = result.output
    assert plan.homework == "Add three pairs of fractions at home using the strips."
    assert plan.objectives == good["objectives"]
    assert plan.model_dump(exclude={"homework", "objectives"}) == json.loads(
        json.dumps({k: v for k, v in good.items() if k not in ("homework", "objectives")})
    )
    questions = [r["messages"][-1]["content"] for r in fake_model.requests[1:]]
    assert '"homework"' in questions[0]
    assert "`homework`: This must not be empty." in questions[0]
    assert '"objectives"' in questions[1]
    assert "Understand fractions" in questions[1]
    assert result.provenance["repair_rounds"] == 2


def test_text_fields_forbid_empty_strings_in_the_schema_sent() -> None:
    from eduteach.generation.schemas.lesson_plan import LessonPlan
    from eduteach.generation.structured import output_schema, strict_schema

    schema = output_schema(LessonPlan)
    assert schema["properties"]["homework"]["minLength"] == 1
    assert schema["properties"]["objectives"]["items"]["minLength"] == 1
    # OpenAI strict mode does not take minLength: its copy drops it and stays strict.
    strict = strict_schema(LessonPlan)
    assert strict is not None
    assert "minLength" not in json.dumps(strict)
