"""Publishing an activity outside deep linking, its results, and grades that need attention.

A teacher in a course-navigation launch publishes an activity with the settings students get;
when the LMS offers its gradebook (an AGS ``lineitems`` URL with the line item scope), a
graded activity gets its column made through AGS. The publication is committed before the
LMS is asked, so an LMS that is down or refuses loses nothing: the page says so in plain
words and the teacher can try again.

The results page shows who attempted what, their scores and where each score is on its way
to the gradebook, with an item analysis. Names come from NRPS when the page is rendered and
are never stored or logged; without NRPS the LMS's opaque ids are shown.
"""

from __future__ import annotations

import importlib
import json
import logging
import math
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import requests
from flask import abort, current_app, redirect, request
from flask.typing import ResponseReturnValue
from pydantic import BaseModel
from pylti1p3.exception import LtiException, LtiServiceException
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from eduteach.activities import ACTIVITIES, fill_in, matching
from eduteach.activities.base import ActivityType
from eduteach.activities.flashcards import FlashcardDeck
from eduteach.activities.quiz import Quiz
from eduteach.content import publishing
from eduteach.grades.outbox import NEEDS_ATTENTION, PENDING
from eduteach.lti import claims, nrps
from eduteach.lti.context import LaunchContext
from eduteach.lti.roles import Audience
from eduteach.lti.services import CachedServiceConnector, service_connector
from eduteach.storage.models import (
    Artifact,
    Attempt,
    Placement,
    Platform,
    Publication,
    ScoreDelivery,
    utcnow,
)

from ..lti import tool_urls
from ..security import current_launch, current_record, requires_launch, url_with_token
from . import bp
from .scope import artifact_or_404, course_id, kind_of, owner_sub, render_page, services

log = logging.getLogger("eduteach.results")

LINE_ITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
LINE_ITEMS_TYPE = "application/vnd.ims.lis.v2.lineitemcontainer+json"
LINE_ITEM_TAG = "eduteach"
MAX_POINTS = 1000.0
MAX_ATTEMPTS = 100
NAMES_TIMEOUT = 5.0
"""Seconds a page waits for the LMS's names before showing ids instead."""
PUBLISH_KEY_TTL = 3600
FEEDBACK_CHOICES = {
    "after_submit": "Right after each submission",
    "after_due": "After the due date",
}

# --- publishing: the form -------------------------------------------------------------------


@dataclass(frozen=True)
class PublishChoices:
    """What the teacher chose in the publish form, checked."""

    graded: bool
    score_maximum: float
    settings: dict[str, Any]


def _points(raw: str) -> float | None:
    try:
        value = float(raw.strip().replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) and 0 < value <= MAX_POINTS else None


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def due_time(raw: str, zone_name: str) -> str | None:
    """A ``datetime-local`` value in the teacher's time zone as an ISO time in UTC.

    The zone is the browser's (a hidden field the page fills in); without it, UTC.
    None when the value is not a date and time.
    """
    try:
        local = datetime.fromisoformat(raw.strip())
    except ValueError:
        return None
    if local.tzinfo is None:
        local = local.replace(tzinfo=_zone(zone_name) or UTC)
    return local.astimezone(UTC).isoformat(timespec="minutes")


def read_publish_form(
    form: MultiDict[str, str], *, gradable: bool
) -> tuple[PublishChoices | None, dict[str, str]]:
    """The teacher's choices, or the problems by field in plain words."""
    errors: dict[str, str] = {}
    graded = gradable and form.get("graded", "yes") == "yes"
    points = _points(form.get("score_maximum", "10")) if graded else 10.0
    if points is None:
        errors["score_maximum"] = (
            f"Type the points the activity is worth: a number above 0 and up to "
            f"{MAX_POINTS:g}, like 10."
        )
    raw_attempts = form.get("attempts_allowed", "0").strip() or "0"
    attempts = int(raw_attempts) if raw_attempts.isdigit() else -1
    if gradable and not 0 <= attempts <= MAX_ATTEMPTS:
        errors["attempts_allowed"] = (
            f"Type a whole number of attempts from 1 to {MAX_ATTEMPTS}, or 0 to let students "
            "try as often as they like."
        )
    feedback = form.get("feedback", "after_submit") if gradable else "after_submit"
    if feedback not in FEEDBACK_CHOICES:
        errors["feedback"] = "Choose when students see the correct answers."
    raw_due = form.get("due_at", "").strip()
    due = due_time(raw_due, form.get("tz", "")) if raw_due else ""
    if due is None:
        errors["due_at"] = "Choose the due date and time with the date picker, like 30/05 15:00."
    elif feedback == "after_due" and not due:
        errors["due_at"] = (
            "Choose a due date: students see the answers after it. Or show the answers right "
            "after each submission."
        )
    if errors or points is None or due is None:
        return None, errors
    settings = {
        "attempts_allowed": max(attempts, 0) if gradable else 0,
        "feedback": feedback,
        "due_at": due,
        "shuffle": form.get("shuffle") == "yes",
    }
    return PublishChoices(graded, points, settings), {}


