"""What the LTI Advantage service endpoints share: requests, answers, bearer tokens, paging.

Access tokens are the ones the token endpoint signs (``lti1p3platform``: ``iss`` the
platform, ``sub`` the client_id, ``scopes`` space separated). They are checked against
every published key, so a token signed just before a key rotation stays good.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlencode

import jwt

from eduteach.practice_lms.config import PracticeConfig
from eduteach.practice_lms.errors import ServiceError
from eduteach.practice_lms.keys import KeyStore

T = TypeVar("T")


@dataclass(frozen=True)
class ServiceRequest:
    """The parts of an HTTP request a service reads (``content_type`` as sent)."""

    authorization: str = ""
    content_type: str = ""
    body: bytes = b""
    query: Mapping[str, str] = field(default_factory=dict)

    @property
    def media_type(self) -> str:
        """The media type of the body, without parameters such as charset."""
        return self.content_type.split(";", 1)[0].strip().lower()


@dataclass(frozen=True)
class ServiceAnswer:
    """What a service answers: status, a JSON value (None: no body), media type, headers."""

    status: int
    body: Any = None
    media_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


def _unauthorized(description: str) -> ServiceError:
    header = f'Bearer error="invalid_token", error_description="{description}"'
    return ServiceError(401, description, {"WWW-Authenticate": header})


class TokenChecker:
    """Checks ``Authorization: Bearer`` tokens and their scopes.

    ``expire_once`` is asked first on every check: True makes this check answer 401 as if
    the token had just expired (the grade service switch's "401 once").
    """

    def __init__(
        self, config: PracticeConfig, keys: KeyStore, expire_once: Callable[[], bool]
    ) -> None:
        self._config = config
        self._keys = keys
        self._expire_once = expire_once

    def check(self, authorization: str, any_of: Sequence[str]) -> None:
        """Accept the request's token if it carries one of the ``any_of`` scopes.

        401 for a missing, invalid or expired token; 403 when its scopes do not allow this.
        """
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or " " in token:
            raise _unauthorized("Send the access token as Authorization: Bearer <token>.")
        if self._expire_once():
            raise _unauthorized("The access token has expired.")
        scopes = self._scopes(token)
        if not set(any_of) & scopes:
            header = f'Bearer error="insufficient_scope", scope="{" ".join(any_of)}"'
            raise ServiceError(
                403,
                f"The access token does not grant any of these scopes: {' '.join(any_of)}.",
                {"WWW-Authenticate": header},
            )

    def _scopes(self, token: str) -> set[str]:
        claims = self._decode(token)
        if claims.get("sub") != self._config.client_id:
            raise _unauthorized("The access token was issued to another client.")
        scopes = claims.get("scopes", "")
        return set(scopes.split()) if isinstance(scopes, str) else set()

    def _decode(self, token: str) -> dict[str, Any]:
        """The claims of a token signed by one of the published keys.

        ``lti1p3platform`` signs access tokens without a ``kid``, so every published key
        is tried (there are one or two).
        """
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError as exc:
            raise _unauthorized("The access token is not a JWT.") from exc
        keys = [key for key in self._keys.all() if kid is None or key.kid == kid]
        for key in keys:
            try:
                claims: dict[str, Any] = jwt.decode(
                    token,
                    key.public_pem,
                    algorithms=["RS256"],
                    issuer=self._config.issuer,
                    options={"require": ["iss", "sub", "exp", "iat"], "verify_aud": False},
                )
            except jwt.InvalidSignatureError:
                continue
            except jwt.ExpiredSignatureError as exc:
                raise _unauthorized("The access token has expired.") from exc
            except jwt.PyJWTError as exc:
                raise _unauthorized("The access token is not valid.") from exc
            return claims
        raise _unauthorized("The access token was not signed by this platform.")


def _positive(query: Mapping[str, str], name: str, default: int | None) -> int | None:
    value = query.get(name)
    if value is None or value == "":
        return default
    if not value.isdigit() or int(value) < 1:
        raise ServiceError(400, f"{name} must be a whole number of at least 1.")
    return int(value)


def paginate(
    items: Sequence[T], query: Mapping[str, str], base_url: str
) -> tuple[Sequence[T], dict[str, str]]:
    """One page of ``items`` as ``limit`` and ``page`` ask, and the ``Link`` header to the next."""
    limit = _positive(query, "limit", None)
    page = _positive(query, "page", 1) or 1
    if limit is None:
        return items, {}
    start = (page - 1) * limit
    headers = {}
    if start + limit < len(items):
        following = {**query, "page": str(page + 1)}
        headers["Link"] = f'<{base_url}?{urlencode(following)}>; rel="next"'
    return items[start : start + limit], headers
