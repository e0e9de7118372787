"""Assignment and Grade Services over HTTP: line items, scores, results, and the switch."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
import requests

from eduteach.practice_lms.store import DEMO_COURSE_ID
from tests.practice_lms.conftest import LmsAndTool
from tests.practice_lms.tool_side import (
    LINE_ITEM_TYPE,
    LINEITEM_READONLY,
    NRPS,
    RESULT,
    SCORE,
    SCORE_TYPE,
    ToolSide,
    a_moment,
    iso,
)


@pytest.fixture
def tool(served: LmsAndTool) -> Iterator[ToolSide]:
    served.platform.set_grade_service_switch(
        {"mode": "on", "stale_scores": "conflict", "unauthorized_once": False, "retry_after": 30}
    )
    yield ToolSide(served)
    served.platform.set_grade_service_switch({"mode": "on", "unauthorized_once": False})


@pytest.fixture
def line_item(tool: ToolSide) -> dict[str, Any]:
    return tool.create_line_item()


def stored(served: LmsAndTool, line_item: dict[str, Any], user: str = "alex") -> Any:
    sub = ToolSide(served).sub(user)
    results = served.platform.grades.results(line_item["id"].rsplit("/", 1)[1], sub)
    return results[0] if results else None


def last_logged(served: LmsAndTool) -> dict[str, Any]:
    return served.platform.grades.score_requests(limit=1)[0].as_json()


# --- scores ---------------------------------------------------------------------------------
def test_score_is_stored_and_logged_as_received(
    tool: ToolSide, served: LmsAndTool, line_item: dict[str, Any]
) -> None:
    body = tool.score(scoreGiven=7.5, comment="Good work")

    response = tool.post_score(line_item["id"], body)

    assert response.status_code == 200
    assert response.json()["resultUrl"].startswith(line_item["id"] + "/results/")
    result = stored(served, line_item)
    assert (result.score_given, result.score_maximum) == (7.5, 10)
    assert (result.activity_progress, result.grading_progress) == ("Completed", "FullyGraded")
    assert result.timestamp == body["timestamp"]
    logged = last_logged(served)
    assert logged["media_type"] == SCORE_TYPE
    assert logged["status"] == 200
    assert logged["user_id"] == body["userId"]
    assert json.loads(logged["body"]) == body


def test_media_type_parameters_are_accepted(tool: ToolSide, line_item: dict[str, Any]) -> None:
    response = tool.post_score(
        line_item["id"], tool.score(), content_type=SCORE_TYPE + "; charset=utf-8"
    )
    assert response.status_code == 200


@pytest.mark.parametrize("content_type", ["application/json", LINE_ITEM_TYPE, "text/plain"])
def test_other_media_types_are_refused(
    tool: ToolSide, served: LmsAndTool, line_item: dict[str, Any], content_type: str
) -> None:
    response = tool.post_score(line_item["id"], tool.score(), content_type=content_type)

    assert response.status_code == 415
    assert stored(served, line_item) is None
    assert last_logged(served)["media_type"] == content_type
    assert last_logged(served)["status"] == 415


def test_score_needs_the_score_scope(
    tool: ToolSide, served: LmsAndTool, line_item: dict[str, Any]
) -> None:
    readonly = tool.token(LINEITEM_READONLY, RESULT, NRPS)

    refused = tool.post_score(line_item["id"], tool.score(), token=readonly)
    allowed = tool.post_score(line_item["id"], tool.score(), token=tool.token(SCORE))

    assert refused.status_code == 403
    assert "insufficient_scope" in refused.headers["WWW-Authenticate"]
    assert allowed.status_code == 200


@pytest.mark.parametrize(
    "authorization",
    ["", "Basic abc", "Bearer", "Bearer not-a-jwt", "Bearer a.b.c"],
)
def test_score_needs_a_valid_bearer_token(
    served: LmsAndTool, line_item: dict[str, Any], authorization: str, tool: ToolSide
) -> None:
    response = requests.post(
        line_item["id"] + "/scores",
        data=b"{}",
        headers={"Authorization": authorization, "Content-Type": SCORE_TYPE},
        timeout=10,
    )
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_tokens_not_signed_by_the_platform_are_refused(
    tool: ToolSide, served: LmsAndTool, line_item: dict[str, Any]
) -> None:
    genuine = jwt.decode(tool.token(SCORE), options={"verify_signature": False})
    forged = jwt.encode(genuine, served.tool.private_pem, algorithm="RS256", headers={"kid": "x"})
    own_key = served.platform.keys.current()
    expired = jwt.encode(
        {**genuine, "exp": int(time.time()) - 10},
        own_key.private_pem,
        algorithm="RS256",
        headers={"kid": own_key.kid},
    )
    other_client = jwt.encode(
        {**genuine, "sub": "another-tool"},
        own_key.private_pem,
        algorithm="RS256",
        headers={"kid": own_key.kid},
    )

    for token in (forged, expired, other_client):
        assert tool.post_score(line_item["id"], tool.score(), token=token).status_code == 401


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"userId": None}, 422),
        ({"userId": 42}, 422),
        ({"activityProgress": "Done"}, 422),
        ({"gradingProgress": None}, 422),
        ({"timestamp": None}, 422),
        ({"timestamp": "yesterday"}, 422),
        ({"timestamp": "2024-05-01T10:00:00"}, 422),
        ({"scoreGiven": -1}, 422),
        ({"scoreGiven": "8"}, 422),
        ({"scoreGiven": True}, 422),
        ({"scoreMaximum": None}, 422),
        ({"scoreMaximum": 0}, 422),
        ({"comment": 5}, 422),
    ],
)
def test_invalid_scores_are_refused(
    tool: ToolSide,
    served: LmsAndTool,
    line_item: dict[str, Any],
    change: dict[str, Any],
    status: int,
) -> None:
    body = {k: v for k, v in {**tool.score(), **change}.items() if v is not None}

    response = tool.post_score(line_item["id"], body)

    assert response.status_code == status, response.text
    assert response.json()["error"]
    assert stored(served, line_item) is None


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b"\xff\xfe"])
def test_unreadable_bodies_are_bad_requests(
    tool: ToolSide, line_item: dict[str, Any], raw: bytes
) -> None:
    assert tool.post_score(line_item["id"], raw).status_code == 400


def test_progress_without_a_score_is_kept(
    tool: ToolSide, served: LmsAndTool, line_item: dict[str, Any]
) -> None:
    body = tool.score(activityProgress="Started", gradingProgress="NotReady")
    del body["scoreGiven"], body["scoreMaximum"]

    assert tool.post_score(line_item["id"], body).status_code == 200
    result = stored(served, line_item)
    assert (result.score_given, result.activity_progress) == (None, "Started")


def test_scores_only_for_students_of_the_course(tool: ToolSide, line_item: dict[str, Any]) -> None:
    teacher = tool.post_score(line_item["id"], tool.score("rivera"))
    stranger = tool.post_score(line_item["id"], tool.score(userId="someone-else"))

    assert (teacher.status_code, stranger.status_code) == (422, 422)


def test_unknown_line_item_is_not_found(tool: ToolSide, served: LmsAndTool) -> None:
    url = served.config.line_item_url(DEMO_COURSE_ID, "no-such-item")
    assert tool.post_score(url, tool.score()).status_code == 404
    assert last_logged(served)["status"] == 404


def test_newest_timestamp_wins(
    tool: ToolSide, served: LmsAndTool, line_item: dict[str, Any]
) -> None:
    newer = tool.score(scoreGiven=9, timestamp=iso(a_moment(-1)))
    older = tool.score(scoreGiven=3, timestamp=iso(a_moment(-5)))
    # the same instant, written another way, is not older
    same = tool.score(scoreGiven=9.5, timestamp=newer["timestamp"].replace("+00:00", "Z"))

    assert tool.post_score(line_item["id"], newer).status_code == 200
    stale = tool.post_score(line_item["id"], older)
    assert stale.status_code == 409
    assert stored(served, line_item).score_given == 9
    assert tool.post_score(line_item["id"], same).status_code == 200
    assert stored(served, line_item).score_given == 9.5
    outcomes = [entry.status for entry in served.platform.grades.score_requests(limit=3)]
    assert outcomes == [200, 409, 200]


def test_stale_score_can_be_answered_200_and_ignored(
    tool: ToolSide, served: LmsAndTool, line_item: dict[str, Any]
) -> None:
    served.platform.set_grade_service_switch({"stale_scores": "ignore"})
    assert tool.post_score(line_item["id"], tool.score(scoreGiven=9)).status_code == 200

    stale = tool.post_score(line_item["id"], tool.score(scoreGiven=1, timestamp=iso(a_moment(-60))))

    assert stale.status_code == 200
    assert stored(served, line_item).score_given == 9
    assert "not applied" in last_logged(served)["outcome"]


def test_each_student_has_their_own_result(
    tool: ToolSide, served: LmsAndTool, line_item: dict[str, Any]
) -> None:
    assert tool.post_score(line_item["id"], tool.score("alex", scoreGiven=4)).status_code == 200
    assert tool.post_score(line_item["id"], tool.score("sam", scoreGiven=6)).status_code == 200

    everyone = tool.call("GET", line_item["id"] + "/results", token=tool.token(RESULT))
    sam_only = tool.call(
        "GET",
        line_item["id"] + "/results",
        token=tool.token(RESULT),
        params={"user_id": tool.sub("sam")},
    )

    assert everyone.headers["Content-Type"] == "application/vnd.ims.lis.v2.resultcontainer+json"
    assert {(r["userId"], r["resultScore"]) for r in everyone.json()} == {
        (tool.sub("alex"), 4),
        (tool.sub("sam"), 6),
    }
    (sam,) = sam_only.json()
    assert sam["scoreOf"] == line_item["id"]
    assert sam["resultMaximum"] == 10
    assert (
        tool.call("GET", line_item["id"] + "/results", token=tool.token(SCORE)).status_code == 403
    )


# --- the switch -------------------------------------------------------------------------------
def test_switched_off_service_answers_503_and_keeps_nothing(
    tool: ToolSide, served: LmsAndTool, line_item: dict[str, Any]
) -> None:
    token = tool.token()
    switched = requests.post(
        served.config.base_url + "/admin/api/grade_service",
        json={"mode": "off", "retry_after": 7},
        timeout=10,
    )
    assert switched.json()["mode"] == "off"

    down = tool.post_score(line_item["id"], tool.score(), token=token)
    listing = tool.call("GET", served.config.line_items_url(DEMO_COURSE_ID), token=token)

    assert (down.status_code, down.headers["Retry-After"]) == (503, "7")
    assert listing.status_code == 503
    assert stored(served, line_item) is None
    assert last_logged(served)["status"] == 503

    requests.post(
        served.config.base_url + "/admin/api/grade_service", json={"mode": "on"}, timeout=10
    )
    assert tool.post_score(line_item["id"], tool.score(), token=token).status_code == 200
    assert stored(served, line_item).score_given == 8


def test_slow_service_answers_late(
    tool: ToolSide, served: LmsAndTool, line_item: dict[str, Any]
) -> None:
    token = tool.token()
    served.platform.set_grade_service_switch({"mode": "slow", "slow_seconds": 0.6})

    started = time.monotonic()
    response = tool.post_score(line_item["id"], tool.score(), token=token)

    assert response.status_code == 200
    assert time.monotonic() - started >= 0.6


def test_unauthorized_once_fails_one_token_check(
    tool: ToolSide, served: LmsAndTool, line_item: dict[str, Any]
) -> None:
    token = tool.token()
    requests.post(
        served.config.base_url + "/admin/api/grade_service",
        json={"unauthorized_once": True},
        timeout=10,
    )

    first = tool.post_score(line_item["id"], tool.score(), token=token)
    second = tool.post_score(line_item["id"], tool.score(), token=tool.token())

    assert first.status_code == 401
    assert 'error="invalid_token"' in first.headers["WWW-Authenticate"]
    assert second.status_code == 200
    assert served.platform.grade_service_switch().unauthorized_once is False


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"mode": "broken"}, 400),
        ({"slow_seconds": -1}, 400),
        ({"slow_seconds": 1000}, 400),
        ({"retry_after": 0}, 400),
        ({"retry_after": 2.5}, 400),
        ({"stale_scores": "maybe"}, 400),
        ({"unauthorized_once": "perhaps"}, 400),
        ({"volume": 11}, 400),
        ([], 400),
    ],
)
def test_switch_api_refuses_unknown_settings(
    served: LmsAndTool, tool: ToolSide, body: Any, status: int
) -> None:
    before = served.platform.grade_service_switch()
    response = requests.post(
        served.config.base_url + "/admin/api/grade_service", json=body, timeout=10
    )
    assert response.status_code == status
    assert response.json()["error"]
    assert served.platform.grade_service_switch() == before


def test_switch_api_takes_json_only(served: LmsAndTool, tool: ToolSide) -> None:
    response = requests.post(
        served.config.base_url + "/admin/api/grade_service", data={"mode": "off"}, timeout=10
    )
    assert response.status_code == 415
    assert served.platform.grade_service_switch().mode == "on"


# --- line items -------------------------------------------------------------------------------
def test_line_item_is_created_read_updated_and_deleted(tool: ToolSide, served: LmsAndTool) -> None:
    created = tool.create_line_item(
        label="Unit test",
        scoreMaximum=25,
        resourceId="unit-1",
        tag="test",
        endDateTime="2030-06-01T12:00:00+00:00",
    )
    url = created["id"]

    assert url.startswith(served.config.line_items_url(DEMO_COURSE_ID) + "/")
    assert created == {
        "id": url,
        "label": "Unit test",
        "scoreMaximum": 25,
        "resourceId": "unit-1",
        "tag": "test",
        "endDateTime": "2030-06-01T12:00:00+00:00",
    }
    fetched = tool.call("GET", url, token=tool.token(LINEITEM_READONLY))
    assert fetched.headers["Content-Type"] == LINE_ITEM_TYPE
    assert fetched.json() == created

    changed = {**created, "label": "Unit test (v2)", "scoreMaximum": 30}
    updated = tool.call("PUT", url, body=changed, content_type=LINE_ITEM_TYPE)
    assert (updated.status_code, updated.json()["label"], updated.json()["scoreMaximum"]) == (
        200,
        "Unit test (v2)",
        30,
    )

    assert tool.call("DELETE", url).status_code == 204
    assert tool.call("GET", url).status_code == 404
    assert tool.call("DELETE", url).status_code == 404


def test_line_items_are_filtered_and_paged(tool: ToolSide, served: LmsAndTool) -> None:
    tag = f"tag-{time.monotonic_ns()}"
    made = [tool.create_line_item(label=f"Part {n}", tag=tag, resourceId=f"r{n}") for n in range(3)]
    container = served.config.line_items_url(DEMO_COURSE_ID)

    by_tag = tool.call("GET", container, params={"tag": tag})
    by_resource = tool.call("GET", container, params={"tag": tag, "resource_id": "r1"})
    first_page = tool.call("GET", container, params={"tag": tag, "limit": "2"})

    assert by_tag.headers["Content-Type"] == "application/vnd.ims.lis.v2.lineitemcontainer+json"
    assert [item["id"] for item in by_tag.json()] == [item["id"] for item in made]
    assert [item["label"] for item in by_resource.json()] == ["Part 1"]
    assert len(first_page.json()) == 2
    next_url = first_page.links["next"]["url"]
    second_page = tool.call("GET", next_url)
    assert [item["label"] for item in second_page.json()] == ["Part 2"]
    assert "next" not in second_page.links


def test_line_item_bound_to_a_link_is_found_by_resource_link_id(
    tool: ToolSide, served: LmsAndTool
) -> None:
    link = served.platform.store.course_navigation_link(DEMO_COURSE_ID)
    assert link is not None
    created = tool.create_line_item(label="Published outside deep linking", resourceLinkId=link.id)

    listed = tool.call(
        "GET", served.config.line_items_url(DEMO_COURSE_ID), params={"resource_link_id": link.id}
    ).json()

    assert created["resourceLinkId"] == link.id
    assert created["id"] in [item["id"] for item in listed]
    tool.call("DELETE", created["id"])


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ({"label": "x", "scoreMaximum": 5}, "application/json", 415),
        ({"label": "", "scoreMaximum": 5}, LINE_ITEM_TYPE, 422),
        ({"label": "x"}, LINE_ITEM_TYPE, 422),
        ({"label": "x", "scoreMaximum": -2}, LINE_ITEM_TYPE, 422),
        ({"label": "x", "scoreMaximum": 5, "resourceLinkId": "nope"}, LINE_ITEM_TYPE, 422),
        ({"label": "x", "scoreMaximum": 5, "endDateTime": "soon"}, LINE_ITEM_TYPE, 422),
        (b"{", LINE_ITEM_TYPE, 400),
    ],
)
def test_invalid_line_items_are_refused(
    tool: ToolSide, served: LmsAndTool, body: Any, content_type: str, status: int
) -> None:
    response = tool.call(
        "POST", served.config.line_items_url(DEMO_COURSE_ID), body=body, content_type=content_type
    )
    assert response.status_code == status, response.text


def test_changing_line_items_needs_the_lineitem_scope(tool: ToolSide, served: LmsAndTool) -> None:
    readonly = tool.token(LINEITEM_READONLY)
    container = served.config.line_items_url(DEMO_COURSE_ID)

    body = {"label": "x", "scoreMaximum": 1}
    created = tool.call("POST", container, token=readonly, body=body, content_type=LINE_ITEM_TYPE)

    assert created.status_code == 403
    assert tool.call("GET", container, token=readonly).status_code == 200
    assert tool.call("GET", container, token=tool.token(SCORE)).status_code == 403
