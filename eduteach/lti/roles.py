"""Who a launch is for: teacher or student, decided on LTI roles.

Context roles decide. Institution and system roles count only when the launch carries no
context role at all. Anything unknown, or no role, is a student: the least privilege.

Apart from the audience, a launch can be by an LMS administrator: the institution role
Administrator, or the system role Administrator or SysAdmin (what Canvas sends for account
admins and Moodle for site admins), whatever the context roles. Administrators may change
settings of the whole school, such as its AI-use scale.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

CONTEXT_NS = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
INSTITUTION_NS = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#"
SYSTEM_NS = "http://purl.imsglobal.org/vocab/lis/v2/system/person#"


class Audience(StrEnum):
    TEACHER = "teacher"
    STUDENT = "student"
    ADMIN = "admin"


_TEACHING_CONTEXT = {"Instructor", "TeachingAssistant", "ContentDeveloper"}
_TEACHING_INSTITUTION = {"Faculty", "Instructor", "Staff", "Administrator"}
_TEACHING_SYSTEM = {"Administrator", "SysAdmin"}
_ADMIN_INSTITUTION = {"Administrator"}
_ADMIN_SYSTEM = {"Administrator", "SysAdmin"}


def _split(role: str) -> tuple[str, str]:
    """Return (scope, principal name) for a full URI, a sub-role, or a short name."""
    role = role.strip()
    for ns, scope in (
        (CONTEXT_NS, "context"),
        (INSTITUTION_NS, "institution"),
        (SYSTEM_NS, "system"),
    ):
        if role.startswith(ns):
            return scope, role[len(ns) :].split("#")[0]
    if role.startswith(CONTEXT_NS.rstrip("#") + "/"):
        # Sub-roles such as .../membership/Instructor#TeachingAssistant belong to the principal.
        return "context", role.rsplit("/", 1)[1].split("#")[0]
    if "://" in role or ":" in role:
        return "other", role
    # Short names ("Instructor", "Learner") are context roles by the LTI 1.3 spec.
    return "context", role


def audience_for(roles: Iterable[str]) -> Audience:
    """Map a launch's roles claim to the audience its pages are rendered for."""
    parsed = [_split(r) for r in roles if isinstance(r, str) and r.strip()]
    context = {name for scope, name in parsed if scope == "context"}
    if context:
        return Audience.TEACHER if context & _TEACHING_CONTEXT else Audience.STUDENT
    institution = {name for scope, name in parsed if scope == "institution"}
    system = {name for scope, name in parsed if scope == "system"}
    if institution & _TEACHING_INSTITUTION or system & _TEACHING_SYSTEM:
        return Audience.TEACHER
    return Audience.STUDENT


def is_administrator(roles: Iterable[str]) -> bool:
    """Whether the roles name an LMS administrator (institution or system role, full URI).

    Only full institution and system role URIs count: a short name such as "Administrator"
    is a context role by the LTI 1.3 spec, and a course's own administrator is not the
    school's.
    """
    for role in roles:
        if not isinstance(role, str):
            continue
        scope, name = _split(role)
        if (scope == "institution" and name in _ADMIN_INSTITUTION) or (
            scope == "system" and name in _ADMIN_SYSTEM
        ):
            return True
    return False
