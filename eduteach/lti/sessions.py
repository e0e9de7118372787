"""Launch sessions: a validated launch stored server-side, named by a token in the page.

The token travels in the page (a hidden field, a header, or the query string of a link),
never in a third-party cookie, so the tool works in Safari and in Chrome without
third-party cookies. Only its SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from eduteach.storage.models import Course, LaunchRecord, utcnow

from .context import LaunchContext
from .launch import ValidatedLaunch


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def upsert_course(session: Session, launch: ValidatedLaunch) -> Course | None:
    ctx = launch.context
    if not ctx.context_id:
        return None
    course = session.scalars(
        select(Course).where(
            Course.deployment_pk == launch.deployment.id, Course.context_id == ctx.context_id
        )
    ).first()
    if course is None:
        course = Course(deployment_pk=launch.deployment.id, context_id=ctx.context_id)
        session.add(course)
    course.title = ctx.context_title[:500]
    course.label = ctx.context_label[:255]
    session.flush()
    return course


def start_session(session: Session, launch: ValidatedLaunch, ttl_seconds: int) -> str:
    """Store the launch and return the token that names it."""
    course = upsert_course(session, launch)
    token = secrets.token_urlsafe(32)
    session.add(
        LaunchRecord(
            id=_digest(token),
            platform_id=launch.platform.id,
            course_id=course.id if course else None,
            context=launch.context.to_dict(),
            expires_at=utcnow() + timedelta(seconds=ttl_seconds),
        )
    )
    session.flush()
    return token


def load_session(session: Session, token: str) -> tuple[LaunchRecord, LaunchContext] | None:
    if not token or len(token) > 200:
        return None
    record = session.get(LaunchRecord, _digest(token))
    if record is None:
        return None
    expires = (
        record.expires_at
        if record.expires_at.tzinfo
        else record.expires_at.replace(tzinfo=utcnow().tzinfo)
    )
    if expires < utcnow():
        return None
    return record, LaunchContext.from_dict(record.context)


def purge_expired(session: Session) -> int:
    result = session.execute(delete(LaunchRecord).where(LaunchRecord.expires_at < utcnow()))
    return int(getattr(result, "rowcount", 0) or 0)


def csrf_token(secret_key: str, launch_token: str) -> str:
    return hmac.new(
        secret_key.encode(), b"csrf|" + launch_token.encode(), hashlib.sha256
    ).hexdigest()


def check_csrf(secret_key: str, launch_token: str, presented: str) -> bool:
    return bool(presented) and hmac.compare_digest(csrf_token(secret_key, launch_token), presented)
