"""The launch, over HTTP, against the practice LMS: the 1EdTech tool certification cases and more."""

from __future__ import annotations

import logging
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select

from eduteach.lti import claims as C
from eduteach.lti.login import STATE_PREFIX
from eduteach.practice_lms.forms import parse_launch_form
from eduteach.storage.models import Course, Deployment, LaunchRecord, Platform
from tests.lti.conftest import Lti

TEACHER, STUDENT = "rivera", "alex"
M = "http://purl.imsglobal.org/vocab/lis/v2/membership#"


def _role(resp_text: str) -> str:
    marker = 'data-role="'
    start = resp_text.index(marker) + len(marker)
    return resp_text[start : resp_text.index('"', start)]


def _refused(resp: Any, reason: str, status: int = 400) -> None:
    assert resp.status_code == status, resp.text[:400]
    assert f'data-reason="{reason}"' in resp.text
    assert "Traceback" not in resp.text
    assert "eyJ" not in resp.text  # never echo the token


def test_teacher_launch_lands_on_the_teacher_home(lti: Lti) -> None:
    browser = lti.browser()
    resp = browser.launch(TEACHER)
    assert resp.status_code == 303
    assert "/teacher?lt=" in resp.headers["Location"]
    page = browser.follow(resp)
    assert page.status_code == 200
    assert _role(page.text) == "teacher"
    assert "Grade 7 Science" in page.text


def test_student_launch_lands_on_the_student_home(lti: Lti) -> None:
    browser = lti.browser()
    page = browser.follow(browser.launch(STUDENT))
    assert _role(page.text) == "student"
    # A student's token does not open teacher pages.
    token = page.url.split("lt=")[1]
    assert browser.get(lti.tool_url + "/teacher", params={"lt": token}).status_code == 403


def test_launch_keeps_only_the_opaque_user_id(lti: Lti) -> None:
    browser = lti.browser()
    browser.follow(browser.launch(TEACHER))
    db = lti.tool_app.extensions["eduteach"].db
    with db.session() as s:
        record = s.scalars(select(LaunchRecord)).one()
        course = s.scalars(select(Course)).one()
    stored = repr(record.context)
    assert "Rivera" not in stored
    assert "@" not in stored
    assert record.context["user_sub"]
    assert course.title == "Grade 7 Science (demo)"


def test_platform_storage_carries_the_login_proof_without_cookies(lti: Lti) -> None:
    browser = lti.browser()
    url = lti.platform.start_launch(TEACHER, presentation="window") + "&lti_storage_target=_parent"
    page = browser.get(url)
    assert page.status_code == 200
    assert 'data-mode="put"' in page.text
    value = page.text.split('data-value="')[1].split('"')[0]
    next_url = page.text.split('data-next="')[1].split('"')[0].replace("&amp;", "&")
    browser.cookies.clear()  # third-party cookies blocked
    form_page = browser.get(next_url)
    form = parse_launch_form(form_page.text)
    # Without a cookie the tool first asks the platform for the stored value...
    interstitial = browser.post(form.action, form.fields)
    assert interstitial.status_code == 200
    assert 'data-mode="get"' in interstitial.text
    # ...then the launch posted again with it is accepted.
    done = browser.post(
        form.action, {**form.fields, "lti_storage_proof": value, "lti_storage_tried": "1"}
    )
    assert done.status_code == 303
    assert _role(browser.follow(done).text) == "teacher"


def test_wrong_platform_storage_value_is_refused(lti: Lti) -> None:
    browser = lti.browser()
    url = lti.platform.start_launch(TEACHER, presentation="window") + "&lti_storage_target=_parent"
    page = browser.get(url)
    next_url = page.text.split('data-next="')[1].split('"')[0].replace("&amp;", "&")
    browser.cookies.clear()
    form = parse_launch_form(browser.get(next_url).text)
    resp = browser.post(
        form.action, {**form.fields, "lti_storage_proof": "guess", "lti_storage_tried": "1"}
    )
    _refused(resp, "browser_blocked")


# -- tokens the certification suite sends and a tool must refuse ----------------------


def _drop(*names: str) -> Any:
    def mutate(claims: dict[str, Any]) -> None:
        for name in names:
            claims.pop(name, None)

    return mutate


def _set(**values: Any) -> Any:
    def mutate(claims: dict[str, Any]) -> None:
        claims.update({getattr(C, k, k): v for k, v in values.items()})

    return mutate


