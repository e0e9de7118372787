"""Pytest fixtures around ``FakeOpenAI``.

Use them from any test package by adding to ``tests/conftest.py``::

    pytest_plugins = ["tests.fakes.fixtures"]
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from eduteach.generation import EndpointConfig
from tests.fakes.openai_server import FakeOpenAI


@pytest.fixture
def fake_model() -> Iterator[FakeOpenAI]:
    """A running fake OpenAI-compatible server for one test; ``.base_url`` ends in ``/v1``."""
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def fake_endpoint(fake_model: FakeOpenAI) -> EndpointConfig:
    """An endpoint config for ``fake_model`` with short timeouts and one retry (fast tests)."""
    return EndpointConfig(
        base_url=fake_model.base_url,
        model=fake_model.model,
        api_key="test-key",
        connect_timeout=2.0,
        total_timeout=10.0,
        max_retries=1,
        max_tokens=2048,
    )
