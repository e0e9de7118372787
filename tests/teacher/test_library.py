"""The course library: what the course's teachers made, newest first, and how to make more."""

from __future__ import annotations

import re

from sqlalchemy import select

from eduteach.storage.models import Artifact, ArtifactVersion, Course
from tests.teacher.conftest import UNIT_FORM, Teacher


def test_the_library_lists_plans_newest_first_with_kind_date_and_status(teacher: Teacher) -> None:
    empty = teacher.get("/teacher")
    assert empty.status_code == 200
    assert 'data-role="teacher"' in empty.text
    assert "Nothing here yet" in empty.text
    for kind in ("lesson_plan", "minecraft_lesson_plan", "unit_plan"):
        assert f'href="/teacher/new/{kind}?lt=' in empty.text

    lesson = teacher.make()
    unit = teacher.make("unit_plan", UNIT_FORM)
    page = teacher.get("/teacher").text
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)[1:]
    assert f"/teacher/artifacts/{unit}?" in rows[0]
    assert f"/teacher/artifacts/{lesson}?" in rows[1]
    assert "Unit plan" in rows[0]
    assert "Wetland Ecosystems" in rows[0]
    assert "Lesson plan" in rows[1]
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT', rows[1])
    assert 'status-draft">Draft<' in rows[1]

    # Editing an older plan brings it back to the top.
    teacher.post(f"/teacher/artifacts/{lesson}/sections/homework", {"v": "Two problems."})
    rows = re.findall(r"<tr>(.*?)</tr>", teacher.get("/teacher").text, re.S)[1:]
    assert f"/teacher/artifacts/{lesson}?" in rows[0]


def test_kinds_without_a_review_page_here_are_listed_without_a_link(teacher: Teacher) -> None:
    with teacher.lti.tool_app.extensions["eduteach"].db.session() as s:
        course = s.scalars(select(Course)).one()
        artifact = Artifact(
            course_id=course.id,
            owner_sub="x",
            kind="ai_use_guidelines",  # a kind this version has no review page for
            title="Cell vocabulary",
            versions=[],
        )
        artifact.versions.append(ArtifactVersion(number=1, data={"levels": []}))
        s.add(artifact)
        s.flush()
        artifact_id = artifact.id
    page = teacher.get("/teacher").text
    assert "Cell vocabulary" in page
    assert f"/teacher/artifacts/{artifact_id}?" not in page
    assert teacher.get(f"/teacher/artifacts/{artifact_id}").status_code == 404
