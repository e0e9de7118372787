"""A teacher modifies material over HTTP: form, job, review with measured levels, edit, Word."""

from __future__ import annotations

import html
import io
import zipfile

import docx

from eduteach.practice_lms.store import (
    DEMO_ASSIGNMENT_ID,
    DEMO_ASSIGNMENT_TITLE,
    DEMO_COURSE_ID,
)
from eduteach.readability import measure
from eduteach.storage.models import Artifact
from tests.deep_linking.test_round_trip import respond, returned
from tests.fakes.openai_server import FakeOpenAI
from tests.guidelines.test_for_an_assignment import from_assignment
from tests.lti.conftest import Lti
from tests.modify.texts import EASY, HARD
from tests.modify_web import samples
from tests.teacher.conftest import (
    STUDENT,
    Teacher,
    artifact_id_of,
    job_id_of,
    launch_as,
    point_tool_at,
)


def _make(teacher: Teacher, model: FakeOpenAI) -> int:
    model.enqueue_json(samples.answer())
    answer = teacher.post("/teacher/modify/new", samples.FORM)
    assert answer.status_code == 303, answer.text[:2000]
    done = teacher.wait(job_id_of(answer))
    assert done["status"] == "succeeded", done
    return artifact_id_of(done["done_url"])


def _artifact(teacher: Teacher, artifact_id: int) -> tuple[int, list[str]]:
    """The artifact's current version number and its warnings."""
    with teacher.lti.tool_app.extensions["eduteach"].db.session() as s:
        artifact = s.get(Artifact, artifact_id)
        assert artifact is not None
        current = next(v for v in artifact.versions if v.number == artifact.current_version)
        return artifact.current_version, list(current.warnings)


def test_the_library_offers_the_modify_form(teacher: Teacher) -> None:
    home = teacher.get("/teacher")
    assert "/teacher/modify/new" in home.text
    form = teacher.get("/teacher/modify/new")
    assert form.status_code == 200
    for label in ("Support", "On level", "Advanced", "English learners", "Simplify the vocabulary"):
        assert label in form.text


def test_pasted_material_is_modified_and_both_levels_are_measured(
    teacher: Teacher, model: FakeOpenAI
) -> None:
    artifact_id = _make(teacher, model)
    (job,) = teacher.jobs()
    assert job.kind == "modified_text"
    assert job.sources[0]["text"] == samples.MATERIAL
    assert job.params["reading_level"] == "2"
    assert len(model.requests) == 1  # on target at once: no rewrite

    page = teacher.get(f"/teacher/artifacts/{artifact_id}")
    assert page.status_code == 200
    original, version = measure(samples.MATERIAL), measure(EASY)
    assert original.grade is not None
    assert original.grade > 10
    assert version.grade is not None
    assert version.grade < 3
    assert f'data-measured="original">{original.label()}<' in page.text
    assert f'data-measured="version-1">{version.label()}<' in page.text
    assert "grade 2" in page.text
    assert "On target" in page.text
    text = html.unescape(page.text)
    assert "Elephants & their families" in text  # the original, beside the version
    assert samples.GLOSSARY_TERM in text
    assert "RL.2.1" in text
    assert "Shorter sentences & everyday words." in text
    assert "Elephants <and> their families" in text
    assert "<and>" not in page.text  # the model's text is escaped


def test_editing_a_version_saves_a_new_version_measured_again(
    teacher: Teacher, model: FakeOpenAI
) -> None:
    artifact_id = _make(teacher, model)
    form = teacher.get(f"/teacher/artifacts/{artifact_id}", edit="1")
    assert 'name="text"' in form.text

    empty = teacher.post(f"/teacher/artifacts/{artifact_id}/versions/1/text", {"text": "  "})
    assert empty.status_code == 422
    assert "Write the text of this version." in empty.text
    assert _artifact(teacher, artifact_id)[0] == 1

    saved = teacher.post(f"/teacher/artifacts/{artifact_id}/versions/1/text", {"text": HARD})
    assert saved.status_code == 303
    number, warnings = _artifact(teacher, artifact_id)
    assert number == 2
    assert any("target grade 2" in w for w in warnings)
    page = teacher.get(f"/teacher/artifacts/{artifact_id}")
    assert f'data-measured="version-1">{measure(HARD).label()}<' in page.text
    assert "Off target" in page.text
    assert (
        teacher.post(
            f"/teacher/artifacts/{artifact_id}/versions/2/text", {"text": HARD}
        ).status_code
        == 404
    )


def test_short_text_is_said_to_be_too_short_to_measure(teacher: Teacher, model: FakeOpenAI) -> None:
    artifact_id = _make(teacher, model)
    teacher.post(f"/teacher/artifacts/{artifact_id}/versions/1/text", {"text": "Cats sit."})
    page = teacher.get(f"/teacher/artifacts/{artifact_id}")
    assert 'data-measured="version-1">too short to measure' in page.text


