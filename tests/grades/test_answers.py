"""The score message's address and the retry policy, without a server."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from eduteach.grades.ags import iso_timestamp, score_url
from eduteach.grades.answers import (
    DELIVERED,
    GIVE_UP_AFTER,
    MAX_DELAY,
    MAX_TRIES,
    REFUSED,
    RETRY,
    STALE,
    answer_from,
    backoff,
    next_delay,
    retry_after,
)

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("line_item", "scores"),
    [
        (
            "https://canvas.example.edu/api/lti/courses/7/line_items/31",
            "https://canvas.example.edu/api/lti/courses/7/line_items/31/scores",
        ),
        (
            "https://moodle.example.edu/mod/lti/services.php/4/lineitems/9/lineitem?type_id=2",
            "https://moodle.example.edu/mod/lti/services.php/4/lineitems/9/lineitem/scores?type_id=2",
        ),
        ("https://lms.example.edu/lineitems/5/", "https://lms.example.edu/lineitems/5/scores"),
    ],
)
def test_scores_go_to_the_line_item_path_keeping_its_query(line_item: str, scores: str) -> None:
    assert score_url(line_item) == scores


def test_timestamps_carry_their_offset_even_when_the_database_dropped_it() -> None:
    naive_utc = datetime(2026, 3, 2, 9, 15, 30, 5)
    stamped = datetime.fromisoformat(iso_timestamp(naive_utc))
    assert stamped.utcoffset() == timedelta(0)
    assert stamped == naive_utc.replace(tzinfo=UTC)


def test_backoff_doubles_from_thirty_seconds_up_to_an_hour() -> None:
    delays = [backoff(n) for n in range(1, 12)]
    assert delays[0] == timedelta(seconds=30)
    assert all(b == min(a * 2, MAX_DELAY) for a, b in itertools.pairwise(delays))
    assert delays[-1] == MAX_DELAY


def test_the_schedule_keeps_trying_for_three_days_and_no_longer() -> None:
    waited_before_last_try = sum((backoff(n) for n in range(1, MAX_TRIES)), timedelta(0))
    assert waited_before_last_try >= GIVE_UP_AFTER
    assert waited_before_last_try - backoff(MAX_TRIES - 1) < GIVE_UP_AFTER


@pytest.mark.parametrize(
    ("header", "wait"),
    [
        ("120", timedelta(seconds=120)),
        (format_datetime(NOW + timedelta(minutes=5), usegmt=True), timedelta(minutes=5)),
        (format_datetime(NOW - timedelta(minutes=5), usegmt=True), timedelta(0)),
        ("9999999", timedelta(days=1)),
        ("soon", None),
        (None, None),
    ],
)
def test_retry_after_in_seconds_or_as_a_date(header: str | None, wait: timedelta | None) -> None:
    assert retry_after(header, NOW) == wait


def test_the_lms_asking_for_a_longer_wait_than_the_backoff_is_honoured() -> None:
    slow_down = answer_from(429, {"Retry-After": "600"}, NOW)
    assert next_delay(1, slow_down) == timedelta(minutes=10)
    assert next_delay(9, slow_down) == MAX_DELAY


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (200, DELIVERED),
        (204, DELIVERED),
        (401, RETRY),
        (408, RETRY),
        (429, RETRY),
        (500, RETRY),
        (503, RETRY),
        (400, REFUSED),
        (403, REFUSED),
        (404, REFUSED),
        (410, REFUSED),
        (422, REFUSED),
        (302, REFUSED),
        (409, STALE),
    ],
)
def test_what_each_status_means(status: int, outcome: str) -> None:
    answer = answer_from(status, {}, NOW)
    assert answer.outcome == outcome
    assert answer.status == status
    if outcome == REFUSED:
        # The teacher is told what happened, with the code to quote to the LMS's admin.
        assert f"{status}" in answer.reason
        assert "resend" in answer.reason.lower()
