"""The teacher's and the student's home inside a course."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from eduteach.lti.roles import Audience

from .security import current_launch, requires_launch
from .teacher.library import home_page

bp = Blueprint("pages", __name__)


@bp.get("/teacher")
@requires_launch(Audience.TEACHER)
def teacher_home() -> ResponseReturnValue:
    """The course library; kept under this name because launches redirect here."""
    return home_page()


@bp.get("/student")
@requires_launch()
def student_home() -> ResponseReturnValue:
    return render_template("student/home.html", page_role="student", launch=current_launch())
