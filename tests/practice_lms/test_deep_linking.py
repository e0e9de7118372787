"""Deep linking over HTTP: the platform's request, the tool's signed answer, what gets placed."""

from __future__ import annotations

import re
import time
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from eduteach.practice_lms import NotAllowedError, UnknownUserError
from eduteach.practice_lms.store import DEMO_COURSE_ID, ResourceLink
from tests.practice_lms.conftest import LmsAndTool
from tests.practice_lms.stub_tool import _generate_pem
from tests.practice_lms.tool_side import (
    AGS,
    DL,
    LINEITEM,
    LTI,
    RESULT,
    SCORE,
    ToolSide,
    graded_link,
)

pytestmark = pytest.mark.usefixtures("served")


@pytest.fixture
def tool(served: LmsAndTool) -> ToolSide:
    return ToolSide(served)


def placed(served: LmsAndTool, title: str) -> ResourceLink:
    links = [
        link for link in served.platform.store.placed_links(DEMO_COURSE_ID) if link.title == title
    ]
    assert len(links) == 1, f"{len(links)} links titled {title!r}"
    return links[0]


def refusal_reason(response: requests.Response) -> str:
    match = re.search(r'data-reason="([^"]+)"', response.text)
    assert match, response.text[:500]
    return match.group(1)


@pytest.mark.parametrize(
    ("placement", "types", "multiple", "lineitem"),
    [
        ("assignment_selection", ["ltiResourceLink"], False, True),
        ("link_selection", ["ltiResourceLink", "link", "html"], True, True),
        ("editor_button", ["ltiResourceLink", "link", "html"], True, False),
    ],
)
def test_request_carries_the_deep_linking_settings(
    tool: ToolSide,
    served: LmsAndTool,
    placement: str,
    types: list[str],
    multiple: bool,
    lineitem: bool,
) -> None:
    claims = tool.deep_linking_request(placement)

    settings = claims[DL + "deep_linking_settings"]
    assert claims[LTI + "message_type"] == "LtiDeepLinkingRequest"
    assert claims[LTI + "version"] == "1.3.0"
    assert settings["deep_link_return_url"] == served.config.deep_linking_return_url(DEMO_COURSE_ID)
    assert settings["accept_types"] == types
    assert settings["accept_presentation_document_targets"] == ["iframe", "window"]
    assert (settings["accept_multiple"], settings["accept_lineitem"]) == (multiple, lineitem)
    assert settings["auto_create"] is True
    assert settings["title"]
    assert len(settings["data"]) >= 20
    # a deep linking launch is not a launch of a resource link
    assert LTI + "resource_link" not in claims
    assert claims[LTI + "roles"][0].endswith("#Instructor")
    assert claims[LTI + "context"]["id"] == DEMO_COURSE_ID
    assert claims[AGS]["lineitems"] == served.config.line_items_url(DEMO_COURSE_ID)


def test_each_request_has_its_own_data(tool: ToolSide) -> None:
    first = tool.deep_linking_request()[DL + "deep_linking_settings"]["data"]
    second = tool.deep_linking_request()[DL + "deep_linking_settings"]["data"]
    assert first != second


def test_only_teachers_can_add_content(served: LmsAndTool) -> None:
    with pytest.raises(NotAllowedError):
        served.platform.start_deep_linking("alex")
    with pytest.raises(UnknownUserError):
        served.platform.start_deep_linking("mallory")


def test_round_trip_places_a_graded_link_html_and_a_web_link(
    tool: ToolSide, served: LmsAndTool
) -> None:
    request = tool.deep_linking_request()
    quiz = graded_link(
        text="Ten questions", custom={"eduteach_activity": "quiz-7", "mode": "graded"}
    )
    items: list[dict[str, Any]] = [
        quiz,
        {
            "type": "html",
            "title": "Lesson plan",
            "html": "<p>Light <b>in</b></p><script>alert(1)</script>",
        },
        {"type": "link", "title": "Reading", "url": "https://example.org/reading?x=1&y=2"},
    ]

    response = tool.answer(request, items, **{DL + "msg": "Placed 3 items"})

    assert response.status_code == 303
    location = urlsplit(response.headers["Location"])
    assert location.path == f"/courses/{DEMO_COURSE_ID}"
    assert parse_qs(location.query) == {"added": ["3"], "lti_msg": ["Placed 3 items"]}
    link = placed(served, quiz["title"])
    assert link.custom == {"eduteach_activity": "quiz-7", "mode": "graded"}
    assert link.target_link_uri == served.config.tool_launch_url
    assert (link.text, link.presentation, link.placement) == (
        "Ten questions",
        "iframe",
        "link_selection",
    )
    (line_item,) = served.platform.grades.line_items(DEMO_COURSE_ID, resource_link_id=link.id)
    assert (line_item.label, line_item.score_maximum) == ("Quiz", 10)
    assert (line_item.resource_id, line_item.tag) == ("quiz-1", "quiz")

    page = requests.get(served.config.course_url(DEMO_COURSE_ID) + "?added=3", timeout=10).text
    assert "EduTeach added 3 items to the course." in page
    assert f"Open {quiz['title']}</button>" in page
    assert "Graded · out of 10 points" in page
    assert "<p>Light <b>in</b></p>" in page
    assert "alert(1)" not in page
    assert 'href="https://example.org/reading?x=1&amp;y=2"' in page


