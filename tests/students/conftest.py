"""Students launched from the practice LMS onto a placed activity, in the running tool.

A teacher's activity (a sample from tests/activities/samples.py) is published in the demo
course, and a resource link carrying its token in the custom parameters is added to the
practice LMS, as a deep linking response would add it. Students then launch on that link over
HTTP with real signed id_tokens and land on the activity. ``Student`` plays one browser: it
keeps the launch token and the form's hidden fields the page gave it.
"""

from __future__ import annotations

import html
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from sqlalchemy import select

from eduteach.activities import ACTIVITIES
from eduteach.content import artifacts
from eduteach.content.publishing import CUSTOM_KEY, publish
from eduteach.generation import GenerationResult
from eduteach.lti import sessions
from eduteach.practice_lms.forms import parse_launch_form
from eduteach.practice_lms.store import DEMO_COURSE_ID
from eduteach.storage.db import Database
from eduteach.storage.models import Attempt, FlashcardState, Publication, ScoreDelivery
from tests.activities import samples
from tests.lti.conftest import Browser, Lti, lti, lti_servers
from tests.teacher.conftest import launch_as

__all__ = ["lti", "lti_servers"]  # fixtures shared with these tests

TEACHER = "rivera"
STUDENTS = ("alex", "sam")


def tool_db(lti: Lti) -> Database:
    db: Database = lti.tool_app.extensions["eduteach"].db
    return db


@dataclass(frozen=True)
class Placed:
    """An activity published in the demo course and the LMS link that opens it."""

    kind: str
    publication_id: int
    artifact_id: int
    link_id: str
    data: dict[str, Any]


def add_resource_link(lti: Lti, title: str, custom: dict[str, str]) -> str:
    """A resource link in the practice LMS course, as a deep linking response places one."""
    link_id = uuid.uuid4().hex
    with lti.platform.store._connect() as conn:
        conn.execute(
            "INSERT INTO resource_links "
            "(id, course_id, placement, title, target_link_uri, custom_json, created_at) "
            "VALUES (?, ?, 'link_selection', ?, NULL, ?, ?)",
            (link_id, DEMO_COURSE_ID, title, json.dumps(custom), time.time()),
        )
    return link_id


def place_activity(
    lti: Lti,
    kind: str,
    *,
    graded: bool | None = None,
    data: dict[str, Any] | None = None,
    params: dict[str, Any] | None = None,
    **settings: Any,
) -> Placed:
    """Publish the sample ``kind`` with these settings and put its link in the course.

    A graded publication names a line item, as one published through AGS does.
    """
    teacher = launch_as(lti, TEACHER)
    content = data or samples.DATA[kind]()
    graded = ACTIVITIES[kind].graded if graded is None else graded
    with tool_db(lti).session() as s:
        found = sessions.load_session(s, teacher.token)
        assert found is not None
        record, launch = found
        assert record.course_id is not None
        artifact = artifacts.create_artifact(
            s,
            course_id=record.course_id,
            owner_sub=launch.user_sub,
            kind_name=kind,
            params=samples.params(kind, **(params or {})),
            result=GenerationResult(
                output=ACTIVITIES[kind].output.model_validate(content),
                provenance={"model": "fake-model"},
                warnings=(),
            ),
        )
        publication = publish(
            s, artifact, created_by=launch.user_sub, graded=graded, settings=settings
        )
        if graded:
            publication.line_item_url = f"{lti.lms_url}/api/lti/lineitems/{uuid.uuid4().hex}"
        token, ids = publication.token, (publication.id, artifact.id)
    link = add_resource_link(lti, content["title"], {CUSTOM_KEY: token})
    return Placed(kind, ids[0], ids[1], link, content)


class _Fields(HTMLParser):
    """The hidden inputs of a page, and each select's options as (value, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.options: dict[str, list[tuple[str, str]]] = {}
        self._select = ""
        self._value: str | None = None
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "input" and values.get("type") == "hidden" and "name" in values:
            self.hidden.setdefault(values["name"], values.get("value", ""))
        elif tag == "select":
            self._select = values.get("name", "")
            self.options[self._select] = []
        elif tag == "option" and self._select:
            self._value, self._text = values.get("value"), []

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._text is not None:
            text = "".join(self._text).strip()
            # An option without a value sends its text.
            self.options[self._select].append(
                (self._value if self._value is not None else text, text)
            )
            self._text = None
        elif tag == "select":
            self._select = ""


def page_fields(page: str) -> _Fields:
    parser = _Fields()
    parser.feed(page)
    return parser


@dataclass
class Student:
    """One student's launched browser and the tokens its pages carry."""

    lti: Lti
    browser: Browser
    token: str
    landed: str
    pages: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.lti.tool_url + path

    def get(self, path: str) -> requests.Response:
        resp = self.browser.get(self.url(path), params={"lt": self.token})
        self.pages.append(resp.text)
        return resp

    def activity(self) -> str:
        """The activity page (the player), as the server sent it."""
        resp = self.get("/student/activity")
        assert resp.status_code == 200, resp.text[:500]
        return resp.text

    def post(self, path: str, fields: list[tuple[str, str]], **kw: Any) -> requests.Response:
        return self.browser.http.post(
            self.url(path), data=fields, allow_redirects=False, timeout=20, **kw
        )

    def submit(self, page: str, answers: dict[str, str | list[str]]) -> requests.Response:
        """Post the page's form with these answers, as the browser would."""
        hidden = page_fields(page).hidden
        fields = [(k, hidden[k]) for k in ("lt", "csrf_token", "version", "submit_key")]
        for name, value in answers.items():
            for one in value if isinstance(value, list) else [value]:
                fields.append((name, one))
        return self.post("/student/activity/submit", fields)


