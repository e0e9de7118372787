"""A small key-value store with expiry, shared by every worker and instance.

The OIDC state, used nonces, the platforms' JWKS and service tokens live here. The
database implementation is the embedded default; with Redis configured, Redis is used.
``add`` is atomic in both: it is what makes a nonce usable exactly once.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from .db import Database
from .models import KeyValue, utcnow


class KeyValueStore(Protocol):
    def get(self, key: str) -> Any | None: ...

    def set(self, key: str, value: Any, ttl: int) -> None: ...

    def add(self, key: str, value: Any, ttl: int) -> bool:
        """Store ``value`` only if ``key`` is absent; True when this call stored it."""
        ...

    def pop(self, key: str) -> Any | None:
        """Remove and return the value (None when absent); only one caller gets it."""
        ...

    def delete(self, key: str) -> None: ...


class DatabaseStore:
    """Key-value entries in the ``kv_entries`` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, key: str) -> Any | None:
        with self._db.session() as s:
            row = s.get(KeyValue, key)
            if row is None or _expired(row):
                return None
            return json.loads(row.value)

    def set(self, key: str, value: Any, ttl: int) -> None:
        entry = {"key": key, "value": json.dumps(value), "expires_at": _expiry(ttl)}
        try:
            with self._db.session() as s:
                s.merge(KeyValue(**entry))
        except IntegrityError:
            # Another worker inserted the key between merge's look-up and its insert (two
            # deliverers fetching the same service token): the row exists now, so update it.
            with self._db.session() as s:
                s.merge(KeyValue(**entry))

    def add(self, key: str, value: Any, ttl: int) -> bool:
        with self._db.session() as s:
            s.execute(delete(KeyValue).where(KeyValue.key == key, KeyValue.expires_at < utcnow()))
        try:
            with self._db.session() as s:
                s.add(KeyValue(key=key, value=json.dumps(value), expires_at=_expiry(ttl)))
        except IntegrityError:
            return False
        return True

    def pop(self, key: str) -> Any | None:
        with self._db.session() as s:
            row = s.execute(
                delete(KeyValue)
                .where(KeyValue.key == key)
                .returning(KeyValue.value, KeyValue.expires_at)
            ).first()
        if row is None or _aware(row.expires_at) < utcnow():
            return None
        return json.loads(row.value)

    def delete(self, key: str) -> None:
        with self._db.session() as s:
            s.execute(delete(KeyValue).where(KeyValue.key == key))

    def purge_expired(self) -> int:
        with self._db.session() as s:
            keys = s.scalars(select(KeyValue.key).where(KeyValue.expires_at < utcnow())).all()
            s.execute(delete(KeyValue).where(KeyValue.key.in_(keys)))
        return len(keys)


class RedisStore:
    """Key-value entries in Redis (``SET NX EX`` for ``add``, ``GETDEL`` for ``pop``)."""

    def __init__(self, client: Any, prefix: str = "eduteach:") -> None:
        self._r = client
        self._prefix = prefix

    def get(self, key: str) -> Any | None:
        raw = self._r.get(self._prefix + key)
        return None if raw is None else json.loads(raw)

    def set(self, key: str, value: Any, ttl: int) -> None:
        self._r.set(self._prefix + key, json.dumps(value), ex=max(ttl, 1))

    def add(self, key: str, value: Any, ttl: int) -> bool:
        return bool(self._r.set(self._prefix + key, json.dumps(value), ex=max(ttl, 1), nx=True))

    def pop(self, key: str) -> Any | None:
        raw = self._r.getdel(self._prefix + key)
        return None if raw is None else json.loads(raw)

    def delete(self, key: str) -> None:
        self._r.delete(self._prefix + key)


def _expiry(ttl: int) -> datetime:
    return utcnow() + timedelta(seconds=max(ttl, 1))


def _aware(value: datetime) -> datetime:
    # SQLite returns naive datetimes even for timezone-aware columns.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _expired(row: KeyValue) -> bool:
    return bool(_aware(row.expires_at) < utcnow())
