"""The tool's signing keys: created once, rotated on demand, published until retired."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto.jwk import JWK
from sqlalchemy import select
from sqlalchemy.orm import Session

from eduteach.storage.models import ToolKey, utcnow

ACTIVE = "active"
PREVIOUS = "previous"
RETIRED = "retired"


class KeyManagementError(Exception):
    """Raised for a key operation an admin asked for that cannot be done."""


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_pem: str


def _new_key() -> ToolKey:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    jwk = JWK.from_pem(pem.encode())
    kid = jwk.thumbprint()
    public: dict[str, Any] = jwk.export_public(as_dict=True)
    public.update(kid=kid, alg="RS256", use="sig")
    return ToolKey(kid=kid, private_pem=pem, public_jwk=public, status=ACTIVE)


def active_key(session: Session) -> SigningKey:
    """The key that signs now, created on first use."""
    key = session.scalars(select(ToolKey).where(ToolKey.status == ACTIVE)).first()
    if key is None:
        key = _new_key()
        session.add(key)
        session.flush()
    return SigningKey(kid=key.kid, private_pem=key.private_pem)


def rotate(session: Session) -> ToolKey:
    """Make a new active key; the old one stays published (status previous) until retired."""
    for key in session.scalars(select(ToolKey).where(ToolKey.status == ACTIVE)):
        key.status = PREVIOUS
    key = _new_key()
    session.add(key)
    session.flush()
    return key


def retire(session: Session, kid: str) -> ToolKey:
    """Stop publishing a previous key. The active key cannot be retired."""
    key = session.get(ToolKey, kid)
    if key is None:
        raise KeyManagementError(f"No key with id {kid!r}.")
    if key.status == ACTIVE:
        raise KeyManagementError(
            "The active key signs current messages; rotate first, then retire it."
        )
    key.status = RETIRED
    key.retired_at = utcnow()
    return key


def list_keys(session: Session) -> list[ToolKey]:
    return list(session.scalars(select(ToolKey).order_by(ToolKey.created_at)))


def published_jwks(session: Session) -> dict[str, list[dict[str, Any]]]:
    """The JWKS document: active and previous public keys."""
    keys = session.scalars(
        select(ToolKey).where(ToolKey.status.in_((ACTIVE, PREVIOUS))).order_by(ToolKey.created_at)
    )
    return {"keys": [dict(k.public_jwk) for k in keys]}
