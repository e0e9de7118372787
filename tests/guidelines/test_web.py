"""A teacher writes AI-use guidelines over HTTP and places them next to an assignment in the LMS."""

from __future__ import annotations

import html
import io
import re

import docx

from eduteach.guidelines import Scale, school_scale, set_school_scale
from eduteach.practice_lms.store import DEMO_COURSE_ID
from eduteach.storage.models import Artifact
from tests.deep_linking.test_round_trip import open_picker, respond, returned
from tests.fakes.openai_server import FakeOpenAI
from tests.guidelines import samples
from tests.teacher.conftest import Teacher, artifact_id_of, job_id_of

FORM = {
    **samples.ASSIGNMENT,
    "level": "3",
    "grade": "6",
}


def _make(teacher: Teacher, model: FakeOpenAI) -> int:
    model.enqueue_json(samples.with_ai())
    answer = teacher.post("/teacher/guidelines/new", FORM)
    assert answer.status_code == 303, answer.text[:2000]
    done = teacher.wait(job_id_of(answer))
    assert done["status"] == "succeeded", done
    return artifact_id_of(done["done_url"])


def test_the_library_offers_guidelines_and_the_form_shows_the_schools_levels(
    teacher: Teacher,
) -> None:
    home = teacher.get("/teacher")
    assert "/teacher/guidelines/new" in home.text
    form = teacher.get("/teacher/guidelines/new")
    assert form.status_code == 200
    for name in ("No AI", "AI for planning only", "AI as a collaborator, with disclosure"):
        assert name in form.text
    assert 'fill="#B42318"' in form.text


def test_guidelines_are_made_reviewed_and_downloaded_with_the_schools_level(
    teacher: Teacher, model: FakeOpenAI
) -> None:
    artifact_id = _make(teacher, model)
    with teacher.lti.tool_app.extensions["eduteach"].db.session() as s:
        artifact = s.get(Artifact, artifact_id)
        assert artifact is not None
        assert artifact.kind == "ai_guidelines"
        # The level comes from the school's scale, not from the model or the browser.
        assert artifact.params["ai_level"]["name"] == "AI as a collaborator, with disclosure"
        assert artifact.params["ai_level"]["colour"] == "#175CD3"
    page = teacher.get(f"/teacher/artifacts/{artifact_id}")
    assert page.status_code == 200
    assert "What you may use AI for" in page.text
    assert samples.with_ai()["allowed_uses"][0] in page.text
    word = teacher.get(f"/teacher/artifacts/{artifact_id}/document.docx")
    assert word.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert samples.with_ai()["disclosure_statement"] in text


def test_a_form_with_problems_is_shown_again_and_nothing_is_sent(
    teacher: Teacher, model: FakeOpenAI
) -> None:
    answer = teacher.post(
        "/teacher/guidelines/new", {**FORM, "level": "7", "assignment_description": "Short."}
    )
    assert answer.status_code == 422
    assert "Choose a level from 1 to 4" in answer.text
    assert "at least 20 characters" in answer.text
    assert "save our park &amp; &lt;library&gt;" in answer.text  # what she typed stays
    assert model.requests == []


def test_guidelines_go_next_to_the_assignment_as_an_html_page(
    teacher: Teacher, model: FakeOpenAI
) -> None:
    artifact_id = _make(teacher, model)
    ready = teacher.post(f"/teacher/artifacts/{artifact_id}/status", {"status": "ready"})
    assert ready.status_code == 303
    lti = teacher.lti
    browser, picker, token, csrf = open_picker(lti, "editor_button")
    assert f'value="{artifact_id}"' in picker.text
    answer = respond(browser, lti, token, csrf, [("action", "add"), ("artifact", str(artifact_id))])
    assert returned(browser, answer.text).status_code == 303
    placed = [
        item for item in lti.platform.store.content_items(DEMO_COURSE_ID) if item.type == "html"
    ]
    assert placed, "the LMS placed no page"
    html = placed[-1].html
    assert "AI-use level 3 of 4: AI as a collaborator, with disclosure" in html
    assert samples.with_ai()["disclosure_statement"] in html
    assert "<ol>" in html  # the disclosure steps, in order
    # The teacher's rationale is for the teacher, not the students' page.
    assert samples.with_ai()["teacher_rationale"] not in html


def test_change_the_request_reopens_the_guidelines_form_with_what_was_sent(
    teacher: Teacher, model: FakeOpenAI
) -> None:
    model.enqueue_error(500, times=10)
    answer = teacher.post("/teacher/guidelines/new", FORM)
    job_id = job_id_of(answer)
    done = teacher.wait(job_id, timeout=60)
    assert done["status"] == "failed", done
    progress = teacher.get(f"/teacher/jobs/{job_id}")
    assert f"/teacher/guidelines/new?from_job={job_id}" in progress.text.replace("&amp;", "&")
    again = teacher.get("/teacher/guidelines/new", from_job=job_id)
    assert again.status_code == 200
    assert html.escape(FORM["assignment_title"], quote=True) in again.text


def test_a_level_chosen_on_a_scale_the_administrator_has_since_changed_is_asked_again(
    teacher: Teacher, model: FakeOpenAI
) -> None:
    form = teacher.get("/teacher/guidelines/new").text
    shown = re.search(r'name="scale" value="([0-9a-f]+)"', form)
    assert shown, "the form says which scale it showed"
    db = teacher.lti.tool_app.extensions["eduteach"].db
    with db.session() as s:
        levels = list(school_scale(s).levels)
        set_school_scale(s, Scale(levels=(levels[0], levels[2], levels[1], levels[3])))

    answer = teacher.post("/teacher/guidelines/new", FORM | {"scale": shown.group(1)})
    assert answer.status_code == 409
    text = html.unescape(answer.text)
    assert "changed the school's AI-use levels while you were writing" in text
    assert "save our park & <library>" in text  # what she typed stays
    assert 'name="level" value="3" id="f-level-3"' in answer.text
    assert not re.search(r'name="level"[^>]*checked', answer.text)  # nothing chosen for her
    assert model.requests == []

    current = re.search(r'name="scale" value="([0-9a-f]+)"', answer.text)
    assert current
    assert current.group(1) != shown.group(1)
    model.enqueue_json(samples.with_ai())
    again = teacher.post("/teacher/guidelines/new", FORM | {"scale": current.group(1)})
    assert again.status_code == 303
