"""School settings for LMS administrators: the AI-use scale teachers choose levels from.

One page, ``/teacher/school/ai-levels``, for launches by an LMS administrator (see
``LaunchContext.is_admin``); everyone else gets a 403 page saying so. It works as plain
form posts: every button (add, remove, move, restore, save) posts the whole form, so
nothing typed is lost, and nothing is saved until the administrator saves a scale that
passes every check. Guidelines already written keep the level they were made with: it is
copied into their params.
"""

from __future__ import annotations

import logging
import re

from flask import redirect, request, url_for
from flask.typing import ResponseReturnValue

from eduteach.guidelines import (
    MAX_DESCRIPTION,
    MAX_LEVELS,
    MAX_NAME,
    MAX_SCALE_NAME,
    MIN_LEVELS,
    ScaleError,
    school_scale,
    set_school_scale,
)

from ..security import current_launch, requires_admin, url_with_token
from . import bp
from .scale_form import Problems, ScaleForm, default_form, place
from .scope import render_page, services

log = logging.getLogger("eduteach.school")
_ACTION = re.compile(r"^(save|add|restore|remove|up|down)(?:-(\d{1,2}))?$")


def _page(
    form: ScaleForm,
    *,
    problems: Problems | None = None,
    notice: str = "",
    focus: str = "",
    saved: bool = False,
    changed: bool = False,
) -> str:
    return render_page(
        "teacher/school_scale.html",
        form=form,
        problems=problems or Problems({}, {}, []),
        notice=notice,
        focus=focus,
        saved=saved,
        changed=changed,
        limits={
            "min_levels": MIN_LEVELS,
            "max_levels": MAX_LEVELS,
            "name": MAX_NAME,
            "description": MAX_DESCRIPTION,
            "scale_name": MAX_SCALE_NAME,
        },
        action_url=url_for("teacher.change_school_scale"),
    )


def _level_name(form: ScaleForm, position: int) -> str:
    name = " ".join(form.levels[position - 1].name.split())
    return f"Level {position} (“{name}”)" if name else f"Level {position}"


@bp.get("/school/ai-levels")
@requires_admin
def school_scale_form() -> ResponseReturnValue:
    """The school's scale as it is now, ready to edit."""
    with services().db.session() as s:
        form = ScaleForm.of(school_scale(s))
    return _page(form, saved=request.args.get("done") == "saved")


@bp.post("/school/ai-levels")
@requires_admin
def change_school_scale() -> ResponseReturnValue:
    """Apply the button pressed; save only a scale that passes every check."""
    form = ScaleForm.read(request.form)
    match = _ACTION.match(request.form.get("action", "save"))
    action, number = (match.group(1), int(match.group(2) or 0)) if match else ("", 0)
    count = len(form.levels)
    if action in ("remove", "up", "down") and not 1 <= number <= count:
        action = ""
    if action == "save":
        return _save(form)
    if action == "add":
        if not form.can_add:
            return _page(
                form,
                notice=f"A scale has at most {MAX_LEVELS} levels: remove one before adding another.",
                changed=True,
            )
        form = form.added()
        new = len(form.levels)
        return _page(
            form,
            notice=f"Level {new} was added at the end. Give it a name, a description and a "
            "colour, then save.",
            focus=f"f-level-{new}-name",
            changed=True,
        )
    if action == "remove":
        if not form.can_remove:
            return _page(
                form,
                notice=f"A scale needs at least {MIN_LEVELS} levels: add another level before "
                "removing this one.",
                changed=True,
            )
        gone = _level_name(form, number)
        form = form.removed(number)
        after = min(number, len(form.levels))
        return _page(
            form,
            notice=f"{gone} was removed. Save to keep the change.",
            focus=f"f-level-{after}-name",
            changed=True,
        )
    if action in ("up", "down"):
        step = -1 if action == "up" else 1
        if 1 <= number + step <= count:
            form = form.moved(number, step)
            number += step
        where = "first" if number == 1 else "last" if number == count else f"level {number}"
        button = action
        if (action == "up" and number == 1) or (action == "down" and number == count):
            button = "down" if action == "up" else "up"
        return _page(
            form,
            notice=f"{_level_name(form, number)} is now {where} on the scale. Save to keep the "
            "new order.",
            focus=f"level-{number}-{button}",
            changed=True,
        )
    if action == "restore":
        return _page(
            default_form(),
            notice="The default scale is in the form below. It is not saved yet: press "
            "“Save the school's scale” to use it.",
            focus="f-name",
            changed=True,
        )
    return _page(form, changed=True)


def _save(form: ScaleForm) -> ResponseReturnValue:
    try:
        scale = form.scale()
    except ScaleError as exc:
        return _page(form, problems=place(exc), changed=True), 422
    with services().db.session() as s:
        set_school_scale(s, scale)
    launch = current_launch()
    # Who changed it is the LMS's business; the log keeps the platform and the size only.
    log.info(
        "school AI-use scale saved levels=%d iss=%s",
        len(scale.levels),
        launch.issuer if launch else "",
    )
    return redirect(url_with_token("teacher.school_scale_form", done="saved"), code=303)
