"""The practice LMS's data: one sqlite file with courses, people, resource links and launches.

The schema grows by appending to ``MIGRATIONS`` (tracked with ``PRAGMA user_version``).
Line items, results and received scores are read and written by ``grades.GradeStore``
over the same file.
"""

from __future__ import annotations

import datetime
import json
import secrets
import sqlite3
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, closing, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

Presentation = Literal["iframe", "window"]
MessageType = Literal["LtiResourceLinkRequest", "LtiDeepLinkingRequest"]
ContentType = Literal["link", "html"]

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
    # Deep linking, AGS and the gradebook. Links placed by deep linking may share a title,
    # so the table is rebuilt with a uniqueness rule for course navigation links only.
    """
    CREATE TABLE resource_links_new (
        id TEXT PRIMARY KEY,
        course_id TEXT NOT NULL REFERENCES courses(id),
        placement TEXT NOT NULL,
        title TEXT NOT NULL,
        target_link_uri TEXT,
        custom_json TEXT NOT NULL DEFAULT '{}',
        created_at REAL NOT NULL,
        text TEXT NOT NULL DEFAULT '',
        presentation TEXT NOT NULL DEFAULT 'iframe' CHECK (presentation IN ('iframe', 'window'))
    );
    INSERT INTO resource_links_new
        (id, course_id, placement, title, target_link_uri, custom_json, created_at)
        SELECT id, course_id, placement, title, target_link_uri, custom_json, created_at
        FROM resource_links;
    DROP TABLE resource_links;
    ALTER TABLE resource_links_new RENAME TO resource_links;
    CREATE UNIQUE INDEX one_course_navigation_link ON resource_links (course_id)
        WHERE placement = 'course_navigation';
    CREATE TABLE content_items (
        id TEXT PRIMARY KEY,
        course_id TEXT NOT NULL REFERENCES courses(id),
        type TEXT NOT NULL CHECK (type IN ('link', 'html')),
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        url TEXT NOT NULL,
        html TEXT NOT NULL,
        created_at REAL NOT NULL
    );
    CREATE TABLE deep_linking_requests (
        data TEXT PRIMARY KEY,
        hint TEXT NOT NULL UNIQUE,
        course_id TEXT NOT NULL REFERENCES courses(id),
        user_id TEXT NOT NULL REFERENCES users(id),
        placement TEXT NOT NULL,
        settings_json TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        answered_at INTEGER
    );
    CREATE TABLE used_tool_nonces (nonce TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
    CREATE TABLE line_items (
        id TEXT PRIMARY KEY,
        course_id TEXT NOT NULL REFERENCES courses(id),
        resource_link_id TEXT REFERENCES resource_links(id),
        label TEXT NOT NULL,
        score_maximum REAL NOT NULL,
        resource_id TEXT NOT NULL DEFAULT '',
        tag TEXT NOT NULL DEFAULT '',
        start_date_time TEXT NOT NULL DEFAULT '',
        end_date_time TEXT NOT NULL DEFAULT '',
        grades_released INTEGER,
        created_at REAL NOT NULL
    );
    CREATE TABLE results (
        line_item_id TEXT NOT NULL REFERENCES line_items(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL,
        score_given REAL,
        score_maximum REAL,
        comment TEXT,
        activity_progress TEXT NOT NULL,
        grading_progress TEXT NOT NULL,
        timestamp TEXT NOT NULL,
        timestamp_us INTEGER NOT NULL,
        updated_at REAL NOT NULL,
        PRIMARY KEY (line_item_id, user_id)
    );
    CREATE TABLE score_requests (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        received_at REAL NOT NULL,
        course_id TEXT NOT NULL,
        line_item_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        media_type TEXT NOT NULL,
        body TEXT NOT NULL,
        status INTEGER NOT NULL,
        outcome TEXT NOT NULL
    );
    """,
    # Assignments the teacher writes in the LMS, and content a tool adds to an assignment's
    # description. ``assignment_id`` names a native assignment or a graded resource link
    # (an EduTeach activity with a gradebook column is an assignment too).
    """
    CREATE TABLE assignments (
        id TEXT PRIMARY KEY,
        course_id TEXT NOT NULL REFERENCES courses(id),
        title TEXT NOT NULL,
        description TEXT NOT NULL,
        due_at TEXT NOT NULL DEFAULT '',
        points REAL,
        created_at REAL NOT NULL
    );
    ALTER TABLE content_items ADD COLUMN assignment_id TEXT;
    ALTER TABLE deep_linking_requests ADD COLUMN assignment_id TEXT;
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
    text: str = ""
    presentation: Presentation = "iframe"


@dataclass(frozen=True)
class NewLineItem:
    """A gradebook column to create (from a deep linking ``lineItem`` or an AGS POST)."""

    label: str
    score_maximum: float
    resource_id: str = ""
    tag: str = ""
    start_date_time: str = ""
    end_date_time: str = ""
    grades_released: bool | None = None
    resource_link_id: str | None = None


@dataclass(frozen=True)
class NewResourceLink:
    """An ``ltiResourceLink`` content item to place in a course."""

    title: str
    text: str
    url: str
    custom: dict[str, str]
    presentation: Presentation
    line_item: NewLineItem | None


@dataclass(frozen=True)
class NewContentItem:
    """A ``link`` or ``html`` content item to place (``html`` already cleaned)."""

    type: ContentType
    title: str
    text: str
    url: str
    html: str


@dataclass(frozen=True)
class ContentItem:
    """A ``link`` or ``html`` content item shown on the course page (html already cleaned).

    ``assignment_id``: the assignment whose description holds it; None for the course's
    "Pages and links".
    """

    id: str
    course_id: str
    type: ContentType
    title: str
    text: str
    url: str
    html: str
    assignment_id: str | None = None


@dataclass(frozen=True)
class NativeAssignment:
    """An assignment the teacher wrote in the LMS itself (students hand in their work here).

    ``due_at`` is a local date and time ("2026-12-14T23:59") or empty.
    """

    id: str
    course_id: str
    title: str
    description: str
    due_at: str
    points: float | None


@dataclass(frozen=True)
class DeepLinkingRequest:
    """A deep linking launch the platform sent, waiting for the tool's answer.

    ``data`` is the opaque value the tool must echo; ``settings`` the claim as sent;
    ``assignment_id`` the assignment whose description the answer goes into, if any.
    """

    data: str
    hint: str
    course_id: str
    user_id: str
    placement: str
    settings: dict[str, Any]
    created_at: int
    answered_at: int | None
    assignment_id: str | None = None


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
# A launch, a deep linking answer: kept for a day, of no use to anyone after that.
STALE_AFTER = 86400
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
# The school's LMS administrator: in no course, yet opens the tool in any course with the
# institution role Administrator, as Canvas account admins and Moodle site admins do.
DEMO_ADMIN = DemoPerson(
    "okafor",
    "Mr. Okafor",
    "Daniel",
    "Okafor",
    "daniel.okafor@practice-lms.example",
    "Administrator",
)
DEMO_ASSIGNMENT_ID = "wetland-letter"
DEMO_ASSIGNMENT_TITLE = "Persuasive letter to the city council"
# Written for the demo as a teacher would (plain text, paragraphs split by a blank line).
DEMO_ASSIGNMENT_DESCRIPTION = """\
The city council votes next month on a plan to drain part of the Riverbend wetland and \
build a parking lot. Write a one-page letter to the council that argues what should happen \
to the wetland.

