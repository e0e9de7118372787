"""What every student view needs: the activity this launch opens, for the student who launched.

The placement comes from the signed launch alone (its course, resource link and user), never
from ids in a URL or form, so a student can reach only their own work on the link they
launched from.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from flask import abort, current_app, render_template
from pydantic import BaseModel
from sqlalchemy.orm import Session

from eduteach.activities import ACTIVITIES
from eduteach.activities.base import ActivityType
from eduteach.content import artifacts
from eduteach.content.publishing import placement_for_launch
from eduteach.services import Services
from eduteach.storage.models import Artifact, ArtifactVersion, Placement, Publication

from ..security import current_launch, current_record
from .rules import Rules


def services() -> Services:
    svc: Services = current_app.extensions["eduteach"]
    return svc


def secret() -> str:
    """The server secret that keys the players' shuffles, so students cannot recompute them."""
    return str(current_app.config["SECRET_KEY"])


@dataclass(frozen=True)
class Placed:
    """The activity a student's launch opens, and who the student is."""

    placement: Placement
    publication: Publication
    artifact: Artifact
    activity: ActivityType
    rules: Rules
    user_sub: str

    @property
    def kind(self) -> str:
        return self.artifact.kind

    def version(self, number: int | str | None = None) -> ArtifactVersion:
        """Version ``number`` of the activity (the current one when it is unknown)."""
        for version in self.artifact.versions:
            if str(version.number) == str(number):
                return version
        return artifacts.current_version(self.artifact)

    def model(self, version: ArtifactVersion) -> BaseModel:
        """The activity as its type's output model, from the stored version."""
        return self.activity.output.model_validate(version.data)

    def shuffle_key(self, number: int) -> str:
        """What fixes the quiz order of this student's attempt ``number`` ("" without shuffle).

        Hashed, so the student's id never reaches the page.
        """
        if not self.rules.shuffle:
            return ""
        text = f"{self.placement.id}|{self.user_sub}|{number}"
        return hmac.new(secret().encode(), text.encode(), hashlib.sha256).hexdigest()


def find_placed(session: Session) -> Placed | None:
    """The activity the current launch opens, or None when the link opens none."""
    launch, record = current_launch(), current_record()
    if launch is None or record is None or record.course_id is None:
        return None
    placement = placement_for_launch(session, launch, record.course_id)
    if placement is None:
        return None
    publication = placement.publication
    artifact = publication.artifact
    activity = ACTIVITIES.get(artifact.kind)
    if activity is None or publication.course_id != record.course_id:
        return None
    rules = Rules.of(publication.settings or {}, activity)
    return Placed(placement, publication, artifact, activity, rules, launch.user_sub)


def placed_or_404(session: Session) -> Placed:
    """``find_placed``, or 404 for a launch that opens no activity."""
    found = find_placed(session)
    if found is None:
        abort(404)
    return found


def render_page(template: str, **context: Any) -> str:
    """A student page: role and launch come with every one."""
    return render_template(template, page_role="student", launch=current_launch(), **context)
