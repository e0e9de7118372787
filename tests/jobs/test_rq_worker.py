"""With Redis configured, jobs go through RQ and any worker process runs them."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from rq import Queue, SimpleWorker

from eduteach.jobs import tasks
from eduteach.jobs.generation import new_job
from eduteach.jobs.runner import RQ_QUEUE, RqRunner
from eduteach.storage.db import Database
from eduteach.storage.models import GenerationJob
from tests.fakes.openai_server import FakeOpenAI
from tests.plans.samples import lesson_params, lesson_plan_data

REDIS = "redis://127.0.0.1:6379/14"


@pytest.fixture
def rq_env(
    db: Database, tmp_path: Path, fake_model: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    monkeypatch.setenv("EDUTEACH_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("EDUTEACH_DATABASE_URL", db.url)
    monkeypatch.setenv("EDUTEACH_SECRET_KEY", secrets.token_urlsafe(40))
    monkeypatch.setenv("EDUTEACH_REDIS_URL", REDIS)
    monkeypatch.setenv("EDUTEACH_LLM_BASE_URL", fake_model.base_url)
    monkeypatch.setenv("EDUTEACH_LLM_MODEL", fake_model.model)
    tasks._services.cache_clear()
    connection = redis.Redis.from_url(REDIS)
    connection.flushdb()
    yield REDIS
    connection.flushdb()
    connection.close()
    if tasks._services.cache_info().currsize:
        tasks._services().db.dispose()
    tasks._services.cache_clear()


def test_a_job_queued_on_redis_is_run_by_a_worker(
    rq_env: str,
    db: Database,
    course_id: int,
    fake_model: FakeOpenAI,
) -> None:
    fake_model.enqueue_json(lesson_plan_data())
    job = new_job(
        course_id=course_id,
        owner_sub="t",
        action="create",
        kind_name="lesson_plan",
        params=lesson_params(),
    )
    with db.session() as s:
        s.add(job)
    RqRunner(rq_env).submit(job.id)
    connection = redis.Redis.from_url(rq_env)
    assert Queue(RQ_QUEUE, connection=connection).count == 1
    SimpleWorker([Queue(RQ_QUEUE, connection=connection)], connection=connection).work(burst=True)
    connection.close()
    with db.session() as s:
        done = s.get(GenerationJob, job.id)
        assert done is not None
        assert done.status == "succeeded", done.error_message
        assert done.result_artifact_id is not None
