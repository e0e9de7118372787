"""Deep linking against the practice LMS over HTTP: the teacher's picker, the signed response
the platform validates, the link it places, and the student launch that opens it."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import select

from eduteach.content import artifacts
from eduteach.generation import GenerationResult
from eduteach.practice_lms.forms import parse_launch_form
from eduteach.practice_lms.store import DEMO_COURSE_ID, DEMO_TEACHER
from eduteach.storage.models import Artifact, Course, Placement, Publication
from tests.activities import samples
from tests.lti.conftest import Browser, Lti


def make_ready(lti: Lti, kind: str, *, ready: bool = True) -> int:
    """A reviewed activity of the demo course, as if the teacher had made and marked it."""
    launch = lti.browser()
    launch.follow(launch.launch(DEMO_TEACHER))  # the course exists in the tool after a launch
    db = lti.tool_app.extensions["eduteach"].db
    with db.session() as s:
        course = s.scalars(select(Course)).one()
        model = artifacts.kind(kind).output.model_validate(samples.DATA[kind]())
        artifact = artifacts.create_artifact(
            s,
            course_id=course.id,
            owner_sub="teacher",
            kind_name=kind,
            params=samples.params(kind),
            result=GenerationResult(output=model, provenance={"model": "test"}),
        )
        artifact.status = "ready" if ready else "draft"
        return artifact.id


def open_picker(
    lti: Lti, placement: str, *, login_url: str | None = None
) -> tuple[Browser, Any, str, str]:
    """The teacher's picker, opened from a course-wide placement (or from ``login_url``)."""
    browser = lti.browser()
    auth = browser.begin(
        DEMO_TEACHER,
        login_url or lti.platform.start_deep_linking(DEMO_TEACHER, placement=placement),
    )
    form = parse_launch_form(browser.get(lti.config.auth_login_url, params=auth).text)
    picker = browser.follow(browser.post(form.action, form.fields))
    assert picker.status_code == 200, picker.text[:400]
    assert urlsplit(picker.url).path == "/deep-linking"
    token = parse_qs(urlsplit(picker.url).query)["lt"][0]
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', picker.text)
    assert csrf
    return browser, picker, token, csrf.group(1)


def respond(
    browser: Browser, lti: Lti, token: str, csrf: str, fields: list[tuple[str, str]]
) -> Any:
    return browser.http.post(
        lti.tool_url + "/deep-linking",
        data=[("lt", token), ("csrf_token", csrf), *fields],
        cookies=browser.cookies,
        allow_redirects=False,
        timeout=15,
    )


def returned(browser: Browser, page: str) -> Any:
    action = re.search(r'<form method="post" action="([^"]+)" id="deep-link-response"', page)
    jwt = re.search(r'name="JWT" value="([^"]+)"', page)
    assert action
    assert jwt
    return browser.http.post(
        action.group(1), data={"JWT": jwt.group(1)}, allow_redirects=False, timeout=15
    )


def test_an_assignment_picks_one_graded_activity_and_the_lms_makes_its_column(lti: Lti) -> None:
    quiz = make_ready(lti, "quiz")
    plan_like = make_ready(lti, "flashcards")
    draft = make_ready(lti, "matching", ready=False)
    browser, picker, token, csrf = open_picker(lti, "assignment_selection")
    assert 'data-role="teacher"' in picker.text
    assert 'type="radio"' in picker.text  # the assignment takes one item
    assert f'value="{draft}"' in picker.text
    assert "review it and mark it ready" in picker.text

    answer = respond(
        browser, lti, token, csrf,
        [("action", "add"), ("artifact", str(quiz)), ("points", "20"), ("attempts_allowed", "2"),
         ("feedback", "after_submit"), ("graded", "off"), ("graded", "on")],
    )  # fmt: skip
    assert answer.status_code == 200, answer.text[:400]
    placed = returned(browser, answer.text)
    assert placed.status_code == 303, placed.text[:400]
    assert "added=1" in placed.headers["Location"]

    links = lti.platform.store.placed_links(DEMO_COURSE_ID)
    # The newest link of that title: other tests place quizzes in the same course.
    link = [link for link in links if link.title == samples.quiz_data()["title"]][-1]
    db = lti.tool_app.extensions["eduteach"].db
    with db.session() as s:
        publication = s.scalars(select(Publication).where(Publication.artifact_id == quiz)).one()
        assert link.custom == {"eduteach_activity": publication.token}
        assert (publication.graded, publication.score_maximum) == (True, 20.0)
        assert publication.settings["attempts_allowed"] == 2
        token_value = publication.token
    (column,) = lti.platform.grades.line_items(DEMO_COURSE_ID, resource_link_id=link.id)
    assert (column.score_maximum, column.resource_id, column.tag) == (20.0, token_value, "eduteach")
    assert column.label == samples.quiz_data()["title"]
    assert plan_like  # a second activity exists but an assignment only took the chosen one

    # A student opening the placed link lands on that activity, with its line item recorded.
    student = lti.browser()
    auth = student.begin("alex", lti.platform.start_launch("alex", link_id=link.id))
    form = parse_launch_form(student.get(lti.config.auth_login_url, params=auth).text)
    landing = student.post(form.action, form.fields)
    assert landing.status_code == 303
    with db.session() as s:
        placement = s.scalars(select(Placement)).one()
        assert placement.resource_link_id == link.id
        assert placement.line_item_url.endswith(f"/line_items/{column.id}")
        assert placement.publication.artifact_id == quiz


