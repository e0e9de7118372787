"""The AI-use guidelines form: an assignment, a level on the school's scale, the class.

Its own form, not the generic one: the level is chosen from the school's scale (shown with
its colours and meanings), and the level's name and colour go into the job's params from
the scale, never from what the browser sent.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import redirect, request
from flask.typing import ResponseReturnValue
from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from eduteach.generation.schemas import GRADES, teacher_messages
from eduteach.guidelines import KIND_NAME, GuidelinesRequest, Scale, guidelines_params, school_scale
from eduteach.guidelines.scale import scale_fingerprint
from eduteach.lti.roles import Audience

from ..deep_linking import launch_assignment
from ..security import current_launch, requires_launch
from . import bp
from .jobs import progress_url, start_job, submit
from .scope import job_or_404, kind_of, render_page, services

FIELDS = tuple(GuidelinesRequest.model_fields)
SCALE_CHANGED = (
    "Your LMS administrator changed the school's AI-use levels while you were writing. "
    "Choose the level again from the list as it is now; everything else you typed is kept."
)


def prefilled() -> dict[str, str]:
    """What the LMS told us about the assignment (``launch_assignment``): its title and text.

    Only a deep-linking request that describes something names an assignment; a placement's
    or link's own title ("EduTeach content") is not offered as one.
    """
    values = {"language": "English"}
    assignment = launch_assignment(current_launch())
    if assignment is None:
        return values
    values["assignment_description"] = assignment["text"]
    if assignment["title"]:
        values["assignment_title"] = assignment["title"]
    return values


def _on_scale(raw: str, scale: Scale) -> bool:
    return raw.strip().isdigit() and 1 <= int(raw) <= len(scale.levels)


def _level_message(scale: Scale) -> str:
    return f"Choose a level from 1 to {len(scale.levels)}: the school's scale has that many."


def _page(scale: Scale, values: Mapping[str, str], errors: Mapping[str, str]) -> str:
    return render_page(
        "teacher/guidelines_new.html",
        kind=kind_of(KIND_NAME),
        scale=scale,
        scale_fingerprint=scale_fingerprint(scale),
        grades=GRADES,
        values=values,
        errors=errors,
    )


@bp.get("/guidelines/new")
@requires_launch(Audience.TEACHER)
def new_guidelines() -> ResponseReturnValue:
    values = prefilled()
    with services().db.session() as s:
        scale = school_scale(s)
        from_job = request.args.get("from_job", "")
        if from_job:
            # "Change the request" after a failure: start from what the teacher sent last time.
            job = job_or_404(s, from_job)
            values |= {k: str(v) for k, v in job.params.items() if k in FIELDS}
    return _page(scale, values, {})


@bp.post("/guidelines/new")
@requires_launch(Audience.TEACHER)
def create_guidelines() -> ResponseReturnValue:
    form = {name: str(request.form.get(name, "")) for name in FIELDS if name in request.form}
    if not form.get("language", "").strip():
        form.pop("language", None)
    with services().db.session() as s:
        scale = school_scale(s)
        shown = request.form.get("scale", "")
        if shown and shown != scale_fingerprint(scale):
            # The administrator changed the levels while this form was open: level 2 may now
            # mean something else, so the teacher chooses again from the scale as it is.
            form.pop("level", None)
            return _page(scale, form, {"level": SCALE_CHANGED}), 409
        try:
            params = guidelines_params(GuidelinesRequest.model_validate(form), scale)
        except ValidationError as exc:
            errors = teacher_messages(exc)
            if "level" not in errors and not _on_scale(form.get("level", ""), scale):
                errors["level"] = _level_message(scale)
            return _page(scale, form, errors), 422
        except PydanticCustomError:
            return _page(scale, form, {"level": _level_message(scale)}), 422
        job = start_job(s, action="create", kind_name=KIND_NAME, params=params)
        job_id = job.id
    submit(job_id)
    return redirect(progress_url(job_id), code=303)
