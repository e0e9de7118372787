"""The student's screens: the activity a resource link opens, its attempts and their results.

A student's launch on a placed activity lands on ``student.activity`` (``/student/activity``);
everything a student does there is scoped by the launch: its course, resource link and user.
"""

from flask import Blueprint

bp = Blueprint("student", __name__, url_prefix="/student")

from . import flashcards, views  # noqa: E402  - the views register themselves on bp

__all__ = ["bp", "flashcards", "views"]
