"""Fixtures borrowed from the teacher tests: the practice LMS, a launched teacher, the fake model."""

from tests.teacher.conftest import (
    live,
    lms_with_storage,
    lti,
    lti_servers,
    model,
    model_server,
    teacher,
)

__all__ = ["live", "lms_with_storage", "lti", "lti_servers", "model", "model_server", "teacher"]
