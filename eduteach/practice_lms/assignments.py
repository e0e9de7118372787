"""A course's assignments: written in the LMS, or an EduTeach activity placed with a grade.

As in Canvas and Moodle, an assignment has a description the teacher writes, a due date
and points, and a tool can add content to its description (the rich content editor's
deep linking placement). An activity placed from the tool with a gradebook column is an
assignment too: its work is done in the tool, its description is the link's text.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from eduteach.practice_lms.grades import GradeStore
from eduteach.practice_lms.store import ContentItem, PracticeStore, ResourceLink


@dataclass(frozen=True)
class Assignment:
    """One assignment and the content tools added to its description.

    ``link`` is the tool's activity students open, for an assignment done in the tool;
    ``due_at`` an ISO date and time as stored (with or without a time zone), or empty.
    """

    id: str
    course_id: str
    title: str
    description: str
    due_at: str
    points: float | None
    link: ResourceLink | None = None
    contents: tuple[ContentItem, ...] = ()

    @property
    def paragraphs(self) -> list[str]:
        """The description's paragraphs (split at blank lines), lines joined."""
        blocks = self.description.replace("\r\n", "\n").split("\n\n")
        return [" ".join(block.split()) for block in blocks if block.strip()]

    @property
    def due_label(self) -> str:
        """The due date in words ("Mon 14 Dec 2026, 23:59"), empty when there is none."""
        if not self.due_at:
            return ""
        try:
            due = datetime.datetime.fromisoformat(self.due_at)
        except ValueError:
            return self.due_at
        zone = " UTC" if due.utcoffset() == datetime.timedelta(0) else ""
        return f"{due:%a %d %b %Y, %H:%M}{zone}"


def course_assignments(
    store: PracticeStore, grades: GradeStore, course_id: str
) -> list[Assignment]:
    """The course's assignments: those written in the LMS first, then graded tool links."""
    contents: dict[str, list[ContentItem]] = {}
    for item in store.content_items(course_id):
        if item.assignment_id is not None:
            contents.setdefault(item.assignment_id, []).append(item)
    found = [
        Assignment(
            id=native.id,
            course_id=native.course_id,
            title=native.title,
            description=native.description,
            due_at=native.due_at,
            points=native.points,
            contents=tuple(contents.get(native.id, ())),
        )
        for native in store.assignments(course_id)
    ]
    columns = {
        item.resource_link_id: item
        for item in grades.line_items(course_id)
        if item.resource_link_id is not None
    }
    for link in store.placed_links(course_id):
        column = columns.get(link.id)
        if column is None:
            continue
        found.append(
            Assignment(
                id=link.id,
                course_id=course_id,
                title=link.title,
                description=link.text,
                due_at=column.end_date_time,
                points=column.score_maximum,
                link=link,
                contents=tuple(contents.get(link.id, ())),
            )
        )
    return found


def course_assignment(
    store: PracticeStore, grades: GradeStore, course_id: str, assignment_id: str
) -> Assignment | None:
    """The course's assignment with that id, None when the course has no such assignment."""
    return next(
        (a for a in course_assignments(store, grades, course_id) if a.id == assignment_id), None
    )
