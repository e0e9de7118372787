"""The ``eduteach generate`` tests' endpoint: only the fake model configured."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.fakes.openai_server import FakeOpenAI


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, fake_model: FakeOpenAI, tmp_path: Path) -> FakeOpenAI:
    """Only the fake endpoint configured; no offline model on this (pretend) machine."""
    for name in list(os.environ):
        if name.startswith("EDUTEACH_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("EDUTEACH_LLM_BASE_URL", fake_model.base_url)
    monkeypatch.setenv("EDUTEACH_LLM_MODEL", fake_model.model)
    monkeypatch.setenv("EDUTEACH_LLM_MAX_RETRIES", "0")
    monkeypatch.setenv("EDUTEACH_LLM_TIMEOUT", "10")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.chdir(tmp_path)
    return fake_model