# --- publishing: the gradebook column (AGS line item) --------------------------------------


class LineItemError(Exception):
    """The LMS made no gradebook column; ``reason`` names why for the page."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(f"{reason} {status or ''}".strip())
        self.reason = reason
        self.status = status


def line_items_url(launch: LaunchContext | None) -> str:
    """Where this launch lets the tool make gradebook columns; "" when it does not."""
    ags = (launch.ags if launch else None) or {}
    url = ags.get("lineitems")
    scopes = ags.get("scope") or []
    if isinstance(url, str) and urlsplit(url).scheme in ("http", "https"):
        return url if claims.SCOPE_LINEITEM in scopes else ""
    return ""


def line_item_body(title: str, score_maximum: float, token: str) -> dict[str, Any]:
    """The line item of a publication: its title, points and the publication's token."""
    return {
        "scoreMaximum": score_maximum,
        "label": title,
        "resourceId": token,
        "tag": LINE_ITEM_TAG,
    }


def _service_call(
    connector: CachedServiceConnector,
    url: str,
    *,
    body: Mapping[str, Any] | None = None,
    refreshed: bool = False,
) -> Any:
    """One AGS call with the line item scope: a POST of ``body``, else a GET of the container.

    The token is refreshed once when the LMS answers 401 (it may have been revoked).
    """
    scopes = [claims.SCOPE_LINEITEM]
    try:
        connector.get_access_token(scopes)
    except LtiServiceException as exc:
        raise LineItemError("token", exc.response.status_code) from exc
    except (LtiException, requests.RequestException, ValueError, KeyError) as exc:
        raise LineItemError("unreachable") from exc
    try:
        if body is None:
            answer = connector.make_service_request(scopes, url, accept=LINE_ITEMS_TYPE)
        else:
            answer = connector.make_service_request(
                scopes,
                url,
                is_post=True,
                data=json.dumps(body),
                content_type=LINE_ITEM_TYPE,
                accept=LINE_ITEM_TYPE,
            )
    except LtiServiceException as exc:
        status = exc.response.status_code
        if status == 401 and not refreshed:
            connector.forget_token(scopes)
            return _service_call(connector, url, body=body, refreshed=True)
        raise LineItemError("refused", status) from exc
    except requests.Timeout as exc:
        raise LineItemError("timeout") from exc
    except (requests.RequestException, ValueError) as exc:
        raise LineItemError("unreachable") from exc
    return answer


def _web_url(value: Any) -> str:
    return value if isinstance(value, str) and urlsplit(value).scheme in ("http", "https") else ""


def create_line_item(connector: CachedServiceConnector, url: str, item: Mapping[str, Any]) -> str:
    """Make the gradebook column through AGS; its URL (the line item's id)."""
    answer = _service_call(connector, url, body=item)
    body = answer["body"]
    made = _web_url(body.get("id") if isinstance(body, dict) else None)
    made = made or _web_url(answer["headers"].get("Location"))
    if not made:
        raise LineItemError("no_id")
    return made


def _with_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = urlencode([*parse_qsl(parts.query), *params.items()])
    return urlunsplit(parts._replace(query=query))


def find_line_item(connector: CachedServiceConnector, url: str, resource_id: str) -> str:
    """The column an earlier try already made for this publication ("" when there is none).

    A try that timed out may have made the column anyway: looking first avoids a second one.
    """
    answer = _service_call(connector, _with_query(url, resource_id=resource_id))
    items = answer["body"] if isinstance(answer["body"], list) else []
    for item in items:
        if isinstance(item, dict) and item.get("resourceId") == resource_id:
            found = _web_url(item.get("id"))
            if found:
                return found
    return ""


