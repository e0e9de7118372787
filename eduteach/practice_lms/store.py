"""The practice LMS's data: one sqlite file with courses, people, resource links and launches.

The schema grows by appending to ``MIGRATIONS`` (tracked with ``PRAGMA user_version``),
so deep linking, line items and scores can be added later without touching this data.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

Presentation = Literal["iframe", "window"]
MessageType = Literal["LtiResourceLinkRequest"]

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE courses (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        title TEXT NOT NULL,
        context_type TEXT NOT NULL
    );
    CREATE TABLE users (
        id TEXT PRIMARY KEY,
        sub TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        given_name TEXT NOT NULL,
        family_name TEXT NOT NULL,
        email TEXT NOT NULL,
        locale TEXT NOT NULL
    );
    CREATE TABLE enrollments (
        course_id TEXT NOT NULL REFERENCES courses(id),
        user_id TEXT NOT NULL REFERENCES users(id),
        role TEXT NOT NULL CHECK (role IN ('Instructor', 'Learner')),
        PRIMARY KEY (course_id, user_id)
    );
    CREATE TABLE resource_links (
        id TEXT PRIMARY KEY,
        course_id TEXT NOT NULL REFERENCES courses(id),
        placement TEXT NOT NULL,
        title TEXT NOT NULL,
        target_link_uri TEXT,
        custom_json TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL,
        UNIQUE (course_id, placement, title)
    );
    CREATE TABLE launches (
        hint TEXT PRIMARY KEY,
        course_id TEXT NOT NULL REFERENCES courses(id),
        user_id TEXT NOT NULL REFERENCES users(id),
        resource_link_id TEXT NOT NULL REFERENCES resource_links(id),
        message_type TEXT NOT NULL,
        presentation TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        used_at INTEGER
    );
    CREATE TABLE used_client_assertions (jti TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
    """,
)


@dataclass(frozen=True)
class Course:
    """A course (LTI context)."""

    id: str
    label: str
    title: str
    context_type: str


@dataclass(frozen=True)
class User:
    """A person of the LMS. ``sub`` is the opaque, stable id the tool sees."""

    id: str
    sub: str
    name: str
    given_name: str
    family_name: str
    email: str
    locale: str


@dataclass(frozen=True)
class Member:
    """A person enrolled in a course with an LTI context role."""

    user: User
    role: str


@dataclass(frozen=True)
class ResourceLink:
    """A placement of the tool in a course.

    ``target_link_uri`` None means the tool's launch URL as configured now.
    """

    id: str
    course_id: str
    placement: str
    title: str
    target_link_uri: str | None
    custom: dict[str, str]


@dataclass(frozen=True)
class PendingLaunch:
    """What one click on a launch button asked for, until the tool redeems it."""

    hint: str
    course_id: str
    user_id: str
    resource_link_id: str
    message_type: MessageType
    presentation: Presentation
    created_at: int
    used_at: int | None


@dataclass(frozen=True)
class DemoPerson:
    """A person of the demo course."""

    id: str
    name: str
    given_name: str
    family_name: str
    email: str
    role: str


DEMO_COURSE_ID = "science-7"
DEMO_TEACHER = "rivera"
DEMO_STUDENTS = ("alex", "sam")
COURSE_NAVIGATION = "course_navigation"
_DEMO_COURSE = Course(
    id=DEMO_COURSE_ID,
    label="SCI-7",
    title="Grade 7 Science (demo)",
    context_type="http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering",
)
_DEMO_PEOPLE = (
    DemoPerson(
        DEMO_TEACHER,
        "Ms. Rivera",
        "Maria",
        "Rivera",
        "maria.rivera@practice-lms.example",
        "Instructor",
    ),
    DemoPerson("alex", "Alex Kim", "Alex", "Kim", "alex.kim@practice-lms.example", "Learner"),
    DemoPerson("sam", "Sam Patel", "Sam", "Patel", "sam.patel@practice-lms.example", "Learner"),
)