def _other_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@pytest.mark.parametrize(
    ("mutate", "kid", "reason"),
    [
        pytest.param(None, None, "invalid_token", id="no kid"),
        pytest.param(None, "not-a-platform-kid", "invalid_token", id="wrong kid"),
        pytest.param(_drop(C.VERSION), "current", "invalid_message", id="no LTI version"),
        pytest.param(_set(VERSION="1.2.0"), "current", "invalid_message", id="wrong LTI version"),
        pytest.param(_drop(C.MESSAGE_TYPE), "current", "invalid_message", id="no message_type"),
        pytest.param(
            _set(MESSAGE_TYPE="LtiSomethingElse"),
            "current",
            "invalid_message",
            id="unknown message_type",
        ),
        pytest.param(_drop(C.ROLES), "current", "invalid_message", id="no roles claim"),
        pytest.param(_drop(C.DEPLOYMENT_ID), "current", "invalid_message", id="no deployment_id"),
        pytest.param(
            _set(RESOURCE_LINK={"title": "x"}),
            "current",
            "invalid_message",
            id="no resource_link id",
        ),
        pytest.param(_drop("sub"), "current", "invalid_message", id="no sub"),
        pytest.param(_set(exp=int(time.time()) - 600), "current", "expired", id="expired exp"),
        pytest.param(
            _set(iat=int(time.time()) + 3600), "current", "invalid_token", id="iat in the future"
        ),
        pytest.param(_drop("iat"), "current", "invalid_token", id="no iat"),
        pytest.param(_set(aud="someone-else"), "current", "invalid_token", id="wrong aud"),
        pytest.param(
            _set(TARGET_LINK_URI="https://elsewhere.example/lti/launch"),
            "current",
            "invalid_message",
            id="foreign target_link_uri",
        ),
        pytest.param(
            _set(DEPLOYMENT_ID="not-registered"),
            "current",
            "unknown_deployment",
            id="unknown deployment",
        ),
        pytest.param(_set(nonce="made-up"), "current", "invalid_token", id="nonce not from login"),
    ],
)
def test_refused_launches(lti: Lti, mutate: Any, kid: str | None, reason: str) -> None:
    resp = lti.browser().forged_launch(STUDENT, mutate or (lambda c: None), kid=kid)
    _refused(resp, reason, 403 if reason == "unknown_deployment" else 400)


def _drop_lti_claims(claims: dict[str, Any]) -> None:
    for name in [k for k in claims if k.startswith("https://purl.imsglobal.org/")]:
        del claims[name]


def test_missing_lti_claims_are_refused(lti: Lti) -> None:
    _refused(lti.browser().forged_launch(STUDENT, _drop_lti_claims), "invalid_message")


def test_token_signed_with_another_key_is_refused(lti: Lti) -> None:
    _refused(lti.browser().forged_launch(STUDENT, key=_other_key()), "invalid_token")


def test_not_a_jwt_is_refused(lti: Lti) -> None:
    browser = lti.browser()
    auth = browser.begin(STUDENT)
    resp = browser.post(
        lti.tool_url + "/lti/launch", {"id_token": "not.a-jwt", "state": auth["state"]}
    )
    _refused(resp, "invalid_token")


def test_hs256_with_the_public_key_as_secret_is_refused(lti: Lti) -> None:
    browser = lti.browser()
    auth = browser.begin(STUDENT)
    claims = lti.platform.launch_claims(auth)
    token = jwt.encode(
        claims,
        "shared-secret-guess-long-enough-for-hmac",
        algorithm="HS256",
        headers={"kid": lti.platform.current_kid()},
    )
    _refused(
        browser.post(lti.tool_url + "/lti/launch", {"id_token": token, "state": auth["state"]}),
        "invalid_token",
    )


def test_several_audiences_need_a_matching_azp(lti: Lti) -> None:
    client = lti.config.client_id
    no_azp = lti.browser().forged_launch(
        STUDENT, lambda c: (c.update(aud=[client, "other"]), c.pop("azp", None))
    )
    _refused(no_azp, "invalid_token")
    wrong_azp = lti.browser().forged_launch(STUDENT, _set(aud=[client, "other"], azp="other"))
    _refused(wrong_azp, "invalid_token")
    right = lti.browser().forged_launch(STUDENT, _set(aud=["other", client], azp=client))
    assert right.status_code == 303


# -- launches a tool must accept -------------------------------------------------------


@pytest.mark.parametrize(
    ("roles", "role"),
    [
        pytest.param(
            [
                M + "Instructor",
                M + "Learner",
                "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty",
            ],
            "teacher",
            id="multiple roles",
        ),
        pytest.param(["Instructor"], "teacher", id="short role"),
        pytest.param(["http://example.com/vocab#Wizard"], "student", id="unknown role"),
        pytest.param([], "student", id="no role"),
    ],
)
def test_role_variants_are_accepted(lti: Lti, roles: list[str], role: str) -> None:
    browser = lti.browser()
    resp = browser.forged_launch(STUDENT, _set(ROLES=roles))
    assert resp.status_code == 303, resp.text[:300]
    assert _role(browser.follow(resp).text) == role


