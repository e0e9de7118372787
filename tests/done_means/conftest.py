"""Fixtures borrowed from the teacher tests: the practice LMS and tool in a browser, the model."""

from tests.teacher.conftest import live, lms_with_storage, model_server

__all__ = ["live", "lms_with_storage", "model_server"]