Use at least two pieces of evidence from our food web investigations: the pond survey data \
or the model we built in class. Explain what would happen to one population if the wetland \
shrank, and end with a clear request to the council.

Hand in your letter as a document or as a photo of your handwritten final copy."""
DEMO_ASSIGNMENT_POINTS = 20.0
DEMO_ASSIGNMENT_DAYS = 14


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection to the store at ``path`` in one transaction, committed on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path, timeout=10)) as conn:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        with conn:
            yield conn


class PracticeStore:
    """Courses, people, links, launches and deep linking in the practice LMS's sqlite file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return connect(self.path)

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
        """Create the demo course, its people and its assignment once; later calls change nothing."""
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
            for person in (*_DEMO_PEOPLE, DEMO_ADMIN):
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
                if person is not DEMO_ADMIN:  # the administrator is enrolled in no course
                    conn.execute(
                        "INSERT OR IGNORE INTO enrollments VALUES (?, ?, ?)",
                        (course.id, person.id, person.role),
                    )
            conn.execute(
                "INSERT OR IGNORE INTO meta VALUES ('administrators', ?)",
                (json.dumps([DEMO_ADMIN.id]),),
            )
            conn.execute(
                "INSERT OR IGNORE INTO resource_links "
                "(id, course_id, placement, title, target_link_uri, custom_json, created_at) "
                "VALUES (?, ?, ?, 'EduTeach', NULL, ?, ?)",
                (
                    uuid.uuid4().hex,
                    course.id,
                    COURSE_NAVIGATION,
                    json.dumps({"placement": COURSE_NAVIGATION}),
                    now,
                ),
            )
            # due two weeks after the demo was set up, at the end of the day
            due = datetime.date.today() + datetime.timedelta(days=DEMO_ASSIGNMENT_DAYS)
            conn.execute(
                "INSERT OR IGNORE INTO assignments VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    DEMO_ASSIGNMENT_ID,
                    course.id,
                    DEMO_ASSIGNMENT_TITLE,
                    DEMO_ASSIGNMENT_DESCRIPTION,
                    f"{due.isoformat()}T23:59",
                    DEMO_ASSIGNMENT_POINTS,
                    now,
                ),
            )

    # --- reads -------------------------------------------------------------------------
    def administrators(self) -> list[User]:
        """The LMS's administrators: enrolled nowhere, they open the tool in any course."""
        ids = json.loads(self.meta("administrators") or "[]")
        return [user for user in (self.user(str(key)) for key in ids) if user is not None]

    def is_administrator(self, user_id: str) -> bool:
        """Whether the person with that key is an LMS administrator."""
        return any(user.id == user_id for user in self.administrators())

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
            conn.execute("DELETE FROM launches WHERE created_at < ?", (now - STALE_AFTER,))
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

    # --- settings kept in the meta table ------------------------------------------------
    def meta(self, key: str) -> str | None:
        """A value of the meta table (platform settings), None when unset."""
        with self._connect() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row["value"]) if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Set a value of the meta table."""
        with self._connect() as conn:
            conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def take_meta(self, key: str) -> bool:
        """Remove a one-shot flag; True for the one caller that removed it."""
        with self._connect() as conn:
            return conn.execute("DELETE FROM meta WHERE key = ?", (key,)).rowcount == 1

    # --- course content ----------------------------------------------------------------
    def placed_links(self, course_id: str) -> list[ResourceLink]:
        """Resource links placed in a course by deep linking, oldest first."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT * FROM resource_links WHERE course_id = ? AND placement != ? "
                "ORDER BY created_at, rowid",
                (course_id, COURSE_NAVIGATION),
            ).fetchall()
        return [_resource_link(row) for row in rows]

    def content_items(self, course_id: str) -> list[ContentItem]:
        """Links and HTML placed in a course by deep linking (in its pages or in an
        assignment's description), oldest first."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT id, course_id, type, title, text, url, html, assignment_id "
                "FROM content_items WHERE course_id = ? ORDER BY created_at, rowid",
                (course_id,),
            ).fetchall()
        return [ContentItem(**dict(row)) for row in rows]

    def assignments(self, course_id: str) -> list[NativeAssignment]:
        """The assignments written in the LMS for a course, oldest first."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT id, course_id, title, description, due_at, points FROM assignments "
                "WHERE course_id = ? ORDER BY created_at, rowid",
                (course_id,),
            ).fetchall()
        return [NativeAssignment(**dict(row)) for row in rows]

    def assignment(self, assignment_id: str) -> NativeAssignment | None:
        """The assignment written in the LMS with that id."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT id, course_id, title, description, due_at, points FROM assignments "
                "WHERE id = ?",
                (assignment_id,),
            ).fetchone()
        return NativeAssignment(**dict(row)) if row else None

    # --- deep linking ------------------------------------------------------------------
    def create_deep_linking_request(
        self,
        launch: PendingLaunch,
        placement: str,
        settings: dict[str, Any],
        assignment_id: str | None = None,
    ) -> DeepLinkingRequest:
        """Remember a deep linking launch and the settings it carries, under ``settings["data"]``.

        ``assignment_id``: the assignment whose description the answer goes into.
        """
        now = int(time.time())
        with self._connect() as conn:
            conn.execute(
                "DELETE FROM deep_linking_requests WHERE created_at < ?", (now - STALE_AFTER,)
            )
            conn.execute(
                "INSERT INTO deep_linking_requests (data, hint, course_id, user_id, placement, "
                "settings_json, created_at, answered_at, assignment_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)",
                (
                    settings["data"],
                    launch.hint,
                    launch.course_id,
                    launch.user_id,
                    placement,
                    json.dumps(settings),
                    now,
                    assignment_id,
                ),
            )
        return DeepLinkingRequest(
            data=settings["data"],
            hint=launch.hint,
            course_id=launch.course_id,
            user_id=launch.user_id,
            placement=placement,
            settings=settings,
            created_at=now,
            answered_at=None,
            assignment_id=assignment_id,
        )

    def deep_linking_request(self, *, data: str = "", hint: str = "") -> DeepLinkingRequest | None:
        """The deep linking request with that ``data`` value, or made for that launch."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT * FROM deep_linking_requests WHERE data = ? OR hint = ?", (data, hint)
            ).fetchone()
        if row is None:
            return None
        values: dict[str, Any] = dict(row)
        values["settings"] = json.loads(values.pop("settings_json"))
        return DeepLinkingRequest(**values)

    def use_tool_nonce(self, nonce: str, expires_at: int) -> bool:
        """Remember the nonce of a tool's message; False when it was seen before."""
        now = int(time.time())
        with self._connect() as conn:
            conn.execute("DELETE FROM used_tool_nonces WHERE expires_at < ?", (now,))
            cursor = conn.execute(
                "INSERT OR IGNORE INTO used_tool_nonces VALUES (?, ?)", (nonce, expires_at)
            )
        return cursor.rowcount == 1

    def place_items(
        self,
        request: DeepLinkingRequest,
        links: Sequence[NewResourceLink],
        contents: Sequence[NewContentItem],
    ) -> bool:
        """Place a deep linking answer's items in the course, all or none.

        Links and HTML go into the description of the request's assignment, if it has one.
        Returns False, placing nothing, when this request was already answered.
        """
        now = time.time()
        with self._connect() as conn:
            answered = conn.execute(
                "UPDATE deep_linking_requests SET answered_at = ? "
                "WHERE data = ? AND answered_at IS NULL",
                (int(now), request.data),
            )
            if answered.rowcount != 1:
                return False
            for link in links:
                link_id = uuid.uuid4().hex
                conn.execute(
                    "INSERT INTO resource_links (id, course_id, placement, title, "
                    "target_link_uri, custom_json, created_at, text, presentation) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        link_id,
                        request.course_id,
                        request.placement,
                        link.title,
                        link.url,
                        json.dumps(link.custom),
                        now,
                        link.text,
                        link.presentation,
                    ),
                )
                if link.line_item is not None:
                    item = replace(link.line_item, resource_link_id=link_id)
                    insert_line_item(conn, request.course_id, item, now)
            for content in contents:
                conn.execute(
                    "INSERT INTO content_items (id, course_id, type, title, text, url, html, "
                    "created_at, assignment_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        uuid.uuid4().hex,
                        request.course_id,
                        content.type,
                        content.title,
                        content.text,
                        content.url,
                        content.html,
                        now,
                        request.assignment_id,
                    ),
                )
        return True


def insert_line_item(
    conn: sqlite3.Connection, course_id: str, item: NewLineItem, now: float
) -> str:
    """Insert a line item in an open transaction; returns its new id."""
    line_item_id = uuid.uuid4().hex
    released = None if item.grades_released is None else int(item.grades_released)
    conn.execute(
        "INSERT INTO line_items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            line_item_id,
            course_id,
            item.resource_link_id,
            item.label,
            item.score_maximum,
            item.resource_id,
            item.tag,
            item.start_date_time,
            item.end_date_time,
            released,
            now,
        ),
    )
    return line_item_id


def _resource_link(row: sqlite3.Row) -> ResourceLink:
    data: dict[str, Any] = dict(row)
    custom = json.loads(data.pop("custom_json"))
    data.pop("created_at")
    return ResourceLink(custom={str(k): str(v) for k, v in custom.items()}, **data)
