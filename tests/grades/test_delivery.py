"""Scores delivered to a real HTTP gradebook: once each, with their submission time, whatever
the LMS does meanwhile. The clock is passed in; nothing sleeps through a backoff."""

from __future__ import annotations

import itertools
import logging
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from eduteach.grades import deliver_due, resend, waiting_scores
from eduteach.grades.ags import SCORE_MEDIA_TYPE
from eduteach.grades.delivery import LEASE
from eduteach.services import Services
from eduteach.storage.db import Database
from eduteach.storage.models import ScoreDelivery, utcnow
from tests.grades.ags_server import AgsServer, Reply
from tests.grades.conftest import (
    HTTP_TIMEOUT,
    LATER,
    SUBMITTED,
    Classroom,
    aware,
    build_services,
)


def _run_until_settled(
    services: Services, classroom: Classroom, delivery_id: int, start: datetime
) -> list[datetime]:
    """Deliver at each moment the row asks to be tried again; the moments of the tries."""
    tries, now = [], start
    while classroom.row(delivery_id).status == "pending":
        tries.append(now)
        deliver_due(services, now=now)
        now = aware(classroom.row(delivery_id).next_try_at)
    return tries


def test_a_score_is_posted_as_ags_says_with_its_submission_time(
    services: Services, classroom: Classroom, ags: AgsServer
) -> None:
    delivery_id = classroom.submit("student-a", 3, 4, at=SUBMITTED)

    summary = deliver_due(services)

    assert summary.delivered == 1
    [post] = ags.scores
    assert post.line_item == "/lineitems/cells-quiz"
    assert post.query == "type_id=7"
    assert post.content_type == SCORE_MEDIA_TYPE
    assert post.body == {
        "userId": "student-a",
        "scoreGiven": 7.5,  # 3 of 4 on a 10-point column
        "scoreMaximum": 10.0,
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
        "timestamp": post.body["timestamp"],
    }
    assert datetime.fromisoformat(post.body["timestamp"]) == SUBMITTED
    row = classroom.row(delivery_id)
    assert row.status == "delivered"
    assert row.delivered_at is not None
    assert row.last_status == 200

    assert deliver_due(services, now=utcnow() + timedelta(days=1)).handled == 0
    assert len(ags.posts) == 1


def test_an_lms_down_for_a_while_gets_the_score_once_after_it_recovers(
    services: Services, classroom: Classroom, ags: AgsServer
) -> None:
    ags.go_down(Reply(503, retry_after="120"))
    delivery_id = classroom.submit("student-a", 4, 4, at=SUBMITTED)
    start = utcnow()

    assert deliver_due(services, now=start).retrying == 1
    row = classroom.row(delivery_id)
    # The LMS asked for two minutes, longer than the first backoff step: it gets them.
    assert aware(row.next_try_at) == start + timedelta(seconds=120)
    assert row.last_status == 503
    assert deliver_due(services, now=start + timedelta(seconds=119)).handled == 0

    now = aware(row.next_try_at)
    for _ in range(5):
        deliver_due(services, now=now)
        now = aware(classroom.row(delivery_id).next_try_at)
    assert classroom.row(delivery_id).tries == 6
    assert ags.scores == []

    ags.come_back()
    assert deliver_due(services, now=now).delivered == 1
    for later in (now + timedelta(hours=1), now + timedelta(days=4)):
        deliver_due(services, now=later)
    [post] = ags.scores
    assert datetime.fromisoformat(post.body["timestamp"]) == SUBMITTED
    assert classroom.row(delivery_id).status == "delivered"


def test_new_scores_wait_with_the_lms_backoff_instead_of_knocking_at_once(
    services: Services, classroom: Classroom, ags: AgsServer
) -> None:
    ags.go_down(Reply(503, retry_after="120"))
    first = classroom.submit("student-a", 4, 4, at=SUBMITTED)
    assert deliver_due(services).retrying == 1
    waiting_until = aware(classroom.row(first).next_try_at)
    asked = len(ags.posts)

    # Other students submit while the LMS is backing off: nothing is sent for them now...
    later = [classroom.submit(f"student-{n}", 3, 4, at=SUBMITTED) for n in "bcd"]
    assert deliver_due(services).handled == 0
    assert len(ags.posts) == asked
    assert {aware(classroom.row(d).next_try_at) for d in later} == {waiting_until}

    # ... and everything goes together once the LMS is back and the wait is over.
    ags.come_back()
    assert deliver_due(services, now=waiting_until).delivered == 4


