"""What every teacher view needs: the launch's course, records scoped to it, and page rendering.

Every artifact and job is looked up by id *and* the launch's course, so a teacher of another
course gets a 404, never someone else's draft.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from flask import abort, current_app, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from eduteach.content import artifacts
from eduteach.content.kinds import KINDS, Kind
from eduteach.services import Services
from eduteach.storage.models import Artifact, GenerationJob

from ..security import current_launch, current_record, url_with_token
from .labels import Labels, load_labels
from .uploads import keep

CREATE_KINDS = (
    "lesson_plan",
    "minecraft_lesson_plan",
    "unit_plan",
    "quiz",
    "self_quiz",
    "flashcards",
    "fill_in",
    "matching",
)
"""Kinds a teacher starts from the library's Create buttons, in the order shown."""


def services() -> Services:
    svc: Services = current_app.extensions["eduteach"]
    return svc


def labels() -> Labels:
    return load_labels(Path(str(current_app.template_folder)) / "teacher" / "labels.toml")


def course_id() -> int:
    """The launch's course; 404 for a launch without one (nothing here exists outside a course)."""
    record = current_record()
    if record is None or record.course_id is None:
        abort(404)
    return record.course_id


def owner_sub() -> str:
    launch = current_launch()
    return launch.user_sub if launch else ""


def kind_of(name: str) -> Kind:
    """A kind the review pages can show; 404 for anything else."""
    found = KINDS.get(name)
    if found is None:
        abort(404)
    return found


def artifact_or_404(session: Session, artifact_id: int) -> Artifact:
    found = artifacts.get_artifact(session, course_id(), artifact_id)
    if found is None:
        abort(404)
    return found


def job_or_404(session: Session, job_id: str) -> GenerationJob:
    job = session.get(GenerationJob, job_id[:36])
    if job is None or job.course_id != course_id():
        abort(404)
    return job


def review_url(artifact_id: int, *, anchor: str = "", **query: Any) -> str:
    url = url_with_token("teacher.review", artifact_id=artifact_id, **query)
    return f"{url}#{anchor}" if anchor else url


def render_page(template: str, **context: Any) -> str:
    """A teacher page: role, launch and the plan words come with every one."""
    return render_template(
        template,
        page_role="teacher",
        launch=current_launch(),
        labels=labels(),
        kinds=KINDS,
        create_kinds=[KINDS[name] for name in CREATE_KINDS if name in KINDS],
        **context,
    )


ACTIVE_STATUSES = ("queued", "running")
"""Statuses of a job that has not finished."""
MAX_INSTRUCTION = 500
"""Longest instruction a teacher can give for regenerating a part."""
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def instruction_problem(instruction: str) -> str:
    """What is wrong with a regenerate instruction, in the teacher's words ("" when fine)."""
    if len(instruction) > MAX_INSTRUCTION:
        return labels().message(
            "instruction_too_long", limit=MAX_INSTRUCTION, length=len(instruction)
        )
    if _EMAIL.search(instruction):
        # The instruction goes to the model: no student contact details.
        return labels().message("instruction_email")
    return ""


def first_model(artifact: Artifact) -> dict[str, Any]:
    """The provenance of the version the model made first (edits carry none)."""
    for version in artifact.versions:
        if version.provenance.get("model"):
            return dict(version.provenance)
    return {}


def running_jobs(session: Session, artifact: Artifact) -> list[GenerationJob]:
    """The artifact's jobs still queued or running, oldest first."""
    return list(
        session.scalars(
            select(GenerationJob)
            .where(
                GenerationJob.target_artifact_id == artifact.id,
                GenerationJob.course_id == artifact.course_id,
                GenerationJob.status.in_(ACTIVE_STATUSES),
            )
            .order_by(GenerationJob.created_at)
        )
    )


def previous_request(
    as_form: Callable[[Mapping[str, Any]], dict[str, str]],
) -> tuple[dict[str, str], str, list[dict[str, Any]]]:
    """ "Change the request" after a failure: the form values, kept-files key and files of the
    job named by ``?from_job`` (nothing without one), so the teacher starts from what she sent."""
    from_job = request.args.get("from_job", "")
    if not from_job:
        return {}, "", []
    with services().db.session() as s:
        job = job_or_404(s, from_job)
        values = as_form(job.params)
        sources = [dict(x) for x in job.sources]
    return values, keep(services().store, course_id(), sources), sources
