"""Posting queued scores to the LMS over AGS: each one once, and an older one never last.

A round (``deliver_due``) takes the due pending rows and claims them one at a time with a
conditional update that moves ``next_try_at`` a lease into the future. Two workers —
threads, processes or machines — never both send a row, and a worker that dies while
sending leaves its row to be picked up again when the lease runs out. The HTTP call runs
outside any database transaction, so a slow LMS never holds a lock.

The log names delivery ids, HTTP statuses and try counts only: never a student or a score.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

import requests
from pylti1p3.exception import LtiServiceException
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from eduteach.lti.claims import SCOPE_SCORE
from eduteach.lti.http import TimeoutSession
from eduteach.lti.services import CachedServiceConnector, service_connector
from eduteach.storage.db import Database
from eduteach.storage.models import (
    Artifact,
    Course,
    Deployment,
    Placement,
    Platform,
    Publication,
    ScoreDelivery,
    utcnow,
)

from .ags import SCORE_MEDIA_TYPE, score_body, score_url
from .answers import (
    DELIVERED,
    MAX_TRIES,
    REFUSED,
    RETRY,
    STALE,
    Answer,
    answer_from,
    gave_up,
    next_delay,
    no_answer,
    token_refused,
)
from .outbox import NEEDS_ATTENTION, PENDING, SUPERSEDED

if TYPE_CHECKING:
    from eduteach.services import Services

log = logging.getLogger("eduteach.grades")

# Longer than a try can take (token request and score post, each with its own timeout).
LEASE = timedelta(minutes=5)
ROUND_LIMIT = 50


@dataclass
class DeliverySummary:
    """What one round did, by the status each claimed row ended in."""

    delivered: int = 0
    retrying: int = 0
    needs_attention: int = 0
    superseded: int = 0

    @property
    def handled(self) -> int:
        return self.delivered + self.retrying + self.needs_attention + self.superseded

    def add(self, other: DeliverySummary) -> None:
        self.delivered += other.delivered
        self.retrying += other.retrying
        self.needs_attention += other.needs_attention
        self.superseded += other.superseded

    def count(self, status: str) -> None:
        if status == DELIVERED:
            self.delivered += 1
        elif status == PENDING:
            self.retrying += 1
        elif status == NEEDS_ATTENTION:
            self.needs_attention += 1
        else:
            self.superseded += 1


@dataclass(frozen=True)
class _Claim:
    """A row this worker holds for one lease, with what it takes to send it."""

    delivery_id: int
    tries: int
    platform_id: int
    url: str
    body: dict[str, Any]
    connector: CachedServiceConnector


class WaitingScore(NamedTuple):
    """A score not (yet) in the gradebook, with what a person needs to recognise it."""

    delivery: ScoreDelivery
    course_title: str
    activity_title: str


def deliver_due(
    services: Services, *, now: datetime | None = None, limit: int = ROUND_LIMIT
) -> DeliverySummary:
    """Send the scores that are due (at most ``limit``), and record how each went.

    ``now`` fixes the clock (tests); otherwise each row is timed as it is handled. Once one
    LMS has failed in a round, its other rows share that answer instead of waiting out the
    same timeout one by one.
    """
    clock: Callable[[], datetime] = (lambda: _utc(now)) if now else utcnow
    summary = DeliverySummary()
    outages: dict[int, Answer] = {}
    with TimeoutSession(services.settings.http_timeout) as http:
        for delivery_id in _due_ids(services.db, clock(), limit):
            claim = _claim(services, delivery_id, clock(), summary)
            if claim is None:
                continue
            answer = outages.get(claim.platform_id) or _send(http, claim, clock())
            if answer.outcome == RETRY:
                outages[claim.platform_id] = answer
            summary.count(_record(services.db, claim, answer, clock()))
    return summary


def resend(session: Session, delivery_id: int, course_id: int) -> bool:
    """Queue a score the LMS refused again (the teacher's "Resend"); False if there is none.

    It goes to the line item the placement names now, so a grade column the teacher
    recreated (and launched once since) is picked up. Call ``wake()`` after committing.
    """
    row = session.execute(
        select(ScoreDelivery, Placement)
        .join(Placement, Placement.id == ScoreDelivery.placement_id)
        .where(
            ScoreDelivery.id == delivery_id,
            Placement.course_id == course_id,
            ScoreDelivery.status == NEEDS_ATTENTION,
        )
    ).first()
    if row is None:
        return False
    delivery, placement = row
    delivery.line_item_url = placement.line_item_url or delivery.line_item_url
    delivery.status = PENDING
    delivery.tries = 0
    delivery.next_try_at = utcnow()
    delivery.last_status = None
    delivery.last_error = ""
    log.info("score delivery %s resent by a teacher", delivery_id)
    return True


def waiting_scores(
    session: Session, *, course_id: int | None = None, needs_attention_only: bool = False
) -> list[WaitingScore]:
    """Scores still on their way (pending) or refused (needs attention), newest first."""
    statuses = [NEEDS_ATTENTION] if needs_attention_only else [PENDING, NEEDS_ATTENTION]
    query = (
        select(ScoreDelivery, Course.title, Artifact.title)
        .join(Placement, Placement.id == ScoreDelivery.placement_id)
        .join(Course, Course.id == Placement.course_id)
        .join(Publication, Publication.id == Placement.publication_id)
        .join(Artifact, Artifact.id == Publication.artifact_id)
        .where(ScoreDelivery.status.in_(statuses))
        .order_by(ScoreDelivery.timestamp.desc(), ScoreDelivery.id.desc())
    )
    if course_id is not None:
        query = query.where(Placement.course_id == course_id)
    return [WaitingScore(*row) for row in session.execute(query)]


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _due_ids(db: Database, now: datetime, limit: int) -> list[int]:
    # Oldest submissions first: a newer score then finds its older sibling already handled.
    with db.session() as s:
        return list(
            s.scalars(
                select(ScoreDelivery.id)
                .where(ScoreDelivery.status == PENDING, ScoreDelivery.next_try_at <= now)
                .order_by(ScoreDelivery.timestamp, ScoreDelivery.id)
                .limit(limit)
            )
        )


def _claim(
    services: Services, delivery_id: int, now: datetime, summary: DeliverySummary
) -> _Claim | None:
    """Take one row for a lease; None if another worker has it or a newer score replaces it."""
    with services.db.session() as s:
        taken = s.scalars(
            update(ScoreDelivery)
            .where(
                ScoreDelivery.id == delivery_id,
                ScoreDelivery.status == PENDING,
                ScoreDelivery.next_try_at <= now,
            )
            .values(next_try_at=now + LEASE)
            .returning(ScoreDelivery.id)
        ).first()
        if taken is None:
            return None
        delivery = s.get_one(ScoreDelivery, delivery_id)
        if _has_newer(s, delivery):
            delivery.status = SUPERSEDED
            summary.count(SUPERSEDED)
            log.info("score delivery %s superseded by a newer score before sending", delivery_id)
            return None
        platform = _platform_of(s, delivery)
        return _Claim(
            delivery_id=delivery_id,
            tries=delivery.tries,
            platform_id=platform.id,
            url=score_url(delivery.line_item_url),
            body=score_body(delivery),
            connector=service_connector(
                s, services.store, platform, services.settings.http_timeout
            ),
        )


def _has_newer(session: Session, delivery: ScoreDelivery) -> bool:
    """Whether a later score of the same student is delivered or on its way.

    Sending this one after it would put an older grade over a newer one in LMSs that do
    not compare timestamps themselves.
    """
    newer = select(ScoreDelivery.id).where(
        ScoreDelivery.placement_id == delivery.placement_id,
        ScoreDelivery.user_sub == delivery.user_sub,
        ScoreDelivery.id != delivery.id,
        ScoreDelivery.status.in_((PENDING, DELIVERED)),
        or_(
            ScoreDelivery.timestamp > delivery.timestamp,
            and_(ScoreDelivery.timestamp == delivery.timestamp, ScoreDelivery.id > delivery.id),
        ),
    )
    return session.scalars(newer.limit(1)).first() is not None


def _platform_of(session: Session, delivery: ScoreDelivery) -> Platform:
    """The registration the score's course was launched from (placement → course → platform)."""
    return session.scalars(
        select(Platform)
        .join(Deployment, Deployment.platform_id == Platform.id)
        .join(Course, Course.deployment_pk == Deployment.id)
        .join(Placement, Placement.course_id == Course.id)
        .where(Placement.id == delivery.placement_id)
    ).one()


def _send(http: requests.Session, claim: _Claim, now: datetime) -> Answer:
    """Post the score; on a 401, drop the cached token and post once more with a new one."""
    try:
        response = _post(http, claim)
        if response.status_code == 401:
            # A token can be revoked before it expires (the LMS restarted, keys rotated).
            claim.connector.forget_token([SCOPE_SCORE])
            response = _post(http, claim)
    except LtiServiceException as exc:
        return token_refused(exc.response.status_code)
    except KeyError:  # a token answer without an access_token
        return token_refused(None)
    except requests.RequestException as exc:
        return no_answer(exc)
    return answer_from(response.status_code, response.headers, now)


def _post(http: requests.Session, claim: _Claim) -> requests.Response:
    token = claim.connector.get_access_token([SCOPE_SCORE])
    return http.post(
        claim.url,
        data=json.dumps(claim.body),
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": SCORE_MEDIA_TYPE,
            "Accept": "application/json",
        },
    )


