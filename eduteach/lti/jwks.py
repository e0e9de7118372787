"""Platform public keys: fetched with limits, cached, re-fetched once on an unknown ``kid``."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import jwt
import requests

from eduteach.storage.kv import KeyValueStore

from .errors import LaunchError, Reason

MAX_JWKS_BYTES = 256 * 1024
CACHE_SECONDS = 3600
# A burst of tokens with made-up kids must not turn into a burst of requests to the LMS.
REFETCH_MIN_INTERVAL = 10


class PlatformKeys:
    """Finds the RSA public key a platform signed with, by ``kid``."""

    def __init__(
        self,
        store: KeyValueStore,
        http: requests.Session | None = None,
        timeout: float = 10.0,
    ) -> None:
        self._store = store
        self._http = http or requests.Session()
        self._timeout = timeout

    def key_for(self, key_set_url: str, kid: str) -> jwt.PyJWK:
        cache_key = "jwks:" + hashlib.sha256(key_set_url.encode()).hexdigest()
        jwks = self._store.get(cache_key)
        fetched = False
        if jwks is None:
            jwks = self._fetch(key_set_url)
            self._store.set(cache_key, jwks, CACHE_SECONDS)
            fetched = True
        key = _find(jwks, kid)
        if (
            key is None
            and not fetched
            and self._store.add(cache_key + ":refetch", 1, REFETCH_MIN_INTERVAL)
        ):
            # Platforms rotate keys: one fresh look before refusing.
            jwks = self._fetch(key_set_url)
            self._store.set(cache_key, jwks, CACHE_SECONDS)
            key = _find(jwks, kid)
        if key is None:
            raise LaunchError(
                Reason.INVALID_TOKEN, f"no RS256 signing key with kid {kid!r} at {key_set_url}"
            )
        return key

    def _fetch(self, url: str) -> dict[str, Any]:
        try:
            with self._http.get(
                url, timeout=(self._timeout, self._timeout), stream=True, allow_redirects=False
            ) as resp:
                resp.raise_for_status()
                body = resp.raw.read(MAX_JWKS_BYTES + 1, decode_content=True)
        except requests.RequestException as exc:
            raise LaunchError(
                Reason.PLATFORM_UNREACHABLE,
                f"JWKS fetch from {url} failed: {type(exc).__name__}",
                502,
            ) from None
        if len(body) > MAX_JWKS_BYTES:
            raise LaunchError(
                Reason.PLATFORM_UNREACHABLE,
                f"JWKS at {url} is larger than {MAX_JWKS_BYTES} bytes",
                502,
            )
        try:
            data = json.loads(body)
        except ValueError:
            raise LaunchError(
                Reason.PLATFORM_UNREACHABLE, f"JWKS at {url} is not JSON", 502
            ) from None
        if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
            raise LaunchError(Reason.PLATFORM_UNREACHABLE, f"JWKS at {url} has no keys list", 502)
        return {"keys": [k for k in data["keys"] if isinstance(k, dict)]}


def _find(jwks: dict[str, Any], kid: str) -> jwt.PyJWK | None:
    for entry in jwks.get("keys", []):
        if entry.get("kid") != kid or entry.get("kty") != "RSA":
            continue
        if entry.get("alg", "RS256") != "RS256" or entry.get("use", "sig") != "sig":
            continue
        try:
            return jwt.PyJWK(entry, algorithm="RS256")
        except jwt.PyJWTError:
            return None
    return None
