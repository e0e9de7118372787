"""Spaced repetition for flashcards: when each student sees each card again (FSRS).

A student rates a card "I knew it" or "Still learning"; the FSRS scheduler (the ``fsrs``
package) turns the rating and the card's history into its next due time, longer each time it
is remembered. The state is plain JSON, stored per student and card, so progress carries over
from one launch to the next. Everything here is pure: the caller passes the time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fsrs import Card, Rating, Scheduler

RATINGS: Mapping[str, Rating] = {"knew": Rating.Good, "learning": Rating.Again}
"""The player's two buttons as FSRS ratings."""

# One short learning step: a card the student knew on first sight comes back in days, one
# still being learnt comes back within the same sitting.
_STEP = timedelta(minutes=10)


def _scheduler() -> Scheduler:
    return Scheduler(learning_steps=(_STEP,), relearning_steps=(_STEP,))


def utc(moment: datetime) -> datetime:
    """A time in UTC; a naive one (as SQLite returns them) is taken to be UTC already."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class Reviewed:
    """A card after one rating: its new FSRS state (JSON) and when it is due again."""

    state: dict[str, Any]
    due_at: datetime


def review(state: Mapping[str, Any] | None, rating: str, now: datetime, *, card: int) -> Reviewed:
    """Apply one rating ("knew" or "learning") to a card's state (None: never studied).

    KeyError for any other rating.
    """
    moment = utc(now)
    current = (
        Card.from_dict(dict(state))  # type: ignore[arg-type]
        if state
        else Card(card_id=card + 1, due=moment)
    )
    updated, _log = _scheduler().review_card(current, RATINGS[rating], moment)
    return Reviewed(dict(updated.to_dict()), utc(updated.due))


@dataclass(frozen=True)
class Progress:
    """When one student's card is due, as stored."""

    card: int
    due_at: datetime


def end_of_day(now: datetime) -> datetime:
    """Midnight after ``now``, in UTC: "today" for cards due today."""
    moment = utc(now)
    return datetime(moment.year, moment.month, moment.day, tzinfo=UTC) + timedelta(days=1)


def _known(progress: Iterable[Progress], count: int) -> dict[int, Progress]:
    return {p.card: p for p in progress if 0 <= p.card < count}


def due_cards(count: int, progress: Iterable[Progress], now: datetime) -> list[int]:
    """The cards to study today, in order: those due longest ago first, then new ones."""
    known = _known(progress, count)
    until = end_of_day(now)
    reviewed = sorted(
        (p for p in known.values() if utc(p.due_at) < until),
        key=lambda p: (utc(p.due_at), p.card),
    )
    new = [card for card in range(count) if card not in known]
    return [p.card for p in reviewed] + new


def study_order(count: int, progress: Iterable[Progress], now: datetime) -> list[int]:
    """Every card of the deck, due ones first (see ``due_cards``), then by when they are due."""
    listed = list(progress)
    due = due_cards(count, listed, now)
    later = sorted(
        (p for p in _known(listed, count).values() if p.card not in due),
        key=lambda p: (utc(p.due_at), p.card),
    )
    return due + [p.card for p in later]


def next_review(count: int, progress: Iterable[Progress], now: datetime) -> datetime | None:
    """When the next card falls due after today (None: every card is new or due today)."""
    until = end_of_day(now)
    later = [utc(p.due_at) for p in _known(progress, count).values() if utc(p.due_at) >= until]
    return min(later, default=None)
