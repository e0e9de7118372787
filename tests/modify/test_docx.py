"""The Word document keeps each version's structure, read back with python-docx."""

from __future__ import annotations

import io
from datetime import date

import docx

from eduteach.exports.docx_base import DocumentMeta
from eduteach.exports.docx_modify import render_modified_docx
from tests.modify.texts import EASY, version

META = DocumentMeta(
    course_title="Science 4",
    subject="",
    grade="",
    duration="",
    language="English",
    generated=date(2026, 1, 5),
    model_label="fake-model",
)
TEXT = "# Big cats\n\nLions & tigers <roar>.\n\n- Lions hunt\n- Tigers swim\n\n1. Look\n2. Listen\n\n| Cat | Home |\n|---|---|\n| Lion | Afrique é |"


def _render(comments: bool) -> docx.document.Document:
    data = {
        "title": "Cats",
        "versions": [
            version(
                TEXT,
                label="Support",
                glossary=[{"term": "predator", "meaning": "an animal that hunts"}],
                standards=["RI.4.1"],
                changes=["Shorter sentences.", "Added a table."],
            ),
            version(EASY, label="Advanced"),
        ],
    }
    return docx.Document(io.BytesIO(render_modified_docx(data, META, comments=comments)))


def test_structure_is_kept() -> None:
    document = _render(comments=False)
    styles = {p.text: p.style.name for p in document.paragraphs}
    assert styles["Big cats"].startswith("Heading")
    assert styles["Lions hunt"] == "List Bullet"
    assert styles["Look"] == "List Number"
    assert "Lions & tigers <roar>." in styles
    assert "Standards: RI.4.1" in styles
    assert "predator: an animal that hunts" in styles
    table = document.tables[-1]
    assert [c.text for c in table.rows[1].cells] == ["Lion", "Afrique é"]
    # Without comments, what changed is printed under the version.
    assert "What changed" in styles
    assert "Added a table." in styles
    assert list(document.comments) == []


def test_changes_as_comments_on_the_version_title() -> None:
    document = _render(comments=True)
    texts = [p.text for p in document.paragraphs]
    assert "What changed" not in texts
    assert "Added a table." not in texts
    assert [c.text for c in document.comments] == [
        "Shorter sentences.",
        "Added a table.",
        "Shorter sentences.",
    ]
