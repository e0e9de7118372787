"""The practice LMS: a small, real LTI 1.3 platform to try EduTeach without Canvas or Moodle.

It is a separate Flask app on its own port, built on ``lti1p3platform``: a demo course,
a teacher and two students, OIDC launches into the tool (in an iframe, with LTI platform
storage), its own key set and an OAuth 2 token endpoint, deep linking ("Add EduTeach
content"), Assignment and Grade Services with a gradebook page and a switch that turns
the grade endpoints off, slow or picky, and Names and Role Provisioning.
"""

from __future__ import annotations

from eduteach.practice_lms.app import create_practice_app
from eduteach.practice_lms.config import PLATFORM_NAME, PracticeConfig, registration_values
from eduteach.practice_lms.errors import (
    AuthRequestError,
    DeepLinkingError,
    KeyStoreError,
    NotAllowedError,
    PracticeConfigError,
    PracticeLmsError,
    ServiceError,
    TokenRequestError,
    UnknownUserError,
)
from eduteach.practice_lms.forms import LaunchForm, parse_launch_form
from eduteach.practice_lms.platform import PracticePlatform
from eduteach.practice_lms.serving import ServedApp, listener_url, open_listener, serve_in_thread
from eduteach.practice_lms.store import DEMO_COURSE_ID, DEMO_STUDENTS, DEMO_TEACHER
from eduteach.practice_lms.switch import GradeServiceSwitch, SwitchError


def rotate_key(config: PracticeConfig) -> str:
    """Make a new current signing key for the platform at ``config``; returns its kid."""
    return PracticePlatform(config).rotate_key()


__all__ = [
    "DEMO_COURSE_ID",
    "DEMO_STUDENTS",
    "DEMO_TEACHER",
    "PLATFORM_NAME",
    "AuthRequestError",
    "DeepLinkingError",
    "GradeServiceSwitch",
    "KeyStoreError",
    "LaunchForm",
    "NotAllowedError",
    "PracticeConfig",
    "PracticeConfigError",
    "PracticeLmsError",
    "PracticePlatform",
    "ServedApp",
    "ServiceError",
    "SwitchError",
    "TokenRequestError",
    "UnknownUserError",
    "create_practice_app",
    "listener_url",
    "open_listener",
    "parse_launch_form",
    "registration_values",
    "rotate_key",
    "serve_in_thread",
]
