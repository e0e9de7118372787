"""The review page: read a plan, edit or regenerate any section, undo, mark ready, download."""

from __future__ import annotations

import io
from typing import Any

from flask import abort, redirect, request, send_file
from flask.typing import ResponseReturnValue
from pydantic import ValidationError
from sqlalchemy.orm import Session

from eduteach.content import artifacts
from eduteach.content.artifacts import EditError
from eduteach.lti.roles import Audience
from eduteach.storage.models import Artifact

from ..deep_linking import placing
from ..security import requires_launch
from . import bp
from .jobs import describe, progress_url, sources_of, start_job, submit
from .scope import (
    MAX_INSTRUCTION,
    artifact_or_404,
    course_id,
    first_model,
    instruction_problem,
    kind_of,
    labels,
    render_page,
    review_url,
    running_jobs,
    services,
)
from .shapes import ROOT, FieldErrors, Shape, errors_for, read_form, section, sections

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
STATUSES = ("draft", "ready")


def _page(
    session: Session,
    artifact: Artifact,
    *,
    edit: str = "",
    draft: Any = None,
    errors: FieldErrors | None = None,
    regen: str = "",
    regen_error: str = "",
    instruction: str = "",
) -> str:
    kind = kind_of(artifact.kind)
    shapes = sections(kind.output)
    names = {shape.name for shape in shapes}
    data = artifacts.current_data(artifact)
    edit = edit if edit in names else ""
    running = running_jobs(session, artifact)
    parent = (
        artifacts.get_artifact(session, course_id(), artifact.parent_id)
        if artifact.parent_id
        else None
    )
    problems = errors or FieldErrors({}, [])
    where = {}
    if edit:
        editing = section(kind.output, edit)
        where = {name: input_label(editing, name) for name in problems.by_input}
    return render_page(
        "teacher/review.html",
        where=where,
        artifact=artifact,
        kind=kind,
        shapes=shapes,
        data=data,
        edit=edit,
        draft=draft if edit and draft is not None else data.get(edit),
        errors=problems,
        regen=regen,
        regen_error=regen_error,
        instruction=instruction,
        version=artifacts.current_version(artifact),
        versions=sorted(artifact.versions, key=lambda v: v.number, reverse=True),
        made_by=first_model(artifact),
        sources=len(sources_of(session, artifact)),
        children=artifacts.children(session, artifact) if artifact.kind == "unit_plan" else {},
        expanding={job.target_path: job for job in running if job.action == "expand_lesson"},
        running=[(job, describe(session, job)) for job in running],
        parent=parent,
        done=request.args.get("done", ""),
        done_section=request.args.get("section", ""),
        max_instruction=MAX_INSTRUCTION,
        placing=placing(artifact),
    )


def input_label(shape: Shape, name: str) -> str:
    """Where an input sits, for the list of problems ("Step 2: Minutes")."""
    words = labels()
    node, parent, parts = shape, "", []
    for segment in name.split(".")[1:]:
        if node.kind == "rows" and segment.isdigit():
            parts.append(f"{words.row(node.name).capitalize()} {int(segment) + 1}")
            parent = node.name
            continue
        child = next((f for f in node.fields if f.name == segment), None)
        if child is None:
            break
        parts.append(words.field(child.name, parent or node.name))
        node, parent = child, ""
    return ": ".join(parts) if parts else words.field(shape.name)


def _section_or_404(artifact: Artifact, name: str) -> Shape:
    if kind_of(artifact.kind).is_activity:
        abort(404)  # an activity is edited item by item (activities.py), not by section
    try:
        return section(kind_of(artifact.kind).output, name)
    except KeyError:
        abort(404)


@bp.get("/artifacts/<int:artifact_id>")
@requires_launch(Audience.TEACHER)
def review(artifact_id: int) -> ResponseReturnValue:
    with services().db.session() as s:
        artifact = artifact_or_404(s, artifact_id)
        if kind_of(artifact.kind).is_activity:
            # Imported here: the activity editor builds on this module's helpers.
            from .activities import activity_page

            return activity_page(
                s,
                artifact,
                edit=request.args.get("edit", ""),
                regen=request.args.get("regenerate", ""),
            )
        if artifact.kind == "modified_text":
            # Imported here: the modify screens import this module (DOCX_MIME).
            from .modify import modify_page

            edit = request.args.get("edit", "")
            return modify_page(s, artifact, edit=int(edit) if edit.isdigit() else 0)
        return _page(
            s,
            artifact,
            edit=request.args.get("edit", ""),
            regen=request.args.get("regenerate", ""),
        )


