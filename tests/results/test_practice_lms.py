"""The same flow against the practice LMS's own AGS and NRPS endpoints: the column appears in
its gradebook, and the results page names its students."""

from __future__ import annotations

from datetime import UTC, datetime

import requests

from eduteach.practice_lms import DEMO_COURSE_ID
from tests.activities import samples
from tests.activities_web.conftest import make_activity
from tests.lti.conftest import Lti
from tests.results.conftest import (
    only_publication,
    place,
    student_subs,
    submit,
    table_rows,
)
from tests.results.test_publish import QUIZ_FORM, follow, notice, publish
from tests.teacher.conftest import TEACHER, launch_as

__all__ = ["student_subs"]  # a fixture used here


def test_the_column_lands_in_the_practice_gradebook_and_names_come_from_its_roster(
    lti: Lti, student_subs: tuple[str, str]
) -> None:
    lti.tool_app.extensions.pop("eduteach_rosters", None)
    teacher = launch_as(lti, TEACHER)
    artifact_id = make_activity(teacher, "quiz")
    page = follow(teacher, publish(teacher, artifact_id, QUIZ_FORM))
    assert notice(page) == "gradebook-made"

    publication = only_publication(lti)
    book = requests.get(f"{lti.lms_url}/admin/api/courses/{DEMO_COURSE_ID}/gradebook", timeout=10)
    assert book.status_code == 200, book.text[:300]
    columns = [c for c in book.json()["line_items"] if c.get("resourceId") == publication.token]
    assert [(c["label"], c["scoreMaximum"]) for c in columns] == [
        (samples.quiz_data()["title"], 20.0)
    ]
    assert publication.line_item_url == columns[0]["id"]

    alex, _ = student_subs
    placement = place(lti, publication, line_item=publication.line_item_url)
    submit(lti, placement, alex, "quiz", {"answers": {"0": ["0"]}}, datetime.now(UTC))
    results = teacher.get(f"/teacher/artifacts/{artifact_id}/results")
    assert list(table_rows(results.text, "students")) == ["Alex Kim"]