def test_content_links_take_several_items_and_plans_as_html(lti: Lti) -> None:
    quiz = make_ready(lti, "quiz")
    cards = make_ready(lti, "flashcards")
    browser, picker, token, csrf = open_picker(lti, "link_selection")
    assert 'type="checkbox" name="artifact"' in picker.text
    answer = respond(
        browser, lti, token, csrf,
        [("action", "add"), ("artifact", str(quiz)), ("artifact", str(cards)), ("points", "10"),
         ("attempts_allowed", "0"), ("feedback", "after_submit"), ("graded", "on")],
    )  # fmt: skip
    placed = returned(browser, answer.text)
    assert "added=2" in placed.headers["Location"]
    links = {link.title: link for link in lti.platform.store.placed_links(DEMO_COURSE_ID)}
    quiz_link = links[samples.quiz_data()["title"]]
    cards_link = links[samples.flashcards_data()["title"]]
    assert lti.platform.grades.line_items(DEMO_COURSE_ID, resource_link_id=quiz_link.id)
    # Flashcards are practice: no gradebook column.
    assert lti.platform.grades.line_items(DEMO_COURSE_ID, resource_link_id=cards_link.id) == []


def test_nothing_chosen_is_explained_and_cancel_returns_nothing(lti: Lti) -> None:
    make_ready(lti, "quiz")
    before = len(lti.platform.store.placed_links(DEMO_COURSE_ID))
    browser, _picker, token, csrf = open_picker(lti, "link_selection")
    missing = respond(browser, lti, token, csrf, [("action", "add"), ("points", "10")])
    assert missing.status_code == 422
    assert "Choose what to add" in missing.text
    cancel = respond(browser, lti, token, csrf, [("action", "cancel")])
    placed = returned(browser, cancel.text)
    assert placed.status_code == 303
    assert placed.headers["Location"].endswith("?added=0")
    assert len(lti.platform.store.placed_links(DEMO_COURSE_ID)) == before


@pytest.mark.parametrize("placement", ["assignment_selection"])
def test_a_student_cannot_open_the_picker(lti: Lti, placement: str) -> None:
    student = lti.browser()
    landing = student.follow(student.launch("alex"))
    token = parse_qs(urlsplit(landing.url).query)["lt"][0]
    assert student.get(lti.tool_url + "/deep-linking", params={"lt": token}).status_code == 403


def make_plan(lti: Lti) -> int:
    from tests.plans.samples import lesson_params, lesson_plan_data

    launch = lti.browser()
    launch.follow(launch.launch(DEMO_TEACHER))
    with lti.tool_app.extensions["eduteach"].db.session() as s:
        course = s.scalars(select(Course)).one()
        model = artifacts.kind("lesson_plan").output.model_validate(lesson_plan_data())
        artifact = artifacts.create_artifact(
            s,
            course_id=course.id,
            owner_sub="teacher",
            kind_name="lesson_plan",
            params=lesson_params(),
            result=GenerationResult(output=model, provenance={"model": "test"}),
        )
        artifact.status = "ready"
        return artifact.id


def test_a_plan_goes_as_a_page_where_html_is_accepted(lti: Lti) -> None:
    plan = make_plan(lti)
    browser, picker, token, csrf = open_picker(lti, "editor_button")
    assert f'value="{plan}"' in picker.text
    assert "added as a page" in picker.text
    answer = respond(browser, lti, token, csrf, [("action", "add"), ("artifact", str(plan))])
    assert returned(browser, answer.text).status_code == 303


def test_a_plan_placed_as_a_link_opens_read_only_and_only_that_plan(lti: Lti) -> None:
    from eduteach.lti.deep_linking import HTML, LINK, Settings
    from eduteach.web.deep_linking import _plan_type, shared_url

    assert _plan_type(Settings("u", ("link",), True, False, None)) == LINK
    assert _plan_type(Settings("u", ("html", "link"), True, False, None)) == HTML
    assert _plan_type(Settings("u", ("ltiResourceLink",), True, False, None)) is None
    plan = make_plan(lti)
    app = lti.tool_app
    base = app.extensions["eduteach"].settings.base_url
    with app.test_request_context(), app.extensions["eduteach"].db.session() as s:
        artifact = s.get(Artifact, plan)
        assert artifact is not None
        url = shared_url(artifact).replace(base, lti.tool_url)
    page = requests.get(url, timeout=10)
    assert page.status_code == 200
    assert "Adding Fractions with Unlike Denominators" in page.text
    assert "<h2>" in page.text  # the plan's own markup, not escaped text
    forged = url[: url.rindex("/") + 1] + "WzEsMV0.forged"
    assert requests.get(forged, timeout=10).status_code == 404