@bp.post("/artifacts/<int:artifact_id>/sections/<name>")
@requires_launch(Audience.TEACHER)
def save_section(artifact_id: int, name: str) -> ResponseReturnValue:
    """Save one edited section as a new version; problems come back next to the inputs."""
    with services().db.session() as s:
        artifact = artifact_or_404(s, artifact_id)
        shape = _section_or_404(artifact, name)
        pairs = [
            (k, v)
            for k, v in request.form.items(multi=True)
            if k == ROOT or k.startswith(ROOT + ".")
        ]
        value = read_form(shape, pairs)
        output = kind_of(artifact.kind).output
        current = artifacts.current_data(artifact)
        try:
            checked = output.model_validate({**current, name: value}).model_dump(mode="json")
        except ValidationError as exc:
            page = _page(s, artifact, edit=name, draft=value, errors=errors_for(shape, exc))
            return page, 422
        if checked[name] == current.get(name):
            return redirect(
                review_url(artifact.id, anchor=f"sec-{name}", done="unchanged", section=name), 303
            )
        try:
            artifacts.edit_section(s, artifact, name, value)
        except EditError as exc:
            page = _page(s, artifact, edit=name, draft=value, errors=FieldErrors({}, exc.problems))
            return page, 422
        return redirect(
            review_url(artifact.id, anchor=f"sec-{name}", done="edited", section=name), 303
        )


@bp.post("/artifacts/<int:artifact_id>/sections/<name>/regenerate")
@requires_launch(Audience.TEACHER)
def regenerate(artifact_id: int, name: str) -> ResponseReturnValue:
    """Ask the model to rewrite one section, following the teacher's instruction."""
    instruction = " ".join(request.form.get("instruction", "").split())
    with services().db.session() as s:
        artifact = artifact_or_404(s, artifact_id)
        _section_or_404(artifact, name)
        problem = instruction_problem(instruction)
        if problem:
            page = _page(s, artifact, regen=name, regen_error=problem, instruction=instruction)
            return page, 422
        job = start_job(
            s,
            action="regenerate_part",
            kind_name=artifact.kind,
            params=artifact.params,
            sources=sources_of(s, artifact),
            target=artifact,
            target_path=name,
            instruction=instruction,
        )
        job_id = job.id
    submit(job_id)
    return redirect(progress_url(job_id), code=303)


@bp.post("/artifacts/<int:artifact_id>/lessons/<int:number>/expand")
@requires_launch(Audience.TEACHER)
def expand(artifact_id: int, number: int) -> ResponseReturnValue:
    """Make the full lesson plan for one lesson of a unit."""
    with services().db.session() as s:
        unit = artifact_or_404(s, artifact_id)
        lessons = artifacts.current_data(unit).get("lessons") or []
        if unit.kind != "unit_plan" or not 1 <= number <= len(lessons):
            abort(404)
        job = start_job(
            s,
            action="expand_lesson",
            kind_name="lesson_plan",
            params=unit.params,
            sources=sources_of(s, unit),
            target=unit,
            target_path=str(number),
        )
        job_id = job.id
    submit(job_id)
    return redirect(progress_url(job_id), code=303)


@bp.post("/artifacts/<int:artifact_id>/undo")
@requires_launch(Audience.TEACHER)
def undo(artifact_id: int) -> ResponseReturnValue:
    with services().db.session() as s:
        artifact = artifact_or_404(s, artifact_id)
        try:
            artifacts.undo(s, artifact)
        except EditError:
            return redirect(review_url(artifact.id, done="nothing_to_undo"), code=303)
        return redirect(review_url(artifact.id, done="undone"), code=303)


@bp.post("/artifacts/<int:artifact_id>/status")
@requires_launch(Audience.TEACHER)
def set_status(artifact_id: int) -> ResponseReturnValue:
    """Mark a plan ready, or back to draft."""
    status = request.form.get("status", "")
    if status not in STATUSES:
        abort(400)
    with services().db.session() as s:
        artifact = artifact_or_404(s, artifact_id)
        artifact.status = status
        return redirect(review_url(artifact.id, done=f"status_{status}"), code=303)


@bp.get("/artifacts/<int:artifact_id>/document.docx")
@requires_launch(Audience.TEACHER)
def download(artifact_id: int) -> ResponseReturnValue:
    with services().db.session() as s:
        artifact = artifact_or_404(s, artifact_id)
        kind_of(artifact.kind)
        body = artifacts.render_docx(s, artifact)
        filename = artifacts.docx_filename(artifact)
    return send_file(
        io.BytesIO(body),
        mimetype=DOCX_MIME,
        as_attachment=True,
        download_name=filename,
        max_age=0,
    )
