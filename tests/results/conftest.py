"""A teacher launched from the practice LMS, with a gradebook and a roster behind the launch.

The practice LMS signs every launch and issues the service tokens from its real token
endpoint. The AGS line item container and the NRPS membership URL the launch names point at
a small fake platform service (pytest-httpserver) that records what the tool sent and answers
as a test scripts it; its roster is the practice course's real people.

Students' attempts are written straight to the database, scored by the activity's own
``score``, with their outbox rows, as the student pages would leave them.
"""

from __future__ import annotations

import json
import re
import secrets
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from lxml import html as lxml_html
from pytest_httpserver import HTTPServer
from sqlalchemy import select
from werkzeug import Request, Response

from eduteach.activities import ACTIVITIES
from eduteach.content import publishing
from eduteach.lti import claims
from eduteach.practice_lms import DEMO_COURSE_ID
from eduteach.practice_lms.claims import ROLE_URIS
from eduteach.storage.db import Database
from eduteach.storage.models import (
    Artifact,
    Attempt,
    Placement,
    Publication,
    ScoreDelivery,
)
from tests.activities import samples
from tests.lti.conftest import Lti, lti, lti_servers
from tests.teacher.conftest import STUDENT, TEACHER, Teacher

__all__ = ["lti", "lti_servers"]  # fixtures shared with the tests

OTHER_STUDENT = "sam"


@dataclass(frozen=True)
class Recorded:
    """One request the fake platform service received."""

    method: str
    path: str
    query: dict[str, list[str]]
    content_type: str
    accept: str
    body: Any
    scopes: tuple[str, ...]  # of the bearer token it carried


@dataclass
class FakePlatformServices:
    """The gradebook (AGS line items) and roster (NRPS) of a platform, on 127.0.0.1."""

    server: HTTPServer
    members: list[dict[str, Any]]
    requests: list[Recorded] = field(default_factory=list)
    line_items: list[dict[str, Any]] = field(default_factory=list)
    # Statuses for the next line item posts, in order (an empty queue: 201 Created).
    post_replies: deque[int] = field(default_factory=deque)
    # A failed post that made the column anyway (the LMS was slow to answer, not wrong).
    made_despite_failure: bool = False
    members_status: int = 200

    @property
    def line_items_url(self) -> str:
        return self.server.url_for("/api/lti/courses/science-7/line_items")

    @property
    def memberships_url(self) -> str:
        return self.server.url_for("/api/lti/courses/science-7/memberships")

    def install(self) -> None:
        path = urlsplit(self.line_items_url).path
        self.server.expect_request(path, method="POST").respond_with_handler(self._post)
        self.server.expect_request(path, method="GET").respond_with_handler(self._list)
        members = urlsplit(self.memberships_url).path
        self.server.expect_request(members, method="GET").respond_with_handler(self._members)

    def _record(self, request: Request) -> Recorded:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        scopes = jwt.decode(token, options={"verify_signature": False}).get("scopes", "")
        raw = request.get_data(as_text=True)
        recorded = Recorded(
            method=request.method,
            path=request.path,
            query=parse_qs(request.query_string.decode()),
            content_type=request.headers.get("Content-Type", ""),
            accept=request.headers.get("Accept", ""),
            body=json.loads(raw) if raw else None,
            scopes=tuple(scopes.split()),
        )
        self.requests.append(recorded)
        return recorded

    def _post(self, request: Request) -> Response:
        recorded = self._record(request)
        status = self.post_replies.popleft() if self.post_replies else 201
        if status != 201 and not self.made_despite_failure:
            return Response(
                json.dumps({"error": "refused"}), status, content_type="application/json"
            )
        item = {"id": f"{self.line_items_url}/{len(self.line_items) + 1}", **recorded.body}
        self.line_items.append(item)
        return Response(json.dumps(item), status, content_type=ags_media("lineitem"))

    def _list(self, request: Request) -> Response:
        recorded = self._record(request)
        wanted = recorded.query.get("resource_id", [None])[0]
        found = [i for i in self.line_items if wanted is None or i["resourceId"] == wanted]
        return Response(json.dumps(found), 200, content_type=ags_media("lineitemcontainer"))

    def _members(self, request: Request) -> Response:
        self._record(request)
        if self.members_status != 200:
            return Response("{}", self.members_status, content_type="application/json")
        body = {"id": self.memberships_url, "context": {"id": DEMO_COURSE_ID}}
        return Response(
            json.dumps({**body, "members": self.members}),
            200,
            content_type="application/vnd.ims.lti-nrps.v2.membershipcontainer+json",
        )

    def posts(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST"]

    def roster_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.path == urlsplit(self.memberships_url).path]


def ags_media(name: str) -> str:
    return f"application/vnd.ims.lis.v2.{name}+json"


def practice_members(lti: Lti) -> list[dict[str, Any]]:
    """The practice course's people as NRPS lists them (names as the LMS shows them)."""
    return [
        {
            "user_id": m.user.sub,
            "name": m.user.name,
            "given_name": m.user.given_name,
            "family_name": m.user.family_name,
            "roles": ROLE_URIS[m.role],
            "status": "Active",
        }
        for m in lti.platform.store.members(DEMO_COURSE_ID)
    ]


@pytest.fixture
def platform_services(httpserver: HTTPServer, lti: Lti) -> FakePlatformServices:
    """The fake gradebook and roster, empty; names the tool fetched before are forgotten."""
    lti.tool_app.extensions.pop("eduteach_rosters", None)
    fake = FakePlatformServices(httpserver, practice_members(lti))
    fake.install()
    return fake


