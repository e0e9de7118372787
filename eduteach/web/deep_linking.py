"""Deep linking for the teacher: choose content in the LMS's own "add content" picker.

A LtiDeepLinkingRequest launch (Canvas assignment/link selection or editor button, Moodle
"select content") opens this picker of the course's activities and plans. What the teacher
chooses goes back to the LMS as a signed deep linking response: activities as resource
links (graded ones with a line item), plans as HTML where the platform accepts it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from eduteach.content import artifacts
from eduteach.content.kinds import KINDS
from eduteach.content.publishing import CUSTOM_KEY, publish
from eduteach.exports.text_blocks import text_blocks
from eduteach.lti import keys
from eduteach.lti.deep_linking import (
    HTML,
    LINK,
    RESOURCE_LINK,
    ContentItem,
    Settings,
    response_jwt,
)
from eduteach.lti.roles import Audience
from eduteach.services import Services
from eduteach.storage.models import Artifact

from .security import current_launch, current_record, requires_launch

bp = Blueprint("deep_linking", __name__, url_prefix="/deep-linking")

FEEDBACK = ("after_submit", "after_due")
MAX_POINTS = 1000


def _services() -> Services:
    from flask import current_app

    svc: Services = current_app.extensions["eduteach"]
    return svc


def _context() -> tuple[Any, Settings, int]:
    launch = current_launch()
    record = current_record()
    if launch is None or not launch.is_deep_link or record.course_id is None:
        abort(404)
    return launch, Settings.from_launch(launch), record.course_id


def _choices(session: Session, course_id: int, settings: Settings) -> list[dict[str, Any]]:
    """The course's content the platform can take, ready first."""
    rows = []
    for artifact in artifacts.course_library(session, course_id):
        kind = KINDS.get(artifact.kind)
        if kind is None:
            continue
        item_type = RESOURCE_LINK if kind.is_activity else _plan_type(settings)
        if item_type is None or not settings.accepts(item_type):
            continue
        rows.append(
            {
                "artifact": artifact,
                "kind": kind,
                "ready": artifact.status == "ready",
                "graded": bool(kind.activity and kind.activity.graded),
                "item_type": item_type,
            }
        )
    rows.sort(key=lambda row: not row["ready"])
    return rows


def _plan_type(settings: Settings) -> str | None:
    """Plans go as an HTML block where the LMS takes one, else as a link to a read-only page."""
    for item_type in (HTML, LINK):
        if settings.accepts(item_type):
            return item_type
    return None


def _shared(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt="eduteach.shared-plan")


def shared_url(artifact: Artifact) -> str:
    """A link to the plan's read-only page, signed so it names this plan and no other."""
    svc = _services()
    token = _shared(svc.settings.secret_key).dumps([artifact.id, artifact.course_id])
    return svc.settings.base_url + url_for("deep_linking.shared", token=token)


def launch_assignment(launch: Any) -> dict[str, str] | None:
    """The assignment a deep linking request comes from, when the LMS names it.

    The settings' ``title`` and ``text`` are the LMS's defaults for the new content; where
    the request comes from an assignment's editor they are its title and description (the
    practice LMS, Moodle's activity form). A title alone is often only a default name for
    the new item, so a description is needed to speak of an assignment.
    """
    if launch is None or not launch.is_deep_link:
        return None
    text = str(launch.deep_linking.get("text") or "").strip()
    if not text:
        return None
    return {"title": str(launch.deep_linking.get("title") or "").strip(), "text": text}


def placing(artifact: Artifact) -> dict[str, Any] | None:
    """In a deep linking launch: how a plan, modified material or guidelines would go to the
    LMS, and for which assignment (what a review page needs to offer "Add to the course").

    None outside deep linking, for activities (their points and attempts are set in the
    picker) and where the LMS takes neither a page nor a link here.
    """
    launch = current_launch()
    kind = KINDS.get(artifact.kind)
    if launch is None or not launch.is_deep_link or kind is None or kind.is_activity:
        return None
    item_type = _plan_type(Settings.from_launch(launch))
    if item_type is None:
        return None
    return {"item_type": item_type, "assignment": launch_assignment(launch)}


def _page(session: Session, course_id: int, settings: Settings, **extra: Any) -> str:
    launch = current_launch()
    return render_template(
        "deep_linking/picker.html",
        page_role="teacher",
        launch=launch,
        settings=settings,
        assignment=launch_assignment(launch) if _plan_type(settings) else None,
        choices=_choices(session, course_id, settings),
        feedback_choices=FEEDBACK,
        values=extra.pop("values", {}),
        errors=extra.pop("errors", {}),
        **extra,
    )


@bp.get("")
@requires_launch(Audience.TEACHER)
def picker() -> ResponseReturnValue:
    _launch, settings, course_id = _context()
    with _services().db.session() as s:
        return _page(s, course_id, settings)


