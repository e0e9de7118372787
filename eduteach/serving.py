"""Production serving with gunicorn's gthread workers."""

from __future__ import annotations

import os
from typing import Any

from gunicorn.app.base import BaseApplication

from .config import Settings


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, settings: Settings, options: dict[str, Any]) -> None:
        self._settings = settings
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from .app import create_app

        # The arbiter migrated already; workers must not race each other doing it.
        return create_app(self._settings, upgrade_db=False)


def default_workers() -> int:
    return max(2, min(8, 2 * (os.cpu_count() or 1)))


def run_gunicorn(
    settings: Settings, *, host: str, port: int, workers: int | None, threads: int
) -> None:
    """Migrate once, then serve until stopped."""
    from .storage import migrate
    from .storage.db import Database

    database = Database(settings.database_url)
    migrate.upgrade(database.engine)
    database.dispose()
    options = {
        "bind": f"{host}:{port}",
        "workers": workers or default_workers(),
        "worker_class": "gthread",
        "threads": threads,
        "timeout": 60,
        "graceful_timeout": 20,
        "keepalive": 5,
        # Access lines come from the app (path only, with request id); gunicorn's would
        # include query strings, which can carry launch tokens.
        "accesslog": None,
        "errorlog": "-",
        "loglevel": settings.log_level.lower(),
        "forwarded_allow_ips": ",".join(settings.trusted_proxies) or "127.0.0.1,::1",
        "proc_name": "eduteach",
    }
    _Gunicorn(settings, options).run()
