"""The whole way over HTTP: a teacher places a quiz by deep linking, a student completes it,
the score reaches the practice LMS's gradebook, and an LMS that was down loses nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests
from sqlalchemy import select

from eduteach.grades import deliver_due
from eduteach.practice_lms.store import DEMO_COURSE_ID
from eduteach.storage.models import Attempt, ScoreDelivery
from tests.activities import samples
from tests.deep_linking.test_round_trip import make_ready, open_picker, respond, returned
from tests.lti.conftest import Lti
from tests.students.conftest import (
    RIGHT_BLANKS,
    launch_student,
    right_matches,
    right_quiz_answers,
)

SCORE_MEDIA_TYPE = "application/vnd.ims.lis.v1.score+json"


def place_quiz(lti: Lti) -> str:
    quiz = make_ready(lti, "quiz")
    browser, _picker, token, csrf = open_picker(lti, "assignment_selection")
    answer = respond(
        browser, lti, token, csrf,
        [("action", "add"), ("artifact", str(quiz)), ("points", "10"),
         ("attempts_allowed", "0"), ("feedback", "after_submit"), ("graded", "on")],
    )  # fmt: skip
    assert returned(browser, answer.text).status_code == 303
    return next(
        link.id
        for link in lti.platform.store.placed_links(DEMO_COURSE_ID)
        if link.custom.get("eduteach_activity")
        and lti.platform.grades.line_items(DEMO_COURSE_ID, resource_link_id=link.id)
    )


def deliveries(lti: Lti) -> list[ScoreDelivery]:
    with lti.tool_app.extensions["eduteach"].db.session() as s:
        return list(s.scalars(select(ScoreDelivery).order_by(ScoreDelivery.id)))


def test_a_students_score_reaches_the_gradebook_even_after_the_lms_was_down(lti: Lti) -> None:
    services = lti.tool_app.extensions["eduteach"]
    link = place_quiz(lti)
    student = launch_student(lti, "alex", link)
    assert student.landed == "/student/activity"
    page = student.activity()
    done = student.submit(page, right_quiz_answers(page, samples.quiz_data()))
    assert done.status_code == 303

    assert deliver_due(services).delivered == 1
    (column,) = lti.platform.grades.line_items(DEMO_COURSE_ID, resource_link_id=link)
    (result,) = lti.platform.grades.results(column.id)
    assert (result.score_given, result.score_maximum) == (10.0, 10.0)
    assert (result.activity_progress, result.grading_progress) == ("Completed", "FullyGraded")
    request = lti.platform.grades.score_requests()[-1]
    assert request.media_type == SCORE_MEDIA_TYPE
    assert request.status == 200

    # The gradebook service goes down; the student submits again and is answered at once.
    lti.platform.set_grade_service_switch({"mode": "off", "retry_after": 60})
    try:
        page = student.activity()
        answers = right_quiz_answers(page, samples.quiz_data())
        answers[next(iter(answers))] = "999"  # one wrong answer: 4 of 5
        assert student.submit(page, answers).status_code == 303
        summary = deliver_due(services)
        assert (summary.delivered, summary.retrying) == (0, 1)
        waiting = deliveries(lti)[-1]
        assert waiting.status == "pending"
        assert waiting.last_status == 503
    finally:
        lti.platform.set_grade_service_switch({"mode": "on"})

    with services.db.session() as s:
        submitted = s.scalars(select(Attempt).order_by(Attempt.id.desc())).first()
        assert submitted is not None
        submitted_at = submitted.submitted_at
    later = waiting.next_try_at + timedelta(seconds=1)
    assert deliver_due(services, now=later).delivered == 1
    assert deliver_due(services, now=later + timedelta(hours=1)).handled == 0  # sent once
    (result,) = lti.platform.grades.results(column.id)
    assert (result.score_given, result.score_maximum) == (8.0, 10.0)
    # The gradebook holds the submission time, not the time the LMS came back.
    stored = submitted_at if submitted_at.tzinfo else submitted_at.replace(tzinfo=UTC)
    assert datetime.fromisoformat(result.timestamp) == stored


def place(lti: Lti, kind: str) -> str:
    """Place one ready activity of ``kind`` by deep linking (link selection); its link id."""
    artifact = make_ready(lti, kind)
    browser, _picker, token, csrf = open_picker(lti, "link_selection")
    answer = respond(
        browser, lti, token, csrf,
        [("action", "add"), ("artifact", str(artifact)), ("points", "10"),
         ("attempts_allowed", "0"), ("feedback", "after_submit"), ("graded", "off"),
         ("graded", "on")],
    )  # fmt: skip
    assert returned(browser, answer.text).status_code == 303
    title = samples.DATA[kind]()["title"]
    links = [
        link for link in lti.platform.store.placed_links(DEMO_COURSE_ID) if link.title == title
    ]
    return links[-1].id


def right_answers(kind: str, page: str) -> dict[str, str | list[str]]:
    data = samples.DATA[kind]()
    if kind in ("quiz", "self_quiz"):
        return right_quiz_answers(page, data)
    if kind == "matching":
        return dict(right_matches(page, data))
    if kind == "fill_in":
        return dict(RIGHT_BLANKS)
    return {f"r.{n}": "knew" for n in range(len(data["cards"]))}


@pytest.mark.parametrize("kind", ["quiz", "fill_in", "matching", "flashcards", "self_quiz"])
def test_each_activity_type_is_placed_completed_and_graded_where_it_counts(
    lti: Lti, kind: str
) -> None:
    services = lti.tool_app.extensions["eduteach"]
    link = place(lti, kind)
    columns = lti.platform.grades.line_items(DEMO_COURSE_ID, resource_link_id=link)
    student = launch_student(lti, "sam", link)
    assert student.landed == "/student/activity"
    page = student.activity()
    assert student.submit(page, right_answers(kind, page)).status_code == 303
    deliver_due(services)
    if kind in ("flashcards", "self_quiz"):
        assert columns == []  # practice: no gradebook column, nothing sent
        return
    (column,) = columns
    (result,) = lti.platform.grades.results(column.id)
    assert (result.score_given, result.score_maximum) == (10.0, 10.0)
    gradebook = requests.get(lti.config.course_url(DEMO_COURSE_ID) + "/gradebook", timeout=10)
    assert "10 / 10" in gradebook.text