def test_word_download_has_the_levels_and_optionally_comments(
    teacher: Teacher, model: FakeOpenAI
) -> None:
    artifact_id = _make(teacher, model)
    plain = teacher.get(f"/teacher/artifacts/{artifact_id}/modified.docx")
    assert plain.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(plain.content)).paragraphs)
    assert measure(samples.MATERIAL).label() in text  # the original's level, for comparison
    assert measure(EASY).label() in text
    assert "What changed" in text
    with_comments = teacher.get(f"/teacher/artifacts/{artifact_id}/modified.docx", comments="1")
    parts = zipfile.ZipFile(io.BytesIO(with_comments.content))
    comments = parts.read("word/comments.xml").decode()
    assert "Shorter sentences &amp; everyday words." in comments
    # The library's own download works for this kind too.
    assert teacher.get(f"/teacher/artifacts/{artifact_id}/document.docx").status_code == 200


def test_a_form_with_problems_keeps_what_was_typed_and_sends_nothing(
    teacher: Teacher, model: FakeOpenAI
) -> None:
    typed = {**samples.FORM, "reading_level": "", "simplify_vocabulary": "", "standards": ""}
    resp = teacher.post("/teacher/modify/new", typed)
    assert resp.status_code == 422
    assert "Choose at least one change" in resp.text
    assert "Elephants &amp; their families" in resp.text  # the pasted text stays
    assert "Second graders who love zoo visits." in resp.text

    nothing = teacher.post("/teacher/modify/new", {**samples.FORM, "pasted_text": ""})
    assert nothing.status_code == 422
    assert "upload a file or paste its text" in nothing.text
    assert 'value="2" selected' in nothing.text  # the chosen level stays
    assert not teacher.jobs()
    assert model.requests == []


def test_an_uploaded_file_is_the_material(teacher: Teacher, model: FakeOpenAI) -> None:
    model.enqueue_json(samples.answer())
    form = {k: v for k, v in samples.FORM.items() if k != "pasted_text"}
    files = [("sources", ("reading.txt", HARD.encode(), "text/plain"))]
    resp = teacher.post(
        "/teacher/modify/new", form, files=files, extra=[("differentiate", "on-level")]
    )
    assert resp.status_code == 303, resp.text[:2000]
    (job,) = teacher.jobs()
    assert job.sources[0]["label"] == "reading.txt"
    assert job.params["differentiate"] == ["on-level"]
    assert teacher.wait(job.id)["status"] == "succeeded"


def test_a_student_cannot_modify_material(teacher: Teacher, model: FakeOpenAI) -> None:
    student = launch_as(teacher.lti, STUDENT)
    assert student.get("/teacher/modify/new").status_code == 403
    assert student.post("/teacher/modify/new", samples.FORM).status_code == 403
    assert teacher.post("/teacher/modify/new", samples.FORM, csrf=False).status_code == 400
    assert not teacher.jobs()
    assert model.requests == []


def test_modified_material_is_added_from_its_review_page_in_a_deep_linking_launch(
    lti: Lti, model: FakeOpenAI
) -> None:
    teacher, _picker = from_assignment(lti)
    reply = samples.answer()
    version = reply["versions"][0]  # type: ignore[index]
    version["text"] = "# Big families\n\n" + EASY.strip() + "\n\n- Aunts\n- Calves"
    model.enqueue_json(reply)
    sent = teacher.post("/teacher/modify/new", samples.FORM)
    assert sent.status_code == 303, sent.text[:2000]
    done = teacher.wait(job_id_of(sent))
    assert done["status"] == "succeeded", done
    artifact_id = artifact_id_of(done["done_url"])
    draft = html.unescape(teacher.get(f"/teacher/artifacts/{artifact_id}").text)
    assert f"Add it next to “{DEMO_ASSIGNMENT_TITLE}”" in draft
    assert "Add to the course</button>" not in draft  # a draft is marked ready first
    ready = teacher.post(f"/teacher/artifacts/{artifact_id}/status", {"status": "ready"})
    assert ready.status_code == 303
    assert "Add to the course</button>" in teacher.get(f"/teacher/artifacts/{artifact_id}").text

    answer = respond(
        teacher.browser,
        lti,
        teacher.token,
        teacher.csrf,
        [("artifact", str(artifact_id)), ("action", "add")],
    )
    assert returned(teacher.browser, answer.text).status_code == 303
    item = lti.platform.store.content_items(DEMO_COURSE_ID)[-1]
    assert (item.type, item.assignment_id) == ("html", DEMO_ASSIGNMENT_ID)
    # Students get the reading with its structure and glossary, not the teacher's notes.
    assert "<h4>Big families</h4>" in item.html
    assert "<li>Aunts</li>" in item.html
    assert "keep in your mind" in item.html
    assert "Shorter sentences" not in item.html
    assert "# Big families" not in item.html


def test_material_modified_by_the_offline_model_says_so_on_its_review_page(
    teacher: Teacher, model: FakeOpenAI
) -> None:
    point_tool_at(teacher.lti, model, offline_draft=True)
    model.enqueue_json(samples.answer())
    sent = teacher.post("/teacher/modify/new", samples.FORM)
    assert sent.status_code == 303, sent.text[:2000]
    done = teacher.wait(job_id_of(sent))
    assert done["status"] == "succeeded", done
    page = html.unescape(teacher.get(f"/teacher/artifacts/{artifact_id_of(done['done_url'])}").text)
    assert '<span class="tag offline">Offline draft</span>' in page
    assert "A small model running on the EduTeach server wrote this" in page
    assert "Read every version carefully" in page