def gradebook_problem(reason: str, status: int | None, lms: str) -> str:
    """Why the LMS made no gradebook column, in the teacher's words."""
    if reason == "token":
        return (
            f"{lms} did not give EduTeach access to its gradebook (it answered {status}). "
            "Your LMS administrator may need to allow EduTeach to create grade columns."
        )
    if reason == "timeout":
        return f"{lms} did not answer in time."
    if reason == "unreachable":
        return f"EduTeach could not reach {lms}."
    if reason == "no_id":
        return f"{lms} answered, but did not say where the new column is."
    if status == 403:
        return f"{lms} did not allow EduTeach to add a column to this course's gradebook."
    if status == 404:
        return f"{lms} could not find this course's gradebook."
    if status is None:
        return f"{lms} refused to add the gradebook column."
    if status >= 500:
        return f"{lms} had a problem of its own (error {status})."
    return f"{lms} refused to add the gradebook column (error {status})."


def _connector() -> CachedServiceConnector | None:
    """A service connector for the launch's platform registration."""
    svc = services()
    with svc.db.session() as s:
        platform = s.get(Platform, current_record().platform_id)
        if platform is None:
            return None
        return service_connector(s, svc.store, platform, svc.settings.http_timeout)


def connect_gradebook(publication_id: int, *, look_first: bool) -> dict[str, str]:
    """Make the publication's gradebook column when the launch allows it.

    Returns what the publication page needs to explain a failure (empty on success or when
    the LMS offers no gradebook). Called after the publication is committed.
    """
    url = line_items_url(current_launch())
    connector = _connector() if url else None
    if connector is None:
        return {}
    with services().db.session() as s:
        publication = s.get(Publication, publication_id)
        if publication is None or publication.line_item_url or not publication.graded:
            return {}
        token = publication.token
        item = line_item_body(publication.artifact.title, publication.score_maximum, token)
    try:
        made = (find_line_item(connector, url, token) if look_first else "") or create_line_item(
            connector, url, item
        )
    except LineItemError as exc:
        log.warning(
            "gradebook column not made publication=%s reason=%s status=%s",
            publication_id,
            exc.reason,
            exc.status,
        )
        return {"error": exc.reason, **({"status": str(exc.status)} if exc.status else {})}
    with services().db.session() as s:
        publication = s.get(Publication, publication_id)
        if publication is not None:
            publication.line_item_url = made
    log.info("gradebook column made publication=%s", publication_id)
    return {}


# --- publishing: the views ------------------------------------------------------------------


def _activity_or_404(session: Session, artifact_id: int) -> tuple[Artifact, ActivityType]:
    artifact = artifact_or_404(session, artifact_id)
    activity = kind_of(artifact.kind).activity
    if activity is None:
        abort(404)
    return artifact, activity


def _publications(session: Session, artifact: Artifact) -> list[Publication]:
    return list(
        session.scalars(
            select(Publication)
            .where(
                Publication.artifact_id == artifact.id,
                Publication.course_id == artifact.course_id,
            )
            .order_by(Publication.created_at, Publication.id)
        )
    )


def _publication_or_404(session: Session, publication_id: int) -> Publication:
    found = session.get(Publication, publication_id)
    if found is None or found.course_id != course_id():
        abort(404)
    return found


def _lms_name() -> str:
    launch = current_launch()
    return (launch.platform_name if launch else "") or "Your LMS"


def _publish_page(
    session: Session,
    artifact: Artifact,
    activity: ActivityType,
    *,
    values: Mapping[str, str],
    errors: Mapping[str, str],
) -> str:
    return render_page(
        "teacher/publish.html",
        artifact=artifact,
        kind=kind_of(artifact.kind),
        gradable=activity.graded,
        values=values,
        errors=errors,
        publish_key=values.get("publish_key") or secrets.token_urlsafe(16),
        gradebook_offered=bool(line_items_url(current_launch())),
        lms=_lms_name(),
        earlier=_publications(session, artifact),
        feedback_choices=FEEDBACK_CHOICES,
        max_points=MAX_POINTS,
        max_attempts=MAX_ATTEMPTS,
    )


@bp.get("/artifacts/<int:artifact_id>/publish")
@requires_launch(Audience.TEACHER)
def publish_form(artifact_id: int) -> ResponseReturnValue:
    """The settings students get, before the activity is published."""
    with services().db.session() as s:
        artifact, activity = _activity_or_404(s, artifact_id)
        return _publish_page(s, artifact, activity, values={}, errors={})


