"""Names and Role Provisioning Services 2.0, platform side: a course's memberships."""

from __future__ import annotations

from typing import Any

from eduteach.practice_lms import claims as c
from eduteach.practice_lms.config import PracticeConfig
from eduteach.practice_lms.errors import ServiceError
from eduteach.practice_lms.services import ServiceAnswer, ServiceRequest, TokenChecker, paginate
from eduteach.practice_lms.store import Member, PracticeStore


def member_json(member: Member) -> dict[str, Any]:
    """One membership: ``user_id`` is the ``sub`` the person has in launches."""
    user = member.user
    return {
        "status": "Active",
        "user_id": user.sub,
        "name": user.name,
        "given_name": user.given_name,
        "family_name": user.family_name,
        "email": user.email,
        "roles": [c.context_role_uri(member.role)],
    }


def _has_role(member: Member, role: str) -> bool:
    """The NRPS ``role`` filter: a full role URI or its short name."""
    return role in (member.role, c.context_role_uri(member.role))


class NrpsService:
    """The context membership endpoint of every course."""

    def __init__(self, config: PracticeConfig, store: PracticeStore, tokens: TokenChecker) -> None:
        self._config = config
        self._store = store
        self._tokens = tokens

    def memberships(self, course_id: str, request: ServiceRequest) -> ServiceAnswer:
        """GET the membership container, optionally filtered by ``role`` and paged by ``limit``.

        ``rlid`` must name a resource link of the course (403 otherwise, as the spec asks);
        everyone in the course can open every link here, so the members are the same.
        """
        course = self._store.course(course_id)
        if course is None:
            raise ServiceError(404, "There is no such course.")
        self._tokens.check(request.authorization, (c.SCOPE_NRPS,))
        query = request.query
        link_id = query.get("rlid")
        if link_id is not None:
            link = self._store.resource_link(link_id)
            if link is None or link.course_id != course.id:
                raise ServiceError(403, "rlid names no resource link of this course.")
        members = self._store.members(course.id)
        role = query.get("role")
        if role:
            members = [member for member in members if _has_role(member, role)]
        url = self._config.memberships_url(course.id)
        page, headers = paginate(members, query, url)
        body = {
            "id": url,
            "context": {"id": course.id, "label": course.label, "title": course.title},
            "members": [member_json(member) for member in page],
        }
        return ServiceAnswer(200, body, c.MEDIA_MEMBERSHIP_CONTAINER, headers)
