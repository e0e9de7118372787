"""The practice LMS's JSON endpoints: AGS and NRPS for the tool, and a small admin API.

Service endpoints authenticate with bearer tokens from ``/token``, never with the LMS's
session cookie, so they need no CSRF token. The admin API changes settings only from a
JSON body: a page on another site cannot send one without a CORS preflight, which this
app never grants.

Admin API (for tests and the README's demo):

- ``GET /admin/api/grade_service``: the switch (see ``switch.py``) as JSON.
- ``POST /admin/api/grade_service`` with a JSON object of the settings to change, e.g.
  ``{"mode": "off", "retry_after": 5}``, ``{"mode": "slow", "slow_seconds": 3}``,
  ``{"unauthorized_once": true}``, ``{"stale_scores": "ignore"}``; answers the new switch.
- ``GET /admin/api/score_requests[?course_id=…]``: every score request received, newest
  first: received_at, course_id, line_item_id, user_id, media_type, body, status, outcome.
- ``GET /admin/api/courses/<course_id>/gradebook``: line items and their current results.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from werkzeug.wrappers import Response

from eduteach.practice_lms.ags import line_item_json, result_json
from eduteach.practice_lms.errors import ServiceError
from eduteach.practice_lms.grades import Result
from eduteach.practice_lms.platform import PracticePlatform
from eduteach.practice_lms.services import ServiceAnswer, ServiceRequest
from eduteach.practice_lms.switch import SwitchError

bp = Blueprint("practice_lms_api", __name__)

LINE_ITEMS = "/api/lti/courses/<course_id>/line_items"
LINE_ITEM = LINE_ITEMS + "/<line_item_id>"


def _platform() -> PracticePlatform:
    platform: PracticePlatform = current_app.extensions["practice_platform"]
    return platform


def json_error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A JSON error answer: ``{"error": message}``."""
    response = jsonify({"error": message})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def _service_request() -> ServiceRequest:
    return ServiceRequest(
        authorization=request.headers.get("Authorization", ""),
        content_type=request.headers.get("Content-Type", ""),
        body=request.get_data(cache=False),
        query=request.args.to_dict(),
    )


def _answer(call: Callable[[ServiceRequest], ServiceAnswer]) -> Response:
    """Run a service with this request; its answer, or its refusal, as an HTTP response."""
    try:
        answer = call(_service_request())
    except ServiceError as exc:
        return json_error(exc.status, exc.message, exc.headers)
    if answer.body is None:
        response = Response(status=answer.status)
    else:
        response = Response(
            json.dumps(answer.body), status=answer.status, content_type=answer.media_type
        )
    response.headers.update(answer.headers)
    response.headers["Cache-Control"] = "no-store"
    return response


# --- Assignment and Grade Services ------------------------------------------------------
@bp.get(LINE_ITEMS)
def line_items(course_id: str) -> Response:
    """The line item container."""
    return _answer(lambda req: _platform().ags.list_line_items(course_id, req))


@bp.post(LINE_ITEMS)
def create_line_item(course_id: str) -> Response:
    """Create a line item."""
    return _answer(lambda req: _platform().ags.create_line_item(course_id, req))


@bp.get(LINE_ITEM)
def line_item(course_id: str, line_item_id: str) -> Response:
    """One line item."""
    return _answer(lambda req: _platform().ags.get_line_item(course_id, line_item_id, req))


@bp.put(LINE_ITEM)
def update_line_item(course_id: str, line_item_id: str) -> Response:
    """Replace a line item's values."""
    return _answer(lambda req: _platform().ags.update_line_item(course_id, line_item_id, req))


@bp.delete(LINE_ITEM)
def delete_line_item(course_id: str, line_item_id: str) -> Response:
    """Delete a line item."""
    return _answer(lambda req: _platform().ags.delete_line_item(course_id, line_item_id, req))


@bp.post(LINE_ITEM + "/scores")
def scores(course_id: str, line_item_id: str) -> Response:
    """Post a score."""
    return _answer(lambda req: _platform().ags.post_score(course_id, line_item_id, req))


@bp.get(LINE_ITEM + "/results")
def results(course_id: str, line_item_id: str) -> Response:
    """The results of a line item."""
    return _answer(lambda req: _platform().ags.results(course_id, line_item_id, req))


# --- Names and Role Provisioning Services ----------------------------------------------
@bp.get("/api/lti/courses/<course_id>/names_and_roles")
def memberships(course_id: str) -> Response:
    """The course's memberships."""
    return _answer(lambda req: _platform().nrps.memberships(course_id, req))


# --- admin API ----------------------------------------------------------------------------
@bp.get("/admin/api/grade_service")
def grade_service() -> Response:
    """The grade service switch."""
    return jsonify(_platform().grade_service_switch().as_json())


@bp.post("/admin/api/grade_service")
def set_grade_service() -> Response:
    """Change the grade service switch from a JSON object."""
    if request.mimetype != "application/json":
        return json_error(
            415, "Send the settings as a JSON object (Content-Type: application/json)."
        )
    changes = request.get_json(silent=True)
    if not isinstance(changes, dict):
        return json_error(400, "Send the settings as a JSON object.")
    try:
        switch = _platform().set_grade_service_switch(changes)
    except SwitchError as exc:
        return json_error(400, str(exc))
    return jsonify(switch.as_json())


@bp.get("/admin/api/score_requests")
def score_requests() -> Response:
    """Every score request received, newest first."""
    course_id = request.args.get("course_id")
    received = _platform().grades.score_requests(course_id)
    return jsonify({"score_requests": [item.as_json() for item in received]})


def _result_with_progress(result: Result, line_item_url: str) -> dict[str, Any]:
    """A result as AGS shows it, with the timestamp and progress of the score behind it."""
    return {
        **result_json(result, line_item_url),
        "timestamp": result.timestamp,
        "activityProgress": result.activity_progress,
        "gradingProgress": result.grading_progress,
    }


@bp.get("/admin/api/courses/<course_id>/gradebook")
def gradebook(course_id: str) -> Response:
    """The course's line items, each with its current results."""
    platform = _platform()
    if platform.store.course(course_id) is None:
        return json_error(404, "There is no such course.")
    columns: list[dict[str, Any]] = []
    for item in platform.grades.line_items(course_id):
        url = platform.config.line_item_url(course_id, item.id)
        column = line_item_json(item, url)
        column["results"] = [
            _result_with_progress(result, url) for result in platform.grades.results(item.id)
        ]
        columns.append(column)
    return jsonify({"line_items": columns})
