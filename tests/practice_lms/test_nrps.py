"""Names and Role Provisioning over HTTP: the course's people, as a tool reads them."""

from __future__ import annotations

import pytest

from eduteach.practice_lms.store import DEMO_COURSE_ID
from tests.practice_lms.conftest import LmsAndTool
from tests.practice_lms.tool_side import NRPS, SCORE, ToolSide

MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"


@pytest.fixture
def tool(served: LmsAndTool) -> ToolSide:
    return ToolSide(served)


def test_memberships_list_everyone_with_the_sub_of_their_launches(
    tool: ToolSide, served: LmsAndTool
) -> None:
    url = served.config.memberships_url(DEMO_COURSE_ID)

    response = tool.call("GET", url, token=tool.token(NRPS))

    assert response.status_code == 200
    assert (
        response.headers["Content-Type"]
        == "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
    )
    body = response.json()
    assert body["id"] == url
    assert body["context"] == {
        "id": DEMO_COURSE_ID,
        "label": "SCI-7",
        "title": "Grade 7 Science (demo)",
    }
    by_name = {member["name"]: member for member in body["members"]}
    assert set(by_name) == {"Ms. Rivera", "Alex Kim", "Sam Patel"}
    assert by_name["Alex Kim"] == {
        "status": "Active",
        "user_id": tool.sub("alex"),
        "name": "Alex Kim",
        "given_name": "Alex",
        "family_name": "Kim",
        "email": "alex.kim@practice-lms.example",
        "roles": [MEMBERSHIP + "Learner"],
    }
    assert by_name["Ms. Rivera"]["roles"] == [MEMBERSHIP + "Instructor"]


@pytest.mark.parametrize("role", ["Learner", MEMBERSHIP + "Learner"])
def test_memberships_filter_by_role(tool: ToolSide, served: LmsAndTool, role: str) -> None:
    url = served.config.memberships_url(DEMO_COURSE_ID)
    body = tool.call("GET", url, token=tool.token(NRPS), params={"role": role}).json()
    assert sorted(member["name"] for member in body["members"]) == ["Alex Kim", "Sam Patel"]


def test_memberships_are_paged_with_a_next_link(tool: ToolSide, served: LmsAndTool) -> None:
    url = served.config.memberships_url(DEMO_COURSE_ID)
    token = tool.token(NRPS)

    first = tool.call("GET", url, token=token, params={"limit": "2"})
    second = tool.call("GET", first.links["next"]["url"], token=token)

    names = [m["name"] for m in first.json()["members"] + second.json()["members"]]
    assert len(first.json()["members"]) == 2
    assert sorted(names) == ["Alex Kim", "Ms. Rivera", "Sam Patel"]
    assert "next" not in second.links


def test_memberships_need_their_scope_and_a_link_of_the_course(
    tool: ToolSide, served: LmsAndTool
) -> None:
    url = served.config.memberships_url(DEMO_COURSE_ID)
    link = served.platform.store.course_navigation_link(DEMO_COURSE_ID)
    assert link is not None

    assert tool.call("GET", url, token=tool.token(SCORE)).status_code == 403
    assert tool.call("GET", url, params={"rlid": "nope"}).status_code == 403
    assert tool.call("GET", url, params={"rlid": link.id}).status_code == 200
    assert tool.call("GET", url, params={"limit": "0"}).status_code == 400
    missing = served.config.memberships_url("no-such-course")
    assert tool.call("GET", missing).status_code == 404
