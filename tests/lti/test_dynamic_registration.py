"""LTI Dynamic Registration against a stub platform's registration service, over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from flask import Flask, jsonify, request
from sqlalchemy import select

from eduteach.lti.registration import registration_code
from eduteach.practice_lms.serving import ServedApp, listener_url, open_listener, serve_in_thread
from eduteach.storage.models import Platform
from tests.lti.conftest import Lti


class StubPlatform:
    """An LMS's OpenID configuration and registration endpoint, recording what it was sent."""

    def __init__(self, issuer_override: str | None = None) -> None:
        self.listener = open_listener()
        self.url = listener_url(self.listener)
        self.issuer = issuer_override or self.url
        self.received: list[dict[str, Any]] = []
        self.app = Flask("stub-platform")
        self.app.get("/.well-known/openid-configuration")(self.config)
        self.app.post("/register")(self.register)

    def config(self) -> Any:
        return jsonify(
            issuer=self.issuer,
            authorization_endpoint=self.url + "/auth",
            token_endpoint=self.url + "/token",
            jwks_uri=self.url + "/jwks",
            registration_endpoint=self.url + "/register",
            **{
                "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                    "product_family_code": "moodle"
                }
            },
        )

    def register(self) -> Any:
        self.received.append(
            {"auth": request.headers.get("Authorization"), "body": request.get_json()}
        )
        return jsonify(
            client_id="dyn-client-1",
            **{"https://purl.imsglobal.org/spec/lti-tool-configuration": {"deployment_id": "7"}},
        )


@pytest.fixture
def stub() -> Iterator[StubPlatform]:
    platform = StubPlatform()
    served: ServedApp = serve_in_thread(platform.app, platform.listener)
    yield platform
    served.stop()


def _register_url(lti: Lti, stub: StubPlatform, code: str | None = None) -> str:
    code = code or registration_code(lti.tool_app.config["SECRET_KEY"])
    return (
        f"{lti.tool_url}/lti/register?code={code}"
        f"&openid_configuration={stub.url}/.well-known/openid-configuration&registration_token=reg-token-1"
    )


def test_dynamic_registration_registers_the_platform(lti: Lti, stub: StubPlatform) -> None:
    page = requests.get(_register_url(lti, stub), timeout=15)
    assert page.status_code == 200, page.text[:300]
    assert 'data-registration="done"' in page.text
    assert "lti_close.js" in page.text

    sent = stub.received[0]
    assert sent["auth"] == "Bearer reg-token-1"
    body = sent["body"]
    assert body["initiate_login_uri"] == lti.tool_url + "/lti/login"
    assert body["redirect_uris"] == [lti.tool_url + "/lti/launch"]
    assert body["jwks_uri"] == lti.tool_url + "/lti/jwks"
    assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in body["scope"]
    assert body["https://purl.imsglobal.org/spec/lti-tool-configuration"]["claims"] == [
        "iss",
        "sub",
    ]

    with lti.tool_app.extensions["eduteach"].db.session() as s:
        platform = s.scalars(select(Platform).where(Platform.issuer == stub.url)).one()
        assert platform.client_id == "dyn-client-1"
        assert [d.deployment_id for d in platform.deployments] == ["7"]
        assert platform.key_set_url == stub.url + "/jwks"


def test_registration_needs_a_valid_code(lti: Lti, stub: StubPlatform) -> None:
    page = requests.get(_register_url(lti, stub, code="forged"), timeout=15)
    assert page.status_code == 403
    assert 'data-registration="refused"' in page.text
    assert stub.received == []


def test_a_configuration_from_another_host_is_refused(lti: Lti) -> None:
    platform = StubPlatform(issuer_override="https://evil.example")
    served = serve_in_thread(platform.app, platform.listener)
    try:
        page = requests.get(_register_url(lti, platform), timeout=15)
    finally:
        served.stop()
    assert page.status_code == 400
    assert "issuer mismatch" in page.text
    assert platform.received == []  # nothing was registered at the impostor
    with lti.tool_app.extensions["eduteach"].db.session() as s:
        assert (
            s.scalars(select(Platform).where(Platform.issuer == "https://evil.example")).first()
            is None
        )