def test_launch_of_a_placed_link_carries_custom_and_its_line_item(
    tool: ToolSide, served: LmsAndTool
) -> None:
    request = tool.deep_linking_request("assignment_selection")
    quiz = graded_link()
    assert tool.answer(request, [quiz]).status_code == 303
    link = placed(served, quiz["title"])
    (line_item,) = served.platform.grades.line_items(DEMO_COURSE_ID, resource_link_id=link.id)

    claims = tool.launch_link(link.id, user="alex")

    assert claims[LTI + "message_type"] == "LtiResourceLinkRequest"
    assert claims[LTI + "resource_link"] == {"id": link.id, "title": quiz["title"]}
    assert claims[LTI + "custom"] == quiz["custom"]
    assert claims[LTI + "roles"][0].endswith("#Learner")
    ags = claims[AGS]
    assert ags["lineitem"] == served.config.line_item_url(DEMO_COURSE_ID, line_item.id)
    assert ags["lineitems"] == served.config.line_items_url(DEMO_COURSE_ID)
    assert set(ags["scope"]) == {LINEITEM, RESULT, SCORE}


def test_ungraded_link_launches_without_a_line_item(tool: ToolSide, served: LmsAndTool) -> None:
    request = tool.deep_linking_request()
    item = {"type": "ltiResourceLink", "title": "Flashcards 1", "custom": {"deck": "d1"}}
    assert tool.answer(request, [item]).status_code == 303

    claims = tool.launch_link(placed(served, "Flashcards 1").id)

    assert "lineitem" not in claims[AGS]
    assert claims[AGS]["lineitems"] == served.config.line_items_url(DEMO_COURSE_ID)
    assert claims[LTI + "custom"] == {"deck": "d1"}


def test_students_open_placed_links_from_the_course_page(
    tool: ToolSide, served: LmsAndTool
) -> None:
    request = tool.deep_linking_request()
    assert tool.answer(request, [graded_link(title="Cells quiz")]).status_code == 303
    link = placed(served, "Cells quiz")

    with requests.Session() as browser:
        page = browser.get(served.config.course_url(DEMO_COURSE_ID), timeout=10).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token
        opened = browser.post(
            served.config.course_url(DEMO_COURSE_ID) + "/launches",
            data={
                "csrf_token": token.group(1),
                "user": "sam",
                "link": link.id,
                "presentation": "iframe",
            },
            timeout=10,
        )
    frame = re.search(r'<iframe[^>]*\ssrc="([^"]+)"', opened.text)
    assert frame
    assert "Cells quiz" in opened.text

    claims = tool.launch_link(link.id, user="sam")  # the same link, launched as the page would
    assert claims["name"] == "Sam Patel"
    assert parse_qs(urlsplit(unescape(frame.group(1))).query)["target_link_uri"] == [
        served.config.tool_launch_url
    ]


def test_line_item_is_ignored_where_the_place_takes_none(
    tool: ToolSide, served: LmsAndTool
) -> None:
    request = tool.deep_linking_request("editor_button")
    quiz = graded_link()
    assert tool.answer(request, [quiz]).status_code == 303

    link = placed(served, quiz["title"])
    assert served.platform.grades.line_items(DEMO_COURSE_ID, resource_link_id=link.id) == []


def test_window_only_links_open_in_a_window(tool: ToolSide, served: LmsAndTool) -> None:
    request = tool.deep_linking_request()
    item = {"type": "ltiResourceLink", "title": "Big board", "window": {"targetName": "board"}}
    assert tool.answer(request, [item]).status_code == 303
    assert placed(served, "Big board").presentation == "window"


def test_empty_answer_places_nothing(tool: ToolSide, served: LmsAndTool) -> None:
    before = len(served.platform.store.placed_links(DEMO_COURSE_ID))
    request = tool.deep_linking_request()

    response = tool.answer(request, [], **{DL + "errormsg": "The teacher cancelled"})

    assert response.status_code == 303
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query == {"added": ["0"], "lti_errormsg": ["The teacher cancelled"]}
    assert len(served.platform.store.placed_links(DEMO_COURSE_ID)) == before


def _foreign_key() -> dict[str, Any]:
    return {"key": _generate_pem()}


