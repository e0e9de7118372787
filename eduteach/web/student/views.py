"""A student's activity: the player, the submit that records an attempt, and its result.

Answers are scored on the server from the stored activity; the page a student gets before
submitting holds no part of the answer key, and a submitted attempt shows its feedback only
when the teacher's settings allow (after submitting, or after the due date).
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass

from flask import abort, jsonify, redirect, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import IntegrityError

from eduteach.activities.base import Score
from eduteach.activities.player import check_answers, form_answers, read_responses
from eduteach.lti.roles import Audience
from eduteach.storage.models import utcnow

from ..security import requires_launch, url_with_token
from . import bp
from .attempts import (
    SUBMIT_KEY,
    attempts_of,
    lock_student,
    number_of,
    record_attempt,
)
from .flashcards import deck_page
from .pages import (
    closed_page,
    history,
    new_submit_key,
    player_page,
    score_line,
    status,
    wants_json,
    when,
)
from .scope import find_placed, placed_or_404, render_page, secret, services

log = logging.getLogger("eduteach.student")


@bp.get("/activity")
@requires_launch(Audience.STUDENT)
def activity() -> ResponseReturnValue:
    """The activity this link opens, ready for the student's next attempt."""
    with services().db.session() as s:
        placed = find_placed(s)
        if placed is None:
            return render_page("student/home.html"), 404
        now = utcnow()
        if placed.kind == "flashcards":
            return deck_page(s, placed, now)
        attempts = attempts_of(s, placed)
        reason = placed.rules.refusal(len(attempts), now)
        if reason:
            return closed_page(placed, attempts, reason, now)
        number = len(attempts) + 1
        version = placed.version()
        student = status(
            placed,
            now,
            label=placed.rules.attempt_label(number),
            history=history(placed, attempts, now),
        )
        practice = placed.kind == "self_quiz"
        return player_page(
            placed,
            placed.model(version),
            version.number,
            number=number,
            student=student,
            submit_url=url_with_token("student.submit"),
            submit_key=new_submit_key(),
            check_url=url_with_token("student.check") if practice else "",
        )


@bp.get("/activity/attempts/<int:number>")
@requires_launch(Audience.STUDENT)
def result(number: int) -> ResponseReturnValue:
    """One of the student's own attempts as submitted, with feedback once it is earned."""
    with services().db.session() as s:
        placed = placed_or_404(s)
        attempts = attempts_of(s, placed)
        if placed.kind == "flashcards" or not 1 <= number <= len(attempts):
            abort(404)
        attempt = attempts[number - 1]
        now = utcnow()
        version = placed.version(attempt.artifact_version)
        model = placed.model(version)
        shown = placed.rules.feedback_open(now)
        results = (
            check_answers(placed.kind, model, placed.artifact.params, attempt.responses)
            if shown
            else None
        )
        label = placed.rules.attempt_label(number) or f"Try {number}"
        student = status(
            placed,
            now,
            label=label,
            submitted=when(attempt.submitted_at),
            summary=f"You scored {score_line(attempt)}." if shown else "",
            may_try_again=not placed.rules.refusal(len(attempts), now),
            history=history(placed, attempts, now),
            current=number,
        )
        return player_page(
            placed,
            model,
            version.number,
            number=number,
            student=student,
            review=True,
            results=results,
            answers=form_answers(placed.kind, model, attempt.responses, salt=secret()),
            activity_url=url_with_token("student.activity"),
        )


@dataclass(frozen=True)
class _Recorded:
    number: int
    new: bool
    kind: str


def _only_rated(score: Score, ratings: dict[str, str]) -> Score:
    """A study session's score counts the cards the student rated in it."""
    return Score(tuple(r for r in score.items if r.item in ratings))


def _record(submit_key: str) -> _Recorded | tuple[str, int]:
    """Record the submitted attempt in one transaction (or find it, or say why not)."""
    with services().db.session() as s:
        placed = placed_or_404(s)
        lock_student(s, placed)
        attempts = attempts_of(s, placed)
        found = next((a for a in attempts if a.submit_key == submit_key), None)
        if found is not None:
            return _Recorded(number_of(attempts, found), False, placed.kind)
        now = utcnow()
        reason = placed.rules.refusal(len(attempts), now)
        if reason:
            return closed_page(placed, attempts, reason, now), 409
        version = placed.version(request.form.get("version"))
        model = placed.model(version)
        responses = read_responses(placed.kind, model, request.form, salt=secret())
        score = placed.activity.score(model, responses, placed.artifact.params)
        if placed.kind == "flashcards":
            score = _only_rated(score, responses["ratings"])
            if not score.items:
                abort(400)
        record_attempt(
            s,
            placed,
            submit_key=submit_key,
            version=version.number,
            responses=responses,
            score=score,
            now=now,
        )
        log.info("attempt recorded kind=%s graded=%s", placed.kind, placed.publication.graded)
        return _Recorded(len(attempts) + 1, True, placed.kind)


def _wake_delivery() -> None:
    """Tell the grade deliverer a score is waiting, so it goes now rather than at its next
    round (it finds it either way)."""
    for name in ("eduteach.grades", "eduteach.grades.delivery"):
        try:
            wake = getattr(importlib.import_module(name), "wake", None)
        except ImportError:
            continue
        if callable(wake):
            try:
                wake()
            except Exception:
                # The attempt and its score are committed; the outbox sends it next round.
                log.warning("grade delivery could not be woken; the score waits in the outbox")
            return


@bp.post("/activity/submit")
@requires_launch(Audience.STUDENT)
def submit() -> ResponseReturnValue:
    """Record the student's answers as an attempt, queue its score, and show the result."""
    submit_key = request.form.get("submit_key", "")
    if not SUBMIT_KEY.fullmatch(submit_key):
        abort(400)
    try:
        outcome = _record(submit_key)
    except IntegrityError:
        # The same form was submitted twice at once and the other request recorded it first.
        outcome = _record(submit_key)
    if not isinstance(outcome, _Recorded):
        return outcome
    if outcome.new:
        _wake_delivery()
    if outcome.kind == "flashcards":
        if wants_json():
            return jsonify(recorded=True)
        return redirect(url_with_token("student.activity"), code=303)
    return redirect(url_with_token("student.result", number=outcome.number), code=303)


@bp.post("/activity/check")
@requires_launch(Audience.STUDENT)
def check() -> ResponseReturnValue:
    """A self-quiz question checked on its own (practice: the feedback is earned at once).

    Only self-quizzes answer here; a graded activity's key is never given out before submit.
    """
    with services().db.session() as s:
        placed = placed_or_404(s)
        if placed.kind != "self_quiz":
            abort(404)
        version = placed.version(request.form.get("version"))
        model = placed.model(version)
        responses = read_responses(placed.kind, model, request.form, salt=secret())
        asked = request.form.get("reveal") or None
        only = request.form.get("only") or asked
        results = check_answers(
            placed.kind,
            model,
            placed.artifact.params,
            responses,
            only=only,
            reveal=only is None or asked is not None,
        )
        if wants_json():
            return jsonify(results)
        now = utcnow()
        number = len(attempts_of(s, placed)) + 1
        return player_page(
            placed,
            model,
            version.number,
            number=number,
            student=status(placed, now, label=""),
            results=results,
            answers={key: request.form.getlist(key) for key in request.form},
            submit_url=url_with_token("student.submit"),
            submit_key=request.form.get("submit_key") or new_submit_key(),
            check_url=url_with_token("student.check"),
        )
