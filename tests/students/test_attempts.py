"""Students complete placed activities over HTTP: attempts saved, scores queued, keys kept.

Every launch is a real LTI 1.3 launch from the practice LMS on a resource link that carries
the publication's token; the student's pages are read as the server sends them.
"""

from __future__ import annotations

import html
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import requests

from tests.activities import samples
from tests.lti.conftest import Lti
from tests.students.conftest import (
    RIGHT_BLANKS,
    attempts,
    deliveries,
    launch_student,
    page_fields,
    place_activity,
    questions,
    right_matches,
    right_quiz_answers,
    set_settings,
    text_of,
)


def _result(submitted: requests.Response) -> str:
    """Where a submit sends the student (the result page's path; the launch token is added
    by whoever opens it)."""
    assert submitted.status_code == 303, submitted.text[:500]
    return urlsplit(submitted.headers["Location"]).path


def test_a_student_launch_on_a_placed_activity_lands_on_its_player(lti: Lti) -> None:
    placed = place_activity(lti, "quiz")
    student = launch_student(lti, "alex", placed.link_id)
    assert student.landed == "/student/activity"
    page = student.activity()
    assert 'data-role="student"' in page
    assert "Photosynthesis check-up" in text_of(page)
    assert "Attempt 1" in text_of(page)


def test_a_quiz_is_scored_on_the_server_and_its_score_queued(lti: Lti) -> None:
    placed = place_activity(lti, "quiz")
    student = launch_student(lti, "alex", placed.link_id)
    page = student.activity()
    answers = right_quiz_answers(page, placed.data)
    answers["q.3"] = "chloroplast"  # wrong
    location = _result(student.submit(page, answers))
    assert location == "/student/activity/attempts/1"

    [attempt] = attempts(lti)
    assert (attempt.points, attempt.max_points) == (4.0, 5.0)
    assert attempt.artifact_version == 1
    assert attempt.responses["answers"]["3"] == "chloroplast"
    [delivery] = deliveries(lti)
    assert delivery.attempt_id == attempt.id
    assert delivery.score_given == pytest.approx(8.0)  # 4 of 5, out of the default 10 points
    assert delivery.score_maximum == 10.0
    assert delivery.line_item_url.startswith(lti.lms_url)
    assert delivery.timestamp == attempt.submitted_at

    result = text_of(student.get(location).text)
    assert "You scored 4 out of 5." in result
    assert "Chlorophyll absorbs red and blue light and reflects green." in result


def test_fill_in_and_matching_are_graded_like_a_quiz(lti: Lti) -> None:
    fill_in = place_activity(lti, "fill_in")
    matching = place_activity(lti, "matching")

    student = launch_student(lti, "alex", fill_in.link_id)
    page = student.activity()
    typed = {**RIGHT_BLANKS, "b.1.0": "stomates"}  # the other accepted answer
    assert "Submit my answers" in text_of(page)
    _result(student.submit(page, typed))

    student = launch_student(lti, "alex", matching.link_id)
    page = student.activity()
    matches = right_matches(page, matching.data)
    matches["m.0"] = next(
        value
        for value, text in page_fields(page).options["m.0"]
        if text.endswith(matching.data["distractors"][0])
    )
    location = _result(student.submit(page, matches))
    assert "You scored 3 out of 4." in text_of(student.get(location).text)

    scored = [(a.points, a.max_points) for a in attempts(lti)]
    assert scored == [(4.0, 4.0), (3.0, 4.0)]
    assert [d.score_given for d in deliveries(lti)] == [10.0, 7.5]


def test_practice_is_recorded_but_sends_no_grade(lti: Lti) -> None:
    self_quiz = place_activity(lti, "self_quiz", attempts_allowed=1)
    deck = place_activity(lti, "flashcards")

    student = launch_student(lti, "alex", self_quiz.link_id)
    for _ in range(3):  # unlimited tries, whatever the limit says
        page = student.activity()
        assert "does not count toward your grade" in text_of(page)
        location = _result(student.submit(page, right_quiz_answers(page, self_quiz.data)))
    assert "You scored 5 out of 5." in text_of(student.get(location).text)

    student = launch_student(lti, "alex", deck.link_id)
    page = student.activity()
    resp = student.submit(page, {"r.0": "knew", "r.2": "learning"})
    assert resp.status_code == 303

    assert [(a.points, a.max_points) for a in attempts(lti)] == [(5.0, 5.0)] * 3 + [(1.0, 2.0)]
    assert deliveries(lti) == []


