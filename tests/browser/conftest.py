"""Headless Chromium (Debian's, driven by Playwright) against the running tool and LMS."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.lti.conftest import Lti, fresh, running_lti

SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "browser"


@pytest.fixture(scope="session")
def lms_with_storage(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lti]:
    """The practice LMS offering LTI platform storage, as a browser meets it."""
    with running_lti(
        database_url, tmp_path_factory.mktemp("browser"), platform_storage=True
    ) as lti:
        yield lti


@pytest.fixture
def live(lms_with_storage: Lti) -> Lti:
    return fresh(lms_with_storage)


def screenshot(page: Page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
