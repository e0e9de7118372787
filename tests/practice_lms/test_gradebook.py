"""The gradebook page and the admin switch form, read as a person sees them."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import requests

from eduteach.practice_lms.store import DEMO_COURSE_ID
from tests.practice_lms.conftest import LmsAndTool
from tests.practice_lms.tool_side import ToolSide, a_moment, iso


class _Table(HTMLParser):
    """The text of each cell of one table, row by row."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id = table_id
        self.inside = False
        self.rows: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("id", self.table_id) in attrs:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside and self.rows and self.rows[-1]:
            self.rows[-1][-1] = " ".join((self.rows[-1][-1] + " " + data).split())


def table(page: str, table_id: str) -> list[list[str]]:
    parser = _Table(table_id)
    parser.feed(page)
    return parser.rows


@pytest.fixture
def tool(served: LmsAndTool) -> ToolSide:
    served.platform.set_grade_service_switch({"mode": "on"})
    return ToolSide(served)


def test_gradebook_shows_the_latest_score_and_every_request(
    tool: ToolSide, served: LmsAndTool
) -> None:
    item = tool.create_line_item(label="Gradebook quiz", scoreMaximum=10)
    when = iso(a_moment(-2))
    assert tool.post_score(item["id"], tool.score(scoreGiven=8, timestamp=when)).status_code == 200
    stale = tool.score(scoreGiven=2, timestamp=iso(a_moment(-30)))
    assert tool.post_score(item["id"], stale).status_code == 409
    served.platform.set_grade_service_switch({"mode": "off"})
    assert tool.post_score(item["id"], tool.score("sam")).status_code == 503

    page = requests.get(served.config.gradebook_url(DEMO_COURSE_ID), timeout=10).text

    grades = table(page, "gradebook")
    header = grades[0]
    column = header.index("Gradebook quiz out of 10")
    rows = {row[0]: row for row in grades[1:]}
    assert set(rows) == {"Alex Kim", "Sam Patel"}
    assert rows["Alex Kim"][column] == f"8 / 10 FullyGraded · {when}"
    assert rows["Sam Patel"][column] == "No score"
    log = table(page, "score-log")[1:4]
    assert [(row[1], row[2], row[3].split()[0]) for row in log] == [
        ("Gradebook quiz", "Sam Patel", "503"),
        ("Gradebook quiz", "Alex Kim", "409"),
        ("Gradebook quiz", "Alex Kim", "200"),
    ]
    assert "The gradebook service is switched off" in page


def test_gradebook_json_lists_results_with_their_timestamps(
    tool: ToolSide, served: LmsAndTool
) -> None:
    item = tool.create_line_item(label="JSON quiz", scoreMaximum=5)
    body = tool.score("sam", scoreGiven=4, scoreMaximum=5)
    assert tool.post_score(item["id"], body).status_code == 200

    columns = requests.get(
        served.config.base_url + f"/admin/api/courses/{DEMO_COURSE_ID}/gradebook", timeout=10
    ).json()["line_items"]

    (column,) = [c for c in columns if c["id"] == item["id"]]
    (result,) = column["results"]
    assert (result["userId"], result["resultScore"], result["resultMaximum"]) == (
        tool.sub("sam"),
        4,
        5,
    )
    assert result["timestamp"] == body["timestamp"]
    logged = requests.get(
        served.config.base_url + "/admin/api/score_requests",
        params={"course_id": DEMO_COURSE_ID},
        timeout=10,
    ).json()["score_requests"][0]
    assert (logged["line_item_id"], logged["status"]) == (item["id"].rsplit("/", 1)[1], 200)
    assert logged["media_type"] == "application/vnd.ims.lis.v1.score+json"


def test_admin_form_switches_the_grade_service(served: LmsAndTool, tool: ToolSide) -> None:
    admin = served.config.base_url + "/admin"
    with requests.Session() as browser:
        page = browser.get(admin, timeout=10).text
        assert "Gradebook service" in page
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token
        form = {"mode": "slow", "slow_seconds": "2.5", "retry_after": "9", "stale_scores": "ignore"}
        forged = browser.post(admin + "/grade_service", data=form, timeout=10)
        saved = browser.post(
            admin + "/grade_service", data={**form, "csrf_token": token.group(1)}, timeout=10
        )
        bad = browser.post(
            admin + "/grade_service",
            data={**form, "slow_seconds": "-3", "csrf_token": token.group(1)},
            timeout=10,
        )

    assert forged.status_code == 400
    assert "Gradebook service is now slow (answers after 2.5 seconds)." in saved.text
    assert "slow_seconds must be between 0 and 120 seconds." in bad.text
    switch = served.platform.grade_service_switch()
    assert (switch.mode, switch.slow_seconds, switch.retry_after) == ("slow", 2.5, 9)
    assert (switch.stale_scores, switch.unauthorized_once) == ("ignore", False)
    served.platform.set_grade_service_switch({"mode": "on", "stale_scores": "conflict"})
