"""LTI endpoints: login initiation, launch, JWKS, and the configuration admins paste."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response as BaseResponse

from eduteach.content.publishing import placement_for_launch
from eduteach.lti import claims, keys, sessions
from eduteach.lti.context import LaunchContext
from eduteach.lti.launch import peek_state, validate_launch
from eduteach.lti.login import STATE_TTL, begin_login, state_cookie_name
from eduteach.lti.platforms import RegistrationError, find_platform, origin_of
from eduteach.lti.registration import check_registration_code, register_platform
from eduteach.lti.roles import Audience

bp = Blueprint("lti", __name__, url_prefix="/lti")
log = logging.getLogger("eduteach.lti")


def _svc() -> Any:
    return current_app.extensions["eduteach"]


def _params() -> dict[str, str]:
    source = request.form if request.method == "POST" else request.args
    return {k: v for k, v in source.items() if isinstance(v, str)}


def _secure_cookie(response: BaseResponse, name: str, value: str, max_age: int) -> None:
    # Partitioned (CHIPS) so it survives third-party-cookie blocking inside the LMS iframe.
    response.set_cookie(
        name, value, max_age=max_age, secure=True, httponly=True, samesite="None", partitioned=True
    )


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    svc = _svc()
    with svc.db.session() as s:
        start = begin_login(_params(), session=s, store=svc.store, base_url=svc.settings.base_url)
    log.info(
        "login started iss=%s storage=%s",
        _params().get("iss"),
        "platform" if start.storage_target else "cookie",
    )
    response: BaseResponse
    if start.storage_target:
        response = Response(
            render_template(
                "lti/storage_login.html",
                page_role="student",
                redirect_url=start.redirect_url,
                storage_target=start.storage_target,
                platform_origin=start.platform_origin,
                key=start.cookie_name,
                value=start.secret,
            )
        )
    else:
        response = redirect(start.redirect_url, code=302)
    _secure_cookie(response, start.cookie_name, start.secret, STATE_TTL)
    return response


@bp.post("/launch")
def launch() -> ResponseReturnValue:
    svc = _svc()
    params = _params()
    state = params.get("state", "")
    record = peek_state(svc.store, state)
    has_cookie = bool(request.cookies.get(state_cookie_name(state)))
    if (
        record
        and record.get("storage") == "platform"
        and not has_cookie
        and not params.get("lti_storage_proof")
        and not params.get("lti_storage_tried")
    ):
        # The value proving this browser started the login sits in platform storage:
        # fetch it with postMessage, then post the launch again with it.
        platform_origin = _origin(record)
        return render_template(
            "lti/storage_launch.html",
            page_role="student",
            id_token=params.get("id_token", ""),
            state=state,
            key=state_cookie_name(state),
            platform_origin=platform_origin,
        )
    with svc.db.session() as s:
        validated = validate_launch(
            params,
            request.cookies,
            session=s,
            store=svc.store,
            keys=svc.platform_keys,
            base_url=svc.settings.base_url,
            leeway=svc.settings.jwt_leeway_seconds,
        )
        token = sessions.start_session(s, validated, svc.settings.launch_ttl_seconds)
        target, args = _landing(s, validated.context, token)
    ctx = validated.context
    log.info(
        "launch accepted iss=%s deployment=%s message=%s audience=%s",
        ctx.issuer,
        ctx.deployment_id,
        ctx.message_type,
        ctx.audience.value,
    )
    response = redirect(url_for(target, lt=token, **args), code=303)
    response.delete_cookie(
        state_cookie_name(state), secure=True, httponly=True, samesite="None", partitioned=True
    )
    return response


def _landing(session: Any, ctx: LaunchContext, token: str) -> tuple[str, dict[str, Any]]:
    """Where a launch lands: the picker, a placed activity, or the course home."""
    teacher = ctx.audience is Audience.TEACHER
    home = "pages.teacher_home" if teacher else "pages.student_home"
    if ctx.is_deep_link:
        return ("deep_linking.picker" if teacher else home), {}
    loaded = sessions.load_session(session, token)
    course_id = loaded[0].course_id if loaded else None
    if course_id is None:
        return home, {}
    placement = placement_for_launch(session, ctx, course_id)
    if placement is None:
        return home, {}
    views = current_app.view_functions
    if not teacher and "student.activity" in views:
        return "student.activity", {}
    if teacher and "teacher.results" in views:
        return "teacher.results", {"artifact_id": placement.publication.artifact_id}
    if teacher:
        return "teacher.review", {"artifact_id": placement.publication.artifact_id}
    return home, {}


def _origin(record: dict[str, Any]) -> str:
    with _svc().db.session() as s:
        platform = find_platform(s, record["iss"], record["client_id"])
        return (origin_of(platform.auth_login_url) if platform else None) or ""


@bp.get("/jwks")
def jwks() -> ResponseReturnValue:
    with _svc().db.session() as s:
        keys.active_key(s)
        body = keys.published_jwks(s)
    response = jsonify(body)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def tool_urls() -> dict[str, str]:
    base = _svc().settings.base_url
    return {
        "base": base,
        "login": base + "/lti/login",
        "launch": base + "/lti/launch",
        "jwks": base + "/lti/jwks",
        "canvas_json": base + "/lti/canvas.json",
        "domain": urlsplit(base).netloc,
    }


@bp.get("/canvas.json")
def canvas_json() -> ResponseReturnValue:
    """The Canvas developer key JSON ("Enter URL" in Canvas's LTI key form)."""
    urls = tool_urls()

    def placement(name: str, message_type: str, **extra: Any) -> dict[str, Any]:
        return {
            "placement": name,
            "message_type": message_type,
            "target_link_uri": urls["launch"],
            "text": "EduTeach",
            **extra,
        }

    return jsonify(
        {
            "title": "EduTeach",
            "description": "Lesson plans, learning activities and AI-use guidelines, reviewed by the teacher; "
            "activity scores go to the gradebook.",
            "oidc_initiation_url": urls["login"],
            "target_link_uri": urls["launch"],
            "public_jwk_url": urls["jwks"],
            "scopes": list(claims.TOOL_SCOPES),
            "extensions": [
                {
                    "domain": urls["domain"],
                    "tool_id": "eduteach",
                    "platform": "canvas.instructure.com",
                    # Names for the teacher's results page (fetched via NRPS, never stored); no emails.
                    "privacy_level": "name_only",
                    "settings": {
                        "text": "EduTeach",
                        "placements": [
                            placement(
                                "course_navigation",
                                claims.RESOURCE_LINK_REQUEST,
                                default="enabled",
                                visibility="members",
                            ),
                            placement("editor_button", claims.DEEP_LINKING_REQUEST),
                            placement("assignment_selection", claims.DEEP_LINKING_REQUEST),
                            placement("link_selection", claims.DEEP_LINKING_REQUEST),
                        ],
                    },
                }
            ],
            "custom_fields": {"canvas_course_id": "$Canvas.course.id"},
        }
    )


@bp.get("/moodle")
def moodle_config() -> ResponseReturnValue:
    """The values a Moodle admin types into "Configure a tool manually"."""
    return render_template("admin/moodle.html", page_role="admin", urls=tool_urls())


REGISTRATION_CODE_DAYS = 7


@bp.get("/register")
def dynamic_registration() -> ResponseReturnValue:
    """LTI Dynamic Registration, started by the LMS with the URL from `platform registration-url`."""
    svc = _svc()
    code = request.args.get("code", "")
    if not check_registration_code(svc.settings.secret_key, code, REGISTRATION_CODE_DAYS * 86400):
        log.warning("dynamic registration refused: missing or expired code")
        return render_template("admin/registration.html", page_role="admin", error="code"), 403
    config_url = request.args.get("openid_configuration", "")
    if not config_url:
        return render_template(
            "admin/registration.html", page_role="admin", error="not_from_lms"
        ), 400
    try:
        with svc.db.session() as s:
            issuer, client_id, deployment_id = register_platform(
                base_url=svc.settings.base_url,
                openid_configuration_url=config_url,
                registration_token=request.args.get("registration_token") or None,
                session=s,
                timeout=svc.settings.http_timeout,
            )
    except RegistrationError as exc:
        log.warning("dynamic registration failed: %s", exc)
        return render_template(
            "admin/registration.html", page_role="admin", error="failed", detail=str(exc)
        ), 400
    current_app.extensions.pop("eduteach_origins", None)
    log.info(
        "dynamic registration done iss=%s client_id=%s deployment=%s",
        issuer,
        client_id,
        deployment_id,
    )
    return render_template(
        "admin/registration.html",
        page_role="admin",
        error=None,
        issuer=issuer,
        client_id=client_id,
        deployment_id=deployment_id,
    )
