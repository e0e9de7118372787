"""The practice LMS's sqlite store: upgrading an existing instance keeps its data."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from eduteach.practice_lms.store import MIGRATIONS, PracticeStore


def test_upgrade_keeps_links_and_launches(tmp_path: Path) -> None:
    path = tmp_path / "practice_lms.sqlite3"
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.executescript(f"BEGIN; {MIGRATIONS[0]}; PRAGMA user_version = 1; COMMIT;")
        conn.execute("INSERT INTO courses VALUES ('c1', 'C1', 'Course one', 'type')")
        conn.execute("INSERT INTO users VALUES ('u1', 'sub-1', 'N', 'G', 'F', 'e@x', 'en')")
        conn.execute(
            "INSERT INTO resource_links VALUES "
            "('l1', 'c1', 'course_navigation', 'EduTeach', NULL, '{\"a\": \"b\"}', 1)"
        )
        conn.execute(
            "INSERT INTO launches VALUES "
            "('h1', 'c1', 'u1', 'l1', 'LtiResourceLinkRequest', 'iframe', 1, NULL)"
        )

    store = PracticeStore(path)
    store.migrate()
    store.seed_demo()
    store.seed_demo()

    link = store.course_navigation_link("c1")
    assert link is not None
    assert (link.id, link.custom, link.presentation) == ("l1", {"a": "b"}, "iframe")
    launch = store.launch("h1")
    assert launch is not None
    assert launch.resource_link_id == "l1"
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        navigation_links = conn.execute(
            "SELECT count(*) FROM resource_links WHERE placement = 'course_navigation' "
            "GROUP BY course_id"
        ).fetchall()
    assert [row[0] for row in navigation_links] == [1, 1]
