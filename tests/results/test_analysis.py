"""The pure parts of the results: item analysis of every activity type, the publish form's
dates, names from a membership list, and how long names are kept."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

import pytest
from pylti1p3.exception import LtiServiceException
from requests import Response
from werkzeug.datastructures import MultiDict

from eduteach.activities import ACTIVITIES
from eduteach.lti import claims, nrps
from eduteach.web.teacher.results import (
    Entry,
    ItemStats,
    due_time,
    item_analysis,
    read_publish_form,
    student_label,
)
from tests.activities import samples

LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


def entries(kind: str, *responses: dict[str, Any]) -> list[Entry]:
    """Attempts scored by the activity's own ``score``, as the analysis reads them."""
    activity = ACTIVITIES[kind]
    model = activity.output.model_validate(samples.DATA[kind]())
    found = []
    for given in responses:
        score = activity.score(model, given, samples.params(kind))
        found.append(Entry(given, {r.item: r.correct for r in score.items}))
    return found


def analyse(kind: str, *responses: dict[str, Any]) -> list[ItemStats]:
    model = ACTIVITIES[kind].output.model_validate(samples.DATA[kind]())
    return item_analysis(model, entries(kind, *responses))


def test_matching_shows_which_wrong_definitions_students_chose() -> None:
    distractor = 4  # the extra definition comes after the four pairs' own
    stats = analyse(
        "matching",
        {"matches": {"0": distractor, "1": 1}},
        {"matches": {"0": distractor, "1": 1}},
        {"matches": {"0": 0, "1": 2}},
    )
    first = stats[0]
    assert (first.label, first.prompt, first.right, first.counted) == (
        "Pair 1",
        "Chloroplast",
        1,
        3,
    )
    assert first.top_wrong is not None
    assert first.top_wrong.text == "The part of the cell that stores genes"
    assert first.top_wrong.chosen == 2
    # Only the right definition and those somebody chose are listed.
    assert [(o.text, o.correct, o.chosen) for o in first.options] == [
        ("Where photosynthesis happens in a cell", True, 1),
        ("The part of the cell that stores genes", False, 2),
    ]
    assert stats[1].percent == 67


def test_fill_in_names_each_blank_by_the_words_before_it() -> None:
    stats = analyse(
        "fill_in",
        {"blanks": {"0.0": "photosynthesis", "1.0": "Stomata"}},
        {"blanks": {"0.0": "respiration", "1.0": "pores"}},
        {"blanks": {"0.0": "Respiration ", "1.0": "stomates"}},
    )
    assert [s.label for s in stats] == ["Blank 1", "Blank 2", "Blank 3", "Blank 4"]
    first, third = stats[0], stats[2]
    assert first.prompt.endswith("in a process called ____")
    assert (first.right, first.counted) == (1, 3)
    assert first.wrong_answers == (("respiration", 2),)  # alike whatever the capitals
    assert third.answer == "stomata / stomates"
    assert third.percent == 67
    assert stats[1].prompt.startswith("…")
    assert "____" in stats[1].prompt


def test_quiz_counts_every_option_of_a_multiple_answer_question() -> None:
    stats = analyse(
        "quiz",
        {"answers": {"1": ["0", "1", "3"]}},
        {"answers": {"1": ["0", "2"]}},
    )
    second = stats[1]
    assert [o.chosen for o in second.options] == [2, 1, 1, 1]
    assert second.right == 1  # partial credit is not "right"
    assert second.top_wrong is not None
    assert second.top_wrong.text == "Soil & sand"


def test_flashcards_count_the_cards_students_knew() -> None:
    stats = analyse("flashcards", {"ratings": {"0": "knew", "1": "learning"}})
    assert [(s.label, s.right, s.counted) for s in stats[:2]] == [
        ("Card 1", 1, 1),
        ("Card 2", 0, 1),
    ]
    assert stats[0].options == ()
    assert stats[0].answer.startswith("How plants make glucose")


def test_a_due_date_is_read_in_the_teachers_time_zone() -> None:
    assert due_time("2030-01-15T08:30", "America/New_York") == "2030-01-15T13:30+00:00"
    assert due_time("2030-01-15T08:30", "") == "2030-01-15T08:30+00:00"
    assert due_time("2030-01-15T08:30", "Not/AZone") == "2030-01-15T08:30+00:00"
    assert due_time("next friday", "UTC") is None


def test_feedback_after_the_due_date_needs_a_due_date() -> None:
    form = MultiDict({"graded": "yes", "score_maximum": "10", "feedback": "after_due"})
    choices, errors = read_publish_form(form, gradable=True)
    assert choices is None
    assert list(errors) == ["due_at"]
    form["due_at"] = "2030-01-15T08:30"
    choices, errors = read_publish_form(form, gradable=True)
    assert errors == {}
    assert choices is not None
    assert choices.settings["due_at"] == "2030-01-15T08:30+00:00"


@pytest.mark.parametrize("points", ["0", "-3", "1001", "nan", "inf", "ten"])
def test_points_must_be_a_sensible_number(points: str) -> None:
    form = MultiDict({"graded": "yes", "score_maximum": points})
    assert "score_maximum" in read_publish_form(form, gradable=True)[1]


