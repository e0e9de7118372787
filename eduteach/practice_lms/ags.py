"""Assignment and Grade Services 2.0, platform side: line items, scores and results.

Every endpoint first passes the grade service switch (503 while off, a pause while slow),
then checks the bearer token's scope. Every score request is logged with the status it
was answered with, whatever that status is.

Scores: a score whose ``timestamp`` is older than the stored result's never replaces it;
it is answered 409 (as Moodle does) or 200 and ignored, as the switch's ``stale_scores``
says. An equal timestamp replaces the result.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import quote

from eduteach.practice_lms import claims as c
from eduteach.practice_lms.ags_json import (
    Score,
    line_item_from,
    number_json,
    parse_score,
    read_object,
)
from eduteach.practice_lms.config import PracticeConfig
from eduteach.practice_lms.errors import ServiceError
from eduteach.practice_lms.grades import GradeStore, LineItem, Result
from eduteach.practice_lms.services import (
    ServiceAnswer,
    ServiceRequest,
    TokenChecker,
    paginate,
)
from eduteach.practice_lms.store import NewLineItem, PracticeStore
from eduteach.practice_lms.switch import load_switch

log = logging.getLogger(__name__)

READ_LINE_ITEMS = (c.SCOPE_LINEITEM, c.SCOPE_LINEITEM_READONLY)
WRITE_LINE_ITEMS = (c.SCOPE_LINEITEM,)


def line_item_json(item: LineItem, url: str) -> dict[str, Any]:
    """A line item as AGS shows it; optional fields only when they have a value."""
    data: dict[str, Any] = {
        "id": url,
        "label": item.label,
        "scoreMaximum": number_json(item.score_maximum),
    }
    optional = {
        "resourceId": item.resource_id,
        "tag": item.tag,
        "resourceLinkId": item.resource_link_id,
        "startDateTime": item.start_date_time,
        "endDateTime": item.end_date_time,
    }
    data.update({name: value for name, value in optional.items() if value})
    if item.grades_released is not None:
        data["gradesReleased"] = item.grades_released
    return data


def result_json(result: Result, line_item_url: str) -> dict[str, Any]:
    """A result as AGS shows it."""
    data: dict[str, Any] = {
        "id": f"{line_item_url}/results/{quote(result.user_id, safe='')}",
        "scoreOf": line_item_url,
        "userId": result.user_id,
    }
    if result.score_given is not None:
        data["resultScore"] = number_json(result.score_given)
    if result.score_maximum is not None:
        data["resultMaximum"] = number_json(result.score_maximum)
    if result.comment is not None:
        data["comment"] = result.comment
    return data


def _peek_user_id(body: bytes) -> str:
    """The ``userId`` of a score body for the log, even when the body is refused."""
    try:
        user_id = read_object(body).get("userId")
    except ServiceError:
        return ""
    return user_id if isinstance(user_id, str) else ""


class AgsService:
    """The AGS endpoints of every course, over plain requests and answers."""

    def __init__(
        self,
        config: PracticeConfig,
        store: PracticeStore,
        grades: GradeStore,
        tokens: TokenChecker,
    ) -> None:
        self._config = config
        self._store = store
        self._grades = grades
        self._tokens = tokens

    # --- shared steps ------------------------------------------------------------------
    def _enter(self, course_id: str, request: ServiceRequest, scopes: tuple[str, ...]) -> None:
        """The switch, the course, then the token: what every AGS endpoint checks first."""
        switch = load_switch(self._store)
        if switch.mode == "off":
            raise ServiceError(
                503,
                "The gradebook service is switched off for now. Try again later.",
                {"Retry-After": str(switch.retry_after)},
            )
        if switch.mode == "slow":
            time.sleep(switch.slow_seconds)
        if self._store.course(course_id) is None:
            raise ServiceError(404, "There is no such course.")
        self._tokens.check(request.authorization, scopes)

    def _line_item(self, course_id: str, line_item_id: str) -> LineItem:
        item = self._grades.line_item(course_id, line_item_id)
        if item is None:
            raise ServiceError(404, "There is no such line item in this course.")
        return item

    @staticmethod
    def _require_media_type(request: ServiceRequest, media_type: str) -> None:
        if request.media_type != media_type:
            raise ServiceError(415, f"Send the body as Content-Type: {media_type}.")

    def _line_item_body(self, course_id: str, request: ServiceRequest) -> NewLineItem:
        self._require_media_type(request, c.MEDIA_LINE_ITEM)
        item = line_item_from(read_object(request.body))
        if item.resource_link_id is not None:
            link = self._store.resource_link(item.resource_link_id)
            if link is None or link.course_id != course_id:
                raise ServiceError(422, "resourceLinkId names no resource link of this course.")
        return item

    def _answer_line_item(self, item: LineItem, status: int = 200) -> ServiceAnswer:
        url = self._config.line_item_url(item.course_id, item.id)
        return ServiceAnswer(status, line_item_json(item, url), c.MEDIA_LINE_ITEM)

    # --- line items --------------------------------------------------------------------
    def list_line_items(self, course_id: str, request: ServiceRequest) -> ServiceAnswer:
        """GET the line item container, filtered by resource_link_id, resource_id or tag."""
        self._enter(course_id, request, READ_LINE_ITEMS)
        query = request.query
        items = self._grades.line_items(
            course_id,
            resource_link_id=query.get("resource_link_id"),
            resource_id=query.get("resource_id"),
            tag=query.get("tag"),
        )
        base = self._config.line_items_url(course_id)
        page, headers = paginate(items, query, base)
        body = [line_item_json(item, f"{base}/{item.id}") for item in page]
        return ServiceAnswer(200, body, c.MEDIA_LINE_ITEM_CONTAINER, headers)

    def create_line_item(self, course_id: str, request: ServiceRequest) -> ServiceAnswer:
        """POST a new line item to the container (a tool publishing outside deep linking)."""
        self._enter(course_id, request, WRITE_LINE_ITEMS)
        item = self._grades.create_line_item(course_id, self._line_item_body(course_id, request))
        answer = self._answer_line_item(item, 201)
        answer.headers["Location"] = answer.body["id"]
        return answer

    def get_line_item(
        self, course_id: str, line_item_id: str, request: ServiceRequest
    ) -> ServiceAnswer:
        """GET one line item."""
        self._enter(course_id, request, READ_LINE_ITEMS)
        return self._answer_line_item(self._line_item(course_id, line_item_id))

    def update_line_item(
        self, course_id: str, line_item_id: str, request: ServiceRequest
    ) -> ServiceAnswer:
        """PUT a line item's new values (its resource link cannot change)."""
        self._enter(course_id, request, WRITE_LINE_ITEMS)
        current = self._line_item(course_id, line_item_id)
        item = self._line_item_body(course_id, request)
        if item.resource_link_id not in (None, current.resource_link_id):
            raise ServiceError(422, "A line item cannot move to another resource link.")
        updated = self._grades.update_line_item(course_id, line_item_id, item)
        if updated is None:
            raise ServiceError(404, "There is no such line item in this course.")
        return self._answer_line_item(updated)

    def delete_line_item(
        self, course_id: str, line_item_id: str, request: ServiceRequest
    ) -> ServiceAnswer:
        """DELETE a line item and its results."""
        self._enter(course_id, request, WRITE_LINE_ITEMS)
        if not self._grades.delete_line_item(course_id, line_item_id):
            raise ServiceError(404, "There is no such line item in this course.")
        return ServiceAnswer(204)

    # --- results -----------------------------------------------------------------------
    def results(self, course_id: str, line_item_id: str, request: ServiceRequest) -> ServiceAnswer:
        """GET the results of a line item (one student's with ``user_id``)."""
        self._enter(course_id, request, (c.SCOPE_RESULT_READONLY,))
        item = self._line_item(course_id, line_item_id)
        url = self._config.line_item_url(course_id, item.id)
        results = self._grades.results(item.id, request.query.get("user_id"))
        page, headers = paginate(results, request.query, f"{url}/results")
        body = [result_json(result, url) for result in page]
        return ServiceAnswer(200, body, c.MEDIA_RESULT_CONTAINER, headers)

    # --- scores ------------------------------------------------------------------------
    def post_score(
        self, course_id: str, line_item_id: str, request: ServiceRequest
    ) -> ServiceAnswer:
        """POST a score to ``{lineitem}/scores``; logged with the status answered."""
        received_at = time.time()
        status, outcome = 500, "the platform failed to handle it"
        try:
            answer, outcome = self._score(course_id, line_item_id, request)
            status = answer.status
            return answer
        except ServiceError as exc:
            status, outcome = exc.status, exc.message
            raise
        finally:
            self._grades.log_score_request(
                received_at=received_at,
                course_id=course_id,
                line_item_id=line_item_id,
                user_id=_peek_user_id(request.body),
                media_type=request.content_type,
                body=request.body,
                status=status,
                outcome=outcome,
            )

    def _score(
        self, course_id: str, line_item_id: str, request: ServiceRequest
    ) -> tuple[ServiceAnswer, str]:
        self._enter(course_id, request, (c.SCOPE_SCORE,))
        item = self._line_item(course_id, line_item_id)
        self._require_media_type(request, c.MEDIA_SCORE)
        score = parse_score(request.body)
        self._check_student(course_id, score)
        url = self._config.line_item_url(course_id, item.id)
        if self._grades.record_score(item.id, score):
            log.info("practice LMS stored a score on line item %s", item.id)
            result_url = f"{url}/results/{quote(score.user_id, safe='')}"
            return ServiceAnswer(200, {"resultUrl": result_url}), "stored"
        outcome = "older than the stored result: not applied"
        if load_switch(self._store).stale_scores == "ignore":
            return ServiceAnswer(200, {"resultUrl": url + "/results"}), outcome
        raise ServiceError(
            409, "This score is older than the one already stored; the stored one stays."
        )

    def _check_student(self, course_id: str, score: Score) -> None:
        user = self._store.user_by_sub(score.user_id)
        if user is None or self._store.role_in(course_id, user.id) != "Learner":
            raise ServiceError(422, "userId is not a student of this course.")
