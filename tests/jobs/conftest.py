"""A course to hang jobs and artifacts on."""

from __future__ import annotations

import pytest

from eduteach.storage.db import Database
from eduteach.storage.models import Course, Deployment, Platform


@pytest.fixture
def course_id(db: Database) -> int:
    with db.session() as s:
        platform = Platform(
            issuer="https://lms.example.edu",
            client_id="c",
            name="LMS",
            auth_login_url="https://lms.example.edu/auth",
            auth_token_url="https://lms.example.edu/token",
            key_set_url="https://lms.example.edu/jwks",
            frame_origins=[],
        )
        platform.deployments.append(Deployment(deployment_id="d"))
        s.add(platform)
        s.flush()
        course = Course(deployment_pk=platform.deployments[0].id, context_id="ctx", title="Maths 5")
        s.add(course)
        s.flush()
        return course.id
