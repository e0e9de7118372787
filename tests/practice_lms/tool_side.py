"""The tool's side of LTI Advantage, played by a test: tokens, service calls, deep linking.

Everything goes over HTTP with real JWTs: client assertions and deep linking responses
are signed with the stub tool's key, whose key set the LMS fetches from the stub tool.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from eduteach.practice_lms.store import DEMO_COURSE_ID
from tests.practice_lms.conftest import LmsAndTool
from tests.practice_lms.test_launch import launch_over_http

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/"
LINEITEM, LINEITEM_READONLY = SCOPE + "lineitem", SCOPE + "lineitem.readonly"
RESULT, SCORE = SCOPE + "result.readonly", SCOPE + "score"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
ALL_SCOPES = (LINEITEM, LINEITEM_READONLY, RESULT, SCORE, NRPS)

SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
LINE_ITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"


def iso(moment: datetime) -> str:
    """An ISO 8601 timestamp with microseconds and a zone, as tools send."""
    return moment.isoformat(timespec="microseconds")


def a_moment(minutes: float = 0) -> datetime:
    """Now, shifted by ``minutes``."""
    return datetime.now(UTC) + timedelta(minutes=minutes)


@dataclass
class ToolSide:
    """A tool talking to the served practice LMS."""

    both: LmsAndTool

    # --- tokens and service calls ------------------------------------------------------
    def token(self, *scopes: str) -> str:
        """An access token from the LMS's token endpoint, asked with a client assertion."""
        response = requests.post(
            self.both.config.auth_token_url,
            data={
                "grant_type": "client_credentials",
                "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion": self.both.tool.client_assertion(),
                "scope": " ".join(scopes or ALL_SCOPES),
            },
            timeout=10,
        )
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    def call(
        self,
        method: str,
        url: str,
        *,
        token: str | None = None,
        body: Any = None,
        content_type: str | None = None,
        params: dict[str, str] | None = None,
    ) -> requests.Response:
        """A service request with a bearer token (a fresh one with every scope by default)."""
        headers = {"Authorization": f"Bearer {token or self.token()}"}
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers["Content-Type"] = content_type or "application/json"
        return requests.request(method, url, headers=headers, data=data, params=params, timeout=30)

    def post_score(self, line_item_url: str, body: dict[str, Any], **kw: Any) -> requests.Response:
        """POST ``{lineitem}/scores`` with the score media type unless told otherwise."""
        kw.setdefault("content_type", SCORE_TYPE)
        return self.call("POST", line_item_url + "/scores", body=body, **kw)

    def create_line_item(self, **values: Any) -> dict[str, Any]:
        """A new line item in the demo course, made through AGS."""
        body = {"label": "Chapter 3 check", "scoreMaximum": 10, **values}
        response = self.call(
            "POST",
            self.both.config.line_items_url(DEMO_COURSE_ID),
            body=body,
            content_type=LINE_ITEM_TYPE,
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    def sub(self, user: str) -> str:
        """The ``sub`` a person has in launches (the ``userId`` of scores)."""
        person = self.both.platform.store.user(user)
        assert person is not None
        return person.sub

    def score(self, user: str = "alex", **values: Any) -> dict[str, Any]:
        """A complete, valid score body for ``user`` (values replace fields)."""
        body: dict[str, Any] = {
            "userId": self.sub(user),
            "scoreGiven": 8,
            "scoreMaximum": 10,
            "activityProgress": "Completed",
            "gradingProgress": "FullyGraded",
            "timestamp": iso(a_moment()),
        }
        body.update(values)
        return body

    # --- launches and deep linking -----------------------------------------------------
    def deep_linking_request(
        self, placement: str = "link_selection", user: str = "rivera"
    ) -> dict[str, Any]:
        """Launch "Add EduTeach content" over HTTP; the claims the tool received."""
        url = self.both.platform.start_deep_linking(user, placement=placement)
        response = launch_over_http(url)
        assert response.status_code == 200, self.both.tool.failures
        return self.both.tool.launches[-1]

    def answer(
        self, request: dict[str, Any], items: list[dict[str, Any]], **overrides: Any
    ) -> requests.Response:
        """Post a signed deep linking response (form field JWT) to the request's return URL."""
        token = self.both.tool.deep_linking_response(request, items, **overrides)
        return self.post_answer(request, token)

    def post_answer(self, request: dict[str, Any], token: str) -> requests.Response:
        """Post a prepared JWT to the request's return URL, as the tool's page does."""
        return_url = request[DL + "deep_linking_settings"]["deep_link_return_url"]
        return requests.post(return_url, data={"JWT": token}, allow_redirects=False, timeout=10)

    def launch_link(self, link_id: str, user: str = "alex") -> dict[str, Any]:
        """Launch a placed resource link over HTTP; the claims the tool received."""
        url = self.both.platform.start_launch(user, link_id=link_id)
        response = launch_over_http(url)
        assert response.status_code == 200, self.both.tool.failures
        return self.both.tool.launches[-1]


def graded_link(**values: Any) -> dict[str, Any]:
    """An ltiResourceLink content item with a line item and custom parameters."""
    item: dict[str, Any] = {
        "type": "ltiResourceLink",
        "title": f"Quiz {uuid.uuid4().hex[:6]}",
        "custom": {"eduteach_activity": uuid.uuid4().hex},
        "lineItem": {"scoreMaximum": 10, "label": "Quiz", "resourceId": "quiz-1", "tag": "quiz"},
    }
    item.update(values)
    return item