def _record(db: Database, claim: _Claim, answer: Answer, now: datetime) -> str:
    """Store how the try went; returns the row's status now."""
    tries = claim.tries + 1
    values: dict[str, Any] = {"tries": tries, "last_status": answer.status}
    if answer.outcome == DELIVERED:
        status = DELIVERED
        values.update(status=DELIVERED, delivered_at=now, last_error="")
    elif answer.outcome == STALE:
        status = SUPERSEDED
        values.update(status=SUPERSEDED, last_error=answer.reason)
    elif answer.outcome == RETRY and tries < MAX_TRIES:
        status = PENDING
        values.update(next_try_at=now + next_delay(tries, answer), last_error=answer.reason)
    else:
        status = NEEDS_ATTENTION
        reason = answer.reason if answer.outcome == REFUSED else gave_up(answer)
        values.update(status=NEEDS_ATTENTION, last_error=reason[:500])
    query = update(ScoreDelivery).where(ScoreDelivery.id == claim.delivery_id)
    if status != DELIVERED:
        # A newer attempt may have superseded the row while it was in flight: leave it so.
        query = query.where(ScoreDelivery.status == PENDING)
    with db.session() as s:
        s.execute(query.values(**values))
    level = logging.WARNING if status == NEEDS_ATTENTION else logging.INFO
    log.log(
        level,
        "score delivery %s: %s (HTTP %s, try %s)",
        claim.delivery_id,
        status,
        answer.status,
        tries,
    )
    return status