def test_a_self_quiz_checks_one_question_and_gives_the_answer_only_when_asked(lti: Lti) -> None:
    placed = place_activity(lti, "self_quiz")
    student = launch_student(lti, "alex", placed.link_id)
    page = student.activity()
    hidden = page_fields(page).hidden
    base = [(k, hidden[k]) for k in ("lt", "csrf_token", "version")]
    json_only = {"Accept": "application/json"}

    first = questions(page)[0]
    wrong = first.options["Oxygen"]
    checked = student.post(
        "/student/activity/check",
        [*base, (first.name, wrong), ("only", first.name[2:])],
        headers=json_only,
    ).json()
    [item] = checked["items"]
    assert item["status"] == "incorrect"
    assert item["feedback"] == "Oxygen is given out, not taken in."
    assert "Plants combine CO₂" not in str(checked)

    shown = student.post(
        "/student/activity/check",
        [*base, (first.name, wrong), ("reveal", first.name[2:])],
        headers=json_only,
    ).json()
    assert "Plants combine CO₂ and water to make glucose." in shown["items"][0]["feedback"]
    assert attempts(lti) == []


def test_the_attempt_limit_holds(lti: Lti) -> None:
    placed = place_activity(lti, "quiz", attempts_allowed=2)
    student = launch_student(lti, "alex", placed.link_id)
    first = student.activity()
    assert "Attempt 1 of 2" in text_of(first)
    result = student.get(_result(student.submit(first, {"q.0": "1"}))).text
    assert "Try again" in text_of(result)

    second = student.activity()
    assert "Attempt 2 of 2" in text_of(second)
    result = student.get(_result(student.submit(second, {"q.0": "0"}))).text
    assert "Try again" not in text_of(result)

    closed = student.activity()
    assert "You have done this activity 2 times, as many as your teacher allows." in text_of(closed)
    assert "submit_key" not in closed
    # The second page, kept open in another tab and sent with a new key: refused.
    fields = [(k, v) for k, v in page_fields(second).hidden.items() if k != "submit_key"]
    late = student.post(
        "/student/activity/submit", [*fields, ("submit_key", "another-tab-key-1234"), ("q.0", "0")]
    )
    assert late.status_code == 409
    assert "as many as your teacher allows" in text_of(late.text)
    assert [a.points for a in attempts(lti)] == [0.0, 1.0]
    assert len(deliveries(lti)) == 2


def test_a_shuffled_quiz_differs_per_student_stays_put_per_attempt_and_scores_right(
    lti: Lti,
) -> None:
    placed = place_activity(lti, "quiz", shuffle=True)
    alex = launch_student(lti, "alex", placed.link_id)
    sam = launch_student(lti, "sam", placed.link_id)

    def order(page: str) -> list[tuple[str, list[str]]]:
        return [(q.text, list(q.options)) for q in questions(page)]

    seen = alex.activity()
    assert order(alex.activity()) == order(seen), "a reload shuffles the same attempt again"
    assert order(sam.activity()) != order(seen)
    plain = [
        (item["question"], [o["text"] for o in item["options"]]) for item in placed.data["items"]
    ]
    assert order(seen) != plain

    location = _result(alex.submit(seen, right_quiz_answers(seen, placed.data)))
    assert [(a.points, a.max_points) for a in attempts(lti)] == [(5.0, 5.0)]
    assert order(alex.get(location).text) == order(seen), "the result shows the order answered"


def test_feedback_after_the_due_date_waits_for_it(lti: Lti) -> None:
    due = datetime.now(UTC) + timedelta(days=2)
    placed = place_activity(
        lti, "quiz", attempts_allowed=3, feedback="after_due", due_at=due.isoformat()
    )
    student = launch_student(lti, "alex", placed.link_id)
    page = student.activity()
    assert "Your teacher shows scores and feedback after the due date." in text_of(page)
    assert f'datetime="{due.isoformat()}"' in page
    location = _result(student.submit(page, right_quiz_answers(page, placed.data)))

    held = student.get(location).text
    assert "will be shown after the due date" in text_of(held)
    for item in placed.data["items"]:
        assert item["explanation"] not in held
    assert "You scored" not in held
    assert "status-correct" not in held
    assert len(deliveries(lti)) == 1  # the grade goes to the LMS, which decides who sees it

    set_settings(lti, placed, due_at=(datetime.now(UTC) - timedelta(minutes=1)).isoformat())
    shown = text_of(student.get(location).text)
    assert "You scored 5 out of 5." in shown
    assert "Plants combine CO₂ and water to make glucose." in shown
    # With the answers out, the activity takes no more.
    closed = student.activity()
    assert "It takes no more answers." in text_of(closed)
    late = student.submit(page.replace(page_fields(page).hidden["submit_key"], "x" * 20), {})
    assert late.status_code == 409
    assert len(attempts(lti)) == 1