@pytest.mark.parametrize(
    "keep",
    [
        pytest.param({"email"}, id="email only"),
        pytest.param({"name", "given_name", "family_name"}, id="names only"),
        pytest.param(set(), id="no PII"),
    ],
)
def test_personal_data_is_optional(lti: Lti, keep: set[str]) -> None:
    def strip(claims: dict[str, Any]) -> None:
        for name in {
            "email",
            "name",
            "given_name",
            "family_name",
            "middle_name",
            "picture",
            "locale",
        } - keep:
            claims.pop(name, None)

    browser = lti.browser()
    resp = browser.forged_launch(TEACHER, strip)
    assert resp.status_code == 303
    assert _role(browser.follow(resp).text) == "teacher"


# -- replay, rotation, registration ---------------------------------------------------


def test_replayed_id_token_is_refused_even_from_another_browser(lti: Lti) -> None:
    first = lti.browser()
    auth = first.begin(STUDENT)
    form_page = first.get(lti.config.auth_login_url, params=auth)
    form = parse_launch_form(form_page.text)
    assert first.post(form.action, form.fields).status_code == 303
    # The same browser again, and a stranger with the captured form (and even the cookie).
    _refused(first.post(form.action, form.fields), "expired")
    thief = lti.browser()
    thief.cookies.update(first.cookies)
    _refused(thief.post(form.action, form.fields), "expired")


def test_nonce_is_used_once_even_if_state_were_copied_to_another_worker(lti: Lti) -> None:
    browser = lti.browser()
    auth = browser.begin(STUDENT)
    store = lti.tool_app.extensions["eduteach"].store
    record = store.get(STATE_PREFIX + auth["state"])
    form = parse_launch_form(browser.get(lti.config.auth_login_url, params=auth).text)
    assert browser.post(form.action, form.fields).status_code == 303
    store.set(STATE_PREFIX + auth["state"], record, 600)  # the state survives somewhere else
    _refused(browser.post(form.action, form.fields), "replayed")


def test_state_from_another_browser_is_refused(lti: Lti) -> None:
    victim = lti.browser()
    auth = victim.begin(STUDENT)
    form = parse_launch_form(victim.get(lti.config.auth_login_url, params=auth).text)
    attacker = lti.browser()  # no state cookie
    _refused(attacker.post(form.action, form.fields), "browser_blocked")


def test_key_rotation_at_the_platform_is_picked_up(lti: Lti) -> None:
    browser = lti.browser()
    assert browser.launch(STUDENT).status_code == 303  # tool has cached the JWKS now
    old = lti.platform.current_kid()
    new = lti.platform.rotate_key()
    assert new != old
    resp = lti.browser().launch(STUDENT)
    assert resp.status_code == 303, resp.text[:300]


def test_unknown_issuer_is_refused_at_login(lti: Lti) -> None:
    browser = lti.browser()
    resp = browser.get(
        lti.tool_url + "/lti/login",
        params={
            "iss": "https://unknown.example",
            "login_hint": "x",
            "target_link_uri": lti.tool_url + "/lti/launch",
        },
    )
    _refused(resp, "unknown_platform", 403)


def test_removed_deployment_is_refused(lti: Lti) -> None:
    db = lti.tool_app.extensions["eduteach"].db
    with db.session() as s:
        for d in s.scalars(select(Deployment)):
            d.deployment_id = "something-else"
    # The platform names its deployment at login already: refused there, before any redirect.
    resp = lti.browser().get(lti.platform.start_launch(STUDENT, presentation="window"))
    _refused(resp, "unknown_deployment", 403)


def test_refusals_are_logged_with_a_reason_and_without_the_token(
    lti: Lti, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    lti.browser().forged_launch(STUDENT, kid="not-a-platform-kid")
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("eduteach")]
    assert any("launch refused reason=invalid_token" in line for line in lines)
    assert not any("eyJ" in line for line in lines)
    assert not any("@" in line for line in lines)


def test_unreachable_platform_keys_give_a_clear_page(lti: Lti) -> None:
    db = lti.tool_app.extensions["eduteach"].db
    with db.session() as s:
        for p in s.scalars(select(Platform)):
            p.key_set_url = "http://127.0.0.1:9/jwks"  # nothing listens on the discard port
    _refused(lti.browser().launch(STUDENT), "platform_unreachable", 502)


def test_state_changing_requests_need_the_csrf_token(lti: Lti) -> None:
    browser = lti.browser()
    page = browser.follow(browser.launch(TEACHER))
    token = page.url.split("lt=")[1]
    csrf = page.text.split('name="csrf-token" content="')[1].split('"')[0]
    url = lti.tool_url + "/_csrf_probe"
    assert browser.post(url, {"lt": token}).status_code == 400
    assert browser.post(url, {"lt": token, "csrf_token": "forged"}).status_code == 400
    assert browser.post(url, {"lt": token, "csrf_token": csrf}).text == "changed"
    assert browser.post(url, {"csrf_token": csrf}).status_code == 401
