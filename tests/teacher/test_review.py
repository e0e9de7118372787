"""The review page over HTTP: edit in place, regenerate a section, undo, expand, download, scope."""

from __future__ import annotations

import html
import io
import json
import re
from typing import Any

import docx
from sqlalchemy import select

from eduteach.content import artifacts
from eduteach.storage.models import Artifact, ArtifactVersion, Course, GenerationJob
from tests.fakes.openai_server import FakeOpenAI
from tests.plans.samples import lesson_plan_data
from tests.teacher.conftest import (
    STUDENT,
    UNIT_FORM,
    Teacher,
    artifact_id_of,
    job_id_of,
    launch_as,
    point_tool_at,
)


def _stored(teacher: Teacher, artifact_id: int) -> tuple[dict[str, Any], list[ArtifactVersion]]:
    with teacher.lti.tool_app.extensions["eduteach"].db.session() as s:
        artifact = s.get(Artifact, artifact_id)
        assert artifact is not None
        return artifacts.current_data(artifact), sorted(artifact.versions, key=lambda v: v.number)


def _procedure_form(steps: list[dict[str, Any]]) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    for n, step in enumerate(steps):
        fields += [
            (f"v.{n}.phase", step["phase"]),
            (f"v.{n}.title", step["title"]),
            (f"v.{n}.minutes", str(step["minutes"])),
            (f"v.{n}.teacher_actions", "\n".join(step["teacher_actions"])),
            (f"v.{n}.student_actions", "\n".join(step["student_actions"])),
        ]
    return fields


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_the_review_page_shows_the_whole_plan_and_how_it_was_made(teacher: Teacher) -> None:
    artifact_id = teacher.make()
    page = teacher.get(f"/teacher/artifacts/{artifact_id}")
    assert page.status_code == 200
    assert 'data-role="teacher"' in page.text
    text = _text(page.text)
    for heading in (
        "Overview",
        "Learning objectives",
        "Standards",
        "Materials",
        "Key vocabulary",
        "Procedure 45 of 45 minutes",
        "Differentiation",
        "Formative assessment",
        "Homework or extension",
        "Teacher notes",
    ):
        assert heading in text, heading
    assert "CCSS.MATH.CONTENT.5.NF.A.1" in text
    assert "has not checked them against an official framework" in text
    assert "Warm-up Fraction strip warm-up" in text
    assert "AI-assisted" in text
    assert "fake-model" in text
    assert "Offline draft" not in text
    assert "Version 1 Generated" in text
    for section in ("overview", "procedure", "differentiation", "vocabulary"):
        assert f"edit={section}" in page.text
        assert (
            f'action="/teacher/artifacts/{artifact_id}/sections/{section}/regenerate"' in page.text
        )
    assert f'href="/teacher/artifacts/{artifact_id}/document.docx?lt=' in page.text


def test_a_plan_from_the_offline_model_is_labelled_as_an_offline_draft(
    teacher: Teacher, model: FakeOpenAI
) -> None:
    point_tool_at(teacher.lti, model, offline_draft=True)
    artifact_id = teacher.make()
    page = _text(teacher.get(f"/teacher/artifacts/{artifact_id}").text)
    assert "Offline draft" in page
    assert "Read it carefully and edit what needs improving" in page
    assert "Offline draft" in _text(teacher.get("/teacher").text)


