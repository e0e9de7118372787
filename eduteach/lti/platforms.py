"""Platform registrations, keyed by (issuer, client_id), each with its deployments."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from ipaddress import ip_address
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from eduteach.storage.models import Deployment, Platform


class RegistrationError(Exception):
    """An admin's registration values are wrong; the message says which and why."""


@dataclass(frozen=True)
class PlatformValues:
    issuer: str
    client_id: str
    deployment_ids: Sequence[str]
    auth_login_url: str
    auth_token_url: str
    key_set_url: str
    name: str = ""
    frame_origins: Sequence[str] = ()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(label: str, url: str) -> str:
    """HTTPS everywhere, except plain HTTP on this machine (the practice LMS, tests)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RegistrationError(
            f"The {label} must be a full URL such as https://lms.example.edu/... (got {url!r})."
        )
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise RegistrationError(f"The {label} must use https:// (got {url!r}).")
    return url.strip()


def origin_of(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def add_platform(session: Session, values: PlatformValues) -> tuple[Platform, list[str]]:
    """Register a platform, or add deployments / update URLs of an existing one.

    Returns the platform and the deployment ids that were new.
    """
    issuer = values.issuer.strip()
    client_id = values.client_id.strip()
    if not issuer:
        raise RegistrationError("The issuer is required (Canvas: https://canvas.instructure.com).")
    if not client_id:
        raise RegistrationError(
            "The client id is required (the LMS shows it after you add the tool)."
        )
    deployment_ids = [d.strip() for d in values.deployment_ids if d.strip()]
    if not deployment_ids:
        raise RegistrationError("At least one deployment id is required.")
    login = check_url("authentication (OIDC) login URL", values.auth_login_url)
    token = check_url("access token URL", values.auth_token_url)
    keys = check_url("public key set (JWKS) URL", values.key_set_url)
    frames = []
    for origin in values.frame_origins:
        checked = origin_of(check_url("frame origin", origin))
        if checked:
            frames.append(checked)

    platform = find_platform(session, issuer, client_id)
    if platform is None:
        platform = Platform(issuer=issuer, client_id=client_id, frame_origins=[])
        session.add(platform)
    platform.name = values.name.strip() or platform.name or issuer
    platform.auth_login_url, platform.auth_token_url, platform.key_set_url = login, token, keys
    platform.frame_origins = sorted(set(platform.frame_origins or []) | set(frames))
    known = {d.deployment_id for d in platform.deployments}
    added = [d for d in dict.fromkeys(deployment_ids) if d not in known]
    platform.deployments.extend(Deployment(deployment_id=d) for d in added)
    session.flush()
    return platform, added


def find_platform(session: Session, issuer: str, client_id: str) -> Platform | None:
    return session.scalars(
        select(Platform)
        .options(selectinload(Platform.deployments))
        .where(Platform.issuer == issuer, Platform.client_id == client_id)
    ).first()


def platforms_for_issuer(session: Session, issuer: str) -> list[Platform]:
    return list(
        session.scalars(
            select(Platform)
            .options(selectinload(Platform.deployments))
            .where(Platform.issuer == issuer)
        )
    )


def find_deployment(session: Session, platform: Platform, deployment_id: str) -> Deployment | None:
    return session.scalars(
        select(Deployment).where(
            Deployment.platform_id == platform.id, Deployment.deployment_id == deployment_id
        )
    ).first()


def list_platforms(session: Session) -> list[Platform]:
    return list(
        session.scalars(
            select(Platform).options(selectinload(Platform.deployments)).order_by(Platform.id)
        )
    )


def remove_platform(
    session: Session, issuer: str, client_id: str, deployment_ids: Iterable[str] = ()
) -> str:
    """Remove some deployments, or the whole registration when none are named."""
    platform = find_platform(session, issuer, client_id)
    if platform is None:
        raise RegistrationError(
            f"No platform is registered with issuer {issuer!r} and client id {client_id!r}."
        )
    wanted = [d for d in deployment_ids if d]
    if not wanted:
        session.delete(platform)
        return f"Removed platform {platform.name} ({issuer}, client id {client_id})."
    by_id = {d.deployment_id: d for d in platform.deployments}
    missing = [d for d in wanted if d not in by_id]
    if missing:
        raise RegistrationError(f"Deployment {missing[0]!r} is not registered for this platform.")
    for d in wanted:
        platform.deployments.remove(by_id[d])
    return f"Removed deployment(s) {', '.join(wanted)} from {platform.name}."


def platform_origins(platform: Platform) -> set[str]:
    """Origins a platform's pages may frame us from."""
    urls = [platform.issuer, platform.auth_login_url, *(platform.frame_origins or [])]
    return {o for o in (origin_of(u) for u in urls) if o}


def all_frame_origins(session: Session) -> list[str]:
    origins: set[str] = set()
    for platform in list_platforms(session):
        origins |= platform_origins(platform)
    return sorted(origins)
