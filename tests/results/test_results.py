"""The teacher's results: students' attempts, scores and grades, item analysis, names from NRPS
(ids without it), resending refused scores, and who may see any of it."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from eduteach.storage.models import ScoreDelivery
from tests.activities_web.conftest import make_activity
from tests.lti.conftest import Lti
from tests.results.conftest import (
    FakePlatformServices,
    db_of,
    delivery,
    launch,
    only_publication,
    place,
    publish_directly,
    submit,
    table_rows,
    texts,
)
from tests.teacher.conftest import STUDENT, Teacher

T0 = datetime(2030, 3, 2, 9, 0, tzinfo=UTC)
WRONG_GAS = {"0": ["1"]}  # Oxygen: the first question's most tempting wrong answer


def answers(**by_question: object) -> dict[str, object]:
    """Quiz responses as the player sends them: question index -> chosen option(s) or text."""
    return {"answers": {k.removeprefix("q"): v for k, v in by_question.items()}}


ALL_RIGHT = answers(q0=["0"], q1=["0", "1", "3"], q2=["1"], q3="chlorophyll", q4=["0"])


@pytest.fixture
def quiz_results(
    lti: Lti, teacher_with_services: Teacher, student_subs: tuple[str, str]
) -> dict[str, int]:
    """A published quiz: Alex tried twice (2 then 4 of 5), Sam once (5 of 5).

    Alex's newest score was refused by the LMS (404); Sam's is in the gradebook.
    """
    alex, sam = student_subs
    artifact_id = make_activity(teacher_with_services, "quiz")
    placement = place(lti, publish_directly(lti, artifact_id), line_item="https://lms/li/1")
    first = submit(
        lti, placement, alex, "quiz", answers(q0=["1"], q1=["0"], q2=["1"], q3="chlorofil"), T0
    )
    second = submit(
        lti,
        placement,
        alex,
        "quiz",
        answers(q0=["1"], q1=["0", "1", "3"], q2=["1"], q3="chlorophyll", q4=["0"]),
        T0 + timedelta(hours=1),
    )
    third = submit(lti, placement, sam, "quiz", ALL_RIGHT, T0 + timedelta(hours=2))
    delivery(lti, first, "superseded")
    refused = delivery(
        lti, second, "needs_attention", last_status=404, last_error="Line item not found"
    )
    delivery(lti, third, "delivered")
    return {"artifact": artifact_id, "refused": refused, "placement": placement}


def test_each_student_has_attempts_scores_and_grade_status(
    teacher_with_services: Teacher, quiz_results: dict[str, int]
) -> None:
    page = teacher_with_services.get(f"/teacher/artifacts/{quiz_results['artifact']}/results")
    assert page.status_code == 200, page.text[:500]
    rows = table_rows(page.text, "students")
    assert list(rows) == ["Alex Kim", "Sam Patel"]  # names from NRPS, in order
    alex, sam = rows["Alex Kim"], rows["Sam Patel"]
    assert alex["Attempts"] == "2"
    assert sam["Attempts"] == "1"
    assert alex["Latest score"] == "4 of 5 (80%)"
    assert alex["Best score"] == "4 of 5 (80%)"
    assert sam["Latest score"] == "5 of 5 (100%)"
    grade_column = next(k for k in alex if k.startswith("Grade in"))
    assert alex[grade_column].startswith("Needs attention")
    assert "no longer has this gradebook column" in alex[grade_column]
    assert "Line item not found" in alex[grade_column]
    assert "Resend" in alex[grade_column]
    assert sam[grade_column] == "In the gradebook"
    assert texts(page.text, "//*[@data-summary]") == [
        "2 students submitted 3 attempts (2 of the 2 students in the course)."
    ]
    assert 'data-notice="ids"' not in page.text


def test_the_best_score_is_kept_when_a_later_attempt_is_worse(
    lti: Lti, teacher_with_services: Teacher, student_subs: tuple[str, str]
) -> None:
    alex, _ = student_subs
    artifact_id = make_activity(teacher_with_services, "quiz")
    placement = place(lti, publish_directly(lti, artifact_id))
    submit(lti, placement, alex, "quiz", ALL_RIGHT, T0)
    submit(lti, placement, alex, "quiz", answers(q0=["0"]), T0 + timedelta(days=1))
    page = teacher_with_services.get(f"/teacher/artifacts/{artifact_id}/results")
    row = table_rows(page.text, "students")["Alex Kim"]
    assert row["Best score"] == "5 of 5 (100%)"
    assert row["Latest score"] == "1 of 5 (20%)"
    assert row[next(k for k in row if k.startswith("Grade in"))] == "Not sent"


def test_item_analysis_counts_who_chose_each_answer(
    teacher_with_services: Teacher, quiz_results: dict[str, int]
) -> None:
    page = teacher_with_services.get(f"/teacher/artifacts/{quiz_results['artifact']}/results")
    shares = dict(
        zip(
            texts(page.text, '//section[@id="items"]//li/div/h3'),
            texts(page.text, '//section[@id="items"]//*[@data-share]'),
            strict=True,
        )
    )
    # Question 1: Alex chose Oxygen twice, Sam the right gas.
    assert shares["Question 1"] == "33% right (1 of 3)"
    assert shares["Question 5"] == "67% right (2 of 3)"  # Alex left it blank the first time
    options = table_rows(page.text, "items")
    assert options["Oxygen Most chosen wrong answer"]["Chosen by"] == "2 of 3"
    assert options["Carbon dioxide (CO₂) Correct"]["Chosen by"] == "1 of 3"
    assert options["Helium"]["Chosen by"] == "0 of 3"
    typed = texts(page.text, '//section[@id="items"]//p[strong="Wrong answers typed most:"]')
    assert typed == ["Wrong answers typed most: “chlorofil” (1)"]


def test_names_are_fetched_once_and_never_logged(
    teacher_with_services: Teacher,
    quiz_results: dict[str, int],
    platform_services: FakePlatformServices,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    url = f"/teacher/artifacts/{quiz_results['artifact']}/results"
    for _ in range(2):
        assert "Alex Kim" in teacher_with_services.get(url).text
    [fetched] = platform_services.roster_requests()
    assert fetched.accept == "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
    assert "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly" in (
        fetched.scopes
    )
    assert "Alex" not in caplog.text
    assert "Patel" not in caplog.text


def test_without_nrps_students_are_shown_by_the_lms_ids(
    lti: Lti,
    platform_services: FakePlatformServices,
    quiz_results: dict[str, int],
    student_subs: tuple[str, str],
) -> None:
    teacher = launch(lti, services=platform_services, nrps=False)
    page = teacher.get(f"/teacher/artifacts/{quiz_results['artifact']}/results")
    rows = table_rows(page.text, "students")
    assert set(rows) == {f"Student {sub[:6]}…" for sub in student_subs}
    assert "Alex Kim" not in page.text
    assert "does not share students' names" in " ".join(texts(page.text, '//*[@data-notice="ids"]'))
    assert platform_services.roster_requests() == []


def test_a_roster_the_lms_refuses_falls_back_to_ids(
    platform_services: FakePlatformServices,
    teacher_with_services: Teacher,
    quiz_results: dict[str, int],
) -> None:
    platform_services.members_status = 500
    page = teacher_with_services.get(f"/teacher/artifacts/{quiz_results['artifact']}/results")
    assert page.status_code == 200
    assert "Names could not be fetched" in " ".join(texts(page.text, '//*[@data-notice="ids"]'))
    assert all(name.startswith("Student ") for name in table_rows(page.text, "students"))


def test_resend_queues_the_refused_score_again(
    lti: Lti, teacher_with_services: Teacher, quiz_results: dict[str, int]
) -> None:
    listed = teacher_with_services.get("/teacher/needs-attention")
    assert listed.text.count(f'data-delivery-id="{quiz_results["refused"]}"') == 1
    assert listed.text.count("data-delivery-id=") == 1
    assert texts(listed.text, "//tbody/tr/th") == ["Alex Kim"]

    resp = teacher_with_services.post(
        f"/teacher/deliveries/{quiz_results['refused']}/resend", {"back": "needs_attention"}
    )
    assert resp.status_code == 303
    assert "/teacher/needs-attention" in resp.headers["Location"]
    with db_of(lti).session() as s:
        row = s.get(ScoreDelivery, quiz_results["refused"])
        assert row is not None
        assert (row.status, row.tries) == ("pending", 0)
    after = teacher_with_services.get("/teacher/needs-attention", done="resent")
    assert "data-delivery-id=" not in after.text
    assert 'data-notice="resent"' in after.text
    # Sending it again is harmless: nothing needs attention any more.
    again = teacher_with_services.post(f"/teacher/deliveries/{quiz_results['refused']}/resend")
    assert "done=already" in again.headers["Location"]


def test_a_refused_score_a_newer_one_replaced_needs_no_attention(
    lti: Lti, teacher_with_services: Teacher, student_subs: tuple[str, str]
) -> None:
    alex, _ = student_subs
    artifact_id = make_activity(teacher_with_services, "quiz")
    placement = place(lti, publish_directly(lti, artifact_id), line_item="https://lms/li/1")
    old = submit(lti, placement, alex, "quiz", ALL_RIGHT, T0)
    new = submit(lti, placement, alex, "quiz", ALL_RIGHT, T0 + timedelta(hours=1))
    delivery(lti, old, "needs_attention", last_status=422)
    delivery(lti, new, "delivered")
    page = teacher_with_services.get("/teacher/needs-attention")
    assert "data-delivery-id=" not in page.text
    assert "data-empty" in page.text


def test_students_are_refused_every_teacher_page(
    lti: Lti, platform_services: FakePlatformServices, quiz_results: dict[str, int]
) -> None:
    student = launch(lti, STUDENT, services=platform_services)
    artifact, refused = quiz_results["artifact"], quiz_results["refused"]
    publication = only_publication(lti)
    gets = [
        f"/teacher/artifacts/{artifact}/results",
        f"/teacher/artifacts/{artifact}/publish",
        "/teacher/needs-attention",
        f"/teacher/publications/{publication.id}",
    ]
    posts = [
        f"/teacher/artifacts/{artifact}/publish",
        f"/teacher/deliveries/{refused}/resend",
        f"/teacher/publications/{publication.id}/gradebook",
    ]
    assert {student.get(path).status_code for path in gets} == {403}
    assert {student.post(path, {"graded": "yes"}).status_code for path in posts} == {403}
    with db_of(lti).session() as s:
        row = s.get(ScoreDelivery, refused)
        assert row is not None
        assert row.status == "needs_attention"


def test_another_course_finds_nothing_of_this_one(
    lti: Lti, platform_services: FakePlatformServices, quiz_results: dict[str, int]
) -> None:
    elsewhere = launch(lti, services=platform_services, context_id="another-course")
    artifact, refused = quiz_results["artifact"], quiz_results["refused"]
    assert elsewhere.get(f"/teacher/artifacts/{artifact}/results").status_code == 404
    assert elsewhere.get(f"/teacher/artifacts/{artifact}/publish").status_code == 404
    assert elsewhere.post(f"/teacher/artifacts/{artifact}/publish").status_code == 404
    assert elsewhere.post(f"/teacher/deliveries/{refused}/resend").status_code == 404
    publication = only_publication(lti)
    assert elsewhere.get(f"/teacher/publications/{publication.id}").status_code == 404
    assert elsewhere.post(f"/teacher/publications/{publication.id}/gradebook").status_code == 404
    listed = elsewhere.get("/teacher/needs-attention")
    assert listed.status_code == 200
    assert "data-delivery-id=" not in listed.text
    with db_of(lti).session() as s:
        row = s.get(ScoreDelivery, refused)
        assert row is not None
        assert row.status == "needs_attention"
