"""Writing a score into the outbox, in the same transaction as the attempt it belongs to.

The student's request ends when the attempt and its delivery row are committed; sending to
the LMS happens afterwards, in the background (``eduteach.grades.delivery``), so a slow or
unavailable LMS never makes a student wait or lose work.
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from eduteach.storage.models import Attempt, Placement, Publication, ScoreDelivery, utcnow

PENDING = "pending"
DELIVERED = "delivered"
SUPERSEDED = "superseded"
NEEDS_ATTENTION = "needs_attention"


def enqueue_score(
    session: Session, attempt: Attempt, placement: Placement, publication: Publication
) -> ScoreDelivery | None:
    """Queue the attempt's score for the placement's line item (None: nothing to send).

    Nothing is sent for practice activities or a placement without a line item. A newer
    attempt supersedes the same student's older score still waiting to go.
    """
    if not publication.graded or not placement.line_item_url:
        return None
    fraction = attempt.points / attempt.max_points if attempt.max_points else 0.0
    # While the LMS is backing off this line item (a score already failed and waits for its
    # retry), a new score waits with it instead of knocking on a struggling LMS at once.
    backoff_until = session.scalar(
        select(func.max(ScoreDelivery.next_try_at)).where(
            ScoreDelivery.line_item_url == placement.line_item_url,
            ScoreDelivery.status == PENDING,
            ScoreDelivery.tries > 0,
        )
    )
    now = utcnow()
    if backoff_until is not None and backoff_until.tzinfo is None:
        backoff_until = backoff_until.replace(tzinfo=now.tzinfo)
    session.execute(
        update(ScoreDelivery)
        .where(
            ScoreDelivery.placement_id == placement.id,
            ScoreDelivery.user_sub == attempt.user_sub,
            ScoreDelivery.status == PENDING,
            ScoreDelivery.timestamp <= attempt.submitted_at,
        )
        .values(status=SUPERSEDED)
    )
    delivery = ScoreDelivery(
        attempt_id=attempt.id,
        placement_id=placement.id,
        user_sub=attempt.user_sub,
        line_item_url=placement.line_item_url,
        score_given=round(fraction * publication.score_maximum, 4),
        score_maximum=publication.score_maximum,
        timestamp=attempt.submitted_at,
        status=PENDING,
        next_try_at=max(now, backoff_until) if backoff_until else now,
    )
    session.add(delivery)
    session.flush()
    return delivery


def pending_for(session: Session, placement_id: int, user_sub: str) -> list[ScoreDelivery]:
    """The deliveries of one student's scores on a placement, newest first."""
    return list(
        session.scalars(
            select(ScoreDelivery)
            .where(ScoreDelivery.placement_id == placement_id, ScoreDelivery.user_sub == user_sub)
            .order_by(ScoreDelivery.timestamp.desc())
        )
    )
