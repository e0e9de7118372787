"""The OIDC launch over real HTTP: practice LMS → stub tool → practice LMS → stub tool."""

from __future__ import annotations

import sqlite3
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests

from eduteach.practice_lms import (
    AuthRequestError,
    PracticeConfig,
    PracticePlatform,
    UnknownUserError,
    parse_launch_form,
)
from tests.practice_lms.conftest import LmsAndTool, serve_lms_and_tool

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"


def launch_over_http(login_url: str) -> requests.Response:
    """What a browser does: open the tool's login, follow to the LMS, post the form."""
    with requests.Session() as browser:
        auth_page = browser.get(login_url, timeout=10)
        if auth_page.status_code != 200:
            return auth_page
        form = parse_launch_form(auth_page.text)
        return browser.post(form.action, data=form.fields, timeout=10)


def auth_params(running: LmsAndTool, login_url: str) -> dict[str, str]:
    """The authorization request the stub tool sends for a login initiation URL."""
    response = requests.get(login_url, allow_redirects=False, timeout=10)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(running.config.auth_login_url + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def test_teacher_launch_end_to_end(running: LmsAndTool) -> None:
    login_url = running.platform.start_launch("rivera")

    response = launch_over_http(login_url)

    assert response.status_code == 200, running.tool.failures
    assert "Stub tool launched as Ms. Rivera" in response.text
    claims = running.tool.launches[-1]
    config = running.config
    teacher = running.platform.store.user("rivera")
    assert teacher is not None
    assert claims["sub"] == teacher.sub
    assert claims[LTI + "roles"][0] == MEMBERSHIP + "Instructor"
    assert claims[LTI + "target_link_uri"] == config.tool_launch_url
    assert claims[LTI + "context"] == {
        "id": "science-7",
        "label": "SCI-7",
        "title": "Grade 7 Science (demo)",
        "type": ["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"],
    }
    assert claims[LTI + "resource_link"]["title"] == "EduTeach"
    assert (claims["name"], claims["given_name"], claims["family_name"]) == (
        "Ms. Rivera",
        "Maria",
        "Rivera",
    )
    assert claims["email"] == "maria.rivera@practice-lms.example"
    assert claims[LTI + "tool_platform"]["product_family_code"] == "eduteach-practice-lms"
    assert claims[LTI + "launch_presentation"] == {
        "document_target": "iframe",
        "return_url": config.return_url("science-7"),
        "locale": "en",
    }
    assert claims[LTI + "custom"] == {"placement": "course_navigation"}
    ags = claims["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"]
    assert ags["lineitems"] == config.line_items_url("science-7")
    assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in ags["scope"]
    nrps = claims["https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"]
    assert nrps["context_memberships_url"] == config.memberships_url("science-7")
    assert running.tool.headers[-1]["kid"] == running.platform.current_kid()


@pytest.mark.parametrize(("user", "name"), [("alex", "Alex Kim"), ("sam", "Sam Patel")])
def test_student_launch_carries_learner_role_and_stable_sub(
    running: LmsAndTool, user: str, name: str
) -> None:
    assert launch_over_http(running.platform.start_launch(user)).status_code == 200
    assert launch_over_http(running.platform.start_launch(user)).status_code == 200

    first, second = running.tool.launches
    assert first[LTI + "roles"][0] == MEMBERSHIP + "Learner"
    assert first["name"] == name
    assert first["sub"] == second["sub"]
    assert name not in first["sub"]


def test_students_and_teacher_have_distinct_subs(running: LmsAndTool) -> None:
    for user in ("rivera", "alex", "sam"):
        assert launch_over_http(running.platform.start_launch(user)).status_code == 200
    assert len({claims["sub"] for claims in running.tool.launches}) == 3


def test_one_click_is_one_launch(running: LmsAndTool) -> None:
    login_url = running.platform.start_launch("alex")
    assert launch_over_http(login_url).status_code == 200

    replay = launch_over_http(login_url)

    assert replay.status_code == 400
    assert "already used" in replay.text
    assert "id_token" not in replay.text
    assert len(running.tool.launches) == 1


def test_expired_launch_is_refused(running: LmsAndTool) -> None:
    login_url = running.platform.start_launch("alex")
    with sqlite3.connect(running.config.store_path) as conn:
        conn.execute("UPDATE launches SET created_at = created_at - 3600")
    conn.close()

    response = launch_over_http(login_url)

    assert response.status_code == 400
    assert "expired" in response.text


def test_unknown_redirect_uri_is_refused_without_redirect(running: LmsAndTool) -> None:
    params = auth_params(running, running.platform.start_launch("rivera"))
    params["redirect_uri"] = "https://evil.example/steal"

    response = requests.get(
        running.config.auth_login_url, params=params, allow_redirects=False, timeout=10
    )

    assert response.status_code == 400
    assert "evil.example" not in response.text
    assert "id_token" not in response.text
    assert "Location" not in response.headers


def test_unknown_user_is_refused(running: LmsAndTool) -> None:
    params = auth_params(running, running.platform.start_launch("rivera"))
    params["login_hint"] = "someone-else"

    response = requests.get(running.config.auth_login_url, params=params, timeout=10)

    assert response.status_code == 400
    assert "does not know who is signing in" in response.text


def test_launch_is_bound_to_the_person_who_clicked(running: LmsAndTool) -> None:
    params = auth_params(running, running.platform.start_launch("alex"))
    teacher = running.platform.store.user("rivera")
    assert teacher is not None
    params["login_hint"] = teacher.sub

    response = requests.get(running.config.auth_login_url, params=params, timeout=10)

    assert response.status_code == 400
    assert running.tool.launches == []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("client_id", "another-client"),
        ("response_type", "code"),
        ("scope", "profile"),
        ("response_mode", "query"),
        ("nonce", ""),
        ("state", ""),
        ("lti_message_hint", "made-up"),
    ],
)
def test_malformed_authorization_request_is_refused(
    running: LmsAndTool, name: str, value: str
) -> None:
    params = auth_params(running, running.platform.start_launch("rivera"))
    params[name] = value

    response = requests.post(running.config.auth_login_url, data=params, timeout=10)

    assert response.status_code == 400
    assert "id_token" not in response.text