def test_editing_a_table_section_saves_a_new_version_and_warns_about_minutes(
    teacher: Teacher,
) -> None:
    artifact_id = teacher.make()
    data, _ = _stored(teacher, artifact_id)
    form = teacher.get(f"/teacher/artifacts/{artifact_id}", edit="procedure")
    assert 'name="v.4.minutes"' in form.text
    assert "Save changes" in form.text
    assert "data-add-row" in form.text
    assert "<template data-row-template>" in form.text

    steps = data["procedure"]
    steps[0] = steps[0] | {
        "minutes": 15,
        "teacher_actions": ["Hand out strips", "Ask: which is bigger?"],
    }
    resp = teacher.post(
        f"/teacher/artifacts/{artifact_id}/sections/procedure", extra=_procedure_form(steps)
    )
    assert resp.status_code == 303
    assert "#sec-procedure" in resp.headers["Location"]

    saved, versions = _stored(teacher, artifact_id)
    assert [v.number for v in versions] == [1, 2]
    assert versions[-1].note == "Edited procedure"
    assert saved["procedure"][0]["teacher_actions"] == ["Hand out strips", "Ask: which is bigger?"]
    assert {k: v for k, v in saved.items() if k != "procedure"} == {
        k: v for k, v in data.items() if k != "procedure"
    }
    page = _text(
        teacher.get(f"/teacher/artifacts/{artifact_id}", done="edited", section="procedure").text
    )
    assert "Saved your changes to “Procedure” as version 2." in page
    assert "Check before you teach" in page
    assert "adds up to 51 minutes but the lesson lasts 45 minutes" in page


def test_a_bad_edit_shows_the_problem_in_place_and_loses_nothing(teacher: Teacher) -> None:
    artifact_id = teacher.make()
    data, _ = _stored(teacher, artifact_id)
    steps = data["procedure"]
    steps[1] = steps[1] | {"minutes": "ten", "student_actions": ["Work with the big strips"]}
    steps[3] = steps[3] | {"title": ""}
    resp = teacher.post(
        f"/teacher/artifacts/{artifact_id}/sections/procedure", extra=_procedure_form(steps)
    )
    assert resp.status_code == 422
    page = resp.text
    minutes = re.search(r'<input id="f-v-1-minutes"[^>]*>', page)
    assert minutes
    assert 'value="ten"' in minutes.group(0)
    assert 'aria-describedby="f-v-1-minutes-error"' in minutes.group(0)
    assert "Enter a whole number, for example 10." in page
    assert 'id="f-v-3-title-error"' in page
    assert "This must not be empty." in page
    assert "Work with the big strips" in page  # the rest of the edit is still there
    _, versions = _stored(teacher, artifact_id)
    assert len(versions) == 1


def test_edit_title_and_lists_then_undo_brings_the_old_text_back(teacher: Teacher) -> None:
    artifact_id = teacher.make()
    original, _ = _stored(teacher, artifact_id)
    teacher.post(f"/teacher/artifacts/{artifact_id}/sections/title", {"v": "Fraction strips day"})
    teacher.post(
        f"/teacher/artifacts/{artifact_id}/sections/materials",
        {"v": "Fraction strips\n\nScissors\n  Glue  "},
    )
    saved, _ = _stored(teacher, artifact_id)
    assert saved["title"] == "Fraction strips day"
    assert saved["materials"] == ["Fraction strips", "Scissors", "Glue"]
    assert "Fraction strips day" in teacher.get("/teacher").text

    resp = teacher.post(f"/teacher/artifacts/{artifact_id}/undo")
    assert resp.status_code == 303
    restored, versions = _stored(teacher, artifact_id)
    assert restored["materials"] == original["materials"]
    assert restored["title"] == "Fraction strips day"
    assert versions[-1].note == "Undid to version 2"
    page = _text(teacher.get(f"/teacher/artifacts/{artifact_id}").text)
    assert "Version 4 Undid to version 2" in page
    assert "Version 2 Edited title" in page


def test_regenerating_one_section_follows_the_instruction_and_keeps_the_rest(
    teacher: Teacher, model: FakeOpenAI
) -> None:
    artifact_id = teacher.make()
    before, _ = _stored(teacher, artifact_id)
    new_overview = "Students build fraction walls with their hands before any written method."
    model.enqueue_json({"value": new_overview})
    resp = teacher.post(
        f"/teacher/artifacts/{artifact_id}/sections/overview/regenerate",
        {"instruction": "make the overview more hands-on"},
    )
    assert resp.status_code == 303
    job_id = job_id_of(resp)
    done = teacher.wait(job_id)
    assert done["status"] == "succeeded"
    assert artifact_id_of(done["done_url"]) == artifact_id
    assert done["done_url"].endswith("#sec-overview")

    after, versions = _stored(teacher, artifact_id)
    assert after["overview"] == new_overview
    assert {k: v for k, v in after.items() if k != "overview"} == {
        k: v for k, v in before.items() if k != "overview"
    }
    assert versions[-1].note == "Regenerated overview: make the overview more hands-on"
    last = json.dumps(model.requests[-1]["messages"], ensure_ascii=False)
    assert "make the overview more hands-on" in last
    page = _text(
        teacher.get(done["done_url"].split("?")[0], done="regenerated", section="overview").text
    )
    assert new_overview in page
    assert "“Overview” was rewritten" in page