@bp.post("/artifacts/<int:artifact_id>/publish")
@requires_launch(Audience.TEACHER)
def publish(artifact_id: int) -> ResponseReturnValue:
    """Publish with the teacher's settings, then make its gradebook column when graded.

    A double click sends the same ``publish_key``: it lands on the first publication instead
    of making a second one (and a second gradebook column).
    """
    svc = services()
    with svc.db.session() as s:
        artifact, activity = _activity_or_404(s, artifact_id)
        choices, errors = read_publish_form(request.form, gradable=activity.graded)
        if choices is None:
            page = _publish_page(s, artifact, activity, values=request.form, errors=errors)
            return page, 422
    key = request.form.get("publish_key", "")[:64]
    once = f"publish:{course_id()}:{key}" if key else ""
    if once and not svc.store.add(once, 0, PUBLISH_KEY_TTL):
        earlier = svc.store.get(once)
        if isinstance(earlier, int) and earlier:
            return redirect(url_with_token("teacher.publication", publication_id=earlier), 303)
        return redirect(url_with_token("teacher.results", artifact_id=artifact_id), 303)
    try:
        with svc.db.session() as s:
            publication = publishing.publish(
                s,
                artifact_or_404(s, artifact_id),
                created_by=owner_sub(),
                graded=choices.graded,
                score_maximum=choices.score_maximum,
                settings=choices.settings,
            )
            publication_id = publication.id
    except BaseException:
        # Nothing was published: the same form may be sent again.
        if once:
            svc.store.delete(once)
        raise
    if once:
        svc.store.set(once, publication_id, PUBLISH_KEY_TTL)
    log.info("published artifact=%s publication=%s", artifact_id, publication_id)
    problem = connect_gradebook(publication_id, look_first=False) if choices.graded else {}
    return redirect(
        url_with_token("teacher.publication", publication_id=publication_id, **problem), 303
    )


@bp.post("/publications/<int:publication_id>/gradebook")
@requires_launch(Audience.TEACHER)
def retry_gradebook(publication_id: int) -> ResponseReturnValue:
    """Try again to make the gradebook column of a published activity."""
    with services().db.session() as s:
        _publication_or_404(s, publication_id)
    problem = connect_gradebook(publication_id, look_first=True)
    return redirect(
        url_with_token("teacher.publication", publication_id=publication_id, **problem), 303
    )


@bp.get("/publications/<int:publication_id>")
@requires_launch(Audience.TEACHER)
def publication(publication_id: int) -> ResponseReturnValue:
    """How to add the published activity to the course: the link and its custom parameter."""
    error = request.args.get("error", "")
    status = request.args.get("status", "")
    with services().db.session() as s:
        found = _publication_or_404(s, publication_id)
        links = s.scalar(
            select(func.count()).select_from(Placement).where(Placement.publication_id == found.id)
        )
        return render_page(
            "teacher/publish_link.html",
            publication=found,
            artifact=found.artifact,
            kind=kind_of(found.artifact.kind),
            launch_url=tool_urls()["launch"],
            custom=f"{publishing.CUSTOM_KEY}={found.token}",
            gradebook_offered=bool(line_items_url(current_launch())),
            problem=(
                gradebook_problem(error, int(status) if status.isdigit() else None, _lms_name())
                if error
                else ""
            ),
            lms=_lms_name(),
            placements=links or 0,
            feedback_choices=FEEDBACK_CHOICES,
        )


# --- names ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Names:
    """Students' names for one page (never stored), or why the page shows ids instead."""

    names: Mapping[str, str]
    learners: frozenset[str] | None  # the course's active students; None when unknown
    note: str  # "" when names are shown

    def label(self, user_sub: str) -> str:
        return student_label(user_sub, self.names)

    def named(self, user_sub: str) -> bool:
        return user_sub in self.names


NO_NRPS = "absent"
NRPS_FAILED = "failed"


def student_label(user_sub: str, names: Mapping[str, str]) -> str:
    """A student's name, or the start of the LMS's opaque id for them ("Student 3f2a9c…")."""
    name = names.get(user_sub)
    if name:
        return name
    return f"Student {user_sub if len(user_sub) <= 8 else user_sub[:6] + '…'}"


