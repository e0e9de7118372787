"""The practice LMS's pages and endpoints: thin views over ``PracticePlatform``."""

from __future__ import annotations

import hmac
import secrets
import time
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from eduteach.practice_lms import claims as c
from eduteach.practice_lms.api import json_error
from eduteach.practice_lms.assignments import Assignment
from eduteach.practice_lms.config import PLATFORM_NAME, PracticeConfig
from eduteach.practice_lms.deep_linking import DEFAULT_PLACEMENT, PLACEMENTS
from eduteach.practice_lms.errors import (
    AuthRequestError,
    DeepLinkingError,
    KeyStoreError,
    NotAllowedError,
    TokenRequestError,
    UnknownUserError,
)
from eduteach.practice_lms.grades import gradebook_rows
from eduteach.practice_lms.platform import PracticePlatform
from eduteach.practice_lms.store import DEMO_COURSE_ID, Course, PendingLaunch
from eduteach.practice_lms.switch import SwitchError

bp = Blueprint("practice_lms", __name__)

# The tool reaches these without the LMS's session: it has no CSRF token to send.
_CSRF_EXEMPT = frozenset(
    {"practice_lms.auth", "practice_lms.token", "practice_lms.deep_linking_return"}
)
# Bearer-token services and the JSON-only admin API (see api.py).
_CSRF_EXEMPT_BLUEPRINTS = frozenset({"practice_lms_api"})
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _platform() -> PracticePlatform:
    platform: PracticePlatform = current_app.extensions["practice_platform"]
    return platform


def _config() -> PracticeConfig:
    return _platform().config


def csrf_token() -> str:
    """The CSRF token of this browser session, created on first use."""
    token = session.get("csrf_token")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf_token"] = token
    return token


@bp.before_app_request
def _check_csrf() -> None:
    if request.method in ("GET", "HEAD", "OPTIONS") or request.endpoint in _CSRF_EXEMPT:
        return
    if request.blueprint in _CSRF_EXEMPT_BLUEPRINTS:
        return
    sent = request.form.get("csrf_token", "")
    expected = session.get("csrf_token")
    if not isinstance(expected, str) or not hmac.compare_digest(sent, expected):
        abort(400, "This form has expired. Reload the page and try again.")


@bp.app_context_processor
def _template_globals() -> dict[str, Any]:
    return {"csrf_token": csrf_token, "platform_name": PLATFORM_NAME}


@bp.app_template_filter("utc_time")
def _utc_time(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds))


@bp.after_app_request
def _security_headers(response: Response) -> Response:
    tool = _config().tool_origin
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"frame-src 'self' {tool}; form-action 'self' {tool}; frame-ancestors 'self'; "
        "base-uri 'none'; object-src 'none'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


@bp.app_errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response | tuple[str, int]:
    status = error.code or 500
    # programs calling the JSON endpoints get JSON, people get a page
    if request.path.startswith(("/api/", "/admin/api/")):
        return json_error(status, error.description or "The request was refused.")
    return render_template("practice_lms/error.html", status=status, error=error), status


def _course_or_404(course_id: str) -> Course:
    course = _platform().store.course(course_id)
    if course is None:
        abort(404)
    return course


def _page_context(course: Course, pending: PendingLaunch | None) -> dict[str, Any]:
    """What every course page shows: people, the launched tool, the tool's last message."""
    platform = _platform()
    store = platform.store
    members = store.members(course.id)
    tool_url = None
    launched_as = None
    launched_link = None
    if pending is not None:
        launched_as = next((m for m in members if m.user.id == pending.user_id), None)
        launched_link = store.resource_link(pending.resource_link_id)
        if platform.launch_is_open(pending):
            tool_url = platform.login_initiation_url(pending)
    return {
        "course": course,
        "members": members,
        "teachers": [m for m in members if m.role == "Instructor"],
        "pending": pending,
        "deep_linking": pending is not None and pending.message_type == c.DEEP_LINKING_REQUEST,
        "launched_as": launched_as,
        "launched_link": launched_link,
        "tool_url": tool_url,
        "tool_origin": platform.config.tool_origin,
        "added": request.args.get("added", type=int),
        "lti_msg": request.args.get("lti_msg", ""),
        "lti_errormsg": request.args.get("lti_errormsg", ""),
    }


def _render_course(
    course: Course, pending: PendingLaunch | None = None, status: int = 200
) -> tuple[str, int]:
    platform = _platform()
    store = platform.store
    assignments = platform.assignments(course.id)
    # a graded activity is listed with the assignments, the others with the activities
    assigned = {a.link.id for a in assignments if a.link is not None}
    page = render_template(
        "practice_lms/course.html",
        assignments=assignments,
        links=[link for link in store.placed_links(course.id) if link.id not in assigned],
        contents=[i for i in store.content_items(course.id) if i.assignment_id is None],
        placements=PLACEMENTS,
        default_placement=DEFAULT_PLACEMENT,
        **_page_context(course, pending),
    )
    return page, status


