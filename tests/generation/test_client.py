"""ModelClient against a local OpenAI-compatible server: modes, retries, timeouts, errors."""

from __future__ import annotations

import socket
import time
from typing import Any

import openai
import pytest
from pydantic import BaseModel, Field

from eduteach.generation import (
    EndpointConfig,
    EndpointConfigError,
    EndpointUnreachableError,
    GenerationTimeoutError,
    InMemoryModeCache,
    ModelClient,
    PromptTooLongError,
    RateLimitedError,
    RefusalError,
    StructuredMode,
    TruncatedOutputError,
)
from tests.fakes.openai_server import FakeOpenAI, FakeReply

MESSAGES = [
    {"role": "system", "content": "You write short lesson steps."},
    {"role": "user", "content": "One step about fractions."},
]


class Step(BaseModel):
    name: str = Field(description="What happens")
    minutes: int = Field(ge=1, le=60)


class Plan(BaseModel):
    title: str
    steps: list[Step]


class Tagged(BaseModel):
    title: str
    tags: dict[str, str]


GOOD = {"title": "Fractions", "steps": [{"name": "Warm-up", "minutes": 5}]}


def make_client(fake: FakeOpenAI, **overrides: Any) -> ModelClient:
    options: dict[str, Any] = {
        "base_url": fake.base_url,
        "model": fake.model,
        "api_key": "sk-test-secret",
        "connect_timeout": 2.0,
        "total_timeout": 10.0,
        "max_retries": 2,
    }
    options.update(overrides)
    return ModelClient(EndpointConfig(**options), mode_cache=InMemoryModeCache())


def test_valid_answer_is_parsed_with_usage_and_mode(fake_model: FakeOpenAI) -> None:
    fake_model.enqueue_json(GOOD, usage={"prompt_tokens": 120, "completion_tokens": 30})
    with make_client(fake_model) as client:
        reply = client.complete_json(MESSAGES, Plan, max_tokens=700, temperature=0.2)
    assert reply.parsed == GOOD
    assert reply.parse_error is None
    assert (reply.prompt_tokens, reply.completion_tokens) == (120, 30)
    assert reply.mode is StructuredMode.JSON_SCHEMA
    assert reply.finish_reason == "stop"
    assert reply.duration_ms >= 0
    sent = fake_model.requests[0]
    assert sent["max_tokens"] == 700
    assert sent["temperature"] == 0.2
    assert sent["messages"] == MESSAGES


def test_max_tokens_default_always_sent(fake_model: FakeOpenAI) -> None:
    fake_model.enqueue_json(GOOD)
    with make_client(fake_model, max_tokens=1234) as client:
        client.complete_json(MESSAGES, Plan)
    assert fake_model.requests[0]["max_tokens"] == 1234


def test_json_schema_request_is_strict_when_schema_allows(fake_model: FakeOpenAI) -> None:
    fake_model.enqueue_json(GOOD)
    with make_client(fake_model) as client:
        client.complete_json(MESSAGES, Plan, name="lesson plan")
    fmt = fake_model.requests[0]["response_format"]
    assert fmt["type"] == "json_schema"
    spec = fmt["json_schema"]
    assert spec["name"] == "lesson_plan"
    assert spec["strict"] is True
    schema = spec["schema"]
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["title", "steps"]
    step = schema["$defs"]["Step"]
    assert step["additionalProperties"] is False
    assert step["properties"]["minutes"]["minimum"] == 1


def test_free_form_object_is_sent_non_strict(fake_model: FakeOpenAI) -> None:
    fake_model.enqueue_json({"title": "x", "tags": {"a": "b"}})
    with make_client(fake_model) as client:
        client.complete_json(MESSAGES, Tagged)
    spec = fake_model.requests[0]["response_format"]["json_schema"]
    assert spec["strict"] is False
    assert spec["schema"]["properties"]["tags"]["additionalProperties"] == {"type": "string"}