def test_an_ungraded_choice_needs_no_points() -> None:
    form = MultiDict({"graded": "no", "score_maximum": ""})
    choices, errors = read_publish_form(form, gradable=True)
    assert errors == {}
    assert choices is not None
    assert not choices.graded


def test_a_student_without_a_name_is_shown_by_the_start_of_the_lms_id() -> None:
    assert student_label("3f2a9c1d4e5b", {}) == "Student 3f2a9c…"
    assert student_label("42", {}) == "Student 42"
    assert student_label("3f2a9c1d4e5b", {"3f2a9c1d4e5b": "Alex Kim"}) == "Alex Kim"


def test_a_roster_has_names_and_active_students() -> None:
    roster = nrps.roster_of(
        [
            {"user_id": "a", "name": "Alex  Kim", "roles": [LEARNER], "status": "Active"},
            {"user_id": "b", "given_name": "Sam", "family_name": "Patel", "roles": ["Learner"]},
            {"user_id": "c", "roles": [LEARNER]},  # the platform shares no name
            {"user_id": "d", "name": "Gone", "roles": [LEARNER], "status": "Inactive"},
            {"user_id": "t", "name": "Ms. Rivera", "roles": [INSTRUCTOR]},
            {"name": "No id"},
        ]
    )
    assert roster.names == {"a": "Alex Kim", "b": "Sam Patel", "d": "Gone", "t": "Ms. Rivera"}
    assert roster.learners == {"a", "b", "c"}


class ScriptedConnector:
    """The service connector's seam: pages and refusals in order, what was asked."""

    def __init__(self, *answers: dict[str, Any] | int) -> None:
        self.answers: deque[dict[str, Any] | int] = deque(answers)
        self.asked: list[str] = []
        self.forgotten = 0

    def make_service_request(self, scopes: list[str], url: str, **kwargs: Any) -> dict[str, Any]:
        assert scopes == [claims.SCOPE_NRPS]
        assert kwargs["accept"] == nrps.MEDIA_TYPE
        self.asked.append(url)
        answer = self.answers.popleft()
        if isinstance(answer, int):
            refused = Response()
            refused.status_code, refused.url = answer, url
            raise LtiServiceException("refused", refused)
        return answer

    def forget_token(self, scopes: list[str]) -> None:
        self.forgotten += 1


def page(members: list[dict[str, Any]], next_url: str | None = None) -> dict[str, Any]:
    return {"headers": {}, "body": {"members": members}, "next_page_url": next_url}


def test_every_page_of_members_is_read_and_a_401_refreshes_the_token_once() -> None:
    url = "https://lms.example/api/memberships"
    connector = ScriptedConnector(
        401,
        page([{"user_id": "a", "name": "Alex Kim", "roles": [LEARNER]}], url + "?page=2"),
        page([{"user_id": "b", "name": "Sam Patel", "roles": [LEARNER]}]),
    )
    roster = nrps.fetch_roster(connector, url)  # type: ignore[arg-type]
    assert roster.names == {"a": "Alex Kim", "b": "Sam Patel"}
    assert connector.asked == [url, url, url + "?page=2"]
    assert connector.forgotten == 1


def test_a_second_401_or_a_next_page_elsewhere_is_a_roster_error() -> None:
    url = "https://lms.example/api/memberships"
    with pytest.raises(nrps.RosterError) as refused:
        nrps.fetch_roster(ScriptedConnector(401, 401), url)  # type: ignore[arg-type]
    assert refused.value.status == 401
    elsewhere = ScriptedConnector(page([], "https://evil.example/steal"))
    with pytest.raises(nrps.RosterError):
        nrps.fetch_roster(elsewhere, url)  # type: ignore[arg-type]
    assert elsewhere.asked == [url]  # the token never went to the other site


def test_names_are_kept_for_minutes_and_a_failure_for_less() -> None:
    now = [0.0]
    cache = nrps.RosterCache(ttl=300, failure_ttl=60, clock=lambda: now[0])
    fetched: list[str] = []

    def fetch() -> nrps.Roster:
        fetched.append("roster")
        return nrps.Roster({"a": "Alex Kim"}, frozenset({"a"}))

    def fail() -> nrps.Roster:
        fetched.append("failure")
        raise nrps.RosterError("down", 503)

    assert cache.get("course", fetch).names == {"a": "Alex Kim"}
    now[0] = 299
    cache.get("course", fetch)
    assert fetched == ["roster"]
    now[0] = 301
    cache.get("course", fetch)
    assert fetched == ["roster", "roster"]

    for moment in (400, 459):
        now[0] = moment
        with pytest.raises(nrps.RosterError):
            cache.get("other", fail)
    assert fetched.count("failure") == 1
    now[0] = 461
    assert cache.get("other", fetch).names == {"a": "Alex Kim"}


def test_the_cache_forgets_the_oldest_course_beyond_its_size() -> None:
    cache = nrps.RosterCache(max_entries=2)
    asked: list[str] = []

    def fetcher(key: str) -> Callable[[], nrps.Roster]:
        def fetch() -> nrps.Roster:
            asked.append(key)
            return nrps.Roster()

        return fetch

    for key in ("one", "two", "three", "one", "three"):
        cache.get(key, fetcher(key))
    assert asked == ["one", "two", "three", "one"]
