"""Artifacts and their versions: create from a generation, edit a section, undo, list, export."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from eduteach.exports.activity_docx import render_activity_docx
from eduteach.exports.docx_base import DocumentMeta, grade_label
from eduteach.exports.docx_guidelines import render_guidelines_docx
from eduteach.exports.docx_modify import render_modified_docx
from eduteach.exports.docx_plans import render_lesson_plan_docx, render_unit_plan_docx
from eduteach.generation import GenerationResult
from eduteach.generation.parts import get_part, parse_path, set_part
from eduteach.standards.marks import verified_codes
from eduteach.storage.models import Artifact, ArtifactVersion, Course, utcnow

from .kinds import Kind, kind


class EditError(Exception):
    """A teacher's edit does not fit the plan's shape; ``problems`` say why, per field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def current_version(artifact: Artifact) -> ArtifactVersion:
    return next(v for v in artifact.versions if v.number == artifact.current_version)


def current_data(artifact: Artifact) -> dict[str, Any]:
    return copy.deepcopy(current_version(artifact).data)


def _title(data: Mapping[str, Any], fallback: str) -> str:
    return str(data.get("title") or fallback)[:500]


def add_version(
    session: Session,
    artifact: Artifact,
    data: dict[str, Any],
    *,
    note: str,
    provenance: dict[str, Any] | None = None,
    warnings: list[str] | None = None,
) -> ArtifactVersion:
    number = max((v.number for v in artifact.versions), default=0) + 1
    version = ArtifactVersion(
        number=number,
        data=data,
        note=note[:500],
        provenance=provenance or {},
        warnings=warnings or [],
    )
    artifact.versions.append(version)
    artifact.current_version = number
    artifact.title = _title(data, artifact.title)
    artifact.updated_at = utcnow()
    session.flush()
    return version


def create_artifact(
    session: Session,
    *,
    course_id: int,
    owner_sub: str,
    kind_name: str,
    params: dict[str, Any],
    result: GenerationResult[Any],
    parent: Artifact | None = None,
    parent_slot: int | None = None,
) -> Artifact:
    data = result.output.model_dump(mode="json")
    artifact = Artifact(
        course_id=course_id,
        owner_sub=owner_sub,
        kind=kind_name,
        title=_title(data, kind(kind_name).label),
        params=params,
        offline_draft=bool(result.provenance.get("offline_draft")),
        parent_id=parent.id if parent else None,
        parent_slot=parent_slot,
        versions=[],
    )
    session.add(artifact)
    add_version(
        session,
        artifact,
        data,
        note="Generated",
        provenance=result.provenance,
        warnings=list(result.warnings),
    )
    return artifact


def replace_from_result(
    session: Session, artifact: Artifact, result: GenerationResult[Any], note: str
) -> ArtifactVersion:
    return add_version(
        session,
        artifact,
        result.output.model_dump(mode="json"),
        note=note,
        provenance=result.provenance,
        warnings=list(result.warnings),
    )


def validated(kind_: Kind, data: Mapping[str, Any]) -> BaseModel:
    """The plan as its output model, or EditError listing what does not fit its shape."""
    try:
        return kind_.output.model_validate(data)
    except ValidationError as exc:
        raise EditError([_problem(e) for e in exc.errors()]) from None


def _problem(error: Mapping[str, Any]) -> str:
    where = " → ".join(str(p) for p in error.get("loc", ()))
    return f"{where}: {error.get('msg', 'is not valid')}" if where else str(error.get("msg"))


def edit_section(session: Session, artifact: Artifact, path: str, value: Any) -> ArtifactVersion:
    """Save a teacher's new value for one section as a new version (the old stays for undo)."""
    kind_ = kind(artifact.kind)
    data = current_data(artifact)
    try:
        segments = parse_path(path)
        get_part(data, segments)
    except (KeyError, IndexError, ValueError) as exc:
        raise EditError([f"There is no section {path!r} in this plan."]) from exc
    updated = set_part(data, segments, value)
    model = validated(kind_, updated)
    # The domain checks (minutes add up, ...) warn a teacher; they do not overrule her.
    return add_version(
        session,
        artifact,
        model.model_dump(mode="json"),
        note=f"Edited {section_label(path)}",
        provenance={"edited_by": "teacher"},
        warnings=kind_.checks(model, artifact.params),
    )