def _render_assignment(
    course: Course, assignment: Assignment, pending: PendingLaunch | None = None
) -> tuple[str, int]:
    page = render_template(
        "practice_lms/assignment.html",
        assignment=assignment,
        **_page_context(course, pending),
    )
    return page, 200


def _assignment_or_404(course: Course, assignment_id: str) -> Assignment:
    assignment = _platform().assignment(course.id, assignment_id)
    if assignment is None:
        abort(404)
    return assignment


@bp.get("/")
def index() -> Response:
    """The LMS opens on its one demo course."""
    return redirect(url_for(".course", course_id=DEMO_COURSE_ID))


@bp.get("/courses/<course_id>")
def course(course_id: str) -> tuple[str, int]:
    """Course home: the people, each with an "Open EduTeach as …" button."""
    return _render_course(_course_or_404(course_id))


@bp.get("/courses/<course_id>/return")
def course_return(course_id: str) -> tuple[str, int]:
    """``launch_presentation.return_url``: the course page, showing the tool's message."""
    return _render_course(_course_or_404(course_id))


@bp.post("/courses/<course_id>/launches")
def create_launch(course_id: str) -> Response:
    """One click on a launch button records one launch, then shows or opens the tool."""
    course = _course_or_404(course_id)
    presentation = request.form.get("presentation", "iframe")
    if presentation not in ("iframe", "window"):
        abort(400, "Choose to open the tool in the page or in a new window.")
    platform = _platform()
    try:
        pending = platform.record_launch(
            request.form.get("user", ""),
            course_id=course.id,
            presentation="window" if presentation == "window" else "iframe",
            link_id=request.form.get("link") or None,
        )
    except UnknownUserError:
        abort(400, "That person or that link is not in this course.")
    if pending.presentation == "window":
        return redirect(platform.login_initiation_url(pending), 303)
    return redirect(url_for(".show_launch", course_id=course.id, hint=pending.hint), 303)


@bp.post("/courses/<course_id>/deep_linking")
def start_deep_linking(course_id: str) -> Response:
    """The "Add EduTeach content" button: a deep linking launch for the chosen place."""
    course = _course_or_404(course_id)
    placement = request.form.get("placement", DEFAULT_PLACEMENT)
    if placement not in PLACEMENTS:
        abort(400, "Choose where the content should go.")
    try:
        pending, _ = _platform().record_deep_linking(
            request.form.get("user", ""), course_id=course.id, placement=placement
        )
    except UnknownUserError:
        abort(400, "That person is not in this course.")
    except NotAllowedError as exc:
        abort(403, str(exc))
    return redirect(url_for(".show_launch", course_id=course.id, hint=pending.hint), 303)


@bp.get("/courses/<course_id>/assignments/<assignment_id>")
def assignment(course_id: str, assignment_id: str) -> tuple[str, int]:
    """An assignment: due date, points, its description and what tools added to it."""
    course = _course_or_404(course_id)
    return _render_assignment(course, _assignment_or_404(course, assignment_id))


@bp.post("/courses/<course_id>/assignments/<assignment_id>/deep_linking")
def start_assignment_deep_linking(course_id: str, assignment_id: str) -> Response:
    """The "Add content from EduTeach to this assignment" button: a deep linking launch from the
    assignment description's editor, its settings naming the assignment."""
    course = _course_or_404(course_id)
    found = _assignment_or_404(course, assignment_id)
    try:
        pending, _ = _platform().record_assignment_deep_linking(
            request.form.get("user", ""), course_id=course.id, assignment_id=found.id
        )
    except UnknownUserError:
        abort(400, "That person is not in this course.")
    except NotAllowedError as exc:
        abort(403, str(exc))
    return redirect(url_for(".show_launch", course_id=course.id, hint=pending.hint), 303)


@bp.post("/courses/<course_id>/deep_linking/return")
def deep_linking_return(course_id: str) -> Response | tuple[str, int]:
    """``deep_link_return_url``: the tool posts its signed answer (form field ``JWT``) here.

    A valid answer places its items and shows the course page (out of the tool's frame);
    anything else is refused with a page naming the reason, placing nothing.
    """
    course = _course_or_404(course_id)
    try:
        answer = _platform().accept_deep_linking_response(course.id, request.form.get("JWT", ""))
    except DeepLinkingError as exc:
        page = render_template("practice_lms/deep_linking_refused.html", course=course, error=exc)
        return page, 400
    query: dict[str, Any] = {"added": answer.count}
    if answer.msg:
        query["lti_msg"] = answer.msg
    if answer.errormsg:
        query["lti_errormsg"] = answer.errormsg
    if answer.assignment_id is not None:
        # back to the assignment the teacher added content to, as an LMS editor would be
        where = url_for(
            ".assignment", course_id=course.id, assignment_id=answer.assignment_id, **query
        )
        return redirect(where, 303)
    return redirect(url_for(".course", course_id=course.id, **query), 303)