def test_llama_cpp_rejection_falls_back_and_is_remembered() -> None:
    with FakeOpenAI(reject_json_schema=True) as fake:
        fake.enqueue_json(GOOD)
        fake.enqueue_json(GOOD)
        client = make_client(fake)
        first = client.complete_json(MESSAGES, Plan)
        second = client.complete_json(MESSAGES, Plan)
        client.close()
    assert first.parsed == GOOD
    assert first.mode is StructuredMode.JSON_OBJECT_SCHEMA
    assert second.mode is StructuredMode.JSON_OBJECT_SCHEMA
    kinds = [r["response_format"]["type"] for r in fake.requests]
    # The rejected json_schema was not retried, and the second call went straight to json_object.
    assert kinds == ["json_schema", "json_object", "json_object"]
    assert fake.requests[1]["response_format"]["schema"]["required"] == ["title", "steps"]
    # Without a server-enforced json_schema the model is shown the schema in the prompt.
    system = fake.requests[1]["messages"][0]["content"]
    assert system.startswith("You write short lesson steps.")
    assert '"minutes"' in system
    assert fake.requests[0]["messages"] == MESSAGES
    # Pydantic's generated titles ("Plan", "Step", "Minutes") are not sent: a small model
    # copies them as values. The property called title stays.
    schema = fake.requests[1]["response_format"]["schema"]
    assert "title" in schema["properties"]
    assert "Plan" not in str(schema)
    assert '"title": "' not in system
    assert '"title": {' in system


def test_falls_back_to_plain_json_mode_then_prompt_only() -> None:
    rejected = {"json_schema": 400, "json_object_schema": 400, "json_object": 422}
    with FakeOpenAI(rejected_formats=rejected) as fake:
        fake.enqueue_text('Here is the plan:\n```json\n{"title": "F", "steps": []}\n```\n')
        with make_client(fake) as client:
            reply = client.complete_json(MESSAGES, Plan)
    assert reply.mode is StructuredMode.PROMPT
    assert reply.parsed == {"title": "F", "steps": []}
    formats = [r.get("response_format") or {} for r in fake.requests]
    kinds = [
        (f.get("type"), "schema" in f, f.get("json_schema", {}).get("strict")) for f in formats
    ]
    assert kinds == [
        ("json_schema", False, True),
        ("json_schema", False, False),
        ("json_object", True, None),
        ("json_object", False, None),
        (None, False, None),
    ]
    assert '"steps"' in fake.requests[-1]["messages"][0]["content"]


def test_strict_rejection_retries_same_mode_without_strict(fake_model: FakeOpenAI) -> None:
    fake_model.enqueue_error(400, "Invalid schema for response_format 'Plan': strict mode ...")
    fake_model.enqueue_json(GOOD)
    with make_client(fake_model) as client:
        reply = client.complete_json(MESSAGES, Plan)
    assert reply.mode is StructuredMode.JSON_SCHEMA
    stricts = [r["response_format"]["json_schema"]["strict"] for r in fake_model.requests]
    assert stricts == [True, False]


def test_mode_cache_is_pluggable(fake_model: FakeOpenAI) -> None:
    class RecordingCache:
        def __init__(self) -> None:
            self.saved: dict[tuple[str, str], StructuredMode] = {}

        def get(self, base_url: str, model: str) -> StructuredMode | None:
            return self.saved.get((base_url, model))

        def set(self, base_url: str, model: str, mode: StructuredMode) -> None:
            self.saved[(base_url, model)] = mode

    cache = RecordingCache()
    cache.set(fake_model.base_url, fake_model.model, StructuredMode.JSON_OBJECT)
    fake_model.enqueue_json(GOOD)
    config = EndpointConfig(base_url=fake_model.base_url, model=fake_model.model)
    with ModelClient(config, mode_cache=cache) as client:
        reply = client.complete_json(MESSAGES, Plan)
    assert reply.mode is StructuredMode.JSON_OBJECT
    assert fake_model.requests[0]["response_format"] == {"type": "json_object"}


def test_429_waits_for_retry_after_then_succeeds(fake_model: FakeOpenAI) -> None:
    fake_model.enqueue_error(429, "slow down", headers={"Retry-After": "1"})
    fake_model.enqueue_json(GOOD)
    with make_client(fake_model) as client:
        started = time.monotonic()
        reply = client.complete_json(MESSAGES, Plan)
        elapsed = time.monotonic() - started
    assert reply.parsed == GOOD
    assert len(fake_model.requests) == 2
    assert 1.0 <= elapsed < 2.5


