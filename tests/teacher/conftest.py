"""A teacher launched from the practice LMS into the running tool, with a fake model behind it.

``teacher`` plays one browser over HTTP: it keeps the launch token and CSRF token the page
gave it and sends them the way the pages do (``lt`` in links and forms, ``csrf_token`` in
forms). Jobs run on the tool's own worker threads; ``wait`` polls the progress JSON.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from playwright.sync_api import Browser as Chromium
from playwright.sync_api import Page

from eduteach.storage.models import GenerationJob
from tests.browser.conftest import live, lms_with_storage
from tests.fakes.openai_server import FakeOpenAI
from tests.lti.conftest import Browser, Lti, lti, lti_servers
from tests.plans.samples import STANDARD
from tests.teacher.fakes import fitting_plan

__all__ = ["live", "lms_with_storage", "lti", "lti_servers"]  # fixtures shared with these tests

TEACHER, STUDENT = "rivera", "alex"
LESSON_FORM = {
    "subject": "Mathematics",
    "grade": "5",
    "language": "English",
    "description": "Adding fractions with unlike denominators using fraction strips",
    "duration_minutes": "45",
    "standards": STANDARD,
    "class_notes": "Four English learners at a beginner level.",
    "tone": "encouraging",
}
UNIT_FORM = {
    "subject": "Science",
    "grade": "7",
    "language": "English",
    "description": "Ecosystems: food webs, energy flow and human impact on local wetlands",
    "duration_minutes": "50",
    "number_of_lessons": "4",
    "lessons_per_week": "2",
    "standards": "MS-LS2-3 Develop a model to describe the cycling of matter",
    "tone": "neutral",
}


@pytest.fixture(scope="session")
def model_server() -> Iterator[FakeOpenAI]:
    """One fake model for the session; each test starts it with an empty queue."""
    with FakeOpenAI(responder=fitting_plan) as fake:
        yield fake


def point_tool_at(
    lti: Lti, fake: FakeOpenAI | None, *, offline_draft: bool = False, **extra: str
) -> None:
    """Configure the running tool's model endpoint (None: no model at all)."""
    svc = lti.tool_app.extensions["eduteach"]
    settings = {
        "EDUTEACH_LLM_TIMEOUT": "8",
        "EDUTEACH_LLM_CONNECT_TIMEOUT": "2",
        "EDUTEACH_LLM_MAX_RETRIES": "1",
        **extra,
    }
    svc.settings = svc.settings.with_overrides(
        llm_base_url=fake.base_url if fake else None,
        llm_model=fake.model if fake else None,
        llm_offline_draft=offline_draft,
        extra=settings,
    )


@pytest.fixture
def model(lti: Lti, model_server: FakeOpenAI) -> Iterator[FakeOpenAI]:
    model_server.clear()
    model_server.responder = fitting_plan
    point_tool_at(lti, model_server)
    yield model_server
    model_server.clear()


@dataclass
class Teacher:
    """One launched browser and the tokens its pages carry."""

    lti: Lti
    browser: Browser
    token: str
    csrf: str

    def url(self, path: str) -> str:
        return self.lti.tool_url + path

    def get(self, path: str, **params: str) -> requests.Response:
        return self.browser.get(self.url(path), params={"lt": self.token, **params})

    def post(
        self,
        path: str,
        data: dict[str, str] | None = None,
        *,
        files: Any = None,
        csrf: bool = True,
        extra: list[tuple[str, str]] | None = None,
    ) -> requests.Response:
        fields: list[tuple[str, str]] = [("lt", self.token)]
        if csrf:
            fields.append(("csrf_token", self.csrf))
        fields += list((data or {}).items()) + list(extra or [])
        return self.browser.http.post(
            self.url(path), data=fields, files=files, allow_redirects=False, timeout=20
        )

    def status(self, job_id: str) -> dict[str, Any]:
        resp = self.browser.http.get(
            self.url(f"/teacher/jobs/{job_id}/status"),
            headers={"X-Launch-Token": self.token, "Accept": "application/json"},
            timeout=10,
        )
        assert resp.status_code == 200, resp.text[:300]
        body: dict[str, Any] = resp.json()
        return body

    def wait(self, job_id: str, timeout: float = 30) -> dict[str, Any]:
        """Poll the progress JSON, as the page does, until the job ends."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            body = self.status(job_id)
            if body["status"] in ("succeeded", "failed"):
                return body
            time.sleep(0.1)
        raise AssertionError(f"job {job_id} still {body['status']} after {timeout}s")

    def create(self, kind: str = "lesson_plan", form: dict[str, str] | None = None) -> str:
        """Submit a create form; the id of the job it started."""
        resp = self.post(f"/teacher/new/{kind}", form or LESSON_FORM)
        assert resp.status_code == 303, resp.text[:2000]
        return job_id_of(resp)

    def make(self, kind: str = "lesson_plan", form: dict[str, str] | None = None) -> int:
        """Create a plan and wait for it; its artifact id."""
        done = self.wait(self.create(kind, form))
        assert done["status"] == "succeeded", done
        return artifact_id_of(done["done_url"])

    def jobs(self) -> list[GenerationJob]:
        with self.lti.tool_app.extensions["eduteach"].db.session() as s:
            return list(s.query(GenerationJob).order_by(GenerationJob.created_at))


def job_id_of(resp: requests.Response) -> str:
    match = re.search(r"/teacher/jobs/([0-9a-f-]{36})", resp.headers.get("Location", ""))
    assert match, resp.headers.get("Location")
    return match.group(1)


def artifact_id_of(url: str) -> int:
    match = re.search(r"/teacher/artifacts/(\d+)", url)
    assert match, url
    return int(match.group(1))


def launch_as(lti: Lti, user: str) -> Teacher:
    browser = lti.browser()
    page = browser.follow(browser.launch(user))
    assert page.status_code == 200, page.text[:500]
    token = parse_qs(urlsplit(page.url).query)["lt"][0]
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
    return Teacher(lti, browser, token, csrf.group(1) if csrf else "")


@pytest.fixture
def teacher(lti: Lti, model: FakeOpenAI) -> Teacher:
    return launch_as(lti, TEACHER)


@pytest.fixture
def browser_phone(browser: Chromium) -> Iterator[Page]:
    """A phone-sized page (390 x 844, touch)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def slow_model(live: Lti, model_server: FakeOpenAI) -> Iterator[FakeOpenAI]:
    """The fake model, slow enough that a person sees the progress bar move."""
    model_server.clear()
    model_server.responder = fitting_plan
    model_server.latency = 2.5
    point_tool_at(live, model_server)
    yield model_server
    model_server.latency = 0.0
    model_server.clear()