def undo(session: Session, artifact: Artifact) -> ArtifactVersion:
    """Go back to the version before the current one, as a new version (nothing is lost)."""
    numbers = sorted(v.number for v in artifact.versions)
    position = numbers.index(artifact.current_version)
    if position == 0:
        raise EditError(["This is the first version; there is nothing to undo."])
    previous = next(v for v in artifact.versions if v.number == numbers[position - 1])
    return add_version(
        session,
        artifact,
        copy.deepcopy(previous.data),
        note=f"Undid to version {previous.number}",
        provenance={"restored_from": previous.number},
        warnings=list(previous.warnings),
    )


def section_label(path: str) -> str:
    head = path.split(".", 1)[0]
    return head.replace("_", " ")


def course_library(session: Session, course_id: int) -> list[Artifact]:
    return list(
        session.scalars(
            select(Artifact)
            .where(Artifact.course_id == course_id)
            .order_by(Artifact.updated_at.desc())
        )
    )


def get_artifact(session: Session, course_id: int, artifact_id: int) -> Artifact | None:
    """An artifact of this course only: every query is scoped by course."""
    return session.scalars(
        select(Artifact).where(Artifact.id == artifact_id, Artifact.course_id == course_id)
    ).first()


def children(session: Session, artifact: Artifact) -> dict[int, Artifact]:
    """Full lesson plans expanded from a unit plan, by lesson number (newest wins)."""
    rows = session.scalars(
        select(Artifact).where(Artifact.parent_id == artifact.id).order_by(Artifact.updated_at)
    )
    return {row.parent_slot: row for row in rows if row.parent_slot is not None}


def document_meta(artifact: Artifact, course: Course | None) -> DocumentMeta:
    params = artifact.params
    provenance = current_version(artifact).provenance
    minutes = params.get("duration_minutes") or params.get("duration")
    return DocumentMeta(
        course_title=(course.title if course else "") or "",
        subject=str(params.get("subject", "")),
        grade=grade_label(str(params.get("grade", ""))),
        duration=f"{minutes} minutes" if minutes else "",
        language=str(params.get("language", "English")),
        generated=artifact.created_at.date() if artifact.created_at else date.today(),
        model_label=str(provenance.get("model") or _first_model(artifact) or "AI model"),
        offline_draft=artifact.offline_draft,
        reviewed=artifact.status != "draft",
    )


def _first_model(artifact: Artifact) -> str:
    for version in artifact.versions:
        if version.provenance.get("model"):
            return str(version.provenance["model"])
    return ""


def render_docx(session: Session, artifact: Artifact) -> bytes:
    course = session.get(Course, artifact.course_id)
    meta = document_meta(artifact, course)
    data = current_data(artifact)
    kind_ = kind(artifact.kind)
    if kind_.activity is not None:
        # "Download Word" of an activity is its student copy (the key is its own download).
        activity = kind_.output.model_validate(data)
        return render_activity_docx(kind_.name, activity, artifact.params, meta, answer_key=False)
    if artifact.kind == "ai_guidelines":
        return render_guidelines_docx(data, artifact.params, meta)
    if artifact.kind == "modified_text":
        return render_modified_docx(data, meta, verified=verified_codes(artifact.params))
    if artifact.kind == "unit_plan":
        lessons = {slot: current_data(child) for slot, child in children(session, artifact).items()}
        return render_unit_plan_docx(data, lessons, meta, verified=verified_codes(artifact.params))
    return render_lesson_plan_docx(data, meta, verified=verified_codes(artifact.params))


def docx_filename(artifact: Artifact) -> str:
    safe = "".join(c if c.isalnum() or c in " -_" else " " for c in artifact.title).strip()
    return ("-".join(safe.split())[:80] or artifact.kind) + ".docx"