def test_an_lms_that_never_recovers_puts_the_score_in_front_of_the_teacher_after_three_days(
    services: Services, classroom: Classroom, ags: AgsServer
) -> None:
    ags.go_down(Reply(500))
    delivery_id = classroom.submit("student-a", 1, 4, at=SUBMITTED)
    start = utcnow()

    tries = _run_until_settled(services, classroom, delivery_id, start)

    gaps = [b - a for a, b in itertools.pairwise(tries)]
    assert gaps[:3] == [timedelta(seconds=30), timedelta(minutes=1), timedelta(minutes=2)]
    assert max(gaps) == timedelta(hours=1)
    assert timedelta(days=3) <= tries[-1] - start < timedelta(days=3, hours=1)
    row = classroom.row(delivery_id)
    assert row.status == "needs_attention"
    assert "3 days" in row.last_error
    assert "(500)" in row.last_error
    assert len(ags.posts) == len(tries)


def test_a_slow_lms_is_given_up_on_and_tried_again(
    services: Services, classroom: Classroom, ags: AgsServer
) -> None:
    ags.queue(Reply(200, delay=HTTP_TIMEOUT + 0.5))
    delivery_id = classroom.submit("student-a", 2, 4, at=SUBMITTED)
    start = utcnow()

    assert deliver_due(services, now=start).retrying == 1
    row = classroom.row(delivery_id)
    assert row.last_status is None
    assert "did not answer in time" in row.last_error

    assert deliver_due(services, now=aware(row.next_try_at)).delivered == 1
    body = ags.gradebook[("/lineitems/cells-quiz", "student-a")]
    assert datetime.fromisoformat(body["timestamp"]) == SUBMITTED


def test_a_refused_token_is_replaced_once_and_the_score_delivered(
    services: Services, classroom: Classroom, ags: AgsServer
) -> None:
    classroom.submit("student-a", 4, 4, at=SUBMITTED)
    deliver_due(services)
    assert ags.token_requests == 1  # cached for the next scores

    ags.revoke_tokens()
    delivery_id = classroom.submit("student-b", 3, 4, at=LATER)
    assert deliver_due(services).delivered == 1

    assert ags.token_requests == 2
    assert [p.body["userId"] for p in ags.scores] == ["student-a", "student-b"]
    assert classroom.row(delivery_id).tries == 1


def test_a_second_401_is_not_chased_but_tried_again_later(
    services: Services, classroom: Classroom, ags: AgsServer
) -> None:
    ags.queue(Reply(401), Reply(401))
    delivery_id = classroom.submit("student-a", 4, 4, at=SUBMITTED)

    assert deliver_due(services).retrying == 1

    assert ags.token_requests == 2
    assert len(ags.posts) == 2
    row = classroom.row(delivery_id)
    assert row.status == "pending"
    assert row.last_status == 401
    assert deliver_due(services, now=aware(row.next_try_at)).delivered == 1


@pytest.mark.parametrize(("status", "words"), [(404, "no longer has"), (422, "could not record")])
def test_a_refused_score_needs_attention_and_a_resend_delivers_it(
    services: Services, classroom: Classroom, ags: AgsServer, status: int, words: str
) -> None:
    ags.queue(Reply(status))
    delivery_id = classroom.submit("student-a", 3, 4, at=SUBMITTED)

    assert deliver_due(services).needs_attention == 1
    assert deliver_due(services, now=utcnow() + timedelta(days=1)).handled == 0
    assert len(ags.posts) == 1
    with services.db.session() as s:
        [waiting] = waiting_scores(s, course_id=classroom.course_id, needs_attention_only=True)
    assert waiting.delivery.id == delivery_id
    assert waiting.activity_title == "Cells quiz"
    assert waiting.delivery.last_status == status
    assert words in waiting.delivery.last_error

    # The teacher recreated the column; the next launch told EduTeach its new URL.
    classroom.move_line_item(ags.line_item("cells-quiz-2"))
    with services.db.session() as s:
        assert not resend(s, delivery_id, classroom.course_id + 1)  # another course's teacher
        assert resend(s, delivery_id, classroom.course_id)
    assert deliver_due(services).delivered == 1

    assert ags.scores[-1].line_item == "/lineitems/cells-quiz-2"
    assert datetime.fromisoformat(ags.scores[-1].body["timestamp"]) == SUBMITTED
    with services.db.session() as s:
        assert not resend(s, delivery_id, classroom.course_id)  # delivered: nothing to resend
        assert waiting_scores(s) == []


def test_a_newer_attempt_replaces_an_older_score_still_waiting(
    services: Services, classroom: Classroom, ags: AgsServer
) -> None:
    ags.go_down(Reply(503))
    older = classroom.submit("student-a", 1, 4, at=SUBMITTED)
    start = utcnow()
    deliver_due(services, now=start)
    newer = classroom.submit("student-a", 4, 4, at=LATER)
    ags.come_back()

    deliver_due(services, now=start + timedelta(hours=1))

    assert classroom.row(older).status == "superseded"
    assert classroom.row(newer).status == "delivered"
    assert [p.body["scoreGiven"] for p in ags.scores] == [10.0]


