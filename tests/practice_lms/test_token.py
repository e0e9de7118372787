"""The OAuth 2 token endpoint: client_credentials with a JWT client assertion."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
import requests

from tests.practice_lms.conftest import LmsAndTool
from tests.practice_lms.stub_tool import _generate_pem

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"


def request_token(running: LmsAndTool, **form: Any) -> requests.Response:
    body = {
        "grant_type": "client_credentials",
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": running.tool.client_assertion(),
        "scope": f"{SCORE} {NRPS}",
    }
    body.update(form)
    return requests.post(running.config.auth_token_url, data=body, timeout=10)


def test_valid_client_assertion_gets_a_platform_signed_token(running: LmsAndTool) -> None:
    response = request_token(running, scope=f"{SCORE} {NRPS} https://example.com/other")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    assert body["scope"].split() == [SCORE, NRPS]
    public = jwt.PyJWK(running.platform.jwks()["keys"][0]).key
    token = jwt.decode(body["access_token"], public, algorithms=["RS256"])
    assert token["iss"] == running.config.issuer
    assert token["sub"] == running.config.client_id


@pytest.mark.parametrize(
    "assertion_change",
    [
        {"key": "foreign"},
        {"kid": "unknown-kid"},
        {"aud": "https://elsewhere.example/token"},
        {"iss": "another-client"},
        {"sub": "another-client"},
        {"exp": int(time.time()) - 120},
        {"jti": ""},
    ],
    ids=["foreign key", "unknown kid", "wrong aud", "wrong iss", "wrong sub", "expired", "no jti"],
)
def test_bad_client_assertion_is_refused(
    running: LmsAndTool, assertion_change: dict[str, Any]
) -> None:
    if assertion_change.get("key") == "foreign":
        assertion_change = {"key": _generate_pem()}

    response = request_token(
        running, client_assertion=running.tool.client_assertion(**assertion_change)
    )

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert "access_token" not in response.json()


def test_client_assertion_cannot_be_replayed(running: LmsAndTool) -> None:
    assertion = running.tool.client_assertion()

    assert request_token(running, client_assertion=assertion).status_code == 200
    replay = request_token(running, client_assertion=assertion)

    assert replay.status_code == 401
    assert replay.json()["error"] == "invalid_client"


def test_not_a_jwt_is_refused(running: LmsAndTool) -> None:
    response = request_token(running, client_assertion="not-a-jwt")
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("form", "status", "error"),
    [
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
        ({"client_assertion_type": "urn:other"}, 401, "invalid_client"),
        ({"scope": "https://example.com/only-unknown"}, 400, "invalid_scope"),
    ],
)
def test_malformed_token_request_is_refused(
    running: LmsAndTool, form: dict[str, str], status: int, error: str
) -> None:
    response = request_token(running, **form)
    assert (response.status_code, response.json()["error"]) == (status, error)


def test_missing_client_assertion_is_an_invalid_request(running: LmsAndTool) -> None:
    body = {"grant_type": "client_credentials", "scope": SCORE}
    response = requests.post(running.config.auth_token_url, data=body, timeout=10)
    assert (response.status_code, response.json()["error"]) == (400, "invalid_request")
