"""A student's flashcard deck with spaced repetition: due cards first, each rating saved.

Every "I knew it" or "Still learning" updates that student's FSRS state for the card
(``eduteach.activities.srs``), so the next launch, on any device, starts with the cards due.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort, jsonify, redirect, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from eduteach.activities import srs
from eduteach.lti.roles import Audience
from eduteach.storage.models import FlashcardState, utcnow

from ..security import requires_launch, url_with_token
from . import bp
from .pages import new_submit_key, player_page, status, wants_json
from .rules import plain_date
from .scope import Placed, placed_or_404, services


def _states(session: Session, placed: Placed) -> list[FlashcardState]:
    return list(
        session.scalars(
            select(FlashcardState).where(
                FlashcardState.placement_id == placed.placement.id,
                FlashcardState.user_sub == placed.user_sub,
            )
        )
    )


def _progress(states: list[FlashcardState]) -> list[srs.Progress]:
    return [srs.Progress(s.card, srs.utc(s.due_at)) for s in states]


def deck_status(count: int, progress: list[srs.Progress], now: datetime) -> dict[str, Any]:
    """How many cards are due today, and when the next review is once none are."""
    due = len(srs.due_cards(count, progress, now))
    later = srs.next_review(count, progress, now)
    if due:
        text = f"{due} {'card' if due == 1 else 'cards'} due today."
    elif later is not None:
        text = f"No cards due today. Next review on {plain_date(later, time=False)}."
    else:
        text = "No cards due today."
    return {"due_today": due, "text": text}


def deck_page(session: Session, placed: Placed, now: datetime) -> str:
    """The deck in study order (due cards first), with the student's progress."""
    version = placed.version()
    model = placed.model(version)
    count = len(getattr(model, "cards", []))
    progress = _progress(_states(session, placed))
    due = set(srs.due_cards(count, progress, now))
    order = srs.study_order(count, progress, now)
    return player_page(
        placed,
        model,
        version.number,
        number=1,
        student=status(placed, now, label="", deck=deck_status(count, progress, now)),
        card_order=[str(card) for card in order],
        due_cards={str(card) for card in due},
        rate_url=url_with_token("student.rate"),
        submit_url=url_with_token("student.submit"),
        submit_key=new_submit_key(),
    )


def _rate(placed: Placed, session: Session, card: int, rating: str, now: datetime) -> None:
    state = session.scalars(
        select(FlashcardState).where(
            FlashcardState.placement_id == placed.placement.id,
            FlashcardState.user_sub == placed.user_sub,
            FlashcardState.card == card,
        )
    ).first()
    if state is None:
        state = FlashcardState(
            placement_id=placed.placement.id, user_sub=placed.user_sub, card=card
        )
        session.add(state)
    reviewed = srs.review(state.state or None, rating, now, card=card)
    state.state = reviewed.state
    state.due_at = reviewed.due_at
    state.reviews = (state.reviews or 0) + 1
    state.updated_at = now
    session.flush()


def _save_rating(card_text: str, rating: str) -> dict[str, Any]:
    with services().db.session() as s:
        placed = placed_or_404(s)
        if placed.kind != "flashcards":
            abort(404)
        count = len(getattr(placed.model(placed.version()), "cards", []))
        if not card_text.isdigit() or int(card_text) >= count or rating not in srs.RATINGS:
            abort(400)
        now = utcnow()
        _rate(placed, s, int(card_text), rating, now)
        return deck_status(count, _progress(_states(s, placed)), now)


@bp.post("/activity/rate")
@requires_launch(Audience.STUDENT)
def rate() -> ResponseReturnValue:
    """Save one rating of one card and schedule its next review."""
    card, rating = request.form.get("card", ""), request.form.get("rating", "")
    try:
        deck = _save_rating(card, rating)
    except IntegrityError:
        # Two ratings of a card never seen before raced; the second updates the first's row.
        deck = _save_rating(card, rating)
    if wants_json():
        return jsonify(deck)
    return redirect(url_with_token("student.activity"), code=303)