def launch_student(lti: Lti, user: str, link_id: str) -> Student:
    """Click the link in the practice LMS as ``user``: a whole, real LTI launch."""
    browser = lti.browser()
    pending = lti.platform.store.create_launch(DEMO_COURSE_ID, user, link_id, "window")
    auth = browser.begin(user, login_url=lti.platform.login_initiation_url(pending))
    resp = browser.get(lti.config.auth_login_url, params=auth)
    assert resp.status_code == 200, resp.text[:300]
    form = parse_launch_form(resp.text)
    landed = browser.post(form.action, form.fields)
    assert landed.status_code == 303, landed.text[:500]
    location = landed.headers["Location"]
    token = parse_qs(urlsplit(location).query)["lt"][0]
    return Student(lti, browser, token, urlsplit(location).path)


# --- reading what the tool stored -----------------------------------------------------------


def attempts(lti: Lti) -> list[Attempt]:
    """Every attempt stored (each test starts with none)."""
    with tool_db(lti).session() as s:
        return list(s.scalars(select(Attempt).order_by(Attempt.id)))


def deliveries(lti: Lti) -> list[ScoreDelivery]:
    with tool_db(lti).session() as s:
        return list(s.scalars(select(ScoreDelivery).order_by(ScoreDelivery.id)))


def card_states(lti: Lti) -> list[FlashcardState]:
    with tool_db(lti).session() as s:
        return list(s.scalars(select(FlashcardState).order_by(FlashcardState.card)))


def set_settings(lti: Lti, placed: Placed, **changes: Any) -> None:
    """The teacher changes the publication's settings (e.g. the due date passes)."""
    with tool_db(lti).session() as s:
        publication = s.get(Publication, placed.publication_id)
        assert publication is not None
        publication.settings = {**publication.settings, **changes}


def text_of(page: str) -> str:
    """A page's text as a person reads it (tags dropped, entities decoded)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@dataclass
class Question:
    """One question as a quiz page shows it: its form name, its text, its options by label."""

    name: str
    text: str
    options: dict[str, str] = field(default_factory=dict)  # label -> value


class _Quiz(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.questions: list[Question] = []
        self._inputs: dict[str, tuple[str, str]] = {}
        self._labels: list[tuple[str, str, int]] = []
        self._in: str = ""
        self._for: str = ""
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "li" and "question" in values.get("class", "").split():
            self.questions.append(Question("q." + values["data-item"], ""))
        elif tag == "span" and values.get("class") == "q-text":
            self._in, self._text = "question", []
        elif tag == "input" and values.get("type") in ("radio", "checkbox"):
            self._inputs[values.get("id", "")] = (values["name"], values.get("value", ""))
        elif tag == "label" and values.get("for"):
            self._in, self._for, self._text = "label", values["for"], []

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        text = " ".join("".join(self._text).split())
        if tag == "span" and self._in == "question":
            self.questions[-1].text = text
            self._in = ""
        elif tag == "label" and self._in == "label":
            self._labels.append((self._for, text, len(self.questions) - 1))
            self._in = ""

    def close(self) -> None:
        super().close()
        for target, text, index in self._labels:
            if target in self._inputs and self._inputs[target][1]:
                self.questions[index].options[text] = self._inputs[target][1]


def questions(page: str) -> list[Question]:
    """The questions of a quiz page, in the order shown."""
    parser = _Quiz()
    parser.feed(page)
    parser.close()
    return parser.questions


def right_quiz_answers(page: str, data: dict[str, Any]) -> dict[str, str | list[str]]:
    """The right answers to the sample quiz, chosen on the page by what the student reads."""
    by_question = {item["question"]: item for item in data["items"]}
    answers: dict[str, str | list[str]] = {}
    for shown in questions(page):
        item = by_question[shown.text]
        if item["type"] == "short_answer":
            answers[shown.name] = item["accepted_answers"][0]
            continue
        right = [shown.options[o["text"]] for o in item["options"] if o["correct"]]
        answers[shown.name] = right if item["type"] == "multiple_answer" else right[0]
    return answers


def right_matches(page: str, data: dict[str, Any]) -> dict[str, str]:
    """Each term's definition, chosen from the page's lettered list by its text."""
    options = page_fields(page).options
    answers = {}
    for number, pair in enumerate(data["pairs"]):
        name = f"m.{number}"
        value = next(v for v, text in options[name] if text.endswith(". " + pair["definition"]))
        answers[name] = value
    return answers


RIGHT_BLANKS = {
    "b.0.0": "photosynthesis",
    "b.0.1": "chlorophyll",
    "b.1.0": "stomata",
    "b.1.1": "glucose",
}
"""The sample fill-in's answers, as a student types or picks them."""
