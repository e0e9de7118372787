"""The gradebook's data: line items (columns), results (the latest score per student) and
the log of every score request received, over the practice LMS's sqlite file.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eduteach.practice_lms.ags_json import Score
from eduteach.practice_lms.store import Member, NewLineItem, connect, insert_line_item

# The log is for people and tests to read, not an archive.
MAX_LOGGED_BODY = 65536


@dataclass(frozen=True)
class LineItem:
    """A gradebook column."""

    id: str
    course_id: str
    resource_link_id: str | None
    label: str
    score_maximum: float
    resource_id: str
    tag: str
    start_date_time: str
    end_date_time: str
    grades_released: bool | None


@dataclass(frozen=True)
class Result:
    """The latest score of one student on one line item (``timestamp`` as the tool sent it)."""

    line_item_id: str
    user_id: str
    score_given: float | None
    score_maximum: float | None
    comment: str | None
    activity_progress: str
    grading_progress: str
    timestamp: str


@dataclass(frozen=True)
class ScoreRequest:
    """One score request as received, with the status the platform answered."""

    id: int
    received_at: float
    course_id: str
    line_item_id: str
    user_id: str
    media_type: str
    body: str
    status: int
    outcome: str

    def as_json(self) -> dict[str, Any]:
        """The request as the admin JSON API lists it."""
        return {
            "id": self.id,
            "received_at": self.received_at,
            "course_id": self.course_id,
            "line_item_id": self.line_item_id,
            "user_id": self.user_id,
            "media_type": self.media_type,
            "body": self.body,
            "status": self.status,
            "outcome": self.outcome,
        }


@dataclass(frozen=True)
class GradebookRow:
    """A student and their result per line item (None: no score yet), in column order."""

    member: Member
    cells: list[Result | None]


def gradebook_rows(
    members: Sequence[Member], line_items: Sequence[LineItem], results: Sequence[Result]
) -> list[GradebookRow]:
    """Rows of the gradebook: one per student, one cell per line item."""
    by_key = {(r.line_item_id, r.user_id): r for r in results}
    return [
        GradebookRow(
            member=member,
            cells=[by_key.get((item.id, member.user.sub)) for item in line_items],
        )
        for member in members
        if member.role == "Learner"
    ]


def _line_item(row: sqlite3.Row) -> LineItem:
    data: dict[str, Any] = dict(row)
    data.pop("created_at")
    released = data.pop("grades_released")
    return LineItem(grades_released=None if released is None else bool(released), **data)


def _result(row: sqlite3.Row) -> Result:
    data: dict[str, Any] = dict(row)
    for column in ("timestamp_us", "updated_at"):
        data.pop(column)
    return Result(**data)


class GradeStore:
    """Reads and writes of line items, results and the score log."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return connect(self.path)

    # --- line items --------------------------------------------------------------------
    def line_items(
        self,
        course_id: str,
        *,
        resource_link_id: str | None = None,
        resource_id: str | None = None,
        tag: str | None = None,
    ) -> list[LineItem]:
        """Line items of a course, oldest first, filtered as the AGS container query asks."""
        query = "SELECT * FROM line_items WHERE course_id = ?"
        params: list[str] = [course_id]
        for column, value in (
            ("resource_link_id", resource_link_id),
            ("resource_id", resource_id),
            ("tag", tag),
        ):
            if value is not None:
                query += f" AND {column} = ?"
                params.append(value)
        with self._connect() as conn:
            rows = conn.execute(query + " ORDER BY created_at, rowid", params).fetchall()
        return [_line_item(row) for row in rows]

    def line_item(self, course_id: str, line_item_id: str) -> LineItem | None:
        """The line item with that id in that course."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT * FROM line_items WHERE id = ? AND course_id = ?",
                (line_item_id, course_id),
            ).fetchone()
        return _line_item(row) if row else None

    def create_line_item(self, course_id: str, item: NewLineItem) -> LineItem:
        """Add a line item to a course."""
        with self._connect() as conn:
            line_item_id = insert_line_item(conn, course_id, item, time.time())
        created = self.line_item(course_id, line_item_id)
        assert created is not None
        return created

    def update_line_item(
        self, course_id: str, line_item_id: str, item: NewLineItem
    ) -> LineItem | None:
        """Replace a line item's values; the resource link it belongs to stays as it was."""
        released = None if item.grades_released is None else int(item.grades_released)
        with self._connect() as conn:
            cursor = conn.execute(
                "UPDATE line_items SET label = ?, score_maximum = ?, resource_id = ?, tag = ?, "
                "start_date_time = ?, end_date_time = ?, grades_released = ? "
                "WHERE id = ? AND course_id = ?",
                (
                    item.label,
                    item.score_maximum,
                    item.resource_id,
                    item.tag,
                    item.start_date_time,
                    item.end_date_time,
                    released,
                    line_item_id,
                    course_id,
                ),
            )
        return self.line_item(course_id, line_item_id) if cursor.rowcount else None

    def delete_line_item(self, course_id: str, line_item_id: str) -> bool:
        """Remove a line item and its results; False when there was none."""
        with self._connect() as conn:
            cursor = conn.execute(
                "DELETE FROM line_items WHERE id = ? AND course_id = ?", (line_item_id, course_id)
            )
        return cursor.rowcount == 1

    # --- results -----------------------------------------------------------------------
    def record_score(self, line_item_id: str, score: Score) -> bool:
        """Keep ``score`` as the student's result unless the stored one is newer.

        One statement, so two scores arriving at once cannot both win. Returns False
        when the stored result has a later timestamp (it is left untouched).
        """
        with self._connect() as conn:
            cursor = conn.execute(
                "INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (line_item_id, user_id) DO UPDATE SET "
                "score_given = excluded.score_given, score_maximum = excluded.score_maximum, "
                "comment = excluded.comment, activity_progress = excluded.activity_progress, "
                "grading_progress = excluded.grading_progress, timestamp = excluded.timestamp, "
                "timestamp_us = excluded.timestamp_us, updated_at = excluded.updated_at "
                "WHERE excluded.timestamp_us >= results.timestamp_us",
                (
                    line_item_id,
                    score.user_id,
                    score.score_given,
                    score.score_maximum,
                    score.comment,
                    score.activity_progress,
                    score.grading_progress,
                    score.timestamp,
                    score.timestamp_us,
                    time.time(),
                ),
            )
        return cursor.rowcount == 1

    def results(self, line_item_id: str, user_id: str | None = None) -> list[Result]:
        """Results of a line item (one student's when ``user_id`` is given)."""
        query = "SELECT * FROM results WHERE line_item_id = ?"
        params = [line_item_id]
        if user_id is not None:
            query += " AND user_id = ?"
            params.append(user_id)
        with self._connect() as conn:
            rows = conn.execute(query + " ORDER BY user_id", params).fetchall()
        return [_result(row) for row in rows]

    def course_results(self, course_id: str) -> list[Result]:
        """Every result of every line item of a course."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT r.* FROM results r JOIN line_items l ON l.id = r.line_item_id "
                "WHERE l.course_id = ?",
                (course_id,),
            ).fetchall()
        return [_result(row) for row in rows]

    # --- the score log -----------------------------------------------------------------
    def log_score_request(
        self,
        *,
        received_at: float,
        course_id: str,
        line_item_id: str,
        user_id: str,
        media_type: str,
        body: bytes,
        status: int,
        outcome: str,
    ) -> None:
        """Keep a received score request and the status it was answered with."""
        text = body[:MAX_LOGGED_BODY].decode("utf-8", errors="replace")
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO score_requests (received_at, course_id, line_item_id, user_id, "
                "media_type, body, status, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (received_at, course_id, line_item_id, user_id, media_type, text, status, outcome),
            )

    def score_requests(
        self, course_id: str | None = None, limit: int | None = None
    ) -> list[ScoreRequest]:
        """Received score requests, newest first (of one course when given)."""
        query = "SELECT * FROM score_requests"
        params: list[str | int] = []
        if course_id is not None:
            query += " WHERE course_id = ?"
            params.append(course_id)
        query += " ORDER BY id DESC"
        if limit is not None:
            query += " LIMIT ?"
            params.append(limit)
        with self._connect() as conn:
            rows = conn.execute(query, params).fetchall()
        return [ScoreRequest(**dict(row)) for row in rows]