@bp.get("/courses/<course_id>/gradebook")
def gradebook(course_id: str) -> str:
    """Columns: line items; rows: students; cells: the latest score; then the score log."""
    course = _course_or_404(course_id)
    platform = _platform()
    members = platform.store.members(course.id)
    line_items = platform.grades.line_items(course.id)
    rows = gradebook_rows(members, line_items, platform.grades.course_results(course.id))
    names = {m.user.sub: m.user.name for m in members}
    return render_template(
        "practice_lms/gradebook.html",
        course=course,
        line_items=line_items,
        labels={item.id: item.label for item in line_items},
        rows=rows,
        names=names,
        received=platform.grades.score_requests(course.id, limit=200),
        switch=platform.grade_service_switch(),
    )


@bp.get("/courses/<course_id>/launches/<hint>")
def show_launch(course_id: str, hint: str) -> tuple[str, int]:
    """The course page with the tool in an iframe, launched for the recorded click.

    A deep linking launch from an assignment shows the tool on that assignment's page.
    """
    course = _course_or_404(course_id)
    store = _platform().store
    pending = store.launch(hint)
    if pending is None or pending.course_id != course.id or pending.presentation != "iframe":
        abort(404)
    if pending.message_type == c.DEEP_LINKING_REQUEST:
        asked = store.deep_linking_request(hint=pending.hint)
        if asked is not None and asked.assignment_id is not None:
            found = _assignment_or_404(course, asked.assignment_id)
            return _render_assignment(course, found, pending)
    return _render_course(course, pending)


@bp.route("/auth", methods=["GET", "POST"])
def auth() -> tuple[str, int, dict[str, str]]:
    """OIDC authorization endpoint: the id_token in a form that posts itself to the tool."""
    params = request.form if request.method == "POST" else request.args
    try:
        form = _platform().authorize(params.to_dict(), request.method)
    except AuthRequestError as exc:
        page = render_template("practice_lms/error.html", status=400, message=exc.message)
        return page, 400, _NO_STORE
    return render_template("practice_lms/launch_form.html", form=form), 200, _NO_STORE


@bp.get("/jwks")
def jwks() -> tuple[Response, int, dict[str, str]]:
    """The platform's public keys."""
    return jsonify(_platform().jwks()), 200, {"Cache-Control": "public, max-age=60"}


@bp.post("/token")
def token() -> tuple[Response, int, dict[str, str]]:
    """OAuth 2 token endpoint for LTI Advantage services."""
    try:
        body = _platform().issue_access_token(request.form.to_dict())
    except TokenRequestError as exc:
        error = {"error": exc.error, "error_description": exc.description}
        return jsonify(error), exc.status, _NO_STORE
    return jsonify(body), 200, _NO_STORE


@bp.get("/admin")
def settings() -> str:
    """Platform settings: the values an admin gives the tool, and the signing keys."""
    platform = _platform()
    current = platform.current_kid()
    keys = [
        {
            "kid": key.kid,
            "created": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(key.created_at)),
            "current": key.kid == current,
        }
        for key in platform.keys.all()
    ]
    return render_template(
        "practice_lms/settings.html",
        values=platform.registration_values(),
        config=platform.config,
        keys=keys,
        switch=platform.grade_service_switch(),
        administrators=platform.store.administrators(),
    )


@bp.post("/admin/grade_service")
def set_grade_service() -> Response:
    """The admin form of the grade service switch (the JSON API is in api.py)."""
    form = request.form
    changes: dict[str, Any] = {
        "mode": form.get("mode", ""),
        "stale_scores": form.get("stale_scores", ""),
        "unauthorized_once": form.get("unauthorized_once", ""),
    }
    for name in ("retry_after", "slow_seconds"):
        if form.get(name):
            changes[name] = form[name]
    try:
        switch = _platform().set_grade_service_switch(changes)
    except SwitchError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Gradebook service is now {_describe(switch.mode, switch.slow_seconds)}.")
    return redirect(url_for(".settings") + "#grade-service-heading", 303)


def _describe(mode: str, slow_seconds: float) -> str:
    if mode == "off":
        return "off (answers 503 with Retry-After)"
    if mode == "slow":
        return f"slow (answers after {slow_seconds:g} seconds)"
    return "on"


@bp.post("/admin/keys/rotate")
def rotate_key() -> Response:
    """Make a new current signing key; the old one stays published."""
    kid = _platform().rotate_key()
    flash(f"New signing key {kid} is now current. The previous key is still published.")
    return redirect(url_for(".settings"), 303)


@bp.post("/admin/keys/<kid>/retire")
def retire_key(kid: str) -> Response:
    """Stop publishing an old signing key."""
    try:
        _platform().retire_key(kid)
    except KeyStoreError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Key {kid} is no longer published.")
    return redirect(url_for(".settings"), 303)


@bp.post("/admin/launches")
def launch_as_administrator() -> Response:
    """The "Open EduTeach as the school administrator" button: the demo course's EduTeach
    link, opened in the whole window by an LMS administrator (institution Administrator)."""
    platform = _platform()
    user_key = request.form.get("user", "")
    if not platform.store.is_administrator(user_key):
        abort(400, "That person is not an administrator of this LMS.")
    pending = platform.record_launch(user_key, course_id=DEMO_COURSE_ID, presentation="window")
    return redirect(platform.login_initiation_url(pending), 303)
