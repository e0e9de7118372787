"""Modify material: the form (upload or paste, the changes wanted) and the review page.

Its own form, not the generic one: the material is required (a file or pasted text), and
the changes are checkboxes. The review page shows the original beside each version with the
reading level measured on both (``eduteach.readability``), so the teacher sees whether the
target was met rather than being told it was.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask import abort, redirect, request, send_file
from flask.typing import ResponseReturnValue
from pydantic import ValidationError
from sqlalchemy.orm import Session

from eduteach.content import artifacts
from eduteach.content.artifacts import EditError
from eduteach.exports.docx_modify import render_modified_docx
from eduteach.exports.text_blocks import TextBlock, text_blocks
from eduteach.generation.schemas import dump_params, teacher_messages
from eduteach.lti.roles import Audience
from eduteach.modify import KIND, LEVEL_LABELS, LEVELS, ModifyRequest
from eduteach.modify.checks import TOLERANCE, target_label, targets
from eduteach.readability import Reading, measure
from eduteach.standards import VERIFIED_PARAM, list_frameworks
from eduteach.standards.marks import verified_codes, with_verified
from eduteach.standards.verified import verify_lines
from eduteach.storage.models import Artifact, Course

from ..deep_linking import placing
from ..security import requires_launch
from . import bp
from .create import _split_standards
from .jobs import progress_url, sources_of, start_job, submit
from .review import DOCX_MIME
from .scope import (
    artifact_or_404,
    course_id,
    first_model,
    kind_of,
    labels,
    previous_request,
    render_page,
    review_url,
    services,
)
from .uploads import chosen_kept, form_sources, keep, kept

FIELDS = tuple(ModifyRequest.model_fields)
GRADE_CHOICES = ("K", *(str(n) for n in range(1, 13)))
# Messages the modify request writes for the teacher (the generic translation would prefix
# them with "Check this value").
_OWN_MESSAGES = {"operations", "reading_level", "differentiate", "key_terms"}
_LIST_FIELDS = {"standards": "\n", "key_terms": "\n", "differentiate": ","}


def form_values(form: Mapping[str, Any], differentiate: Sequence[str]) -> dict[str, str]:
    """The request's fields as typed; ticked versions joined, unticked switches left out."""
    values = {name: str(form[name]) for name in FIELDS if name in form}
    values["differentiate"] = ",".join(differentiate)
    if not values.get("language", "").strip():
        values.pop("language", None)
    return values


def request_messages(exc: ValidationError) -> dict[str, str]:
    """The first problem of each field; the "choose a change" problem goes by the checkboxes."""
    messages = teacher_messages(exc)
    for item in exc.errors(include_url=False):
        field = str(item["loc"][0]) if item.get("loc") else "operations"
        if item.get("type") in _OWN_MESSAGES:
            messages[field] = str(item["msg"])
    if "form" in messages:
        messages["operations"] = messages.pop("form")
    return messages


def _as_form(params: Mapping[str, Any]) -> dict[str, str]:
    """A job's parameters as the form shows them (lists one per line, versions by comma).

    The verified codes come too, so the standards picked last time show as chips again.
    """
    values: dict[str, str] = {}
    for name, value in params.items():
        if (name not in FIELDS and name != VERIFIED_PARAM) or value is None:
            continue
        if isinstance(value, list):
            values[name] = _LIST_FIELDS.get(name, "\n").join(str(v) for v in value)
        elif isinstance(value, bool):
            values[name] = "on" if value else ""
        else:
            values[name] = str(value)
    return values


def _form_page(
    values: Mapping[str, str],
    errors: Mapping[str, str],
    kept_key: str = "",
    kept_sources: Sequence[Mapping[str, Any]] = (),
) -> str:
    # The same standards picker as the create forms: picked standards are chips, typed ones
    # stay in the text box (see eduteach.web.teacher.create).
    picked, typed = _split_standards(values)
    with services().db.session() as s:
        frameworks = list_frameworks(s)
    return render_page(
        "teacher/modify_new.html",
        kind=kind_of(KIND),
        values={**values, "standards": typed},
        picked_standards=picked,
        frameworks=frameworks,
        chosen_levels=[v for v in values.get("differentiate", "").split(",") if v],
        errors=errors,
        grades=GRADE_CHOICES,
        levels=[(name, LEVEL_LABELS[name]) for name in LEVELS],
        kept_key=kept_key,
        kept=[
            {"label": s.get("label", ""), "chars": len(str(s.get("text", "")))}
            for s in kept_sources
        ],
    )


@bp.get("/modify/new")
@requires_launch(Audience.TEACHER)
def new_modify() -> ResponseReturnValue:
    previous, kept_key, kept_sources = previous_request(_as_form)
    return _form_page({"language": "English"} | previous, {}, kept_key, kept_sources)


