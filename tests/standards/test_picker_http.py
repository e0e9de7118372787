"""The create form's standards picker over HTTP: the search endpoint and picked standards."""

from __future__ import annotations

import html
import io
import re

import docx
import pytest

from eduteach.standards import import_case
from eduteach.storage.db import Database
from tests.lti.conftest import Lti
from tests.teacher.conftest import LESSON_FORM, STUDENT, Teacher, artifact_id_of, launch_as

from .conftest import MATH, SCIENCE

PICKED = (
    "RSS.4.ECO.2 Predict what happens to a food web when one population grows or shrinks, "
    "using evidence from a model."
)


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _tool_db(lti: Lti) -> Database:
    db: Database = lti.tool_app.extensions["eduteach"].db
    return db


def _import(lti: Lti) -> None:
    with _tool_db(lti).session() as s:
        import_case(s, SCIENCE.read_bytes())
        import_case(s, MATH.read_bytes())


def _search(teacher: Teacher, **params: str) -> list[str]:
    resp = teacher.browser.http.get(
        teacher.url("/teacher/standards/search"),
        params=params,
        headers={"X-Launch-Token": teacher.token, "Accept": "application/json"},
        timeout=10,
    )
    assert resp.status_code == 200, resp.text[:300]
    return [hit["code"] for hit in resp.json()["results"]]


def test_search_finds_standards_for_the_launch_teacher(teacher: Teacher) -> None:
    _import(teacher.lti)
    assert _search(teacher, q="food web", grade="5") == ["RSS.4.ECO.2"]
    assert _search(teacher, q="rss.k")[:2] == ["RSS.K.LT.1", "RSS.K.LT.2"]
    assert _search(teacher, q="") == []
    resp = teacher.browser.http.get(
        teacher.url("/teacher/standards/search"),
        params={"q": "food web", "grade": "4"},
        headers={"X-Launch-Token": teacher.token},
        timeout=10,
    )
    hit = resp.json()["results"][0]
    assert hit["line"] == f"{hit['code']} {hit['statement']}"
    assert hit["framework"] == "Riverbend Sample Science Standards"
    assert resp.headers["Cache-Control"] == "no-store"


def test_search_needs_a_teacher_launch(teacher: Teacher) -> None:
    _import(teacher.lti)
    url = teacher.url("/teacher/standards/search")
    assert teacher.browser.http.get(url, params={"q": "food"}, timeout=10).status_code == 401
    student = launch_as(teacher.lti, STUDENT)
    refused = student.browser.http.get(
        url, params={"q": "food"}, headers={"X-Launch-Token": student.token}, timeout=10
    )
    assert refused.status_code == 403


def test_without_frameworks_the_form_says_standards_are_unverified(teacher: Teacher) -> None:
    page = teacher.get("/teacher/new/lesson_plan").text
    assert 'id="standards-picker"' not in page
    assert (
        "marked unverified: EduTeach does not yet check them against an official framework" in page
    )
    assert 'name="standards"' in page


