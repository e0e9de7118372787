"""The course library: what this course's teachers made, and what is being made right now."""

from __future__ import annotations

from flask import request

from eduteach.content import artifacts
from eduteach.content.kinds import KINDS

from ..security import current_record
from .jobs import describe, library_jobs
from .results import needing_attention
from .scope import render_page, services


def home_page() -> str:
    """The teacher's home: the library of the launch's course (``pages.teacher_home``)."""
    record = current_record()
    if record is None or record.course_id is None:
        return render_page("teacher/home.html", items=[], jobs=[], no_course=True)
    with services().db.session() as s:
        items = artifacts.course_library(s, record.course_id)
        by_id = {item.id: item for item in items}
        jobs = [(job, describe(s, job)) for job in library_jobs(s, record.course_id)]
        return render_page(
            "teacher/home.html",
            items=items,
            by_id=by_id,
            jobs=jobs,
            reviewable=set(KINDS),
            no_course=False,
            done=request.args.get("done", ""),
            attention=len(needing_attention(s, record.course_id)),
        )