def test_5xx_then_success(fake_model: FakeOpenAI) -> None:
    fake_model.enqueue_error(502, headers={"retry-after-ms": "20"}, times=2)
    fake_model.enqueue_json(GOOD)
    with make_client(fake_model, max_retries=3) as client:
        reply = client.complete_json(MESSAGES, Plan)
    assert reply.parsed == GOOD
    assert len(fake_model.requests) == 3


def test_5xx_forever_is_unreachable_after_retries(fake_model: FakeOpenAI) -> None:
    fake_model.responder = lambda _body: FakeReply(
        None, status=503, headers={"retry-after-ms": "20"}
    )
    with make_client(fake_model, max_retries=2) as client, pytest.raises(EndpointUnreachableError):
        client.complete_json(MESSAGES, Plan)
    assert len(fake_model.requests) == 3


def test_closed_port_is_unreachable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = EndpointConfig(base_url=f"http://127.0.0.1:{port}/v1", model="m", max_retries=0)
    with ModelClient(config) as client, pytest.raises(EndpointUnreachableError) as caught:
        client.complete_json(MESSAGES, Plan)
    assert "not reachable" in caught.value.user_message


def test_429_forever_is_rate_limited(fake_model: FakeOpenAI) -> None:
    fake_model.responder = lambda _body: FakeReply(
        None, status=429, headers={"retry-after-ms": "20"}
    )
    with make_client(fake_model, max_retries=2) as client, pytest.raises(RateLimitedError):
        client.complete_json(MESSAGES, Plan)
    assert len(fake_model.requests) == 3


def test_retry_after_beyond_the_deadline_fails_at_once(fake_model: FakeOpenAI) -> None:
    fake_model.enqueue_error(429, "quota", headers={"Retry-After": "60"})
    with make_client(fake_model, total_timeout=5.0) as client:
        started = time.monotonic()
        with pytest.raises(RateLimitedError) as caught:
            client.complete_json(MESSAGES, Plan)
    assert time.monotonic() - started < 1.0
    assert caught.value.retry_after == 60
    assert len(fake_model.requests) == 1


def test_hang_times_out_within_the_total_timeout(fake_model: FakeOpenAI) -> None:
    fake_model.responder = lambda _body: FakeReply("{}", delay=10)
    with make_client(fake_model, total_timeout=0.6, max_retries=3) as client:
        started = time.monotonic()
        with pytest.raises(GenerationTimeoutError) as caught:
            client.complete_json(MESSAGES, Plan)
        elapsed = time.monotonic() - started
    # One total budget for the call, not 0.6 s per attempt times four attempts.
    assert 0.5 <= elapsed < 1.5
    assert caught.value.code == "timeout"


def test_finish_reason_length_is_truncated(fake_model: FakeOpenAI) -> None:
    fake_model.enqueue_text('{"title": "Fractions", "steps": [{"na', finish_reason="length")
    with make_client(fake_model) as client, pytest.raises(TruncatedOutputError) as caught:
        client.complete_json(MESSAGES, Plan)
    assert caught.value.code == "truncated"


@pytest.mark.parametrize(
    "reply",
    [
        FakeReply(None, refusal="I can't help with that request."),
        FakeReply("I'm sorry, but I can't help with that."),
        FakeReply("", finish_reason="content_filter"),
    ],
)
def test_refusals(fake_model: FakeOpenAI, reply: FakeReply) -> None:
    fake_model.responder = lambda _body: reply
    with make_client(fake_model) as client, pytest.raises(RefusalError) as caught:
        client.complete_json(MESSAGES, Plan)
    assert caught.value.code == "refusal"


def test_prose_that_is_not_a_refusal_comes_back_for_repair(fake_model: FakeOpenAI) -> None:
    fake_model.enqueue_text('{"title": "Fractions", steps: []}')
    with make_client(fake_model) as client:
        reply = client.complete_json(MESSAGES, Plan)
    assert reply.parsed is None
    assert reply.parse_error is not None
    assert "not valid JSON" in reply.parse_error


