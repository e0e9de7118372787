"""Shared fixtures: settings and apps on SQLite and on PostgreSQL, clean for every test."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from eduteach.app import create_app
from eduteach.config import Settings
from eduteach.storage import migrate
from eduteach.storage.db import Database
from eduteach.storage.models import Base

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytest_plugins = ["tests.fakes.fixtures"]

POSTGRES_URL = os.environ.get(
    "EDUTEACH_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
DATABASES = [
    d for d in os.environ.get("EDUTEACH_TEST_DATABASES", "sqlite,postgresql").split(",") if d
]


def _pg(url: str) -> str:
    return "postgresql+psycopg://" + url.split("://", 1)[1]


@pytest.fixture(scope="session", params=DATABASES)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated, empty database of each kind, once per test session."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'eduteach.sqlite3'}"
        migrate.upgrade(Database(url).engine)
        yield url
        return
    admin = create_engine(_pg(POSTGRES_URL), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    name = f"eduteach_test_{os.getpid()}_{secrets.token_hex(3)}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(_pg(POSTGRES_URL)).set(database=name).render_as_string(hide_password=False)
    db = Database(url)
    migrate.upgrade(db.engine)
    db.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def empty_tables(url: str) -> None:
    db = Database(url)
    with db.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    db.dispose()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """A database with every table empty at the start of the test."""
    empty_tables(database_url)
    database = Database(database_url)
    yield database
    database.dispose()


def make_settings(instance: Path, database_url: str, base_url: str, **extra: object) -> Settings:
    instance.mkdir(parents=True, exist_ok=True)
    return Settings(
        instance_path=instance,
        database_url=database_url,
        secret_key=secrets.token_urlsafe(48),
        base_url=base_url,
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture
def app_factory(tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Build tool apps for a test; their database connections are closed afterwards."""
    built: list[Flask] = []

    def build(
        database_url: str, base_url: str = "https://eduteach.example.edu", **extra: object
    ) -> Flask:
        app = create_app(
            make_settings(tmp_path / "instance", database_url, base_url, **extra), upgrade_db=False
        )
        built.append(app)
        return app

    yield build
    for app in built:
        app.extensions["eduteach"].db.dispose()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    # Pages fulfilled by a Playwright route have no address space; Chromium's local-network
    # checks would then block their form posts to 127.0.0.1.
    "--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright (never Playwright's own download)."""
    # Imported here so tests without a browser collect wherever Playwright is not installed.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