class PracticeStore:
    """All reads and writes of the practice LMS's sqlite file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection in one transaction, committed on success, always closed."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=10)) as conn:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            with conn:
                yield conn

    def migrate(self) -> None:
        """Apply the migrations this file has not seen yet."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=10, isolation_level=None)) as conn:
            for number, script in enumerate(MIGRATIONS, start=1):
                if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= number:
                    continue
                try:
                    # one transaction per step, so the version always matches the tables
                    conn.executescript(
                        f"BEGIN IMMEDIATE; {script}; PRAGMA user_version = {number}; COMMIT;"
                    )
                except sqlite3.OperationalError:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    # another process may have applied this step a moment ago
                    if int(conn.execute("PRAGMA user_version").fetchone()[0]) < number:
                        raise

    def seed_demo(self) -> None:
        """Create the demo course and its people once; later calls change nothing."""
        now = int(time.time())
        with self._connect() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO meta VALUES ('platform_guid', ?)", (str(uuid.uuid4()),)
            )
            course = _DEMO_COURSE
            conn.execute(
                "INSERT OR IGNORE INTO courses VALUES (?, ?, ?, ?)",
                (course.id, course.label, course.title, course.context_type),
            )
            for person in _DEMO_PEOPLE:
                conn.execute(
                    "INSERT OR IGNORE INTO users VALUES (?, ?, ?, ?, ?, ?, 'en')",
                    (
                        person.id,
                        uuid.uuid4().hex,
                        person.name,
                        person.given_name,
                        person.family_name,
                        person.email,
                    ),
                )
                conn.execute(
                    "INSERT OR IGNORE INTO enrollments VALUES (?, ?, ?)",
                    (course.id, person.id, person.role),
                )
            conn.execute(
                "INSERT OR IGNORE INTO resource_links VALUES (?, ?, ?, 'EduTeach', NULL, ?, ?)",
                (
                    uuid.uuid4().hex,
                    course.id,
                    COURSE_NAVIGATION,
                    json.dumps({"placement": COURSE_NAVIGATION}),
                    now,
                ),
            )

    # --- reads -------------------------------------------------------------------------
    def platform_guid(self) -> str:
        """The stable id of this platform instance (``tool_platform.guid``)."""
        with self._connect() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'platform_guid'").fetchone()
        return str(row["value"])

    def course(self, course_id: str) -> Course | None:
        """The course with that id."""
        with self._connect() as conn:
            row = conn.execute("SELECT * FROM courses WHERE id = ?", (course_id,)).fetchone()
        return Course(**dict(row)) if row else None

    def user(self, user_id: str) -> User | None:
        """The person with that key."""
        with self._connect() as conn:
            row = conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
        return User(**dict(row)) if row else None

    def user_by_sub(self, sub: str) -> User | None:
        """The person whose opaque ``sub`` (the login_hint) is given."""
        with self._connect() as conn:
            row = conn.execute("SELECT * FROM users WHERE sub = ?", (sub,)).fetchone()
        return User(**dict(row)) if row else None

    def members(self, course_id: str) -> list[Member]:
        """People of a course, teachers first."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT u.*, e.role FROM enrollments e JOIN users u ON u.id = e.user_id "
                "WHERE e.course_id = ? ORDER BY e.role = 'Learner', u.family_name",
                (course_id,),
            ).fetchall()
        members = []
        for row in rows:
            data = dict(row)
            role = str(data.pop("role"))
            members.append(Member(user=User(**data), role=role))
        return members

    def role_in(self, course_id: str, user_id: str) -> str | None:
        """The context role of a person in a course, None when not enrolled."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT role FROM enrollments WHERE course_id = ? AND user_id = ?",
                (course_id, user_id),
            ).fetchone()
        return str(row["role"]) if row else None

    def course_navigation_link(self, course_id: str) -> ResourceLink | None:
        """The resource link of the tool's course navigation placement."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT * FROM resource_links WHERE course_id = ? AND placement = ?",
                (course_id, COURSE_NAVIGATION),
            ).fetchone()
        return _resource_link(row) if row else None

    def resource_link(self, link_id: str) -> ResourceLink | None:
        """The resource link with that id."""
        with self._connect() as conn:
            row = conn.execute("SELECT * FROM resource_links WHERE id = ?", (link_id,)).fetchone()
        return _resource_link(row) if row else None

    # --- launches ----------------------------------------------------------------------
    def create_launch(
        self,
        course_id: str,
        user_id: str,
        resource_link_id: str,
        presentation: Presentation,
        message_type: MessageType = "LtiResourceLinkRequest",
    ) -> PendingLaunch:
        """Record one click on a launch button; its hint becomes the lti_message_hint."""
        now = int(time.time())
        hint = secrets.token_urlsafe(24)
        with self._connect() as conn:
            # launches older than a day are of no use to anyone
            conn.execute("DELETE FROM launches WHERE created_at < ?", (now - 86400,))
            conn.execute(
                "INSERT INTO launches VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
                (hint, course_id, user_id, resource_link_id, message_type, presentation, now),
            )
        return PendingLaunch(
            hint, course_id, user_id, resource_link_id, message_type, presentation, now, None
        )

    def launch(self, hint: str) -> PendingLaunch | None:
        """The launch recorded under ``hint``."""
        with self._connect() as conn:
            row = conn.execute("SELECT * FROM launches WHERE hint = ?", (hint,)).fetchone()
        return PendingLaunch(**dict(row)) if row else None

    def redeem_launch(self, hint: str) -> bool:
        """Mark a launch used; False when it was already used (one click, one launch)."""
        with self._connect() as conn:
            cursor = conn.execute(
                "UPDATE launches SET used_at = ? WHERE hint = ? AND used_at IS NULL",
                (int(time.time()), hint),
            )
        return cursor.rowcount == 1

    def use_client_assertion(self, jti: str, expires_at: int) -> bool:
        """Remember a client assertion's ``jti``; False when it was seen before."""
        now = int(time.time())
        with self._connect() as conn:
            conn.execute("DELETE FROM used_client_assertions WHERE expires_at < ?", (now,))
            cursor = conn.execute(
                "INSERT OR IGNORE INTO used_client_assertions VALUES (?, ?)", (jti, expires_at)
            )
        return cursor.rowcount == 1


def _resource_link(row: sqlite3.Row) -> ResourceLink:
    data: dict[str, Any] = dict(row)
    custom = json.loads(data.pop("custom_json"))
    data.pop("created_at")
    return ResourceLink(custom={str(k): str(v) for k, v in custom.items()}, **data)
