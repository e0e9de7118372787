"""The deep linking response JWT, read back with the tool's public key as a platform would."""

from __future__ import annotations

from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from eduteach.lti import claims
from eduteach.lti.context import LaunchContext
from eduteach.lti.deep_linking import HTML, RESOURCE_LINK, ContentItem, Settings, response_jwt
from eduteach.lti.keys import SigningKey
from eduteach.lti.roles import Audience

PRIVATE = rsa.generate_private_key(public_exponent=65537, key_size=2048)
KEY = SigningKey(
    kid="tool-key-1",
    private_pem=PRIVATE.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode(),
)


def launch(**settings: Any) -> LaunchContext:
    return LaunchContext(
        issuer="https://lms.example",
        client_id="client-7",
        deployment_id="dep-1",
        user_sub="teacher-sub",
        audience=Audience.TEACHER,
        roles=(),
        message_type=claims.DEEP_LINKING_REQUEST,
        target_link_uri="https://tool.example/lti/launch",
        deep_linking={
            "deep_link_return_url": "https://lms.example/dl/return",
            "accept_types": ["ltiResourceLink", "html"],
            "accept_presentation_document_targets": ["iframe"],
            **settings,
        },
    )


def read(token: str) -> dict[str, Any]:
    header = jwt.get_unverified_header(token)
    assert header == {"alg": "RS256", "kid": "tool-key-1", "typ": "JWT"}
    body: dict[str, Any] = jwt.decode(
        token, PRIVATE.public_key(), algorithms=["RS256"], audience="https://lms.example"
    )
    return body


QUIZ = ContentItem(
    type=RESOURCE_LINK,
    title="Photosynthesis check-up",
    text="Quiz",
    url="https://tool.example/lti/launch",
    custom={"eduteach_activity": "tok-123"},
    line_item={"scoreMaximum": 10.0, "label": "Photosynthesis check-up", "resourceId": "tok-123"},
)


def test_the_response_is_signed_for_the_platform_with_the_request_data_echoed() -> None:
    body = read(response_jwt(launch(data="csrf-from-lms"), [QUIZ], KEY))
    assert body["iss"] == "client-7"
    assert body["aud"] == "https://lms.example"
    assert body[claims.DEPLOYMENT_ID] == "dep-1"
    assert body[claims.MESSAGE_TYPE] == "LtiDeepLinkingResponse"
    assert body[claims.VERSION] == "1.3.0"
    assert body[claims.DL_DATA] == "csrf-from-lms"
    assert body["exp"] - body["iat"] == 600
    assert len(body["nonce"]) >= 20
    (item,) = body[claims.DL_CONTENT_ITEMS]
    assert item == {
        "type": "ltiResourceLink",
        "title": "Photosynthesis check-up",
        "text": "Quiz",
        "url": "https://tool.example/lti/launch",
        "custom": {"eduteach_activity": "tok-123"},
        "lineItem": {
            "scoreMaximum": 10.0,
            "label": "Photosynthesis check-up",
            "resourceId": "tok-123",
        },
    }
    assert "?" not in item["url"]  # per-item data travels in custom, never in the query


def test_no_data_claim_when_the_platform_sent_none_and_html_items() -> None:
    plan = ContentItem(type=HTML, title="Plants", html="<h2>Plants</h2>")
    body = read(response_jwt(launch(), [plan], KEY))
    assert claims.DL_DATA not in body
    assert body[claims.DL_CONTENT_ITEMS] == [
        {"type": "html", "title": "Plants", "html": "<h2>Plants</h2>"}
    ]


@pytest.mark.parametrize(
    ("raw", "accepts", "multiple", "lineitem"),
    [
        (
            {"accept_types": ["ltiResourceLink"], "accept_multiple": False},
            ["ltiResourceLink"],
            False,
            True,
        ),
        ({"accept_types": ["link", "html"], "accept_lineitem": False}, ["html"], True, False),
    ],
)
def test_settings_follow_the_request(
    raw: dict[str, Any], accepts: list[str], multiple: bool, lineitem: bool
) -> None:
    settings = Settings.from_launch(launch(**raw))
    assert [t for t in ("ltiResourceLink", "html") if settings.accepts(t)] == accepts
    assert settings.accept_multiple is multiple
    assert settings.accept_lineitem is lineitem