@pytest.mark.parametrize(
    ("status", "message", "error"),
    [
        (401, "Incorrect API key provided", EndpointConfigError),
        (403, "forbidden", EndpointConfigError),
        (404, "The model `gpt-x` does not exist", EndpointConfigError),
        (400, "This model's maximum context length is 4096 tokens", PromptTooLongError),
    ],
)
def test_client_errors_map_to_clear_errors(
    fake_model: FakeOpenAI, status: int, message: str, error: type[Exception]
) -> None:
    fake_model.enqueue_error(status, message)
    with make_client(fake_model) as client, pytest.raises(error):
        client.complete_json(MESSAGES, Plan)
    assert len(fake_model.requests) == 1


def test_api_key_is_sent_but_never_shown() -> None:
    with FakeOpenAI(api_key="sk-test-secret") as fake:
        fake.enqueue_json(GOOD)
        with make_client(fake) as client:
            client.complete_json(MESSAGES, Plan)
            assert "sk-test-secret" not in repr(client.config)
        with make_client(fake, api_key="wrong") as client, pytest.raises(EndpointConfigError):
            client.complete_json(MESSAGES, Plan)
    assert fake.request_headers[0]["Authorization"] == "Bearer sk-test-secret"


def test_azure_uses_deployment_path_and_api_version(fake_model: FakeOpenAI) -> None:
    fake_model.enqueue_json(GOOD)
    config = EndpointConfig(
        base_url=fake_model.root_url,
        model="my-deployment",
        api_key="azure-key",
        api_version="2024-10-21",
    )
    with ModelClient(config, mode_cache=InMemoryModeCache()) as client:
        reply = client.complete_json(MESSAGES, Plan)
    assert reply.parsed == GOOD
    request, _response = fake_model.server.log[-1]
    assert request.path == "/openai/deployments/my-deployment/chat/completions"
    assert request.args["api-version"] == "2024-10-21"
    assert request.headers["api-key"] == "azure-key"


def test_reasoning_model_gets_max_completion_tokens(fake_model: FakeOpenAI) -> None:
    fake_model.enqueue_error(
        400,
        "Unsupported parameter: 'max_tokens' is not supported with this model. "
        "Use 'max_completion_tokens' instead.",
    )
    fake_model.enqueue_json(GOOD)
    with make_client(fake_model) as client:
        reply = client.complete_json(MESSAGES, Plan, max_tokens=900)
    assert reply.parsed == GOOD
    assert "max_tokens" not in fake_model.requests[1]
    assert fake_model.requests[1]["max_completion_tokens"] == 900


def test_list_models_checks_the_connection(fake_endpoint: EndpointConfig) -> None:
    with ModelClient(fake_endpoint) as client:
        assert client.list_models() == ["fake-model"]


def test_endpoint_config_from_env() -> None:
    env = {
        "EDUTEACH_LLM_BASE_URL": "https://user:pw@llm.example.org:8443/v1",
        "EDUTEACH_LLM_MODEL": "qwen",
        "EDUTEACH_LLM_API_KEY": "k",
        "EDUTEACH_LLM_TIMEOUT": "60",
    }
    config = EndpointConfig.from_env(env)
    assert config is not None
    assert (config.model, config.total_timeout, config.api_key) == ("qwen", 60.0, "k")
    assert config.host == "llm.example.org:8443"
    assert EndpointConfig.from_env({}) is None
    with pytest.raises(ValueError, match="EDUTEACH_LLM_MODEL"):
        EndpointConfig.from_env({"EDUTEACH_LLM_BASE_URL": "http://x/v1"})


def test_fake_default_responder_fits_the_requested_schema(fake_model: FakeOpenAI) -> None:
    with make_client(fake_model) as client:
        reply = client.complete_json(MESSAGES, Plan)
    assert reply.parsed is not None
    plan = Plan.model_validate(reply.parsed)
    assert plan.steps[0].minutes >= 1


def test_fake_streams_server_sent_events(fake_model: FakeOpenAI) -> None:
    fake_model.enqueue_text("Hello from a streamed answer", usage={"prompt_tokens": 3})
    sdk = openai.OpenAI(base_url=fake_model.base_url, api_key="k", max_retries=0)
    stream = sdk.chat.completions.create(
        model=fake_model.model, messages=[{"role": "user", "content": "hi"}], stream=True
    )
    text = "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
    sdk.close()
    assert text == "Hello from a streamed answer"