@bp.post("/modify/new")
@requires_launch(Audience.TEACHER)
def create_modify() -> ResponseReturnValue:
    course = course_id()
    store = services().store
    form = {k: v for k, v in request.form.items() if isinstance(v, str)}
    # Picked standards come one per chip, typed ones in the text box: all are lines.
    form["standards"] = "\n".join(request.form.getlist("standards"))
    values = form_values(form, request.form.getlist("differentiate"))
    errors: dict[str, str] = {}
    wanted: ModifyRequest | None = None
    try:
        wanted = ModifyRequest.model_validate(values)
    except ValidationError as exc:
        errors = request_messages(exc)
    files, sources, source_errors = form_sources(
        request.files.getlist("sources"),
        chosen_kept(store, course, form.get("kept", ""), request.form.getlist("keep")),
        form.get("pasted_text", ""),
        refused=labels().message("upload_refused", name="{name}", reason="{reason}"),
    )
    errors |= source_errors
    if not sources and "sources" not in errors and "pasted_text" not in errors:
        errors["sources"] = "Add the material to change: upload a file or paste its text."
    # Each line is looked up again here, so a forged "verified_standards" field verifies nothing.
    with services().db.session() as s:
        verified = verify_lines(s, form["standards"].splitlines())
    page_values = {
        **values,
        "pasted_text": form.get("pasted_text", ""),
        VERIFIED_PARAM: "\n".join(verified),
    }
    if errors or wanted is None:
        # Files read so far are kept; pasted text stays in its box.
        key = keep(store, course, files.sources)
        return _form_page(page_values, errors, key, kept(store, course, key)), 422
    with services().db.session() as s:
        job = start_job(
            s,
            action="create",
            kind_name=KIND,
            params=with_verified(dump_params(wanted), verified),
            sources=sources,
        )
        job_id = job.id
    submit(job_id)
    return redirect(progress_url(job_id), code=303)


@dataclass(frozen=True)
class VersionView:
    """One version as the review page shows it: the text, its measured level and its target."""

    number: int
    data: Mapping[str, Any]
    reading: Reading
    target: int | None

    @property
    def blocks(self) -> list[TextBlock]:
        return text_blocks(str(self.data.get("text", "")))

    @property
    def target_label(self) -> str:
        return target_label(self.target) if self.target is not None else ""

    @property
    def on_target(self) -> bool | None:
        """Within about a grade of the target; None when there is no target or no measure."""
        if self.target is None or self.reading.grade is None:
            return None
        return abs(self.reading.grade - self.target) <= TOLERANCE


def version_views(data: Mapping[str, Any], params: Mapping[str, Any]) -> list[VersionView]:
    """Each version with its reading level measured now (the text may have been edited)."""
    wanted = targets(params)
    views = []
    for number, version in enumerate(data.get("versions") or [], start=1):
        target = wanted[number - 1] if number <= len(wanted) else None
        views.append(
            VersionView(
                number=number,
                data=version,
                reading=measure(str(version.get("text", ""))),
                target=target,
            )
        )
    return views


def original_text(session: Session, artifact: Artifact) -> str:
    """The teacher's material as she gave it, every source in order."""
    return "\n\n".join(str(s.get("text", "")) for s in sources_of(session, artifact))


def modify_page(
    session: Session,
    artifact: Artifact,
    *,
    edit: int = 0,
    draft: str = "",
    edit_error: str = "",
) -> str:
    """The review page of a modified text; ``edit`` is the number of the version being edited."""
    data = artifacts.current_data(artifact)
    original = original_text(session, artifact)
    versions = version_views(data, artifact.params)
    editing = edit if 1 <= edit <= len(versions) else 0
    return render_page(
        "teacher/modify_review.html",
        artifact=artifact,
        kind=kind_of(artifact.kind),
        data=data,
        original=original,
        original_blocks=text_blocks(original),
        original_reading=measure(original) if original else None,
        versions=versions,
        edit=editing,
        draft=draft or (str(versions[editing - 1].data.get("text", "")) if editing else ""),
        edit_error=edit_error,
        version=artifacts.current_version(artifact),
        history=len(artifact.versions),
        made_by=first_model(artifact),
        done=request.args.get("done", ""),
        placing=placing(artifact),
    )


def _modified_or_404(session: Session, artifact_id: int) -> Artifact:
    artifact = artifact_or_404(session, artifact_id)
    if artifact.kind != KIND:
        abort(404)
    return artifact


@bp.post("/artifacts/<int:artifact_id>/versions/<int:number>/text")
@requires_launch(Audience.TEACHER)
def save_version_text(artifact_id: int, number: int) -> ResponseReturnValue:
    """Save a teacher's edit of one version's text as a new version of the artifact."""
    text = request.form.get("text", "").replace("\r\n", "\n").strip()
    with services().db.session() as s:
        artifact = _modified_or_404(s, artifact_id)
        versions = artifacts.current_data(artifact).get("versions") or []
        if not 1 <= number <= len(versions):
            abort(404)
        anchor = f"version-{number}"
        if not text:
            page = modify_page(
                s, artifact, edit=number, edit_error="Write the text of this version."
            )
            return page, 422
        if text == str(versions[number - 1].get("text", "")).strip():
            return redirect(review_url(artifact.id, anchor=anchor, done="unchanged"), 303)
        try:
            artifacts.edit_section(s, artifact, f"versions.{number - 1}.text", text)
        except EditError as exc:
            page = modify_page(
                s, artifact, edit=number, draft=text, edit_error=" ".join(exc.problems)
            )
            return page, 422
        return redirect(review_url(artifact.id, anchor=anchor, done="edited"), 303)


@bp.get("/artifacts/<int:artifact_id>/modified.docx")
@requires_launch(Audience.TEACHER)
def download_modified(artifact_id: int) -> ResponseReturnValue:
    """The Word document with the original's measured level; changes as comments if asked."""
    with services().db.session() as s:
        artifact = _modified_or_404(s, artifact_id)
        meta = artifacts.document_meta(artifact, s.get(Course, artifact.course_id))
        body = render_modified_docx(
            artifacts.current_data(artifact),
            meta,
            original=original_text(s, artifact),
            comments=request.args.get("comments") == "1",
            verified=verified_codes(artifact.params),
        )
        filename = artifacts.docx_filename(artifact)
    return send_file(
        io.BytesIO(body), mimetype=DOCX_MIME, as_attachment=True, download_name=filename, max_age=0
    )
