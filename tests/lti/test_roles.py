import pytest

from eduteach.lti.roles import Audience, audience_for

M = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
INST = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#"
S = "http://purl.imsglobal.org/vocab/lis/v2/system/person#"


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ([M + "Instructor"], Audience.TEACHER),
        ([M + "Instructor", INST + "Faculty", S + "User"], Audience.TEACHER),
        (
            ["http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"],
            Audience.TEACHER,
        ),
        ([M + "ContentDeveloper"], Audience.TEACHER),
        (["Instructor"], Audience.TEACHER),  # short role name
        (["Learner"], Audience.STUDENT),
        ([M + "Learner", INST + "Student"], Audience.STUDENT),
        # Canvas's test student: Learner plus a system TestUser role.
        (
            [M + "Learner", "http://purl.imsglobal.org/vocab/lti/system/person#TestUser"],
            Audience.STUDENT,
        ),
        ([], Audience.STUDENT),  # no role
        (["http://example.com/roles#Wizard"], Audience.STUDENT),  # unknown role
        ([M + "Mentor"], Audience.STUDENT),
        # Institution roles count only without any context role.
        ([INST + "Faculty"], Audience.TEACHER),
        ([INST + "Faculty", M + "Learner"], Audience.STUDENT),
        ([S + "Administrator"], Audience.TEACHER),
        ([INST + "Student"], Audience.STUDENT),
    ],
)
def test_audience_follows_context_roles_first(roles: list[str], expected: Audience) -> None:
    assert audience_for(roles) is expected
