"""Access tokens for LTI Advantage services (AGS, NRPS), cached per (issuer, client_id, scopes).

pylti1p3's ``ServiceConnector`` makes the OAuth 2 client-credentials request with a signed
client assertion; it leaves the cache to the application and keys it by issuer and scopes
only, which mixes up two schools on the same Canvas cloud issuer. Here the key includes the
client id, the cache is the shared store (every worker reuses a token), calls have timeouts,
and the assertion is signed with the tool's active key under its published ``kid``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from pylti1p3.registration import Registration
from pylti1p3.service_connector import ServiceConnector
from sqlalchemy.orm import Session

from eduteach.storage.kv import KeyValueStore
from eduteach.storage.models import Platform

from .http import TimeoutSession
from .keys import active_key

TOKEN_PREFIX = "lti-token:"  # noqa: S105 - a cache key prefix
# Give a token back a minute before the platform says it expires.
EXPIRY_MARGIN = 60


class _ToolRegistration(Registration):  # type: ignore[misc]
    def __init__(self, kid: str) -> None:
        super().__init__()
        self._kid = kid

    def get_kid(self) -> str:
        return self._kid


class CachedServiceConnector(ServiceConnector):  # type: ignore[misc]
    def __init__(self, registration: Registration, store: KeyValueStore, timeout: float) -> None:
        super().__init__(registration, requests_session=TimeoutSession(timeout))
        self._store = store

    def _scope_key(self, scopes: Iterable[str]) -> str:
        return token_cache_key(
            self._registration.get_issuer() or "", self._registration.get_client_id() or "", scopes
        )

    def _get_cached_access_token(self, scope_key: str) -> str | None:
        value = self._store.get(TOKEN_PREFIX + scope_key)
        return value if isinstance(value, str) else None

    def _cache_access_token(self, scope_key: str, access_token: str, expires_in: float) -> None:
        ttl = int(expires_in or 0) - EXPIRY_MARGIN
        if ttl > 0:
            self._store.set(TOKEN_PREFIX + scope_key, access_token, ttl)

    def forget_token(self, scopes: Iterable[str]) -> None:
        """Drop a cached token the platform refused (a 401), so the next call fetches anew."""
        self._store.delete(TOKEN_PREFIX + self._scope_key(sorted(scopes)))


def token_cache_key(issuer: str, client_id: str, scopes: Iterable[str]) -> str:
    text = "\n".join([issuer, client_id, *sorted(set(scopes))])
    return hashlib.sha256(text.encode()).hexdigest()


def service_connector(
    session: Session, store: KeyValueStore, platform: Platform, timeout: float
) -> CachedServiceConnector:
    """A connector for one platform registration, signing with the tool's active key."""
    key = active_key(session)
    registration = (
        _ToolRegistration(key.kid)
        .set_issuer(platform.issuer)
        .set_client_id(platform.client_id)
        .set_auth_token_url(platform.auth_token_url)
        .set_key_set_url(platform.key_set_url)
        .set_auth_login_url(platform.auth_login_url)
        .set_tool_private_key(key.private_pem)
    )
    return CachedServiceConnector(registration, store, timeout)