def test_authorization_by_post_is_answered(running: LmsAndTool) -> None:
    params = auth_params(running, running.platform.start_launch("sam"))

    response = requests.post(running.config.auth_login_url, data=params, timeout=10)

    form = parse_launch_form(response.text)
    assert form.action == running.config.tool_launch_url
    assert set(form.fields) == {"id_token", "state"}
    assert form.fields["state"] == params["state"]


def test_storage_target_sent_for_iframe_launches(running: LmsAndTool) -> None:
    iframe_url = running.platform.start_launch("rivera")
    window_url = running.platform.start_launch("rivera", presentation="window")
    launch_over_http(iframe_url)

    assert parse_qs(urlsplit(iframe_url).query)["lti_storage_target"] == ["_parent"]
    assert running.tool.logins[-1]["lti_storage_target"] == "_parent"
    assert "lti_storage_target" not in parse_qs(urlsplit(window_url).query)


def test_storage_target_absent_when_switched_off(practice_config: PracticeConfig) -> None:
    with serve_lms_and_tool(practice_config, platform_storage=False) as both:
        assert launch_over_http(both.platform.start_launch("rivera")).status_code == 200
        assert "lti_storage_target" not in both.tool.logins[-1]


def test_login_initiation_carries_the_tool_contract(running: LmsAndTool) -> None:
    query = parse_qs(urlsplit(running.platform.start_launch("rivera")).query)

    config = running.config
    assert {k: v[0] for k, v in query.items() if k != "lti_message_hint"} == {
        "iss": config.issuer,
        "login_hint": running.platform.store.user("rivera").sub,  # type: ignore[union-attr]
        "target_link_uri": config.tool_launch_url,
        "client_id": config.client_id,
        "lti_deployment_id": config.deployment_id,
        "lti_storage_target": "_parent",
    }


def test_window_launch_says_window(running: LmsAndTool) -> None:
    url = running.platform.start_launch("rivera", presentation="window")
    assert launch_over_http(url).status_code == 200
    presentation = running.tool.launches[-1][LTI + "launch_presentation"]
    assert presentation["document_target"] == "window"


def test_start_launch_refuses_strangers(running: LmsAndTool) -> None:
    with pytest.raises(UnknownUserError):
        running.platform.start_launch("nobody")


def test_crafted_launches_are_signed_with_the_platform_key(running: LmsAndTool) -> None:
    platform: PracticePlatform = running.platform
    params = auth_params(running, platform.start_launch("rivera"))
    claims = platform.launch_claims(params)

    with_kid = platform.sign_id_token(claims)
    without_kid = platform.sign_id_token(claims, kid=None)
    wrong_kid = platform.sign_id_token(claims, kid="not-a-key")

    assert jwt.get_unverified_header(with_kid)["kid"] == platform.current_kid()
    assert "kid" not in jwt.get_unverified_header(without_kid)
    assert jwt.get_unverified_header(wrong_kid)["kid"] == "not-a-key"
    public = jwt.PyJWK(platform.jwks()["keys"][0]).key
    decoded = jwt.decode(without_kid, public, algorithms=["RS256"], audience="eduteach-practice")
    assert decoded["nonce"] == params["nonce"]
    assert decoded["exp"] > decoded["iat"]
    # the same launch cannot be redeemed twice, crafted or not
    with pytest.raises(AuthRequestError):
        platform.launch_claims(params)


def test_stub_tool_refuses_crafted_launch_without_kid(running: LmsAndTool) -> None:
    platform = running.platform
    params = auth_params(running, platform.start_launch("rivera"))
    token = platform.sign_id_token(platform.launch_claims(params), kid=None)

    response = requests.post(
        params["redirect_uri"], data={"id_token": token, "state": params["state"]}, timeout=10
    )

    assert response.status_code == 400
    assert running.tool.failures == ["kid not in platform JWKS"]