def _number(raw: str, low: int, high: int) -> int | None:
    raw = raw.strip()
    if not raw.isdigit() or not low <= int(raw) <= high:
        return None
    return int(raw)


def _read_settings(form: Any) -> tuple[dict[str, Any], float, dict[str, str]]:
    errors: dict[str, str] = {}
    points = _number(form.get("points", "10"), 1, MAX_POINTS)
    if points is None:
        errors["points"] = f"Enter the points as a whole number from 1 to {MAX_POINTS}."
    attempts = _number(form.get("attempts_allowed", "0"), 0, 20)
    if attempts is None:
        errors["attempts_allowed"] = "Enter 0 (unlimited) or a number of attempts up to 20."
    feedback = form.get("feedback", "after_submit")
    due_at = form.get("due_at", "").strip()
    if feedback not in FEEDBACK:
        errors["feedback"] = "Choose when students see the feedback."
    elif feedback == "after_due" and not due_at:
        errors["due_at"] = "Give the due date after which students see the feedback."
    settings = {
        "attempts_allowed": attempts or 0,
        "feedback": feedback,
        "due_at": due_at,
        "shuffle": form.get("shuffle") == "on",
    }
    return settings, float(points or 10), errors


def _plan_html(artifact: Artifact) -> str:
    return render_template(
        [f"deep_linking/{artifact.kind}_item.html", "deep_linking/plan_item.html"],
        artifact=artifact,
        kind=KINDS[artifact.kind],
        data=artifacts.current_data(artifact),
        text_blocks=text_blocks,
    )


@bp.post("")
@requires_launch(Audience.TEACHER)
def respond() -> ResponseReturnValue:
    launch, settings, course_id = _context()
    svc = _services()
    chosen_ids = [int(v) for v in request.form.getlist("artifact") if v.isdigit()]
    cancel = request.form.get("action") == "cancel"
    with svc.db.session() as s:
        items: list[ContentItem] = []
        if not cancel:
            options, points, errors = _read_settings(request.form)
            chosen = [
                row
                for row in _choices(s, course_id, settings)
                if row["artifact"].id in chosen_ids and row["ready"]
            ]
            if not chosen:
                errors["artifact"] = "Choose what to add (only content marked ready can be added)."
            elif len(chosen) > 1 and not settings.accept_multiple:
                errors["artifact"] = "This place in your LMS takes one item: choose only one."
            if errors:
                page = _page(s, course_id, settings, values=request.form, errors=errors)
                return page, 422
            # A hidden "off" precedes the checkbox, so an unticked box still says so.
            grade = "on" in request.form.getlist("graded")
            for row in chosen:
                items.append(_item(s, row, launch, settings, options, points, grade))
        key = keys.active_key(s)
        token = response_jwt(
            launch,
            items,
            key,
            message="" if cancel else f"Added {len(items)} item(s) from EduTeach.",
        )
    return render_template(
        "deep_linking/respond.html",
        page_role="teacher",
        launch=launch,
        return_url=settings.return_url,
        jwt=token,
        items=items,
        cancelled=cancel,
    )


def _item(
    session: Session,
    row: dict[str, Any],
    launch: Any,
    settings: Settings,
    options: dict[str, Any],
    points: float,
    grade: bool,
) -> ContentItem:
    artifact: Artifact = row["artifact"]
    kind = row["kind"]
    if row["item_type"] == HTML:
        return ContentItem(type=HTML, title=artifact.title, html=_plan_html(artifact))
    if row["item_type"] == LINK:
        return ContentItem(
            type=LINK, title=artifact.title, text=kind.label, url=shared_url(artifact)
        )
    graded = row["graded"] and grade
    publication = publish(
        session,
        artifact,
        created_by=launch.user_sub,
        graded=graded,
        score_maximum=points,
        settings=options,
    )
    line_item = None
    if graded and settings.accept_lineitem:
        line_item = {
            "scoreMaximum": points,
            "label": artifact.title,
            "resourceId": publication.token,
            "tag": "eduteach",
        }
    return ContentItem(
        type=RESOURCE_LINK,
        title=artifact.title,
        text=kind.label,
        url=_services().settings.base_url + "/lti/launch",
        custom={CUSTOM_KEY: publication.token},
        line_item=line_item,
    )


@bp.get("/shared/<token>")
def shared(token: str) -> ResponseReturnValue:
    """A plan placed as a link: its read-only page, for anyone the LMS shows the link to."""
    try:
        artifact_id, course_id = _shared(_services().settings.secret_key).loads(token)
    except (BadSignature, ValueError, TypeError):
        abort(404)
    with _services().db.session() as s:
        artifact = artifacts.get_artifact(s, int(course_id), int(artifact_id))
        if artifact is None or KINDS.get(artifact.kind) is None:
            abort(404)
        return render_template(
            "deep_linking/shared.html",
            page_role="viewer",
            title=artifact.title,
            body=_plan_html(artifact),
        )
