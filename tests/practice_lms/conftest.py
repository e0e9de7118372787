"""Fixtures: the practice LMS and a stub tool, each served over HTTP on a free port."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduteach.practice_lms import (
    PracticeConfig,
    PracticePlatform,
    create_practice_app,
    listener_url,
    open_listener,
    registration_values,
    serve_in_thread,
)
from eduteach.practice_lms.keys import KeyStore
from tests.practice_lms.stub_tool import StubTool, create_stub_tool


@dataclass
class LmsAndTool:
    """A running practice LMS, a running stub tool, and handles on both."""

    config: PracticeConfig
    platform: PracticePlatform
    tool: StubTool


@pytest.fixture(scope="session")
def seasoned_keys(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A platform key file made once per session: RSA generation is the slow part of setup."""
    config = PracticeConfig(instance_path=tmp_path_factory.mktemp("keys"))
    KeyStore(config.keys_path).current()
    return config.keys_path.read_bytes()


@pytest.fixture(scope="session")
def stub_tool_pem() -> str:
    """The stub tool's private key, made once per session."""
    return StubTool(platform={}).private_pem


@pytest.fixture
def practice_config(tmp_path: Path, seasoned_keys: bytes) -> PracticeConfig:
    """A practice LMS config with its own instance folder, holding an existing key."""
    config = PracticeConfig(instance_path=tmp_path / "practice_lms")
    config.instance_path.mkdir(parents=True)
    config.keys_path.write_bytes(seasoned_keys)
    return config


@pytest.fixture
def practice_app(practice_config: PracticeConfig) -> Flask:
    """The practice LMS app, for Flask's test client."""
    app = create_practice_app(practice_config)
    app.testing = True
    return app


@pytest.fixture
def practice_client(practice_app: Flask) -> FlaskClient:
    """A browser-like client of the practice LMS app."""
    return practice_app.test_client()


def csrf_from(client: FlaskClient, path: str) -> str:
    """Open a page and read the CSRF token its forms carry."""
    page = client.get(path).get_data(as_text=True)
    marker = 'name="csrf_token" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


@contextmanager
def serve_lms_and_tool(
    practice_config: PracticeConfig, tool_pem: str | None = None, **overrides: object
) -> Iterator[LmsAndTool]:
    """Serve the practice LMS and the stub tool, each knowing the other's URL."""
    lms_listener, tool_listener = open_listener(), open_listener()
    config = replace(
        practice_config,
        base_url=listener_url(lms_listener),
        tool_base_url=listener_url(tool_listener),
        **overrides,  # type: ignore[arg-type]
    )
    values = registration_values(config)
    tool = StubTool(values, tool_pem) if tool_pem else StubTool(values)
    lms = serve_in_thread(create_practice_app(config), lms_listener)
    stub = serve_in_thread(create_stub_tool(tool, config.origin), tool_listener)
    try:
        yield LmsAndTool(config=config, platform=PracticePlatform(config), tool=tool)
    finally:
        stub.stop()
        lms.stop()


@pytest.fixture
def running(practice_config: PracticeConfig, stub_tool_pem: str) -> Iterator[LmsAndTool]:
    """Practice LMS (platform storage on) and stub tool, both served."""
    with serve_lms_and_tool(practice_config, stub_tool_pem) as both:
        yield both


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, seasoned_keys: bytes, stub_tool_pem: str
) -> Iterator[LmsAndTool]:
    """Practice LMS and stub tool served once for a whole test module (their data is shared)."""
    config = PracticeConfig(instance_path=tmp_path_factory.mktemp("practice_lms"))
    config.instance_path.mkdir(parents=True, exist_ok=True)
    config.keys_path.write_bytes(seasoned_keys)
    with serve_lms_and_tool(config, stub_tool_pem) as both:
        yield both
