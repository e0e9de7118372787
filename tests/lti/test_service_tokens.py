"""Service access tokens from the practice LMS's token endpoint, cached per (issuer, client, scopes)."""

from __future__ import annotations

import jwt
import pytest
from pylti1p3.exception import LtiServiceException
from sqlalchemy import select

from eduteach.lti import claims
from eduteach.lti.keys import rotate
from eduteach.lti.services import TOKEN_PREFIX, service_connector, token_cache_key
from eduteach.storage.models import Platform
from tests.lti.conftest import Lti


def _connector(lti: Lti):  # type: ignore[no-untyped-def]
    svc = lti.tool_app.extensions["eduteach"]
    with svc.db.session() as s:
        platform = s.scalars(select(Platform)).one()
        return service_connector(s, svc.store, platform, timeout=10), platform


def test_token_is_fetched_with_a_signed_assertion_and_reused(lti: Lti) -> None:
    connector, platform = _connector(lti)
    scopes = [claims.SCOPE_SCORE, claims.SCOPE_LINEITEM]
    token = connector.get_access_token(scopes)
    body = jwt.decode(token, options={"verify_signature": False})
    assert body["sub"] == lti.config.client_id
    assert set(body["scopes"].split()) == set(scopes)
    store = lti.tool_app.extensions["eduteach"].store
    assert (
        store.get(TOKEN_PREFIX + token_cache_key(platform.issuer, platform.client_id, scopes))
        == token
    )
    # Another worker (a new connector) reuses it; a fresh request would get a new token.
    again, _ = _connector(lti)
    assert again.get_access_token(list(reversed(scopes))) == token


def test_forgetting_a_refused_token_fetches_a_new_one(lti: Lti) -> None:
    connector, platform = _connector(lti)
    store = lti.tool_app.extensions["eduteach"].store
    key = TOKEN_PREFIX + token_cache_key(platform.issuer, platform.client_id, [claims.SCOPE_NRPS])
    store.set(key, "a-token-the-platform-refused", 3600)
    assert connector.get_access_token([claims.SCOPE_NRPS]) == "a-token-the-platform-refused"
    connector.forget_token([claims.SCOPE_NRPS])
    assert store.get(key) is None
    fresh = connector.get_access_token([claims.SCOPE_NRPS])
    assert fresh != "a-token-the-platform-refused"
    assert jwt.decode(fresh, options={"verify_signature": False})["sub"] == lti.config.client_id
    assert store.get(key) == fresh


def test_tokens_of_two_schools_on_one_issuer_never_mix() -> None:
    scopes = [claims.SCOPE_SCORE]
    a = token_cache_key("https://canvas.instructure.com", "1000", scopes)
    b = token_cache_key("https://canvas.instructure.com", "2000", scopes)
    assert a != b
    assert token_cache_key("https://canvas.instructure.com", "1000", [*scopes, *scopes]) == a


def test_a_key_the_platform_cannot_find_is_refused_by_it(lti: Lti) -> None:
    svc = lti.tool_app.extensions["eduteach"]
    with svc.db.session() as s:
        rotate(s)  # new active key, published at the tool's JWKS: still accepted
    connector, _ = _connector(lti)
    assert connector.get_access_token([claims.SCOPE_SCORE])
    with svc.db.session() as s:
        platform = s.scalars(select(Platform)).one()
        platform.auth_token_url = lti.lms_url + "/no-such-token-endpoint"
    broken, _ = _connector(lti)
    with pytest.raises(LtiServiceException):
        broken.get_access_token([claims.SCOPE_LINEITEM])