def test_an_older_score_committed_late_is_never_sent_after_a_newer_one(
    services: Services, classroom: Classroom, ags: AgsServer
) -> None:
    # Two tabs: the later submission's transaction commits first.
    newer = classroom.submit("student-a", 4, 4, at=LATER)
    older = classroom.submit("student-a", 1, 4, at=SUBMITTED)

    summary = deliver_due(services)

    assert (summary.delivered, summary.superseded) == (1, 1)
    assert classroom.row(older).status == "superseded"
    assert classroom.row(newer).status == "delivered"
    assert [p.body["scoreGiven"] for p in ags.posts] == [10.0]


def test_resending_an_older_score_after_a_newer_one_landed_sends_nothing(
    services: Services, classroom: Classroom, ags: AgsServer
) -> None:
    ags.queue(Reply(404))
    older = classroom.submit("student-a", 1, 4, at=SUBMITTED)
    deliver_due(services)
    newer = classroom.submit("student-a", 4, 4, at=LATER)
    deliver_due(services)
    with services.db.session() as s:
        assert resend(s, older, classroom.course_id)

    deliver_due(services)

    assert classroom.row(older).status == "superseded"
    assert classroom.row(newer).status == "delivered"
    stamps = [datetime.fromisoformat(p.body["timestamp"]) for p in ags.posts]
    assert stamps == sorted(stamps)
    assert ags.gradebook[("/lineitems/cells-quiz", "student-a")]["scoreGiven"] == 10.0


def test_a_score_the_lms_calls_older_than_its_grade_is_not_put_to_the_teacher(
    services: Services, classroom: Classroom, ags: AgsServer
) -> None:
    ags.queue(Reply(409))  # Moodle: a newer grade is already there (set in the LMS, say)
    delivery_id = classroom.submit("student-a", 1, 4, at=SUBMITTED)

    assert deliver_due(services).superseded == 1

    assert classroom.row(delivery_id).status == "superseded"
    assert deliver_due(services, now=utcnow() + timedelta(days=1)).handled == 0
    assert len(ags.posts) == 1
    with services.db.session() as s:
        assert waiting_scores(s) == []


def test_a_row_another_worker_holds_is_left_to_it_until_its_lease_runs_out(
    services: Services, classroom: Classroom, ags: AgsServer
) -> None:
    delivery_id = classroom.submit("student-a", 4, 4, at=SUBMITTED)
    now = utcnow()
    with services.db.session() as s:
        # What a claim does; this worker then died before recording anything.
        s.get_one(ScoreDelivery, delivery_id).next_try_at = now + LEASE

    assert deliver_due(services, now=now).handled == 0
    assert deliver_due(services, now=now + LEASE).delivered == 1
    assert len(ags.posts) == 1


def test_two_deliverers_at_once_send_each_score_once(
    services: Services, classroom: Classroom, ags: AgsServer, db: Database, tmp_path: Path
) -> None:
    students = [f"student-{n}" for n in range(16)]
    for n, student in enumerate(students):
        classroom.submit(student, n % 5, 4, at=SUBMITTED + timedelta(seconds=n))
    other = build_services(db.url, tmp_path / "other")
    ags.latency = 0.02  # so the two rounds overlap
    start = threading.Barrier(2)
    summaries = []

    def worker(svc: Services) -> None:
        start.wait()
        summaries.append(deliver_due(svc))

    threads = [threading.Thread(target=worker, args=(svc,)) for svc in (services, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    other.db.dispose()

    assert sorted(p.body["userId"] for p in ags.posts) == sorted(students)
    assert sum(s.delivered for s in summaries) == len(students)
    with services.db.session() as s:
        assert waiting_scores(s) == []


def test_nothing_about_students_reaches_the_log(
    services: Services, classroom: Classroom, ags: AgsServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    ags.queue(Reply(503), Reply(404))
    first = classroom.submit("student-7f3e9c", 3, 7, at=SUBMITTED)
    deliver_due(services)  # 503: again later
    deliver_due(services, now=aware(classroom.row(first).next_try_at))  # 404: a teacher looks
    with services.db.session() as s:
        resend(s, first, classroom.course_id)
    second = classroom.submit("student-b41d02", 5, 7, at=LATER)
    deliver_due(services)

    text = caplog.text
    assert f"score delivery {first}" in text
    assert f"score delivery {second}" in text
    for private in ("student-7f3e9c", "student-b41d02", "4.2857", "7.1429"):
        assert private not in text
