"""Generation jobs through the real engine against a local fake model: stored, versioned, failing cleanly."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from sqlalchemy import select

from eduteach.content import artifacts
from eduteach.jobs.generation import new_job, requeue_stale, run_job
from eduteach.services import Services
from eduteach.storage.db import Database
from eduteach.storage.models import Artifact, GenerationJob
from tests.conftest import make_settings
from tests.fakes.openai_server import FakeOpenAI
from tests.plans.samples import lesson_params, lesson_plan_data, unit_params, unit_plan_data


@pytest.fixture
def services(db: Database, tmp_path: Path, fake_model: FakeOpenAI) -> Iterator[Services]:
    settings = make_settings(
        tmp_path,
        db.url,
        "https://eduteach.example.edu",
        llm_base_url=fake_model.base_url,
        llm_model=fake_model.model,
    )
    built = Services.build(settings)
    yield built
    built.db.dispose()


def _submit(services: Services, course_id: int, **fields: Any) -> str:
    fields.setdefault("action", "create")
    fields.setdefault("kind_name", "lesson_plan")
    fields.setdefault("params", lesson_params())
    job = new_job(course_id=course_id, owner_sub="teacher-sub", **fields)
    with services.db.session() as s:
        s.add(job)
    run_job(services, job.id)
    return job.id


def _job(services: Services, job_id: str) -> GenerationJob:
    with services.db.session() as s:
        job = s.get(GenerationJob, job_id)
        assert job is not None
        return job


def test_a_job_stores_the_plan_as_a_first_version_with_provenance(
    services: Services, course_id: int, fake_model: FakeOpenAI
) -> None:
    fake_model.enqueue_json(lesson_plan_data())
    job = _job(services, _submit(services, course_id))
    assert (job.status, job.progress, job.error_code) == ("succeeded", 1.0, "")
    with services.db.session() as s:
        artifact = s.get(Artifact, job.result_artifact_id)
        assert artifact is not None
        version = artifacts.current_version(artifact)
        assert artifact.title == lesson_plan_data()["title"]
        assert artifact.status == "draft"
        assert version.note == "Generated"
        assert version.provenance["model"] == fake_model.model
        assert version.provenance["prompt_tokens"] > 0
        assert "api_key" not in repr(version.provenance)


def test_a_failing_model_leaves_a_clear_message_and_no_artifact(
    services: Services, course_id: int, fake_model: FakeOpenAI
) -> None:
    fake_model.enqueue_json(lesson_plan_data(), finish_reason="length")
    job = _job(services, _submit(services, course_id))
    assert job.status == "failed"
    assert job.error_code == "truncated"
    assert "cut off" in job.error_message.lower() or "too long" in job.error_message.lower()
    with services.db.session() as s:
        assert s.scalars(select(Artifact)).first() is None


def test_no_model_configured_is_its_own_message(
    db: Database, tmp_path: Path, course_id: int
) -> None:
    services = Services.build(make_settings(tmp_path, db.url, "https://eduteach.example.edu"))
    try:
        job = _job(services, _submit(services, course_id))
    finally:
        services.db.dispose()
    assert job.error_code == "no_model"
    assert "administrator" in job.error_message


def test_edit_regenerate_and_undo_keep_every_version(
    services: Services, course_id: int, fake_model: FakeOpenAI
) -> None:
    fake_model.enqueue_json(lesson_plan_data())
    artifact_id = _job(services, _submit(services, course_id)).result_artifact_id
    with services.db.session() as s:
        artifact = s.get(Artifact, artifact_id)
        assert artifact is not None
        artifacts.edit_section(s, artifact, "homework", "Read chapter 3 and bring one question.")
    fake_model.enqueue_json(["Students build fraction strips in pairs and compare them."])
    _submit(
        services,
        course_id,
        action="regenerate_part",
        target_artifact_id=artifact_id,
        target_path="materials",
        instruction="make it more hands-on",
    )
    with services.db.session() as s:
        artifact = s.get(Artifact, artifact_id)
        assert artifact is not None
        notes = [v.note for v in artifact.versions]
        assert notes[0] == "Generated"
        assert notes[1] == "Edited homework"
        assert notes[2].startswith("Regenerated materials: make it more hands-on")
        data = artifacts.current_data(artifact)
        assert data["homework"] == "Read chapter 3 and bring one question."
        artifacts.undo(s, artifact)
        assert (
            artifacts.current_data(artifact)["homework"] == "Read chapter 3 and bring one question."
        )
        assert artifacts.current_data(artifact)["materials"] == lesson_plan_data()["materials"]
        assert len(artifact.versions) == 4


def test_a_bad_edit_is_refused_and_nothing_changes(
    services: Services, course_id: int, fake_model: FakeOpenAI
) -> None:
    fake_model.enqueue_json(lesson_plan_data())
    artifact_id = _job(services, _submit(services, course_id)).result_artifact_id
    with services.db.session() as s:
        artifact = s.get(Artifact, artifact_id)
        assert artifact is not None
        with pytest.raises(artifacts.EditError) as info:
            artifacts.edit_section(s, artifact, "objectives", [])
        assert info.value.problems
        assert len(artifact.versions) == 1


def test_expanding_a_unit_lesson_makes_a_linked_lesson_plan_in_the_unit_document(
    services: Services, course_id: int, fake_model: FakeOpenAI
) -> None:
    fake_model.enqueue_json(unit_plan_data(lessons=4))
    unit_id = _job(
        services, _submit(services, course_id, kind_name="unit_plan", params=unit_params())
    ).result_artifact_id
    outline = unit_plan_data(lessons=4)["lessons"][1]
    full = lesson_plan_data(
        title="Lesson two, in full",
        standards=[{"code": "MS-LS2-3", "description": "Develop a model of matter cycling."}],
    )
    full["procedure"][3]["minutes"] += outline["minutes"] - 45  # the outline's 50 minutes
    fake_model.enqueue_json(full)
    job = _job(
        services,
        _submit(
            services,
            course_id,
            action="expand_lesson",
            kind_name="lesson_plan",
            params={},
            target_artifact_id=unit_id,
            target_path="2",
        ),
    )
    assert job.status == "succeeded", job.error_message
    sent = fake_model.requests[-1]["messages"][-1]["content"]
    assert outline["title"] in sent
    with services.db.session() as s:
        unit = s.get(Artifact, unit_id)
        assert unit is not None
        kids = artifacts.children(s, unit)
        assert list(kids) == [2]
        assert kids[2].title == "Lesson two, in full"
        text = "\n".join(
            p.text for p in Document(io.BytesIO(artifacts.render_docx(s, unit))).paragraphs
        )
        assert "Lesson two, in full" in text


def test_only_one_worker_runs_a_job_and_stale_jobs_are_requeued(
    services: Services, course_id: int, fake_model: FakeOpenAI
) -> None:
    fake_model.enqueue_json(lesson_plan_data())
    job_id = _submit(services, course_id)
    run_job(services, job_id)  # a second worker picking the same job does nothing
    assert len(fake_model.requests) == 1
    queued = new_job(
        course_id=course_id,
        owner_sub="t",
        action="create",
        kind_name="lesson_plan",
        params=lesson_params(),
    )
    with services.db.session() as s:
        s.add(queued)
    assert queued.id in requeue_stale(services)


def test_wrong_minutes_are_fixed_without_a_repair_round_and_the_teacher_is_told(
    services: Services, course_id: int, fake_model: FakeOpenAI
) -> None:
    data = lesson_plan_data()
    data["procedure"][3]["minutes"] += 7  # adds up to 52 for a 45-minute lesson
    fake_model.enqueue_json(data)
    job = _job(services, _submit(services, course_id))
    assert job.status == "succeeded", job.error_message
    assert len(fake_model.requests) == 1
    with services.db.session() as s:
        artifact = s.get(Artifact, job.result_artifact_id)
        assert artifact is not None
        version = artifacts.current_version(artifact)
        assert sum(step["minutes"] for step in version.data["procedure"]) == 45
        assert any("adjusted the step minutes" in w for w in version.warnings)