def course_names() -> Names:
    """The course's names from NRPS, kept in memory a few minutes; ids when unavailable."""
    launch = current_launch()
    url = nrps.memberships_url(launch) if launch else ""
    if launch is None or not url:
        return Names({}, None, NO_NRPS)
    svc = services()
    cache: nrps.RosterCache = current_app.extensions.setdefault(
        "eduteach_rosters", nrps.RosterCache()
    )

    def fetch() -> nrps.Roster:
        with svc.db.session() as s:
            platform = s.get(Platform, current_record().platform_id)
            if platform is None:
                raise nrps.RosterError("The platform is no longer registered.")
            timeout = min(svc.settings.http_timeout, NAMES_TIMEOUT)
            connector = service_connector(s, svc.store, platform, timeout)
        return nrps.fetch_roster(connector, url)

    try:
        roster = cache.get(nrps.roster_key(launch.issuer, launch.client_id, url), fetch)
    except nrps.RosterError as exc:
        log.warning("names unavailable status=%s", exc.status)
        return Names({}, None, NRPS_FAILED)
    return Names(roster.names, roster.learners, "")


# --- results: students ------------------------------------------------------------------------


def _fraction(attempt: Attempt) -> float:
    return attempt.points / attempt.max_points if attempt.max_points else 0.0


def latest_deliveries(
    deliveries: Iterable[ScoreDelivery],
) -> dict[tuple[int, str], ScoreDelivery]:
    """Each student's newest score delivery per placement: the one that decides the grade."""
    latest: dict[tuple[int, str], ScoreDelivery] = {}
    for delivery in deliveries:
        key = (delivery.placement_id, delivery.user_sub)
        known = latest.get(key)
        if known is None or (delivery.timestamp, delivery.id) > (known.timestamp, known.id):
            latest[key] = delivery
    return latest


@dataclass(frozen=True)
class StudentRow:
    """One student's work on one placement."""

    user_sub: str
    label: str
    named: bool
    attempts: int
    latest: Attempt
    best: Attempt
    delivery: ScoreDelivery | None


def student_rows(
    attempts: Sequence[Attempt],
    deliveries: Mapping[tuple[int, str], ScoreDelivery],
    names: Names,
) -> list[StudentRow]:
    """Per student: attempts, latest and best score, and the grade's way to the LMS.

    Named students come first, by name; then the others by id.
    """
    by_student: dict[str, list[Attempt]] = {}
    for attempt in sorted(attempts, key=lambda a: (a.submitted_at, a.id)):
        by_student.setdefault(attempt.user_sub, []).append(attempt)
    rows = [
        StudentRow(
            user_sub=sub,
            label=names.label(sub),
            named=names.named(sub),
            attempts=len(own),
            latest=own[-1],
            best=max(own, key=_fraction),
            delivery=deliveries.get((own[-1].placement_id, sub)),
        )
        for sub, own in by_student.items()
    ]
    return sorted(rows, key=lambda r: (not r.named, r.label.casefold(), r.user_sub))


DELIVERY_LABELS = {
    "pending": "Waiting to send",
    "delivered": "In the gradebook",
    "superseded": "Replaced by a newer attempt",
    "needs_attention": "Needs attention",
}
DELIVERY_STYLES = {
    "pending": "status-queued",
    "delivered": "status-succeeded",
    "superseded": "status-draft",
    "needs_attention": "status-failed",
}


def delivery_reason(delivery: ScoreDelivery) -> str:
    """Why the LMS refused a score, in the teacher's words, with what it said."""
    status = delivery.last_status
    if status == 404:
        reason = (
            "The LMS no longer has this gradebook column: it may have been deleted. "
            "Add the activity again, or recreate the column, then resend."
        )
    elif status in (400, 422):
        reason = "The LMS refused the score as not valid for this gradebook column."
    elif status == 403:
        reason = "The LMS did not allow EduTeach to post this score."
    elif status:
        reason = f"The LMS refused the score (error {status})."
    else:
        reason = "The score could not be delivered."
    detail = " ".join(delivery.last_error.split())
    return f"{reason} It said: “{detail}”" if detail else reason


# --- results: items -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionStats:
    """One choice of an item and how many attempts chose it."""

    text: str
    correct: bool
    chosen: int


