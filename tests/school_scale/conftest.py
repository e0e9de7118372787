"""An LMS administrator and a teacher launched from the practice LMS; fixtures borrowed.

``admin`` is Mr. Okafor, the practice LMS's administrator: enrolled in no course, he opens
EduTeach in the demo course with the institution role Administrator, as Canvas account
admins do. ``teacher`` is Ms. Rivera (context role Instructor).
"""

from __future__ import annotations

import pytest

from eduteach.practice_lms.store import DEMO_ADMIN
from tests.fakes.openai_server import FakeOpenAI
from tests.lti.conftest import Lti
from tests.teacher.conftest import (
    Teacher,
    launch_as,
    live,
    lms_with_storage,
    lti,
    lti_servers,
    model,
    model_server,
    teacher,
)

__all__ = [
    "live",
    "lms_with_storage",
    "lti",
    "lti_servers",
    "model",
    "model_server",
    "teacher",
]


@pytest.fixture
def admin(lti: Lti, model: FakeOpenAI) -> Teacher:
    """The LMS administrator, launched over HTTP (the same helper as a teacher)."""
    return launch_as(lti, DEMO_ADMIN.id)
