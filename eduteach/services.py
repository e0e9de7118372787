"""The objects one app instance shares across requests: database, store, key fetcher."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import requests

from .config import Settings

if TYPE_CHECKING:
    from .jobs.runner import JobRunner
from .lti.jwks import PlatformKeys
from .storage.db import Database
from .storage.kv import DatabaseStore, KeyValueStore, RedisStore


@dataclass
class Services:
    settings: Settings
    db: Database
    store: KeyValueStore
    platform_keys: PlatformKeys
    _jobs: JobRunner | None = None

    @property
    def jobs(self) -> JobRunner:
        """The job runner, started on first use (so CLI commands start no threads)."""
        if self._jobs is None:
            from .jobs.runner import make_runner

            self._jobs = make_runner(self)
        return self._jobs

    @classmethod
    def build(cls, settings: Settings) -> Services:
        db = Database(settings.database_url)
        store: KeyValueStore
        if settings.redis_url:
            import redis

            store = RedisStore(redis.Redis.from_url(settings.redis_url, socket_timeout=5))
        else:
            store = DatabaseStore(db)
        http = requests.Session()
        http.headers["User-Agent"] = "EduTeach-LTI/1.0"
        return cls(
            settings=settings,
            db=db,
            store=store,
            platform_keys=PlatformKeys(store, http, timeout=settings.http_timeout),
        )
