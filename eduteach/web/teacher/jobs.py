"""Generation jobs as the teacher sees them: start, watch, retry, dismiss."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from flask import abort, jsonify, redirect
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from eduteach.content import artifacts
from eduteach.content.kinds import KINDS
from eduteach.jobs.generation import new_job
from eduteach.lti.roles import Audience
from eduteach.storage.models import Artifact, GenerationJob, utcnow

from ..security import requires_launch, url_with_token
from . import bp
from .scope import (
    ACTIVE_STATUSES,
    course_id,
    job_or_404,
    labels,
    owner_sub,
    render_page,
    review_url,
    services,
)

FAILED_SHOWN_FOR = timedelta(days=7)


def start_job(
    session: Session,
    *,
    action: str,
    kind_name: str,
    params: Mapping[str, Any],
    sources: Sequence[Mapping[str, Any]] = (),
    target: Artifact | None = None,
    target_path: str = "",
    instruction: str = "",
) -> GenerationJob:
    """Store a job for this course and teacher; submit it after the session commits."""
    job = new_job(
        course_id=course_id(),
        owner_sub=owner_sub(),
        action=action,
        kind_name=kind_name,
        params=params,
        sources=sources,
        target_artifact_id=target.id if target else None,
        target_path=target_path,
        instruction=instruction,
    )
    session.add(job)
    session.flush()
    return job


def submit(job_id: str) -> None:
    services().jobs.submit(job_id)


def progress_url(job_id: str) -> str:
    return url_with_token("teacher.progress", job_id=job_id)


def sources_of(session: Session, artifact: Artifact) -> list[dict[str, Any]]:
    """The teacher's source texts an artifact was made from, so later jobs stay grounded."""
    job = session.scalars(
        select(GenerationJob)
        .where(
            GenerationJob.result_artifact_id == artifact.id,
            GenerationJob.action.in_(("create", "expand_lesson")),
            GenerationJob.course_id == artifact.course_id,
        )
        .order_by(GenerationJob.created_at)
    ).first()
    return [dict(s) for s in job.sources] if job else []


def _same_request(a: GenerationJob, b: GenerationJob) -> bool:
    return (a.action, a.kind, a.target_artifact_id, a.target_path, a.instruction, a.params) == (
        b.action,
        b.kind,
        b.target_artifact_id,
        b.target_path,
        b.instruction,
        b.params,
    )


def library_jobs(session: Session, course: int) -> list[GenerationJob]:
    """Jobs still running, and failures of the last days that were not tried again since."""
    since = utcnow() - FAILED_SHOWN_FOR
    recent = list(
        session.scalars(
            select(GenerationJob)
            .where(GenerationJob.course_id == course, GenerationJob.created_at >= since)
            .order_by(GenerationJob.created_at.desc())
            .limit(200)
        )
    )
    shown = []
    for position, job in enumerate(recent):
        if job.status in ACTIVE_STATUSES or (
            job.status == "failed"
            and not any(_same_request(job, newer) for newer in recent[:position])
        ):
            shown.append(job)
    return shown


def describe(session: Session, job: GenerationJob) -> str:
    """What the job makes, in a sentence for the teacher."""
    target = session.get(Artifact, job.target_artifact_id) if job.target_artifact_id else None
    title = target.title if target else ""
    known = KINDS.get(job.kind)
    kind_label = labels().kind_phrase(job.kind, known.label if known else "draft")
    section = labels().field(job.target_path.split(".", 1)[0]) if job.target_path else ""
    return labels().action(
        job.action, kind=kind_label, section=section, title=title, slot=job.target_path
    )


def done_url(job: GenerationJob) -> str:
    """Where the teacher goes when the job succeeded."""
    if job.result_artifact_id is None:
        return url_with_token("pages.teacher_home")
    if job.action == "regenerate_part":
        return review_url(
            job.result_artifact_id,
            anchor=f"sec-{job.target_path.split('.', 1)[0]}",
            done="regenerated",
            section=job.target_path,
        )
    return review_url(job.result_artifact_id)


def status_payload(job: GenerationJob) -> dict[str, Any]:
    return {
        "id": job.id,
        "status": job.status,
        "stage": job.stage,
        "progress": round(max(0.0, min(1.0, job.progress or 0.0)), 3),
        "error_code": job.error_code or None,
        "error_message": job.error_message or None,
        "done_url": done_url(job) if job.status == "succeeded" else None,
    }


@bp.get("/jobs/<job_id>")
@requires_launch(Audience.TEACHER)
def progress(job_id: str) -> ResponseReturnValue:
    with services().db.session() as s:
        job = job_or_404(s, job_id)
        if job.status == "succeeded":
            return redirect(done_url(job), code=303)
        target = s.get(Artifact, job.target_artifact_id) if job.target_artifact_id else None
        return render_page(
            "teacher/progress.html",
            job=job,
            what=describe(s, job),
            target=target,
            status=status_payload(job),
        )


@bp.get("/jobs/<job_id>/status")
@requires_launch(Audience.TEACHER)
def job_status(job_id: str) -> ResponseReturnValue:
    with services().db.session() as s:
        response = jsonify(status_payload(job_or_404(s, job_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/jobs/<job_id>/retry")
@requires_launch(Audience.TEACHER)
def retry(job_id: str) -> ResponseReturnValue:
    """Try a failed job again with exactly the same inputs."""
    with services().db.session() as s:
        job = job_or_404(s, job_id)
        if job.status != "failed":
            return redirect(progress_url(job.id), code=303)
        target = None
        if job.target_artifact_id is not None:
            target = artifacts.get_artifact(s, course_id(), job.target_artifact_id)
            if target is None:
                abort(404)
        again = start_job(
            s,
            action=job.action,
            kind_name=job.kind,
            params=job.params,
            sources=job.sources,
            target=target,
            target_path=job.target_path,
            instruction=job.instruction,
        )
        again_id = again.id
    submit(again_id)
    return redirect(progress_url(again_id), code=303)


@bp.post("/jobs/<job_id>/dismiss")
@requires_launch(Audience.TEACHER)
def dismiss(job_id: str) -> ResponseReturnValue:
    """Remove a failed job from the library (the teacher has read its message)."""
    with services().db.session() as s:
        job = job_or_404(s, job_id)
        if job.status == "failed":
            s.delete(job)
    return redirect(url_with_token("pages.teacher_home", done="dismissed"), code=303)
