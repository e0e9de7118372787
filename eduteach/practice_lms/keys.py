"""The platform's RSA signing keys: created once, rotated on demand, kept in one JSON file.

The ``kid`` of a key is its RFC 7638 thumbprint, the same value ``lti1p3platform``
derives when it signs, so the library's own signing and this key set always agree.
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto.jwk import JWK
from lti1p3platform.registration import Registration

from eduteach.practice_lms.errors import KeyStoreError

# One lock for every key file in the process: rotation is rare, races are not worth more.
_LOCK = threading.Lock()


@dataclass(frozen=True)
class PlatformKey:
    """One RSA key pair the platform signs with (both halves PEM encoded)."""

    kid: str
    private_pem: str
    public_pem: str
    created_at: int

    def public_jwk(self) -> dict[str, Any]:
        """The public JWK (kid, alg RS256, use sig) as published in the key set."""
        jwk: dict[str, Any] = Registration.get_jwk(self.public_pem)
        jwk["kid"] = self.kid
        return jwk


def generate_key() -> PlatformKey:
    """A new RSA 2048 key pair, its kid being the JWK thumbprint."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    kid = str(JWK.from_pem(public_pem.encode()).thumbprint())
    return PlatformKey(kid=kid, private_pem=pem, public_pem=public_pem, created_at=int(time.time()))


class KeyStore:
    """Signing keys in a JSON file: one current key plus the older ones still published."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def current(self) -> PlatformKey:
        """The key new tokens are signed with (created on first use)."""
        current_kid, keys = self._load_or_create()
        return next(key for key in keys if key.kid == current_kid)

    def all(self) -> list[PlatformKey]:
        """Every published key, oldest first."""
        return self._load_or_create()[1]

    def get(self, kid: str) -> PlatformKey | None:
        """The key with ``kid``, if it is still published."""
        return next((key for key in self.all() if key.kid == kid), None)

    def jwks(self) -> dict[str, list[dict[str, Any]]]:
        """The public key set: current and not yet retired keys."""
        return {"keys": [key.public_jwk() for key in self.all()]}

    def rotate(self) -> PlatformKey:
        """Make a new current key; the previous ones stay published until retired."""
        with _LOCK:
            _, keys = self._read_or_create_locked()
            new_key = generate_key()
            self._write_locked(new_key.kid, [*keys, new_key])
            return new_key

    def retire(self, kid: str) -> None:
        """Stop publishing an old key. The current key cannot be retired."""
        with _LOCK:
            current_kid, keys = self._read_or_create_locked()
            if kid == current_kid:
                raise KeyStoreError("The current signing key cannot be retired; rotate first.")
            remaining = [key for key in keys if key.kid != kid]
            if len(remaining) == len(keys):
                raise KeyStoreError(f"No published key has kid {kid!r}.")
            self._write_locked(current_kid, remaining)

    def _load_or_create(self) -> tuple[str, list[PlatformKey]]:
        with _LOCK:
            return self._read_or_create_locked()

    def _read_or_create_locked(self) -> tuple[str, list[PlatformKey]]:
        if not self.path.exists():
            key = generate_key()
            # another process may create the file at the same moment: the first one wins
            if self._write_locked(key.kid, [key], exclusive=True):
                return key.kid, [key]
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            keys = [
                PlatformKey(
                    kid=str(item["kid"]),
                    private_pem=str(item["private_key_pem"]),
                    public_pem=str(item["public_key_pem"]),
                    created_at=int(item["created_at"]),
                )
                for item in data["keys"]
            ]
            current_kid = str(data["current_kid"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise KeyStoreError(f"The key file {self.path} cannot be read: {exc}") from exc
        if not any(key.kid == current_kid for key in keys):
            raise KeyStoreError(f"The key file {self.path} names a current key it does not hold.")
        return current_kid, keys

    def _write_locked(
        self, current_kid: str, keys: list[PlatformKey], *, exclusive: bool = False
    ) -> bool:
        """Write the key file atomically; with ``exclusive``, only if none exists yet."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "current_kid": current_kid,
            "keys": [
                {
                    "kid": key.kid,
                    "private_key_pem": key.private_pem,
                    "public_key_pem": key.public_pem,
                    "created_at": key.created_at,
                }
                for key in keys
            ],
        }
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        # private keys: readable by this user only, and never seen half written
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, indent=2)
        if not exclusive:
            os.replace(tmp, self.path)
            return True
        try:
            os.link(tmp, self.path)
        except FileExistsError:
            return False
        finally:
            tmp.unlink()
        return True