def test_a_regenerate_instruction_with_an_email_is_refused_in_place(teacher: Teacher) -> None:
    artifact_id = teacher.make()
    resp = teacher.post(
        f"/teacher/artifacts/{artifact_id}/sections/homework/regenerate",
        {"instruction": "mention jo.bloggs@school.example"},
    )
    assert resp.status_code == 422
    assert 'id="regen-homework-error"' in resp.text
    assert "jo.bloggs@school.example" in resp.text  # kept in the box to fix
    assert [j.action for j in teacher.jobs()] == ["create"]


def test_a_unit_lesson_becomes_a_full_lesson_plan_and_the_unit_links_and_contains_it(
    teacher: Teacher,
) -> None:
    unit_id = teacher.make("unit_plan", UNIT_FORM)
    page = teacher.get(f"/teacher/artifacts/{unit_id}")
    assert page.text.count("Make the full lesson plan<span") == 4
    resp = teacher.post(f"/teacher/artifacts/{unit_id}/lessons/2/expand")
    assert resp.status_code == 303
    done = teacher.wait(job_id_of(resp))
    assert done["status"] == "succeeded"
    lesson_id = artifact_id_of(done["done_url"])
    assert lesson_id != unit_id

    expand = next(j for j in teacher.jobs() if j.action == "expand_lesson")
    assert (expand.target_artifact_id, expand.target_path) == (unit_id, "2")
    lesson_page = _text(teacher.get(f"/teacher/artifacts/{lesson_id}").text)
    assert "Wetland Ecosystems" in lesson_page  # the way back to the unit
    assert "Procedure 50 of 50 minutes" in lesson_page
    unit_page = teacher.get(f"/teacher/artifacts/{unit_id}").text
    assert f"/teacher/artifacts/{lesson_id}?lt=" in unit_page
    assert unit_page.count("Make the full lesson plan<span") == 3
    assert "Lesson 2 of “Wetland Ecosystems”" in teacher.get("/teacher").text

    document = docx.Document(
        io.BytesIO(teacher.get(f"/teacher/artifacts/{unit_id}/document.docx").content)
    )
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Wetland Ecosystems" in text
    assert "Adding Fractions with Unlike Denominators" in text  # the expanded lesson's plan