@dataclass(frozen=True)
class ItemStats:
    """How one item went across attempts."""

    label: str  # "Question 2", "Blank 3", "Pair 1", "Card 4"
    prompt: str
    answer: str  # the key, for the teacher's eyes only
    counted: int
    right: int
    options: tuple[OptionStats, ...] = ()
    wrong_answers: tuple[tuple[str, int], ...] = ()  # typed answers, most common first

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.counted) if self.counted else 0

    @property
    def top_wrong(self) -> OptionStats | None:
        """The wrong choice students fell for most (None when nobody chose a wrong one)."""
        wrong = [o for o in self.options if not o.correct and o.chosen]
        return max(wrong, key=lambda o: o.chosen) if wrong else None


@dataclass(frozen=True)
class Entry:
    """One attempt as the analysis reads it: its responses and which items it got right."""

    responses: Mapping[str, Any]
    right: Mapping[str, bool]


def entry_of(attempt: Attempt) -> Entry:
    right: dict[str, bool] = {}
    for result in attempt.results or []:
        if isinstance(result, dict) and "item" in result:
            most = float(result.get("max_points") or 0)
            right[str(result["item"])] = most > 0 and float(result.get("points") or 0) >= most
    return Entry(attempt.responses or {}, right)


def _answers(entry: Entry, key: str) -> Mapping[str, Any]:
    found = entry.responses.get(key)
    return found if isinstance(found, dict) else {}


def _indexes(answer: Any) -> set[int]:
    values = answer if isinstance(answer, list | tuple) else [answer]
    return {int(str(v).strip()) for v in values if str(v).strip().isdigit()}


def _tally(typed: Iterable[str], most: int = 3) -> tuple[tuple[str, int], ...]:
    """The most common answers, alike whatever their capitals and spaces."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for text in typed:
        words = " ".join(text.split())
        if words:
            counts[words.casefold()] += 1
            shown.setdefault(words.casefold(), words)
    return tuple((shown[key], n) for key, n in counts.most_common(most))


def _stats(
    entries: Sequence[Entry],
    item_id: str,
    label: str,
    prompt: str,
    answer: str,
) -> tuple[list[Entry], ItemStats]:
    counted = [e for e in entries if item_id in e.right]
    right = sum(1 for e in counted if e.right[item_id])
    return counted, ItemStats(label, prompt, answer, len(counted), right)


def _quiz_items(quiz: Quiz, entries: Sequence[Entry]) -> list[ItemStats]:
    items = []
    for i, item in enumerate(quiz.items):
        key = str(i)
        key_text = " / ".join(item.accepted_answers) if item.type == "short_answer" else ""
        counted, stats = _stats(entries, key, f"Question {i + 1}", item.question, key_text)
        answers = [(_answers(e, "answers").get(key), e.right[key]) for e in counted]
        if item.type == "short_answer":
            wrong = _tally(a for a, right in answers if not right and isinstance(a, str))
            items.append(replace(stats, wrong_answers=wrong))
            continue
        chosen = Counter(n for a, _ in answers for n in _indexes(a))
        options = tuple(
            OptionStats(o.text, o.correct, chosen[n]) for n, o in enumerate(item.options)
        )
        items.append(replace(stats, options=options))
    return items


def _matching_items(activity: matching.Matching, entries: Sequence[Entry]) -> list[ItemStats]:
    choices = matching.choices(activity)
    items = []
    for i, pair in enumerate(activity.pairs):
        key = str(i)
        counted, stats = _stats(entries, key, f"Pair {i + 1}", pair.term, pair.definition)
        chosen = Counter(n for e in counted for n in _indexes(_answers(e, "matches").get(key)))
        # Only the definitions somebody chose, and the right one: a long list hides the point.
        options = tuple(
            OptionStats(text, n == i, chosen[n])
            for n, text in enumerate(choices)
            if n == i or chosen[n]
        )
        items.append(replace(stats, options=options))
    return items


def _before_blank(text: str, start: int, width: int = 60) -> str:
    """The words before a blank (other blanks as ____), so the teacher knows which it is."""
    before = " ".join(fill_in.BLANK.sub("____", text[:start]).split())
    if len(before) > width:
        before = "…" + before[-width:].split(" ", 1)[-1]
    return f"{before} ____".strip()


def _fill_in_items(activity: fill_in.FillIn, entries: Sequence[Entry]) -> list[ItemStats]:
    items, number = [], 0
    for index, passage in enumerate(activity.passages):
        found = fill_in.blanks(passage.text, index)
        for blank, match in zip(found, fill_in.BLANK.finditer(passage.text), strict=True):
            number += 1
            prompt = _before_blank(passage.text, match.start())
            answer = " / ".join(blank.answers)
            counted, stats = _stats(entries, blank.id, f"Blank {number}", prompt, answer)
            typed = (_answers(e, "blanks").get(blank.id) for e in counted if not e.right[blank.id])
            wrong = _tally(t for t in typed if isinstance(t, str))
            items.append(replace(stats, wrong_answers=wrong))
    return items


def _flashcard_items(deck: FlashcardDeck, entries: Sequence[Entry]) -> list[ItemStats]:
    return [
        _stats(entries, str(i), f"Card {i + 1}", card.front, card.back)[1]
        for i, card in enumerate(deck.cards)
    ]


def item_analysis(activity: BaseModel, entries: Sequence[Entry]) -> list[ItemStats]:
    """Each item's share of right attempts; for choices, how many attempts chose each one."""
    if isinstance(activity, Quiz):
        return _quiz_items(activity, entries)
    if isinstance(activity, matching.Matching):
        return _matching_items(activity, entries)
    if isinstance(activity, fill_in.FillIn):
        return _fill_in_items(activity, entries)
    if isinstance(activity, FlashcardDeck):
        return _flashcard_items(activity, entries)
    return []