def launch(
    lti: Lti,
    user: str = TEACHER,
    *,
    services: FakePlatformServices | None = None,
    ags: bool = True,
    nrps: bool = True,
    context_id: str | None = None,
    scopes: tuple[str, ...] = (claims.SCOPE_LINEITEM, claims.SCOPE_SCORE),
) -> Teacher:
    """A launch signed by the practice LMS whose service claims name the fake services.

    ``ags``/``nrps`` False: the platform offers no such service. ``context_id``: another course.
    """

    def point_at_services(body: dict[str, Any]) -> None:
        body.pop(claims.AGS_ENDPOINT, None)
        body.pop(claims.NRPS, None)
        if ags and services is not None:
            body[claims.AGS_ENDPOINT] = {
                "scope": list(scopes),
                "lineitems": services.line_items_url,
            }
        if nrps and services is not None:
            body[claims.NRPS] = {
                "context_memberships_url": services.memberships_url,
                "service_versions": ["2.0"],
            }
        if context_id:
            body[claims.CONTEXT] = {**body[claims.CONTEXT], "id": context_id}

    browser = lti.browser()
    page = browser.follow(browser.forged_launch(user, point_at_services))
    assert page.status_code == 200, page.text[:500]
    token = parse_qs(urlsplit(page.url).query)["lt"][0]
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
    return Teacher(lti, browser, token, csrf.group(1) if csrf else "")


def sub_of(lti: Lti, user: str) -> str:
    found = lti.platform.store.user(user)
    assert found is not None
    return found.sub


def db_of(lti: Lti) -> Database:
    db: Database = lti.tool_app.extensions["eduteach"].db
    return db


def publish_directly(lti: Lti, artifact_id: int, **choices: Any) -> Publication:
    """A publication made by the tool's own ``publish`` (the route is tested on its own)."""
    with db_of(lti).session() as s:
        artifact = s.get(Artifact, artifact_id)
        assert artifact is not None
        return publishing.publish(
            s,
            artifact,
            created_by="teacher",
            graded=choices.pop("graded", True),
            score_maximum=choices.pop("score_maximum", 10.0),
            settings=choices,
        )


def only_publication(lti: Lti) -> Publication:
    """The one publication of the test's course."""
    with db_of(lti).session() as s:
        return s.scalars(select(Publication)).one()


def place(lti: Lti, publication: Publication, link: str = "link-1", line_item: str = "") -> int:
    """A resource link in the LMS opening the publication, as its first launch records it."""
    with db_of(lti).session() as s:
        placement = Placement(
            course_id=publication.course_id,
            resource_link_id=link,
            publication_id=publication.id,
            line_item_url=line_item,
            ags_scopes=[claims.SCOPE_SCORE] if line_item else [],
        )
        s.add(placement)
        s.flush()
        return placement.id


def submit(
    lti: Lti,
    placement_id: int,
    user_sub: str,
    kind: str,
    responses: dict[str, Any],
    at: datetime,
    *,
    version: int = 1,
) -> Attempt:
    """An attempt scored by the activity's own ``score``, as the student's submit stores it."""
    activity = ACTIVITIES[kind]
    model = activity.output.model_validate(samples.DATA[kind]())
    score = activity.score(model, responses, samples.params(kind))
    with db_of(lti).session() as s:
        attempt = Attempt(
            placement_id=placement_id,
            user_sub=user_sub,
            submit_key=secrets.token_hex(16),
            artifact_version=version,
            responses=responses,
            results=[
                {"item": r.item, "points": r.points, "max_points": r.max_points}
                for r in score.items
            ],
            points=score.points,
            max_points=score.max_points,
            submitted_at=at,
        )
        s.add(attempt)
        s.flush()
        return attempt


def delivery(
    lti: Lti,
    attempt: Attempt,
    status: str,
    *,
    line_item: str = "https://lms.example/line_items/1",
    last_status: int | None = None,
    last_error: str = "",
    tries: int = 0,
) -> int:
    """The outbox row of an attempt's score, in the state the deliverer left it."""
    with db_of(lti).session() as s:
        row = ScoreDelivery(
            attempt_id=attempt.id,
            placement_id=attempt.placement_id,
            user_sub=attempt.user_sub,
            line_item_url=line_item,
            score_given=round(10 * attempt.points / attempt.max_points, 4),
            score_maximum=10.0,
            timestamp=attempt.submitted_at,
            status=status,
            tries=tries,
            last_status=last_status,
            last_error=last_error,
        )
        s.add(row)
        s.flush()
        return row.id


def table_rows(page_html: str, section: str) -> dict[str, dict[str, str]]:
    """A section's table as the teacher reads it: row heading -> column heading -> text."""
    doc = lxml_html.fromstring(page_html)
    found: dict[str, dict[str, str]] = {}
    for table in doc.xpath(f'//section[@id="{section}"]//table'):
        heads = [" ".join(th.text_content().split()) for th in table.xpath("./thead/tr/th")]
        for tr in table.xpath("./tbody/tr"):
            cells = [" ".join(c.text_content().split()) for c in tr.xpath("./th|./td")]
            found[cells[0]] = dict(zip(heads, cells, strict=True))
    return found


def texts(page_html: str, xpath: str) -> list[str]:
    return [
        " ".join(e.text_content().split()) for e in lxml_html.fromstring(page_html).xpath(xpath)
    ]


@pytest.fixture
def teacher_with_services(lti: Lti, platform_services: FakePlatformServices) -> Teacher:
    """The practice course's teacher; the launch offers AGS line items and NRPS."""
    return launch(lti, TEACHER, services=platform_services)


@pytest.fixture
def student_subs(lti: Lti) -> tuple[str, str]:
    """The LMS's opaque ids of the practice course's two students (Alex Kim, Sam Patel)."""
    return sub_of(lti, STUDENT), sub_of(lti, OTHER_STUDENT)
