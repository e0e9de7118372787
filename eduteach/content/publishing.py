"""Publishing an activity to students, and finding the publication an LMS link opens.

A publication's token travels in the LMS link's custom parameters (``eduteach_activity``),
set by the deep linking response or pasted by the teacher. It is honoured only in launches
from the publication's own course, so a link copied into another course opens nothing.
The first launch of a resource link records it as a placement with the AGS line item the
platform named for it in that signed launch; scores go there and nowhere else.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduteach.lti.context import LaunchContext
from eduteach.storage.models import Artifact, Placement, Publication

CUSTOM_KEY = "eduteach_activity"
"""The custom parameter naming the publication a link opens."""

DEFAULT_SETTINGS: dict[str, Any] = {
    "attempts_allowed": 0,  # 0: unlimited
    "feedback": "after_submit",  # or "after_due"
    "due_at": "",
    "shuffle": False,
}


def publish(
    session: Session,
    artifact: Artifact,
    *,
    created_by: str,
    graded: bool,
    score_maximum: float = 10.0,
    settings: Mapping[str, Any] | None = None,
) -> Publication:
    """A new publication of ``artifact`` with the teacher's settings."""
    publication = Publication(
        token=secrets.token_urlsafe(24),
        course_id=artifact.course_id,
        artifact_id=artifact.id,
        created_by=created_by,
        graded=graded,
        score_maximum=score_maximum,
        settings={**DEFAULT_SETTINGS, **(settings or {})},
    )
    session.add(publication)
    session.flush()
    return publication


def _line_item(launch: LaunchContext) -> tuple[str, list[str]]:
    ags = launch.ags or {}
    url = ags.get("lineitem")
    scopes = [s for s in ags.get("scope") or [] if isinstance(s, str)]
    return (url if isinstance(url, str) else ""), scopes


def placement_for_launch(
    session: Session, launch: LaunchContext, course_id: int
) -> Placement | None:
    """The placement a resource link launch opens (recorded at its first launch), or None."""
    link = launch.resource_link_id
    if not link:
        return None
    placement = session.scalars(
        select(Placement).where(
            Placement.course_id == course_id, Placement.resource_link_id == link
        )
    ).first()
    line_item, scopes = _line_item(launch)
    if placement is None:
        token = (launch.custom or {}).get(CUSTOM_KEY, "")
        if not token:
            return None
        publication = session.scalars(
            select(Publication).where(
                Publication.token == token, Publication.course_id == course_id
            )
        ).first()
        if publication is None:
            return None
        placement = Placement(
            course_id=course_id,
            resource_link_id=link,
            publication_id=publication.id,
            line_item_url=line_item or publication.line_item_url,
            ags_scopes=scopes,
        )
        session.add(placement)
        session.flush()
    elif line_item and line_item != placement.line_item_url:
        # The platform's signed launch names the line item; a later launch may carry one the
        # first did not (or the LMS recreated the column).
        placement.line_item_url = line_item
        placement.ags_scopes = scopes
    return placement