@dataclass(frozen=True)
class VersionAnalysis:
    """The item analysis of the attempts made on one version of the activity."""

    version: int
    attempts: int
    items: list[ItemStats]


def analyses(artifact: Artifact, attempts: Sequence[Attempt]) -> list[VersionAnalysis]:
    """The analysis per version students answered, newest first.

    An edit can change, add or remove items, so attempts are only compared on the version
    they were scored against.
    """
    activity = ACTIVITIES[artifact.kind]
    by_version: dict[int, list[Entry]] = {}
    for attempt in attempts:
        by_version.setdefault(attempt.artifact_version, []).append(entry_of(attempt))
    versions = {v.number: v for v in artifact.versions}
    found = []
    for number in sorted(by_version, reverse=True):
        if number in versions:
            model = activity.output.model_validate(versions[number].data)
            entries = by_version[number]
            found.append(VersionAnalysis(number, len(entries), item_analysis(model, entries)))
    return found


# --- results: the views -------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacementResults:
    """The students' work through one link in the LMS."""

    number: int
    placement: Placement
    publication: Publication
    rows: list[StudentRow]


@bp.get("/artifacts/<int:artifact_id>/results")
@requires_launch(Audience.TEACHER)
def results(artifact_id: int) -> ResponseReturnValue:
    """Who attempted the activity, their scores and grades, and how each item went."""
    with services().db.session() as s:
        artifact, activity = _activity_or_404(s, artifact_id)
        publications = _publications(s, artifact)
        by_id = {p.id: p for p in publications}
        placements = list(
            s.scalars(
                select(Placement)
                .where(
                    Placement.publication_id.in_(list(by_id)),
                    Placement.course_id == course_id(),
                )
                .order_by(Placement.id)
            )
        )
        placement_ids = [p.id for p in placements]
        attempts = list(
            s.scalars(
                select(Attempt)
                .where(Attempt.placement_id.in_(placement_ids))
                .order_by(Attempt.submitted_at, Attempt.id)
            )
        )
        deliveries = latest_deliveries(
            s.scalars(select(ScoreDelivery).where(ScoreDelivery.placement_id.in_(placement_ids)))
        )
        names = course_names() if attempts else Names({}, None, "")
        sections = [
            PlacementResults(
                number,
                placement,
                by_id[placement.publication_id],
                student_rows(
                    [a for a in attempts if a.placement_id == placement.id], deliveries, names
                ),
            )
            for number, placement in enumerate(placements, start=1)
        ]
        students = {a.user_sub for a in attempts}
        return render_page(
            "teacher/results.html",
            artifact=artifact,
            kind=kind_of(artifact.kind),
            graded_kind=activity.graded,
            publications=publications,
            sections=sections,
            students=len(students),
            learners=len(names.learners) if names.learners is not None else None,
            learners_submitted=len(students & (names.learners or frozenset())),
            attempts=len(attempts),
            names_note=names.note,
            lms=_lms_name(),
            analyses=analyses(artifact, attempts),
            delivery_labels=DELIVERY_LABELS,
            delivery_styles=DELIVERY_STYLES,
            delivery_reason=delivery_reason,
            feedback_choices=FEEDBACK_CHOICES,
            done=request.args.get("done", ""),
        )


