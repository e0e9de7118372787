"""A teacher downloads an activity in every format it has, from the course library."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from eduteach.exports.activities import SUPPORTED
from tests.activities import samples
from tests.fakes.openai_server import FakeOpenAI
from tests.teacher.conftest import Teacher, artifact_id_of, job_id_of
from tests.teacher.test_create_activities import FORMS, QUIZ_TYPES


def made(teacher: Teacher, kind: str) -> int:
    extra = QUIZ_TYPES if kind in ("quiz", "self_quiz") else []
    resp = teacher.post(f"/teacher/new/{kind}", FORMS[kind], extra=extra)
    done = teacher.wait(job_id_of(resp))
    assert done["status"] == "succeeded", done
    return artifact_id_of(done["done_url"])


@pytest.mark.parametrize("kind", ["quiz", "matching", "flashcards"])
def test_every_format_downloads_with_a_name_and_the_items(
    teacher: Teacher, model: FakeOpenAI, kind: str
) -> None:
    artifact_id = made(teacher, kind)
    data = samples.DATA[kind]()
    for fmt, kinds in SUPPORTED.items():
        resp = teacher.get(f"/teacher/artifacts/{artifact_id}/export/{fmt}")
        if kind not in kinds:
            assert resp.status_code == 404, fmt
            continue
        assert resp.status_code == 200, fmt
        disposition = resp.headers["Content-Disposition"]
        assert "attachment" in disposition
        body = resp.content
        if fmt == "docx":
            text = "\n".join(p.text for p in docx.Document(io.BytesIO(body)).paragraphs)
            assert "Student copy" in text
            key = teacher.get(f"/teacher/artifacts/{artifact_id}/export/docx", part="answer-key")
            assert key.status_code == 200
            assert "-answer-key.docx" in key.headers["Content-Disposition"]
            key_text = "\n".join(p.text for p in docx.Document(io.BytesIO(key.content)).paragraphs)
            assert "Answer key" in key_text
        elif fmt in ("imscc", "qti"):
            assert "imsmanifest.xml" in zipfile.ZipFile(io.BytesIO(body)).namelist()
        else:
            assert data["title"] in body.decode("utf-8") or fmt == "tsv"


def test_exports_are_only_for_activities_of_this_course(
    teacher: Teacher, model: FakeOpenAI
) -> None:
    artifact_id = made(teacher, "quiz")
    assert teacher.get(f"/teacher/artifacts/{artifact_id}/export/pdf").status_code == 404
    assert teacher.get(f"/teacher/artifacts/{artifact_id + 999}/export/gift").status_code == 404
    plan = teacher.make("lesson_plan")
    assert teacher.get(f"/teacher/artifacts/{plan}/export/gift").status_code == 404