def test_download_word_is_a_real_docx_with_the_plan_title(teacher: Teacher) -> None:
    artifact_id = teacher.make()
    resp = teacher.get(f"/teacher/artifacts/{artifact_id}/document.docx")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert resp.headers["Content-Disposition"] == (
        "attachment; filename=Adding-Fractions-with-Unlike-Denominators.docx"
    )
    document = docx.Document(io.BytesIO(resp.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Adding Fractions with Unlike Denominators" in text


def test_mark_as_ready_and_back_to_draft(teacher: Teacher) -> None:
    artifact_id = teacher.make()
    resp = teacher.post(f"/teacher/artifacts/{artifact_id}/status", {"status": "ready"})
    assert resp.status_code == 303
    assert 'status-ready">Ready<' in teacher.get("/teacher").text
    page = teacher.get(f"/teacher/artifacts/{artifact_id}").text
    assert "Back to draft" in page
    assert "Mark as ready" not in page
    teacher.post(f"/teacher/artifacts/{artifact_id}/status", {"status": "draft"})
    assert 'status-draft">Draft<' in teacher.get("/teacher").text
    assert (
        teacher.post(
            f"/teacher/artifacts/{artifact_id}/status", {"status": "published"}
        ).status_code
        == 400
    )


def _other_course_artifact(teacher: Teacher) -> tuple[int, str]:
    """A plan and a job of another course of the same LMS."""
    with teacher.lti.tool_app.extensions["eduteach"].db.session() as s:
        mine = s.scalars(select(Course)).one()
        other = Course(deployment_pk=mine.deployment_pk, context_id="history-8", title="History 8")
        s.add(other)
        s.flush()
        artifact = Artifact(
            course_id=other.id,
            owner_sub="someone",
            kind="lesson_plan",
            title="Their plan",
            params={"duration_minutes": 45},
            versions=[],
        )
        artifact.versions.append(
            ArtifactVersion(number=1, data=lesson_plan_data(), note="Generated")
        )
        s.add(artifact)
        s.flush()
        job = GenerationJob(
            id="00000000-0000-4000-8000-000000000001",
            course_id=other.id,
            owner_sub="someone",
            action="create",
            kind="lesson_plan",
            params={},
            status="failed",
        )
        s.add(job)
        return artifact.id, job.id


def test_a_teacher_of_another_course_gets_not_found(teacher: Teacher) -> None:
    artifact_id, job_id = _other_course_artifact(teacher)
    assert teacher.get(f"/teacher/artifacts/{artifact_id}").status_code == 404
    assert teacher.get(f"/teacher/artifacts/{artifact_id}/document.docx").status_code == 404
    assert (
        teacher.post(
            f"/teacher/artifacts/{artifact_id}/sections/title", {"v": "Mine now"}
        ).status_code
        == 404
    )
    assert teacher.post(f"/teacher/artifacts/{artifact_id}/undo").status_code == 404
    assert teacher.get(f"/teacher/jobs/{job_id}").status_code == 404
    assert teacher.post(f"/teacher/jobs/{job_id}/retry").status_code == 404
    assert "Their plan" not in teacher.get("/teacher").text
    with teacher.lti.tool_app.extensions["eduteach"].db.session() as s:
        assert s.get(Artifact, artifact_id).title == "Their plan"  # type: ignore[union-attr]


def test_a_student_token_gets_forbidden(teacher: Teacher) -> None:
    artifact_id = teacher.make()
    job_id = teacher.jobs()[0].id
    student = launch_as(teacher.lti, STUDENT)
    assert student.get(f"/teacher/artifacts/{artifact_id}").status_code == 403
    assert student.get(f"/teacher/artifacts/{artifact_id}/document.docx").status_code == 403
    assert student.get("/teacher").status_code == 403
    polled = student.browser.http.get(
        student.url(f"/teacher/jobs/{job_id}/status"),
        headers={"X-Launch-Token": student.token, "Accept": "application/json"},
        timeout=10,
    )
    assert (polled.status_code, polled.json()) == (403, {"error": "403"})
    assert (
        student.post(f"/teacher/artifacts/{artifact_id}/sections/title", {"v": "x"}).status_code
        == 403
    )


def test_state_changes_without_the_csrf_token_are_refused(teacher: Teacher) -> None:
    artifact_id = teacher.make()
    teacher.post(f"/teacher/artifacts/{artifact_id}/sections/materials", {"v": "Strips"})
    for path, data in [
        ("sections/title", {"v": "Changed without a token"}),
        ("undo", {}),
        ("status", {"status": "ready"}),
        ("sections/overview/regenerate", {"instruction": "shorter"}),
        ("lessons/1/expand", {}),
    ]:
        resp = teacher.post(f"/teacher/artifacts/{artifact_id}/{path}", data, csrf=False)
        assert resp.status_code == 400, path
    job_id = teacher.jobs()[0].id
    assert teacher.post(f"/teacher/jobs/{job_id}/dismiss", csrf=False).status_code == 400
    saved, versions = _stored(teacher, artifact_id)
    assert (len(versions), saved["title"]) == (2, "Adding Fractions with Unlike Denominators")
    with teacher.lti.tool_app.extensions["eduteach"].db.session() as s:
        assert s.get(Artifact, artifact_id).status == "draft"  # type: ignore[union-attr]
    assert [j.action for j in teacher.jobs()] == ["create"]
