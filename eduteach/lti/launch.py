"""Launch validation: pylti1p3's MessageLaunch with its gaps closed.

The library's own order checks the nonce before the signature, accepts any audience, trusts
the ``alg`` header, never re-fetches a rotated JWKS, has no timeouts, and only checks that a
nonce was *issued* (a replayed id_token passes). Here the order is state → format →
registration (aud/azp) → signature (RS256, kid, exp/iat with leeway) → nonce used once →
deployment → message claims, and every failure is a :class:`LaunchError`.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt
from pylti1p3.cookie import CookieService
from pylti1p3.deployment import Deployment as LibDeployment
from pylti1p3.exception import LtiException
from pylti1p3.message_launch import MessageLaunch
from pylti1p3.message_validators.resource_message import ResourceMessageValidator
from pylti1p3.registration import Registration
from pylti1p3.request import Request
from pylti1p3.session import SessionService
from pylti1p3.tool_config import ToolConfAbstract
from sqlalchemy.orm import Session

from eduteach.storage.kv import KeyValueStore
from eduteach.storage.models import Deployment, Platform

from . import claims
from .context import LaunchContext
from .errors import LaunchError, Reason
from .jwks import PlatformKeys
from .login import STATE_PREFIX, same_host, state_cookie_name
from .platforms import find_deployment, platforms_for_issuer

NONCE_TTL = 24 * 3600


@dataclass(frozen=True)
class ValidatedLaunch:
    context: LaunchContext
    platform: Platform
    deployment: Deployment
    claims: dict[str, Any]


class _Params(Request):  # type: ignore[misc]
    """The minimal request view pylti1p3 needs."""

    def __init__(self, params: Mapping[str, str], cookies: Mapping[str, str]) -> None:
        self._params = params
        self._cookies = cookies
        self._session: dict[str, Any] = {}

    @property
    def session(self) -> dict[str, Any]:
        return self._session

    def is_secure(self) -> bool:
        return True

    def get_param(self, key: str) -> str:
        return self._params.get(key, "")

    def get_cookie(self, key: str) -> str | None:
        return self._cookies.get(key)


class _NoCookies(CookieService):  # type: ignore[misc]
    def get_cookie(self, name: str) -> str | None:
        return None

    def set_cookie(self, name: str, value: str | int, exp: int | None = 3600) -> None:
        return None


class DatabaseToolConf(ToolConfAbstract):  # type: ignore[misc]
    """Registrations from the database; every issuer may have many client ids."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def find_registration_by_issuer(
        self, iss: str, *args: Any, **kwargs: Any
    ) -> Registration | None:
        found = platforms_for_issuer(self._session, iss)
        return to_registration(found[0]) if len(found) == 1 else None

    def find_registration_by_params(
        self, iss: str, client_id: str, *args: Any, **kwargs: Any
    ) -> Registration | None:
        for platform in platforms_for_issuer(self._session, iss):
            if platform.client_id == client_id:
                return to_registration(platform)
        return None

    def find_deployment(self, iss: str, deployment_id: str) -> LibDeployment | None:
        return None

    def find_deployment_by_params(
        self, iss: str, deployment_id: str, client_id: str, *args: Any, **kwargs: Any
    ) -> LibDeployment | None:
        for platform in platforms_for_issuer(self._session, iss):
            if platform.client_id == client_id and find_deployment(
                self._session, platform, deployment_id
            ):
                return LibDeployment().set_deployment_id(deployment_id)
        return None


def to_registration(platform: Platform) -> Registration:
    return (
        Registration()
        .set_issuer(platform.issuer)
        .set_client_id(platform.client_id)
        .set_auth_login_url(platform.auth_login_url)
        .set_auth_token_url(platform.auth_token_url)
        .set_key_set_url(platform.key_set_url)
    )


