"""Assignments in the practice LMS: one written in the LMS, graded activities, and content a
tool adds to an assignment's description through the editor's deep linking placement."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from flask.testing import FlaskClient

from eduteach.practice_lms import NotAllowedError, UnknownUserError
from eduteach.practice_lms.store import (
    DEMO_ASSIGNMENT_DESCRIPTION,
    DEMO_ASSIGNMENT_ID,
    DEMO_ASSIGNMENT_TITLE,
    DEMO_COURSE_ID,
    MIGRATIONS,
    PracticeStore,
)
from tests.practice_lms.conftest import LmsAndTool, csrf_from
from tests.practice_lms.test_deep_linking import placed, refusal_reason
from tests.practice_lms.test_launch import launch_over_http
from tests.practice_lms.tool_side import DL, LTI, ToolSide, graded_link

COURSE = f"/courses/{DEMO_COURSE_ID}"
GUIDANCE = (
    "<h2>Using AI in this letter</h2><p>You may ask AI for feedback.</p><script>alert(1)</script>"
)


@pytest.fixture
def tool(served: LmsAndTool) -> ToolSide:
    return ToolSide(served)


def assignment_request(
    served: LmsAndTool, assignment_id: str = DEMO_ASSIGNMENT_ID, user: str = "rivera"
) -> dict[str, Any]:
    """Press "Add content from EduTeach to this assignment"; the claims the tool received."""
    pending, _ = served.platform.record_assignment_deep_linking(user, assignment_id=assignment_id)
    response = launch_over_http(served.platform.login_initiation_url(pending))
    assert response.status_code == 200, served.tool.failures
    return served.tool.launches[-1]


def assignment_block(page: str, assignment_id: str) -> str:
    """The course page's list item of one assignment."""
    match = re.search(
        rf'<li class="plms-item plms-assignment" id="assignment-{assignment_id}".*?</li>\s*(?=<li class="plms-item plms-assignment"|</ul>)',
        page,
        re.S,
    )
    assert match, f"no assignment {assignment_id} on the course page"
    return match.group(0)


def test_the_demo_course_has_an_assignment_written_in_the_lms(
    practice_client: FlaskClient,
) -> None:
    page = unescape(practice_client.get(COURSE).get_data(as_text=True))
    block = assignment_block(page, DEMO_ASSIGNMENT_ID)
    assert DEMO_ASSIGNMENT_TITLE in block
    first_paragraph = DEMO_ASSIGNMENT_DESCRIPTION.split("\n\n")[0].replace("\n", " ")
    assert f"<p>{first_paragraph}</p>" in block
    assert re.search(r"Due \w{3} \d{2} \w{3} \d{4}, 23:59 · Graded · out of 20 points", block)
    assert "Add content from EduTeach to this assignment" in block

    own = practice_client.get(f"{COURSE}/assignments/{DEMO_ASSIGNMENT_ID}")
    assert own.status_code == 200
    text = unescape(own.get_data(as_text=True))
    assert f"<h1>{DEMO_ASSIGNMENT_TITLE}</h1>" in text
    assert f"<p>{first_paragraph}</p>" in text
    assert practice_client.get(f"{COURSE}/assignments/nope").status_code == 404


def test_an_assignment_request_carries_its_title_and_description(
    served: LmsAndTool,
) -> None:
    claims = assignment_request(served)

    settings = claims[DL + "deep_linking_settings"]
    assert claims[LTI + "message_type"] == "LtiDeepLinkingRequest"
    assert settings["title"] == DEMO_ASSIGNMENT_TITLE
    assert settings["text"] == DEMO_ASSIGNMENT_DESCRIPTION
    # content in a description: pages and links, no gradebook column
    assert settings["accept_types"] == ["link", "html"]
    assert (settings["accept_multiple"], settings["accept_lineitem"]) == (True, False)
    assert settings["deep_link_return_url"] == served.config.deep_linking_return_url(DEMO_COURSE_ID)


def test_course_wide_requests_name_no_assignment(tool: ToolSide) -> None:
    for placement in ("assignment_selection", "link_selection", "editor_button"):
        settings = tool.deep_linking_request(placement)[DL + "deep_linking_settings"]
        assert "text" not in settings


def test_content_goes_into_the_description_of_the_assignment_that_asked(
    tool: ToolSide, served: LmsAndTool
) -> None:
    before = len(served.platform.store.content_items(DEMO_COURSE_ID))
    request = assignment_request(served)
    items = [
        {"type": "html", "title": "AI-use guidelines", "html": GUIDANCE},
        {"type": "link", "title": "Letter checklist", "url": "https://example.org/checklist"},
    ]

    response = tool.answer(request, items)

    assert response.status_code == 303
    location = urlsplit(response.headers["Location"])
    assert location.path == f"{COURSE}/assignments/{DEMO_ASSIGNMENT_ID}"
    assert parse_qs(location.query)["added"] == ["2"]
    stored = served.platform.store.content_items(DEMO_COURSE_ID)[before:]
    assert [(item.title, item.assignment_id) for item in stored] == [
        ("AI-use guidelines", DEMO_ASSIGNMENT_ID),
        ("Letter checklist", DEMO_ASSIGNMENT_ID),
    ]

    with requests.Session() as browser:
        page = browser.get(served.config.course_url(DEMO_COURSE_ID), timeout=10).text
        own_url = served.config.course_url(DEMO_COURSE_ID) + f"/assignments/{DEMO_ASSIGNMENT_ID}"
        own = browser.get(own_url, params={"added": "2"}, timeout=10).text
    block = assignment_block(page, DEMO_ASSIGNMENT_ID)
    description = block.index('class="plms-description"')
    assert block.index("Using AI in this letter") > description
    assert 'href="https://example.org/checklist"' in block
    assert "<script>" not in block
    _, _, course_wide = page.partition("<h3>Pages and links</h3>")
    assert "Using AI in this letter" not in course_wide
    assert "EduTeach added 2 items to this assignment." in own
    assert "Using AI in this letter" in own


