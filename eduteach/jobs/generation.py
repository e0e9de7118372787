"""Generation jobs: create one for a teacher's request, and run it (on a thread or an RQ worker)."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from eduteach.content import artifacts
from eduteach.content.endpoint import NoModelConfigured, model_client
from eduteach.content.kinds import kind
from eduteach.generation import (
    GenerationError,
    GenerationResult,
    SourceText,
    generate,
    regenerate_part,
)
from eduteach.services import Services
from eduteach.storage.models import Artifact, GenerationJob, utcnow

log = logging.getLogger("eduteach.jobs")

ACTIONS = ("create", "regenerate_part", "expand_lesson")
STALE_AFTER = timedelta(minutes=20)
_PROGRESS_EVERY = 0.5


class JobFailed(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def new_job(
    *,
    course_id: int,
    owner_sub: str,
    action: str,
    kind_name: str,
    params: Mapping[str, Any],
    sources: Sequence[Mapping[str, Any]] = (),
    target_artifact_id: int | None = None,
    target_path: str = "",
    instruction: str = "",
) -> GenerationJob:
    if action not in ACTIONS:
        raise ValueError(f"unknown job action {action!r}")
    return GenerationJob(
        id=str(uuid.uuid4()),
        course_id=course_id,
        owner_sub=owner_sub,
        action=action,
        kind=kind_name,
        params=dict(params),
        sources=[dict(s) for s in sources],
        target_artifact_id=target_artifact_id,
        target_path=target_path,
        instruction=instruction,
    )


def claim(services: Services, job_id: str) -> bool:
    """Mark a queued job running; only one worker anywhere wins."""
    with services.db.session() as s:
        result = s.execute(
            update(GenerationJob)
            .where(GenerationJob.id == job_id, GenerationJob.status == "queued")
            .values(
                status="running",
                started_at=utcnow(),
                attempts=GenerationJob.attempts + 1,
                stage="Starting",
            )
        )
    return bool(getattr(result, "rowcount", 0))


def requeue_stale(services: Services) -> list[str]:
    """Jobs a crashed worker left running go back to the queue (after a restart)."""
    cutoff = utcnow() - STALE_AFTER
    with services.db.session() as s:
        stale = s.scalars(
            update(GenerationJob)
            .where(GenerationJob.status == "running", GenerationJob.started_at < cutoff)
            .values(status="queued", stage="Waiting to start again")
            .returning(GenerationJob.id)
        ).all()
        queued = s.scalars(select(GenerationJob.id).where(GenerationJob.status == "queued")).all()
    return sorted(set(stale) | set(queued))


class _Progress:
    """Writes stage and fraction to the job row, at most twice a second."""

    def __init__(
        self, services: Services, job_id: str, span: tuple[float, float] = (0.05, 0.95)
    ) -> None:
        self._services = services
        self._job_id = job_id
        self._span = span
        self._last = 0.0
        self._stage = ""

    def __call__(self, stage: str, fraction: float) -> None:
        now = time.monotonic()
        if stage == self._stage and now - self._last < _PROGRESS_EVERY:
            return
        self._stage, self._last = stage, now
        low, high = self._span
        value = low + (high - low) * max(0.0, min(1.0, fraction))
        with self._services.db.session() as s:
            s.execute(
                update(GenerationJob)
                .where(GenerationJob.id == self._job_id)
                .values(stage=stage[:200], progress=value)
            )


def _sources(job: GenerationJob) -> list[SourceText]:
    return [
        SourceText(label=s["label"], text=s["text"], sha256=s.get("sha256", ""))
        for s in job.sources
    ]


def _source_texts(job: GenerationJob) -> list[str]:
    """The teacher's material as plain text, for the checks that items quote it."""
    return [str(s["text"]) for s in job.sources]


def expand_params(unit: Artifact, slot: int) -> dict[str, Any]:
    """The lesson plan request for lesson ``slot`` of a unit plan, from its outline."""
    data = artifacts.current_data(unit)
    lessons = data.get("lessons") or []
    if not 1 <= slot <= len(lessons):
        raise JobFailed("bad_request", f"This unit has no lesson {slot}.")
    outline = lessons[slot - 1]
    lines = [str(outline.get("title", "")), str(outline.get("focus", ""))]
    lines += [f"Objective: {o}" for o in outline.get("objectives") or []]
    lines += [f"Activity: {a}" for a in outline.get("key_activities") or []]
    params = {
        k: v for k, v in unit.params.items() if k not in ("number_of_lessons", "lessons_per_week")
    }
    params["description"] = (
        f"Lesson {slot} of the unit '{data.get('title', '')}'. " + " ".join(x for x in lines if x)
    )[:4000]
    params["duration_minutes"] = max(
        5, min(180, int(outline.get("minutes") or params.get("duration_minutes") or 45))
    )
    return params