@dataclass(frozen=True)
class AttentionRow:
    """A score the LMS refused for good, with what it belongs to."""

    delivery: ScoreDelivery
    artifact: Artifact
    label: str


def needing_attention(session: Session, course: int) -> list[ScoreDelivery]:
    """The course's refused scores that no newer score of the same student replaced."""
    placements = select(Placement.id).where(Placement.course_id == course)
    refused = list(
        session.scalars(
            select(ScoreDelivery).where(
                ScoreDelivery.status == NEEDS_ATTENTION,
                ScoreDelivery.placement_id.in_(placements),
            )
        )
    )
    if not refused:
        return []
    latest = latest_deliveries(
        session.scalars(
            select(ScoreDelivery).where(
                ScoreDelivery.placement_id.in_({d.placement_id for d in refused}),
                ScoreDelivery.user_sub.in_({d.user_sub for d in refused}),
            )
        )
    )
    current = [d for d in refused if latest[(d.placement_id, d.user_sub)].id == d.id]
    return sorted(current, key=lambda d: (d.timestamp, d.id), reverse=True)


@bp.get("/needs-attention")
@requires_launch(Audience.TEACHER)
def needs_attention() -> ResponseReturnValue:
    """Scores the LMS refused, across the course, each with a Resend button."""
    with services().db.session() as s:
        refused = needing_attention(s, course_id())
        names = course_names() if refused else Names({}, None, "")
        rows = []
        for delivery in refused:
            placement = s.get(Placement, delivery.placement_id)
            if placement is not None:
                artifact = placement.publication.artifact
                rows.append(AttentionRow(delivery, artifact, names.label(delivery.user_sub)))
        return render_page(
            "teacher/results_attention.html",
            rows=rows,
            names_note=names.note,
            lms=_lms_name(),
            delivery_reason=delivery_reason,
            done=request.args.get("done", ""),
        )


def _delivery_in_course(session: Session, delivery_id: int) -> tuple[ScoreDelivery, int]:
    """A delivery of this course and its activity's id; 404 for any other."""
    row = session.execute(
        select(ScoreDelivery, Publication.artifact_id)
        .join(Placement, Placement.id == ScoreDelivery.placement_id)
        .join(Publication, Publication.id == Placement.publication_id)
        .where(ScoreDelivery.id == delivery_id, Placement.course_id == course_id())
    ).first()
    if row is None:
        abort(404)
    return row[0], row[1]


def _grades_function(module_name: str, name: str) -> Callable[..., Any] | None:
    """A function of the grades package's delivery side, None while it is not installed."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        return None
    found = getattr(module, name, None)
    return found if callable(found) else None


def resend_delivery(session: Session, delivery: ScoreDelivery, course: int) -> None:
    """Put a refused score back in the outbox, due now, with its tries counted afresh.

    The delivery module does it when it is there (it also points the score at the line item
    the placement names now); otherwise the outbox row is reset here.
    """
    send_again = _grades_function("eduteach.grades.delivery", "resend")
    if send_again is not None:
        send_again(session, delivery.id, course)
        return
    delivery.status = PENDING
    delivery.tries = 0
    delivery.next_try_at = utcnow()


def wake_deliveries() -> None:
    """Ask this process's score deliverers to look at the outbox now, not at their next round."""
    wake = _grades_function("eduteach.grades.runner", "wake")
    if wake is not None:
        wake()


@bp.post("/deliveries/<int:delivery_id>/resend")
@requires_launch(Audience.TEACHER)
def resend(delivery_id: int) -> ResponseReturnValue:
    """Queue a score the LMS refused to be sent again (after the teacher fixed the cause)."""
    course = course_id()
    with services().db.session() as s:
        delivery, artifact_id = _delivery_in_course(s, delivery_id)
        done = "already"
        if delivery.status == NEEDS_ATTENTION:
            resend_delivery(s, delivery, course)
            done = "resent"
            log.info("score resend queued delivery=%s", delivery_id)
    if done == "resent":
        wake_deliveries()
    if request.form.get("back") == "needs_attention":
        return redirect(url_with_token("teacher.needs_attention", done=done), 303)
    url = url_with_token("teacher.results", artifact_id=artifact_id, done=done)
    return redirect(url + "#students", 303)