def test_an_assignment_description_takes_no_activity(tool: ToolSide, served: LmsAndTool) -> None:
    store = served.platform.store
    before = (len(store.placed_links(DEMO_COURSE_ID)), len(store.content_items(DEMO_COURSE_ID)))
    request = assignment_request(served)
    response = tool.answer(request, [graded_link()])
    assert (response.status_code, refusal_reason(response)) == (400, "unaccepted_type")
    after = (len(store.placed_links(DEMO_COURSE_ID)), len(store.content_items(DEMO_COURSE_ID)))
    assert after == before


def test_a_graded_activity_is_an_assignment_too(tool: ToolSide, served: LmsAndTool) -> None:
    request = tool.deep_linking_request()
    quiz = graded_link(title="Food web quiz", text="Ten questions on the pond food web")
    practice = {"type": "ltiResourceLink", "title": "Practice cards"}
    assert tool.answer(request, [quiz, practice]).status_code == 303
    link = placed(served, "Food web quiz")

    assignment = served.platform.assignment(DEMO_COURSE_ID, link.id)
    assert assignment is not None
    assert assignment.link == link
    assert (assignment.title, assignment.points) == ("Food web quiz", 10)
    assert placed(served, "Practice cards").id not in {
        a.id for a in served.platform.assignments(DEMO_COURSE_ID)
    }
    claims = assignment_request(served, link.id)
    settings = claims[DL + "deep_linking_settings"]
    assert (settings["title"], settings["text"]) == (
        "Food web quiz",
        "Ten questions on the pond food web",
    )
    html = {"type": "html", "title": "Guidelines", "html": "<p>No AI in this quiz.</p>"}
    assert tool.answer(claims, [html]).status_code == 303

    page = requests.get(served.config.course_url(DEMO_COURSE_ID), timeout=10).text
    block = assignment_block(page, link.id)
    assert "No AI in this quiz." in block
    assert "Open Food web quiz</button>" in block
    # the ungraded link is an activity, not an assignment
    activities = page.split("<h3>Activities</h3>")[1]
    assert "Open Practice cards</button>" in activities
    assert "Food web quiz" not in activities


def test_only_a_teacher_adds_content_to_an_assignment_of_the_course(
    served: LmsAndTool, practice_client: FlaskClient
) -> None:
    platform = served.platform
    with pytest.raises(NotAllowedError):
        platform.record_assignment_deep_linking("alex", assignment_id=DEMO_ASSIGNMENT_ID)
    with pytest.raises(UnknownUserError):
        platform.record_assignment_deep_linking("rivera", assignment_id="another-course-task")

    token = csrf_from(practice_client, COURSE)
    student = practice_client.post(
        f"{COURSE}/assignments/{DEMO_ASSIGNMENT_ID}/deep_linking",
        data={"csrf_token": token, "user": "sam"},
    )
    unknown = practice_client.post(
        f"{COURSE}/assignments/nope/deep_linking", data={"csrf_token": token, "user": "rivera"}
    )
    forged = practice_client.post(
        f"{COURSE}/assignments/{DEMO_ASSIGNMENT_ID}/deep_linking", data={"user": "rivera"}
    )
    assert (student.status_code, unknown.status_code, forged.status_code) == (403, 404, 400)


def test_the_tool_opens_on_the_assignment_page(practice_client: FlaskClient) -> None:
    token = csrf_from(practice_client, COURSE)
    response = practice_client.post(
        f"{COURSE}/assignments/{DEMO_ASSIGNMENT_ID}/deep_linking",
        data={"csrf_token": token, "user": "rivera"},
    )
    assert response.status_code == 303
    page = unescape(practice_client.get(response.headers["Location"]).get_data(as_text=True))
    assert f"<h1>{DEMO_ASSIGNMENT_TITLE}</h1>" in page
    assert "Add content from EduTeach to this assignment" in page
    assert 'id="tool-frame"' in page
    assert f'href="{COURSE}/assignments/{DEMO_ASSIGNMENT_ID}">Close EduTeach</a>' in page


def test_upgrade_keeps_placed_content_course_wide_and_adds_the_assignment(
    tmp_path: Path,
) -> None:
    path = tmp_path / "practice_lms.sqlite3"
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        for number, script in enumerate(MIGRATIONS[:2], start=1):
            conn.executescript(f"BEGIN; {script}; PRAGMA user_version = {number}; COMMIT;")
        conn.execute("INSERT INTO courses VALUES (?, 'C', 'Course', 'type')", (DEMO_COURSE_ID,))
        conn.execute(
            "INSERT INTO content_items VALUES ('i1', ?, 'html', 'Plan', '', '', '<p>Plan</p>', 1)",
            (DEMO_COURSE_ID,),
        )

    store = PracticeStore(path)
    store.migrate()
    store.seed_demo()

    (item,) = store.content_items(DEMO_COURSE_ID)
    assert (item.id, item.assignment_id) == ("i1", None)
    assert [a.id for a in store.assignments(DEMO_COURSE_ID)] == [DEMO_ASSIGNMENT_ID]