def run_job(services: Services, job_id: str) -> None:
    """Run a job to the end: a stored artifact version, or a failure the teacher can read."""
    if not claim(services, job_id):
        return
    with services.db.session() as s:
        job = s.get(GenerationJob, job_id)
        assert job is not None
        s.expunge(job)
    try:
        artifact_id = _execute(services, job)
    except (GenerationError, NoModelConfigured, JobFailed) as exc:
        code = getattr(exc, "code", "failed")
        message = getattr(exc, "user_message", None) or getattr(exc, "message", str(exc))
        log.warning("job %s failed code=%s kind=%s", job_id, code, job.kind)
        _finish(services, job_id, status="failed", error_code=str(code), error_message=str(message))
        return
    except Exception:
        log.exception("job %s failed unexpectedly kind=%s", job_id, job.kind)
        _finish(
            services,
            job_id,
            status="failed",
            error_code="internal",
            error_message="Something went wrong on our side while making this. Please try again.",
        )
        return
    _finish(services, job_id, status="succeeded", result_artifact_id=artifact_id)
    log.info("job %s succeeded kind=%s action=%s", job_id, job.kind, job.action)


def _finish(services: Services, job_id: str, **values: Any) -> None:
    with services.db.session() as s:
        s.execute(
            update(GenerationJob)
            .where(GenerationJob.id == job_id)
            .values(
                finished_at=utcnow(),
                progress=1.0 if values.get("status") == "succeeded" else GenerationJob.progress,
                stage="Done" if values.get("status") == "succeeded" else "Stopped",
                **values,
            )
        )


def _execute(services: Services, job: GenerationJob) -> int:
    progress = _Progress(services, job.id)
    progress("Connecting to the model", 0.0)
    client = model_client(services.settings, services.db)
    try:
        if job.action == "create":
            return _create(services, job, client, progress)
        if job.action == "expand_lesson":
            return _expand(services, job, client, progress)
        return _regenerate(services, job, client, progress)
    finally:
        client.close()


def _create(services: Services, job: GenerationJob, client: Any, progress: _Progress) -> int:
    kind_ = kind(job.kind)
    result: GenerationResult[Any] = generate(
        client,
        kind_.spec(_source_texts(job), job.params),
        job.params,
        _sources(job),
        progress=progress,
    )
    with services.db.session() as s:
        artifact = artifacts.create_artifact(
            s,
            course_id=job.course_id,
            owner_sub=job.owner_sub,
            kind_name=job.kind,
            params=job.params,
            result=result,
        )
        return artifact.id


def _load_target(services: Services, job: GenerationJob) -> Artifact:
    with services.db.session() as s:
        target = artifacts.get_artifact(s, job.course_id, job.target_artifact_id or 0)
        if target is None:
            raise JobFailed("gone", "The plan this was for no longer exists.")
        target.versions  # noqa: B018 - load the versions before the session closes
        s.expunge(target)
        return target


def _expand(services: Services, job: GenerationJob, client: Any, progress: _Progress) -> int:
    unit = _load_target(services, job)
    slot = int(job.target_path or 0)
    params = expand_params(unit, slot)
    result: GenerationResult[Any] = generate(
        client, kind("lesson_plan").spec(), params, _sources(job), progress=progress
    )
    with services.db.session() as s:
        parent = s.get(Artifact, unit.id)
        artifact = artifacts.create_artifact(
            s,
            course_id=job.course_id,
            owner_sub=job.owner_sub,
            kind_name="lesson_plan",
            params=params,
            result=result,
            parent=parent,
            parent_slot=slot,
        )
        return artifact.id


def _regenerate(services: Services, job: GenerationJob, client: Any, progress: _Progress) -> int:
    target = _load_target(services, job)
    kind_ = kind(target.kind)
    current = kind_.output.model_validate(artifacts.current_data(target))
    result: GenerationResult[Any] = regenerate_part(
        client,
        kind_.spec(_source_texts(job)),
        current,
        job.target_path,
        job.instruction,
        target.params,
        _sources(job),
        progress=progress,
    )
    with services.db.session() as s:
        artifact = s.get(Artifact, target.id)
        assert artifact is not None
        note = f"Regenerated {artifacts.section_label(job.target_path)}"
        if job.instruction:
            note += f": {job.instruction}"
        artifacts.replace_from_result(s, artifact, result, note)
        return artifact.id
