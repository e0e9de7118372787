"""A course placed from the test gradebook, students' attempts in it, and the tool's services."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from eduteach.grades import enqueue_score
from eduteach.lti.claims import SCOPE_SCORE
from eduteach.lti.keys import active_key, published_jwks
from eduteach.services import Services
from eduteach.storage.db import Database
from eduteach.storage.models import (
    Artifact,
    Attempt,
    Course,
    Deployment,
    Placement,
    Platform,
    Publication,
    ScoreDelivery,
)
from tests.conftest import make_settings
from tests.grades.ags_server import CLIENT_ID, AgsServer

# The client's timeout for each call to the LMS (a "slow" reply waits longer than this);
# generous, so a loaded CI machine does not turn a normal reply into a timeout.
HTTP_TIMEOUT = 3.0


@pytest.fixture(scope="module")
def ags() -> Iterator[AgsServer]:
    with AgsServer() as server:
        yield server


def build_services(database_url: str, instance: Path) -> Services:
    return Services.build(
        make_settings(
            instance, database_url, "https://eduteach.example.edu", http_timeout=HTTP_TIMEOUT
        )
    )


@pytest.fixture
def services(db: Database, tmp_path: Path, ags: AgsServer) -> Iterator[Services]:
    """The tool's services on an empty database; the gradebook trusts the tool's key."""
    svc = build_services(db.url, tmp_path / "instance")
    with svc.db.session() as s:
        active_key(s)
        ags.reset(published_jwks(s))
    yield svc
    svc.db.dispose()


class Classroom:
    """One graded quiz (10 points) placed in a course of the test gradebook."""

    def __init__(self, services: Services, ags: AgsServer) -> None:
        self.services = services
        with services.db.session() as s:
            platform = Platform(
                name="Test gradebook",
                issuer=ags.url,
                client_id=CLIENT_ID,
                auth_login_url=ags.url + "/auth",
                auth_token_url=ags.token_url,
                key_set_url=ags.url + "/jwks",
            )
            platform.deployments.append(Deployment(deployment_id="1"))
            s.add(platform)
            s.flush()
            course = Course(
                deployment_pk=platform.deployments[0].id, context_id="bio-9", title="Biology 9"
            )
            s.add(course)
            s.flush()
            artifact = Artifact(
                course_id=course.id, owner_sub="teacher-1", kind="quiz", title="Cells quiz"
            )
            s.add(artifact)
            s.flush()
            publication = Publication(
                token=secrets.token_urlsafe(16),
                course_id=course.id,
                artifact_id=artifact.id,
                created_by="teacher-1",
                graded=True,
                score_maximum=10.0,
            )
            s.add(publication)
            s.flush()
            placement = Placement(
                course_id=course.id,
                resource_link_id="link-1",
                publication_id=publication.id,
                line_item_url=ags.line_item("cells-quiz", type_id="7"),
                ags_scopes=[SCOPE_SCORE],
            )
            s.add(placement)
            s.flush()
            self.course_id = course.id
            self.placement_id = placement.id

    def submit(self, user: str, points: float, max_points: float, *, at: datetime) -> int:
        """A scored attempt committed with its outbox row, as the submit path does; its id."""
        with self.services.db.session() as s:
            placement = s.get_one(Placement, self.placement_id)
            publication = s.get_one(Publication, placement.publication_id)
            attempt = Attempt(
                placement_id=placement.id,
                user_sub=user,
                submit_key=secrets.token_hex(8),
                artifact_version=1,
                points=points,
                max_points=max_points,
                submitted_at=at,
            )
            s.add(attempt)
            s.flush()
            delivery = enqueue_score(s, attempt, placement, publication)
            assert delivery is not None
            return delivery.id

    def move_line_item(self, url: str) -> None:
        """The LMS named another line item in a later launch (the column was recreated)."""
        with self.services.db.session() as s:
            s.get_one(Placement, self.placement_id).line_item_url = url

    def row(self, delivery_id: int) -> ScoreDelivery:
        with self.services.db.session() as s:
            return s.get_one(ScoreDelivery, delivery_id)


@pytest.fixture
def classroom(services: Services, ags: AgsServer) -> Classroom:
    return Classroom(services, ags)


def aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back without their (UTC) zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


SUBMITTED = datetime(2026, 3, 2, 9, 15, 30, 123456, tzinfo=UTC)
LATER = SUBMITTED + timedelta(minutes=20)
