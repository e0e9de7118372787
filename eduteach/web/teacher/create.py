"""The create forms: one per plan kind, checked by the kind's request model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import abort, redirect, request
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, ValidationError

from eduteach.content.kinds import Kind
from eduteach.generation.schemas import (
    GRADES,
    TONES,
    dump_params,
    teacher_messages,
)
from eduteach.lti.roles import Audience
from eduteach.standards import VERIFIED_PARAM, list_frameworks
from eduteach.standards.marks import line_code, with_verified
from eduteach.standards.verified import verify_lines

from ..security import requires_launch
from . import bp
from .jobs import progress_url, start_job, submit
from .scope import (
    CREATE_KINDS,
    course_id,
    kind_of,
    labels,
    previous_request,
    render_page,
    services,
)
from .uploads import chosen_kept, form_sources, keep, kept

DEFAULTS = {"language": "English", "duration_minutes": "45", "tone": "encouraging"}
MULTI_VALUE_FIELDS = frozenset({"item_types"})


def _creatable(kind_name: str) -> Kind:
    if kind_name not in CREATE_KINDS:
        abort(404)
    return kind_of(kind_name)


def _typed(kind: Kind, form: Mapping[str, str]) -> dict[str, str]:
    """The request's fields as typed; an optional field left blank takes its default."""
    values: dict[str, str] = {}
    for name, info in kind.request.model_fields.items():
        if name not in form:
            continue
        # A checkbox group with nothing ticked is a choice too, not a field left blank.
        if not form[name].strip() and not info.is_required() and name not in MULTI_VALUE_FIELDS:
            continue
        values[name] = form[name]
    return values


def _as_form(params: Mapping[str, Any]) -> dict[str, str]:
    """A job's parameters as the form shows them (standards one per line)."""
    values: dict[str, str] = {}
    for name, value in params.items():
        if isinstance(value, list):
            joiner = "," if name in MULTI_VALUE_FIELDS else "\n"
            values[name] = joiner.join(str(v) for v in value)
        elif value is not None:
            values[name] = str(value)
    return values


def _split_standards(values: Mapping[str, str]) -> tuple[list[tuple[str, str]], str]:
    """The picked standards as (line, code) chips, and the typed lines for the text box."""
    verified = {c.casefold() for c in values.get(VERIFIED_PARAM, "").split()}
    picked: list[tuple[str, str]] = []
    typed: list[str] = []
    for line in values.get("standards", "").splitlines():
        code = line_code(line)
        if code and code.casefold() in verified:
            picked.append((" ".join(line.split()), code))
        elif line.strip():
            typed.append(line)
    return picked, "\n".join(typed)


def _form_page(
    kind: Kind,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    kept_key: str = "",
    kept_sources: list[dict[str, Any]] | None = None,
) -> str:
    picked, typed = _split_standards(values)
    with services().db.session() as s:
        frameworks = list_frameworks(s)
    return render_page(
        "teacher/create.html",
        kind=kind,
        fields=set(kind.request.model_fields),
        values={**values, "standards": typed},
        picked_standards=picked,
        frameworks=frameworks,
        errors=errors,
        grades=GRADES,
        tones=TONES,
        kept_key=kept_key,
        kept=[
            {"label": s.get("label", ""), "chars": len(str(s.get("text", "")))}
            for s in kept_sources or []
        ],
    )


def _verified(standards: str) -> list[str]:
    """Codes of the standard lines found in imported frameworks (see eduteach.standards).

    The picker's hidden ``verified_standards`` fields only help its script; each line is
    looked up again here, so a forged field verifies nothing.
    """
    with services().db.session() as s:
        return verify_lines(s, standards.splitlines())


@bp.get("/new/<kind_name>")
@requires_launch(Audience.TEACHER)
def new(kind_name: str) -> ResponseReturnValue:
    kind = _creatable(kind_name)
    previous, kept_key, kept_sources = previous_request(_as_form)
    return _form_page(kind, DEFAULTS | previous, {}, kept_key, kept_sources)


@bp.post("/new/<kind_name>")
@requires_launch(Audience.TEACHER)
def create(kind_name: str) -> ResponseReturnValue:
    kind = _creatable(kind_name)
    course = course_id()
    store = services().store
    form = {k: v for k, v in request.form.items() if isinstance(v, str)}
    # Checkbox groups (a quiz's question types) send one value per box.
    for name in MULTI_VALUE_FIELDS & set(kind.request.model_fields):
        form[name] = ",".join(request.form.getlist(name))
    # Picked standards come one per chip, typed ones in the text box: all are lines.
    form["standards"] = "\n".join(request.form.getlist("standards"))
    errors: dict[str, str] = {}
    wanted: BaseModel | None = None
    try:
        wanted = kind.request.model_validate(_typed(kind, form))
    except ValidationError as exc:
        errors = teacher_messages(exc)
    files, sources, source_errors = form_sources(
        request.files.getlist("sources"),
        chosen_kept(store, course, form.get("kept", ""), request.form.getlist("keep")),
        form.get("pasted_text", ""),
        refused=labels().message("upload_refused", name="{name}", reason="{reason}"),
    )
    errors |= source_errors
    verified = _verified(form["standards"])
    form[VERIFIED_PARAM] = "\n".join(verified)
    if errors or wanted is None:
        # Files read so far are kept; pasted text stays in its box.
        key = keep(store, course, files.sources)
        return _form_page(kind, form, errors, key, kept(store, course, key)), 422
    with services().db.session() as s:
        job = start_job(
            s,
            action="create",
            kind_name=kind.name,
            params=with_verified(dump_params(wanted), verified),
            sources=sources,
        )
        job_id = job.id
    submit(job_id)
    return redirect(progress_url(job_id), code=303)
