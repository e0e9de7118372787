"""Fixtures borrowed from the CLI and teacher tests: the fake model, the LMS and a teacher."""

from tests.cli.conftest import env
from tests.teacher.conftest import (
    live,
    lms_with_storage,
    lti,
    lti_servers,
    model,
    model_server,
    teacher,
)

__all__ = [
    "env",
    "live",
    "lms_with_storage",
    "lti",
    "lti_servers",
    "model",
    "model_server",
    "teacher",
]
