"""Who is an LMS administrator: the institution or system roles Canvas and Moodle send."""

from __future__ import annotations

import pytest

from eduteach.lti.context import LaunchContext
from eduteach.lti.roles import Audience, audience_for, is_administrator

INSTITUTION = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#"
SYSTEM = "http://purl.imsglobal.org/vocab/lis/v2/system/person#"
MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"


@pytest.mark.parametrize(
    "roles",
    [
        [INSTITUTION + "Administrator"],  # Canvas account admin, in no course
        [INSTITUTION + "Administrator", SYSTEM + "User"],
        [SYSTEM + "SysAdmin"],
        [MEMBERSHIP + "Instructor", SYSTEM + "Administrator", INSTITUTION + "Administrator"],
        [MEMBERSHIP + "Learner", INSTITUTION + "Administrator"],  # an admin in a course's roll
    ],
)
def test_institution_and_system_administrators_are_administrators(roles: list[str]) -> None:
    assert is_administrator(roles)


@pytest.mark.parametrize(
    "roles",
    [
        [],
        [MEMBERSHIP + "Instructor", INSTITUTION + "Faculty"],
        [MEMBERSHIP + "Administrator"],  # a course's administrator, not the school's
        ["Administrator"],  # a short name is a context role
        [INSTITUTION + "Staff", SYSTEM + "User"],
        [MEMBERSHIP + "Learner", INSTITUTION + "Student"],
        ["urn:lti:instrole:ims/lis/Administrator"],
    ],
)
def test_everyone_else_is_not(roles: list[str]) -> None:
    assert not is_administrator(roles)


def test_an_administrator_without_a_course_role_is_still_a_teacher() -> None:
    roles = (INSTITUTION + "Administrator", SYSTEM + "User")
    assert audience_for(roles) is Audience.TEACHER
    launch = LaunchContext(
        issuer="https://lms.example",
        client_id="tool",
        deployment_id="1",
        user_sub="opaque",
        audience=audience_for(roles),
        roles=roles,
        message_type="LtiResourceLinkRequest",
        target_link_uri="https://tool.example/lti/launch",
    )
    assert launch.is_admin
    assert launch.is_teacher
    # The stored launch (a dict) answers the same.
    assert LaunchContext.from_dict(launch.to_dict()).is_admin