def test_picked_standards_are_verified_and_typed_ones_are_not(teacher: Teacher) -> None:
    _import(teacher.lti)
    page = teacher.get("/teacher/new/lesson_plan").text
    assert 'id="standards-picker"' in page
    assert "standards.js" in page
    assert "Standards you type (unverified)" in page

    typed = "OWN.7 Explain photosynthesis in my own words\nlms.5.fr.1 add fractions"
    form = LESSON_FORM | {"standards": typed}
    resp = teacher.post(
        "/teacher/new/lesson_plan",
        form,
        extra=[("standards", PICKED), ("verified_standards", "RSS.4.ECO.2")],
    )
    assert resp.status_code == 303, resp.text[:1000]
    job = teacher.jobs()[-1]
    assert job.params["standards"] == [
        "OWN.7 Explain photosynthesis in my own words",
        "lms.5.fr.1 add fractions",
        PICKED,
    ]
    # A typed line whose code is imported is verified too, as the framework writes the code.
    assert job.params["standards_verified"] == ["LMS.5.FR.1", "RSS.4.ECO.2"]
    done = teacher.wait(job.id)
    assert done["status"] == "succeeded", done

    # The review page and the Word file mark only the typed code as unverified.
    artifact_id = artifact_id_of(done["done_url"])
    review = html.unescape(teacher.get(f"/teacher/artifacts/{artifact_id}").text)
    assert _marked_codes(review) == ["OWN.7"]
    word = docx_text(teacher.get(f"/teacher/artifacts/{artifact_id}/document.docx").content)
    assert "OWN.7 (unverified)" in word
    assert "RSS.4.ECO.2 (unverified)" not in word
    assert "RSS.4.ECO.2" in word

    # "Change the request" shows picked standards as chips, typed ones in the text box.
    again = teacher.get("/teacher/new/lesson_plan", from_job=job.id).text
    chips = re.findall(r'<li class="standard-chip">(.*?)</li>', again, re.S)
    assert len(chips) == 2
    assert any(html.escape(PICKED, quote=True) in chip and "Verified" in chip for chip in chips)
    box = re.search(r'<textarea id="f-standards"[^>]*>(.*?)</textarea>', again, re.S)
    assert box
    assert html.unescape(box.group(1)) == "OWN.7 Explain photosynthesis in my own words"


def _marked_codes(page: str) -> list[str]:
    """The codes shown with an "unverified" badge on a review page."""
    return re.findall(r'([\w.-]+)\s*<span class="tag unverified"', page)


def test_without_frameworks_typed_standards_are_marked_unverified_on_review_and_in_word(
    teacher: Teacher,
) -> None:
    resp = teacher.post("/teacher/new/lesson_plan", LESSON_FORM | {"standards": "OWN.7 Explain it"})
    assert resp.status_code == 303, resp.text[:1000]
    job = teacher.jobs()[-1]
    assert job.params["standards_verified"] == []
    done = teacher.wait(job.id)
    assert done["status"] == "succeeded", done
    artifact_id = artifact_id_of(done["done_url"])
    review = html.unescape(teacher.get(f"/teacher/artifacts/{artifact_id}").text)
    assert _marked_codes(review) == ["OWN.7"]
    word = docx_text(teacher.get(f"/teacher/artifacts/{artifact_id}/document.docx").content)
    assert "OWN.7 (unverified)" in word


def test_a_forged_pick_is_not_verified(teacher: Teacher) -> None:
    _import(teacher.lti)
    resp = teacher.post(
        "/teacher/new/lesson_plan",
        LESSON_FORM | {"standards": ""},
        extra=[("standards", "RSS.4.ECO.99 Invented"), ("verified_standards", "RSS.4.ECO.99")],
    )
    assert resp.status_code == 303
    job = teacher.jobs()[-1]
    assert job.params["standards"] == ["RSS.4.ECO.99 Invented"]
    # Looked up and not found: the standard is kept as typed, and marked unverified.
    assert job.params["standards_verified"] == []
    assert teacher.wait(job.id)["status"] == "succeeded"


@pytest.mark.parametrize("picked", [11])
def test_more_than_ten_standards_are_refused_with_chips_kept(teacher: Teacher, picked: int) -> None:
    _import(teacher.lti)
    with _tool_db(teacher.lti).session() as s:
        from eduteach.standards import search_standards

        lines = [h.line for h in search_standards(s, "", limit=picked)]
    extra = [("standards", line) for line in lines]
    extra += [("verified_standards", line.split()[0]) for line in lines]
    resp = teacher.post("/teacher/new/lesson_plan", LESSON_FORM | {"standards": ""}, extra=extra)
    assert resp.status_code == 422
    assert "Choose at most 10 standards" in html.unescape(resp.text)
    assert resp.text.count('<li class="standard-chip">') == picked