class ToolMessageLaunch(MessageLaunch):  # type: ignore[misc]
    """One id_token POST, validated as the 1EdTech certification suite expects."""

    def __init__(
        self,
        params: Mapping[str, str],
        cookies: Mapping[str, str],
        *,
        session: Session,
        store: KeyValueStore,
        keys: PlatformKeys,
        base_url: str,
        leeway: int,
    ) -> None:
        request = _Params(params, cookies)
        super().__init__(
            request,
            DatabaseToolConf(session),
            session_service=SessionService(request),
            cookie_service=_NoCookies(),
        )
        self._db = session
        self._store = store
        self._keys = keys
        self._base_url = base_url
        self._leeway = leeway
        self._state_record: dict[str, Any] = {}
        self._platform: Platform | None = None
        self._deployment: Deployment | None = None
        self._client_id = ""

    def _get_request_param(self, key: str) -> str:
        value = self._request.get_param(key)
        return value if isinstance(value, str) else ""

    def validate(self) -> ToolMessageLaunch:
        self._validated = True
        try:
            self.validate_state()
            self.validate_jwt_format()
            self.validate_registration()
            self.validate_jwt_signature()
            self.validate_nonce()
            self.validate_deployment()
            self.validate_message()
        except LaunchError:
            self._validated = False
            raise
        except LtiException as exc:
            self._validated = False
            raise LaunchError(Reason.INVALID_MESSAGE, str(exc)) from None
        return self

    def validate_state(self) -> ToolMessageLaunch:
        state = self._get_request_param("state")
        if not state:
            raise LaunchError(Reason.EXPIRED, "launch without state")
        record = self._store.pop(STATE_PREFIX + state)
        if record is None:
            raise LaunchError(Reason.EXPIRED, "state unknown, expired or already used")
        # The browser proves it started this login: with the value it kept in platform
        # storage, or with the partitioned cookie (set in both modes, as a fallback).
        proofs = (
            self._get_request_param("lti_storage_proof"),
            self._request.get_cookie(state_cookie_name(state)) or "",
        )
        if not any(p and _equal(p, record["secret"]) for p in proofs):
            raise LaunchError(
                Reason.BROWSER_BLOCKED, f"state not bound to this browser ({record['storage']})"
            )
        self._state_record = record
        return self

    def validate_jwt_format(self) -> ToolMessageLaunch:
        if not self._get_request_param("id_token"):
            raise LaunchError(Reason.INVALID_TOKEN, "no id_token")
        try:
            super().validate_jwt_format()
        except LtiException as exc:
            raise LaunchError(Reason.INVALID_TOKEN, str(exc)) from None
        if not isinstance(self._jwt.get("body"), dict) or not isinstance(
            self._jwt.get("header"), dict
        ):
            raise LaunchError(Reason.INVALID_TOKEN, "id_token header or body is not a JSON object")
        return self

    def validate_registration(self) -> ToolMessageLaunch:
        body = self._jwt["body"]
        iss = body.get("iss")
        if not isinstance(iss, str) or not iss:
            raise LaunchError(Reason.INVALID_TOKEN, "no iss")
        aud = body.get("aud")
        audiences = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []
        if not audiences or not all(isinstance(a, str) for a in audiences):
            raise LaunchError(Reason.INVALID_TOKEN, "no aud")
        azp = body.get("azp")
        if len(audiences) > 1 and not azp:
            raise LaunchError(Reason.INVALID_TOKEN, "several audiences and no azp")
        if azp is not None and azp not in audiences:
            raise LaunchError(Reason.INVALID_TOKEN, "azp is not one of the audiences")
        client_id = azp or audiences[0]
        if (iss, client_id) != (self._state_record["iss"], self._state_record["client_id"]):
            raise LaunchError(
                Reason.INVALID_TOKEN, "iss/client_id differ from the login that started it"
            )
        platform = next(
            (p for p in platforms_for_issuer(self._db, iss) if p.client_id == client_id), None
        )
        if platform is None:
            raise LaunchError(
                Reason.UNKNOWN_PLATFORM, f"no registration for {iss!r} / {client_id!r}", 403
            )
        self._platform, self._client_id = platform, client_id
        self._registration = to_registration(platform)
        return self

    def validate_jwt_signature(self) -> ToolMessageLaunch:
        assert self._platform is not None
        header = self._jwt["header"]
        if header.get("alg") != "RS256":
            raise LaunchError(Reason.INVALID_TOKEN, f"alg {header.get('alg')!r} is not RS256")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise LaunchError(Reason.INVALID_TOKEN, "no kid in the id_token header")
        key = self._keys.key_for(self._platform.key_set_url, kid)
        try:
            jwt.decode(
                self._get_request_param("id_token"),
                key.key,
                algorithms=["RS256"],
                audience=self._client_id,
                issuer=self._platform.issuer,
                leeway=self._leeway,
                options={"require": ["exp", "iat", "iss", "aud", "nonce"]},
            )
        except jwt.ExpiredSignatureError:
            raise LaunchError(Reason.EXPIRED, "id_token expired") from None
        except jwt.PyJWTError as exc:
            raise LaunchError(Reason.INVALID_TOKEN, f"{type(exc).__name__}: {exc}") from None
        return self

    def validate_nonce(self) -> ToolMessageLaunch:
        nonce = self._jwt["body"].get("nonce")
        if not isinstance(nonce, str) or not _equal(nonce, self._state_record["nonce"]):
            raise LaunchError(Reason.INVALID_TOKEN, "nonce differs from the one sent at login")
        digest = hashlib.sha256(
            f"{self._platform.issuer if self._platform else ''}|{nonce}".encode()
        )
        if not self._store.add("lti-nonce:" + digest.hexdigest(), 1, NONCE_TTL):
            raise LaunchError(Reason.REPLAYED, "nonce already used")
        return self

    def validate_deployment(self) -> ToolMessageLaunch:
        assert self._platform is not None
        deployment_id = self._jwt["body"].get(claims.DEPLOYMENT_ID)
        if not isinstance(deployment_id, str) or not deployment_id:
            raise LaunchError(Reason.INVALID_MESSAGE, "no deployment_id claim")
        deployment = find_deployment(self._db, self._platform, deployment_id)
        if deployment is None:
            raise LaunchError(
                Reason.UNKNOWN_DEPLOYMENT, f"deployment {deployment_id!r} not registered", 403
            )
        self._deployment = deployment
        return self

    def validate_message(self) -> ToolMessageLaunch:
        body = self._jwt["body"]
        version = body.get(claims.VERSION)
        if version != claims.LTI_VERSION:
            raise LaunchError(Reason.INVALID_MESSAGE, f"LTI version {version!r} is not 1.3.0")
        message_type = body.get(claims.MESSAGE_TYPE)
        if message_type not in claims.SUPPORTED_MESSAGE_TYPES:
            raise LaunchError(
                Reason.INVALID_MESSAGE, f"message_type {message_type!r} not supported"
            )
        if not isinstance(body.get("sub"), str) or not body["sub"]:
            raise LaunchError(Reason.INVALID_MESSAGE, "no sub")
        if not isinstance(body.get(claims.ROLES), list):
            raise LaunchError(Reason.INVALID_MESSAGE, "no roles claim")
        if message_type == claims.RESOURCE_LINK_REQUEST:
            ResourceMessageValidator().validate(body)
        else:
            settings = body.get(claims.DL_SETTINGS)
            if not isinstance(settings, dict) or not settings.get("deep_link_return_url"):
                raise LaunchError(
                    Reason.INVALID_MESSAGE, "deep linking settings without deep_link_return_url"
                )
            if not isinstance(settings.get("accept_types"), list):
                raise LaunchError(
                    Reason.INVALID_MESSAGE, "deep linking settings without accept_types"
                )
        target = body.get(claims.TARGET_LINK_URI)
        if not isinstance(target, str) or not same_host(target, self._base_url):
            raise LaunchError(
                Reason.INVALID_MESSAGE, f"target_link_uri {target!r} is not on this tool's host"
            )
        return self

    def result(self) -> ValidatedLaunch:
        assert self._platform is not None
        assert self._deployment is not None
        body = dict(self._jwt["body"])
        return ValidatedLaunch(
            context=LaunchContext.from_claims(body, self._client_id),
            platform=self._platform,
            deployment=self._deployment,
            claims=body,
        )


def peek_state(store: KeyValueStore, state: str) -> dict[str, Any] | None:
    """The login record for ``state`` without using it up (platform storage needs a round trip)."""
    return store.get(STATE_PREFIX + state) if state else None


def validate_launch(
    params: Mapping[str, str],
    cookies: Mapping[str, str],
    *,
    session: Session,
    store: KeyValueStore,
    keys: PlatformKeys,
    base_url: str,
    leeway: int = 60,
) -> ValidatedLaunch:
    """Validate an id_token POST; raise :class:`LaunchError` with the reason on any failure."""
    launch = ToolMessageLaunch(
        params, cookies, session=session, store=store, keys=keys, base_url=base_url, leeway=leeway
    )
    return launch.validate().result()


def _equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
