"""OIDC third-party login initiation (the first leg of every launch).

The state and nonce are kept server-side in the shared store. The browser proves it is the
one that started the login either with a partitioned cookie or, where the platform offers
it, with a value kept in LTI platform storage (postMessage) — so launches work where
third-party cookies are blocked.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from sqlalchemy.orm import Session

from eduteach.storage.kv import KeyValueStore

from .errors import LaunchError, Reason
from .platforms import origin_of, platforms_for_issuer

STATE_TTL = 600
STATE_PREFIX = "lti-state:"


@dataclass(frozen=True)
class LoginStart:
    redirect_url: str
    state: str
    secret: str
    storage_target: str | None
    platform_origin: str

    @property
    def cookie_name(self) -> str:
        return state_cookie_name(self.state)


def state_cookie_name(state: str) -> str:
    # One cookie per login: several tool frames on one LMS page may launch at once.
    return "et_state_" + state[:16]


def same_host(url: str, base_url: str) -> bool:
    a, b = urlsplit(url), urlsplit(base_url)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


def begin_login(
    params: Mapping[str, str], *, session: Session, store: KeyValueStore, base_url: str
) -> LoginStart:
    """Validate a login initiation and prepare the redirect to the platform's auth endpoint."""
    iss = (params.get("iss") or "").strip()
    login_hint = params.get("login_hint") or ""
    target = params.get("target_link_uri") or ""
    missing = [
        n
        for n, v in (("iss", iss), ("login_hint", login_hint), ("target_link_uri", target))
        if not v
    ]
    if missing:
        raise LaunchError(Reason.BAD_REQUEST, f"login initiation without {', '.join(missing)}")
    if not same_host(target, base_url):
        raise LaunchError(
            Reason.BAD_REQUEST, f"target_link_uri {target!r} is not on this tool's host"
        )

    candidates = platforms_for_issuer(session, iss)
    client_id = params.get("client_id")
    if client_id:
        candidates = [p for p in candidates if p.client_id == client_id]
    if len(candidates) != 1:
        detail = "no registration" if not candidates else "several registrations and no client_id"
        raise LaunchError(Reason.UNKNOWN_PLATFORM, f"{detail} for issuer {iss!r}", 403)
    platform = candidates[0]
    deployment_id = params.get("lti_deployment_id")
    if deployment_id and deployment_id not in {d.deployment_id for d in platform.deployments}:
        raise LaunchError(
            Reason.UNKNOWN_DEPLOYMENT, f"deployment {deployment_id!r} not registered", 403
        )

    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    secret = secrets.token_urlsafe(24)
    storage_target = params.get("lti_storage_target") or None
    store.set(
        STATE_PREFIX + state,
        {
            "iss": platform.issuer,
            "client_id": platform.client_id,
            "nonce": nonce,
            "secret": secret,
            "storage": "platform" if storage_target else "cookie",
        },
        STATE_TTL,
    )
    query = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": platform.client_id,
        "redirect_uri": base_url.rstrip("/") + "/lti/launch",
        "state": state,
        "nonce": nonce,
        "login_hint": login_hint,
    }
    if params.get("lti_message_hint"):
        query["lti_message_hint"] = params["lti_message_hint"]
    sep = "&" if urlsplit(platform.auth_login_url).query else "?"
    return LoginStart(
        redirect_url=platform.auth_login_url + sep + urlencode(query),
        state=state,
        secret=secret,
        storage_target=storage_target,
        platform_origin=origin_of(platform.auth_login_url) or "",
    )
