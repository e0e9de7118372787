"""Settings read once from ``EDUTEACH_*`` environment variables.

Every setting has a safe default for the embedded mode (one machine, SQLite, a secret
generated once and kept in the instance folder). A wrong value stops start-up with one
sentence naming the variable, raised as :class:`ConfigError`.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

PREFIX = "EDUTEACH_"
DEFAULT_PORT = 5000


class ConfigError(Exception):
    """A setting is missing or wrong; the message is one sentence for an admin."""


@dataclass(frozen=True)
class Settings:
    """Everything the tool reads from its environment."""

    instance_path: Path
    database_url: str
    secret_key: str
    base_url: str
    redis_url: str | None = None
    llm_base_url: str | None = None
    llm_api_key: str | None = None
    llm_model: str | None = None
    llm_api_version: str | None = None
    # Set by `eduteach demo` / `serve` when they started the embedded local model.
    llm_offline_draft: bool = False
    job_threads: int = 2
    trusted_proxies: tuple[str, ...] = ()
    log_level: str = "INFO"
    http_timeout: float = 10.0
    launch_ttl_seconds: int = 8 * 3600
    jwt_leeway_seconds: int = 60
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def uses_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def base_origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    def with_overrides(self, **changes: object) -> Settings:
        """A copy with some values changed (tests and the demo command use this)."""
        return replace(self, **changes)  # type: ignore[arg-type]


def _url(name: str, value: str, schemes: tuple[str, ...]) -> str:
    parts = urlsplit(value)
    if parts.scheme not in schemes or not parts.netloc:
        allowed = " or ".join(f"{s}://" for s in schemes)
        raise ConfigError(
            f"{PREFIX}{name} must be a full URL starting with {allowed} (got {value!r})."
        )
    return value.rstrip("/")


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(PREFIX + name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{PREFIX}{name} must be a whole number (got {raw!r}).") from None
    if not low <= value <= high:
        raise ConfigError(f"{PREFIX}{name} must be between {low} and {high} (got {value}).")
    return value


def _proxies(raw: str) -> tuple[str, ...]:
    nets: list[str] = []
    for item in filter(None, (p.strip() for p in raw.split(","))):
        try:
            nets.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ConfigError(
                f"{PREFIX}TRUSTED_PROXIES must list IP addresses or networks (got {item!r})."
            ) from None
    return tuple(nets)


def _persistent_secret(instance_path: Path) -> str:
    """Generate the secret once and keep it, so sessions and tokens survive restarts."""
    path = instance_path / "secret_key"
    if path.exists():
        value = path.read_text().strip()
        if len(value) >= 32:
            return value
    value = secrets.token_urlsafe(48)
    path.write_text(value)
    path.chmod(0o600)
    return value


def _database_url(env: Mapping[str, str], instance_path: Path) -> str:
    raw = env.get(PREFIX + "DATABASE_URL", "").strip()
    if not raw:
        return f"sqlite:///{instance_path / 'eduteach.sqlite3'}"
    if raw.startswith(("postgres://", "postgresql://")):
        # SQLAlchemy needs the driver named; psycopg 3 is the one we ship.
        raw = "postgresql+psycopg://" + raw.split("://", 1)[1]
    if not raw.startswith(("sqlite:", "postgresql+psycopg://")):
        raise ConfigError(
            f"{PREFIX}DATABASE_URL must be a sqlite:/// path or a postgresql:// URL (got {raw.split(':', 1)[0]}://...)."
        )
    return raw


def _instance_path(env: Mapping[str, str]) -> Path:
    return Path(env.get(PREFIX + "INSTANCE_PATH") or Path.cwd() / "instance").resolve()


def existing_database_url(env: Mapping[str, str] | None = None) -> str | None:
    """The database the app would use, or None for an SQLite file not made yet.

    Creates nothing: for commands that only read what the app stored (imported standards).
    """
    env = os.environ if env is None else env
    url = _database_url(env, _instance_path(env))
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        return None
    return url


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read settings from ``env`` (default: the process environment)."""
    env = os.environ if env is None else env
    instance_path = _instance_path(env)
    try:
        instance_path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"{PREFIX}INSTANCE_PATH {str(instance_path)!r} cannot be created ({exc.strerror})."
        ) from None

    secret = env.get(PREFIX + "SECRET_KEY", "").strip()
    if secret and len(secret) < 32:
        raise ConfigError(f"{PREFIX}SECRET_KEY must be at least 32 characters long.")
    secret = secret or _persistent_secret(instance_path)

    port = _int(env, "PORT", DEFAULT_PORT, 1, 65535)
    base_url = _url(
        "BASE_URL", env.get(PREFIX + "BASE_URL") or f"http://127.0.0.1:{port}", ("http", "https")
    )
    redis_url = env.get(PREFIX + "REDIS_URL") or None
    if redis_url:
        redis_url = _url("REDIS_URL", redis_url, ("redis", "rediss", "unix"))

    llm_base_url = env.get(PREFIX + "LLM_BASE_URL") or None
    if llm_base_url:
        llm_base_url = _url("LLM_BASE_URL", llm_base_url, ("http", "https"))
    llm_model = env.get(PREFIX + "LLM_MODEL") or None
    if llm_base_url and not llm_model:
        raise ConfigError(
            f"{PREFIX}LLM_MODEL must name the model (or Azure deployment) to use at {llm_base_url}."
        )

    log_level = (env.get(PREFIX + "LOG_LEVEL") or "INFO").upper()
    if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigError(
            f"{PREFIX}LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR (got {log_level!r})."
        )

    return Settings(
        instance_path=instance_path,
        database_url=_database_url(env, instance_path),
        secret_key=secret,
        base_url=base_url,
        redis_url=redis_url,
        llm_base_url=llm_base_url,
        llm_api_key=env.get(PREFIX + "LLM_API_KEY") or None,
        llm_model=llm_model,
        llm_api_version=env.get(PREFIX + "LLM_API_VERSION") or None,
        llm_offline_draft=env.get(PREFIX + "LLM_OFFLINE_DRAFT") == "1",
        job_threads=_int(env, "JOB_THREADS", 2, 1, 32),
        trusted_proxies=_proxies(env.get(PREFIX + "TRUSTED_PROXIES", "")),
        log_level=log_level,
        http_timeout=float(_int(env, "HTTP_TIMEOUT", 10, 1, 120)),
        launch_ttl_seconds=_int(env, "LAUNCH_TTL", 8 * 3600, 300, 7 * 86400),
        jwt_leeway_seconds=_int(env, "JWT_LEEWAY", 60, 0, 120),
        extra={k: v for k, v in env.items() if k.startswith(PREFIX)},
    )
