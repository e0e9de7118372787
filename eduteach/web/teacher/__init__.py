"""The teacher's screens: course library, create forms, progress, review and edit.

The library itself is served as ``pages.teacher_home`` (``/teacher``), where launches land;
everything else lives under ``/teacher/`` in this blueprint.
"""

from flask import Blueprint

bp = Blueprint("teacher", __name__, url_prefix="/teacher")

from . import (  # noqa: E402  - the views register themselves on bp
    activities,
    create,
    exports,
    guidelines,
    jobs,
    modify,
    results,
    review,
    school,
    standards,
)

__all__ = [
    "activities",
    "bp",
    "create",
    "exports",
    "guidelines",
    "jobs",
    "modify",
    "results",
    "review",
    "school",
    "standards",
]