@pytest.mark.parametrize(
    ("placement", "items", "overrides", "reason"),
    [
        ("link_selection", None, {"key": "foreign"}, "bad_signature"),
        ("link_selection", None, {"kid": "not-published"}, "unknown_key"),
        ("link_selection", None, {"kid": None}, "unknown_key"),
        ("link_selection", None, {"aud": "https://another-lms.example"}, "wrong_audience"),
        ("link_selection", None, {"iss": "another-client"}, "wrong_issuer"),
        ("link_selection", None, {LTI + "deployment_id": "other-deployment"}, "wrong_deployment"),
        ("link_selection", None, {"drop": [DL + "data"]}, "data_not_echoed"),
        ("link_selection", None, {DL + "data": "made-up"}, "data_not_echoed"),
        (
            "link_selection",
            None,
            {LTI + "message_type": "LtiResourceLinkRequest"},
            "wrong_message_type",
        ),
        ("link_selection", None, {LTI + "version": "1.1"}, "wrong_version"),
        ("link_selection", None, {"drop": ["nonce"]}, "missing_nonce"),
        ("link_selection", None, {"exp": int(time.time()) - 60}, "expired"),
        ("link_selection", None, {"drop": ["iat"]}, "missing_claim"),
        ("assignment_selection", [graded_link(), graded_link()], {}, "too_many_items"),
        ("assignment_selection", [{"type": "html", "html": "<p>x</p>"}], {}, "unaccepted_type"),
        ("link_selection", [graded_link(url="https://evil.example/launch")], {}, "foreign_url"),
        ("link_selection", [graded_link(custom={"n": 3})], {}, "bad_item"),
        ("link_selection", [graded_link(lineItem={"label": "no maximum"})], {}, "bad_item"),
        ("link_selection", [{"type": "link", "url": "javascript:alert(1)"}], {}, "bad_item"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_invalid_answers_are_refused_and_place_nothing(
    tool: ToolSide,
    served: LmsAndTool,
    placement: str,
    items: list[dict[str, Any]] | None,
    overrides: dict[str, Any],
    reason: str,
) -> None:
    if overrides.get("key") == "foreign":
        overrides = {**overrides, **_foreign_key()}
    store = served.platform.store
    before = (len(store.placed_links(DEMO_COURSE_ID)), len(store.content_items(DEMO_COURSE_ID)))
    request = tool.deep_linking_request(placement)

    response = tool.answer(request, items if items is not None else [graded_link()], **overrides)

    assert response.status_code == 400
    assert refusal_reason(response) == reason
    assert "Nothing was added to the course" in response.text
    after = (len(store.placed_links(DEMO_COURSE_ID)), len(store.content_items(DEMO_COURSE_ID)))
    assert after == before


def test_an_answer_places_its_items_once(tool: ToolSide, served: LmsAndTool) -> None:
    request = tool.deep_linking_request()
    quiz = graded_link()
    token = served.tool.deep_linking_response(request, [quiz])

    assert tool.post_answer(request, token).status_code == 303
    replay = tool.post_answer(request, token)
    second = tool.answer(request, [graded_link()])

    assert (replay.status_code, refusal_reason(replay)) == (400, "already_answered")
    assert (second.status_code, refusal_reason(second)) == (400, "already_answered")
    placed(served, quiz["title"])


def test_answer_must_come_back_to_the_course_that_asked(tool: ToolSide, served: LmsAndTool) -> None:
    request = tool.deep_linking_request()
    token = served.tool.deep_linking_response(request, [graded_link()])

    missing = requests.post(served.config.deep_linking_return_url(DEMO_COURSE_ID), timeout=10)
    elsewhere = requests.post(
        served.config.deep_linking_return_url("another-course"), data={"JWT": token}, timeout=10
    )
    garbage = requests.post(
        served.config.deep_linking_return_url(DEMO_COURSE_ID), data={"JWT": "a.b"}, timeout=10
    )

    assert (missing.status_code, refusal_reason(missing)) == (400, "missing_jwt")
    assert elsewhere.status_code == 404
    assert (garbage.status_code, refusal_reason(garbage)) == (400, "malformed")


def test_add_content_form_starts_a_deep_linking_launch(served: LmsAndTool) -> None:
    with requests.Session() as browser:
        page = browser.get(served.config.course_url(DEMO_COURSE_ID), timeout=10).text
        assert "<legend>Where should the new content go? (choosing as Ms. Rivera)</legend>" in page
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token
        url = served.config.course_url(DEMO_COURSE_ID) + "/deep_linking"
        teacher = browser.post(
            url,
            data={
                "csrf_token": token.group(1),
                "user": "rivera",
                "placement": "assignment_selection",
            },
            timeout=10,
        )
        student = browser.post(url, data={"csrf_token": token.group(1), "user": "alex"}, timeout=10)

    assert teacher.status_code == 200
    assert '<h2 id="tool-heading">Add EduTeach content' in teacher.text
    assert "Open EduTeach in a new window" not in teacher.text
    assert '<iframe id="tool-frame"' in teacher.text
    assert student.status_code == 403
    assert "Only a teacher" in student.text
