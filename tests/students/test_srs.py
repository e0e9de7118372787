"""Spaced repetition (FSRS): when a card comes back, and which cards a student studies first."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from eduteach.activities import srs

NOON = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)


def test_a_card_known_comes_back_in_days_and_one_still_learnt_within_the_sitting() -> None:
    knew = srs.review(None, "knew", NOON, card=0)
    learning = srs.review(None, "learning", NOON, card=0)
    assert knew.due_at >= NOON + timedelta(days=1)
    assert NOON < learning.due_at <= NOON + timedelta(minutes=10)
    json.dumps(knew.state)  # stored as JSON


def test_each_time_a_card_is_remembered_on_time_it_waits_longer() -> None:
    first = srs.review(None, "knew", NOON, card=3)
    second = srs.review(first.state, "knew", first.due_at, card=3)
    third = srs.review(second.state, "knew", second.due_at, card=3)
    waits = [first.due_at - NOON, second.due_at - first.due_at, third.due_at - second.due_at]
    assert waits == sorted(waits)
    assert waits[2] > waits[0]


def test_a_card_forgotten_after_a_long_wait_comes_back_the_same_day() -> None:
    known = srs.review(None, "knew", NOON, card=1)
    later = srs.review(known.state, "knew", known.due_at, card=1)
    forgot = srs.review(later.state, "learning", later.due_at, card=1)
    assert forgot.due_at <= later.due_at + timedelta(minutes=10)


def test_a_time_without_a_zone_is_utc_and_an_unknown_rating_is_refused() -> None:
    naive = srs.review(None, "knew", NOON.replace(tzinfo=None), card=0)
    assert naive.due_at == srs.review(None, "knew", NOON, card=0).due_at
    with pytest.raises(KeyError):
        srs.review(None, "perfect", NOON, card=0)


def _at(card: int, hours: float) -> srs.Progress:
    return srs.Progress(card, NOON + timedelta(hours=hours))


def test_due_cards_come_longest_overdue_first_then_new_ones_in_deck_order() -> None:
    progress = [_at(0, 48), _at(1, -1), _at(2, -30), _at(4, 11)]  # card 3 is new
    assert srs.due_cards(5, progress, NOON) == [2, 1, 4, 3]
    assert srs.study_order(5, progress, NOON) == [2, 1, 4, 3, 0]


def test_the_next_review_is_the_first_due_after_today() -> None:
    progress = [_at(0, 48), _at(1, 30), _at(2, -1)]
    assert srs.next_review(3, progress, NOON) == NOON + timedelta(hours=30)
    assert srs.next_review(3, [_at(0, 1)], NOON) is None
    assert srs.end_of_day(NOON) == datetime(2025, 3, 15, tzinfo=UTC)


def test_progress_on_cards_no_longer_in_the_deck_is_left_out() -> None:
    progress = [_at(7, -5), _at(0, 48)]
    assert srs.study_order(2, progress, NOON) == [1, 0]
