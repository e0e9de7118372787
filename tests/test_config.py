from pathlib import Path

import pytest

from eduteach.config import ConfigError, load_settings


def test_embedded_defaults_make_a_sqlite_file_and_keep_the_secret(tmp_path: Path) -> None:
    env = {"EDUTEACH_INSTANCE_PATH": str(tmp_path)}
    first = load_settings(env)
    assert first.database_url == f"sqlite:///{tmp_path / 'eduteach.sqlite3'}"
    assert first.base_url == "http://127.0.0.1:5000"
    assert len(first.secret_key) >= 32
    # Generated once and kept: a restart keeps sessions and tokens valid.
    assert load_settings(env).secret_key == first.secret_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_postgres_url_gets_the_psycopg_driver(tmp_path: Path) -> None:
    env = {
        "EDUTEACH_INSTANCE_PATH": str(tmp_path),
        "EDUTEACH_DATABASE_URL": "postgresql://u:p@db/edu",
    }
    assert load_settings(env).database_url == "postgresql+psycopg://u:p@db/edu"


@pytest.mark.parametrize(
    ("name", "value", "phrase"),
    [
        ("EDUTEACH_BASE_URL", "tool.example.org", "EDUTEACH_BASE_URL must be a full URL"),
        ("EDUTEACH_DATABASE_URL", "mysql://x/y", "EDUTEACH_DATABASE_URL must be a sqlite"),
        ("EDUTEACH_SECRET_KEY", "short", "at least 32 characters"),
        (
            "EDUTEACH_LLM_BASE_URL",
            "http://localhost:11434/v1",
            "EDUTEACH_LLM_MODEL must name the model",
        ),
        ("EDUTEACH_TRUSTED_PROXIES", "10.0.0.0/8,not-an-ip", "EDUTEACH_TRUSTED_PROXIES must list"),
        ("EDUTEACH_JWT_LEEWAY", "600", "between 0 and 120"),
    ],
)
def test_a_wrong_setting_is_one_clear_sentence(
    tmp_path: Path, name: str, value: str, phrase: str
) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings({"EDUTEACH_INSTANCE_PATH": str(tmp_path), name: value})
    message = str(info.value)
    assert phrase in message
    assert "\n" not in message