def test_a_replayed_or_double_clicked_submit_records_one_attempt(lti: Lti) -> None:
    placed = place_activity(lti, "quiz")
    student = launch_student(lti, "alex", placed.link_id)
    page = student.activity()
    answers = right_quiz_answers(page, placed.data)
    first = _result(student.submit(page, answers))
    assert _result(student.submit(page, answers)) == first

    again = student.activity()
    with ThreadPoolExecutor(max_workers=4) as pool:
        locations = list(pool.map(lambda _: _result(student.submit(again, answers)), range(4)))
    assert len(set(locations)) == 1
    assert locations[0] == "/student/activity/attempts/2"
    assert len(attempts(lti)) == 2
    assert len(deliveries(lti)) == 2


def _key_strings(kind: str) -> list[str]:
    """Strings of the sample's answer key a student must not receive before earning them."""
    data = samples.DATA[kind]()
    if kind in ("quiz", "self_quiz"):
        found = []
        for item in data["items"]:
            found += item["accepted_answers"] + [item["explanation"]]
            found += [o["feedback"] for o in item["options"] if o["feedback"]]
        return found
    return [*RIGHT_BLANKS.values(), "stomates", "[["]


@pytest.mark.parametrize(
    ("kind", "params"),
    [("quiz", {}), ("self_quiz", {}), ("fill_in", {"word_bank": False})],
)
def test_no_part_of_the_key_reaches_the_page_before_submit(
    lti: Lti, kind: str, params: dict[str, bool]
) -> None:
    placed = place_activity(lti, kind, params=params)
    student = launch_student(lti, "alex", placed.link_id)
    page = student.activity()
    source = html.unescape(page)
    for secret in _key_strings(kind):
        assert secret not in source, secret
    assert "correct" not in source.replace("Correct", "").casefold()
    # A graded activity answers no "check" request: its key is never given out early.
    if kind != "self_quiz":
        hidden = page_fields(page).hidden
        check = student.post(
            "/student/activity/check",
            [(k, hidden[k]) for k in ("lt", "csrf_token", "version")] + [("q.0", "0")],
        )
        assert check.status_code == 404


def test_a_student_reaches_only_their_own_attempts_and_no_teacher_page(lti: Lti) -> None:
    placed = place_activity(lti, "quiz")
    alex = launch_student(lti, "alex", placed.link_id)
    page = alex.activity()
    location = _result(alex.submit(page, right_quiz_answers(page, placed.data)))
    assert alex.get(location).status_code == 200

    sam = launch_student(lti, "sam", placed.link_id)
    assert sam.get(location).status_code == 404
    assert sam.get("/student/activity/attempts/2").status_code == 404
    assert "Your attempts" not in text_of(sam.activity())

    artifact = placed.artifact_id
    for path in (
        "/teacher",
        f"/teacher/artifacts/{artifact}",
        f"/teacher/artifacts/{artifact}/preview",
    ):
        assert sam.get(path).status_code == 403, path
    hidden = page_fields(page).hidden
    post = sam.post(
        f"/teacher/artifacts/{artifact}/preview/check",
        [("lt", sam.token), ("csrf_token", hidden["csrf_token"]), ("q.0", "0")],
    )
    assert post.status_code == 403


def test_a_submit_without_its_launch_or_csrf_token_is_refused(lti: Lti) -> None:
    placed = place_activity(lti, "quiz")
    student = launch_student(lti, "alex", placed.link_id)
    page = student.activity()
    hidden = page_fields(page).hidden
    no_csrf = [(k, hidden[k]) for k in ("lt", "version", "submit_key")] + [("q.0", "0")]
    assert student.post("/student/activity/submit", no_csrf).status_code == 400
    no_launch = [(k, hidden[k]) for k in ("csrf_token", "version", "submit_key")]
    assert student.post("/student/activity/submit", no_launch).status_code == 401
    assert attempts(lti) == []
