"""PDF uploads: structure from layout, page limits, passwords, pages without a text layer."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from eduteach.documents import (
    Heading,
    ListItem,
    Paragraph,
    Table,
    UploadError,
    UploadLimits,
    read_upload,
)
from tests.documents.builders import (
    INJECTION,
    Line,
    gen_docx,
    gen_pdf,
    lesson_docx,
    paragraph_lines,
)

INTRO = (
    "Volcanoes form where magma from deep inside the Earth reaches the surface. Most of them "
    "sit along the edges of tectonic plates, where the crust is pulled apart or pushed together."
)
WORKSHEET = [
    [
        Line("Volcanoes", size=24, bold=True),
        Line("How volcanoes form", size=16, bold=True, space_before=34),
        *paragraph_lines(INTRO),
        Line("Key words", size=16, bold=True, space_before=34),
        Line("\u2022 magma: melted rock under the ground", space_before=22),
        Line("\u2022 lava: magma that reaches the surface"),
        Line("1. Read the text", space_before=22),
        Line("2. Answer the questions"),
        Line(space_before=22, cells=((72, "Volcano"), (300, "Country"))),
        Line(cells=((72, "Etna"), (300, "Italy"))),
        Line(cells=((72, "Fuji"), (300, "Japan"))),
        *paragraph_lines(INJECTION),
    ],
    [*paragraph_lines("Page two continues with more about eruptions and ash clouds.")],
]


@pytest.fixture(scope="module")
def worksheet() -> bytes:
    return gen_pdf(WORKSHEET)


def test_pdf_structure_follows_its_layout(worksheet: bytes) -> None:
    document = read_upload("volcanoes.pdf", worksheet)
    assert document.kind == "pdf"
    assert document.page_count == 2
    assert document.blocks == (
        Heading(text="Volcanoes", level=1),
        Heading(text="How volcanoes form", level=2),
        Paragraph(text=INTRO),
        Heading(text="Key words", level=2),
        ListItem(text="magma: melted rock under the ground", ordered=False, level=0),
        ListItem(text="lava: magma that reaches the surface", ordered=False, level=0),
        ListItem(text="Read the text", ordered=True, level=0),
        ListItem(text="Answer the questions", ordered=True, level=0),
        Table(rows=(("Volcano", "Country"), ("Etna", "Italy"), ("Fuji", "Japan"))),
        Paragraph(text=INJECTION),
        Paragraph(text="Page two continues with more about eruptions and ash clouds."),
    )
    assert document.sha256 == hashlib.sha256(worksheet).hexdigest()
    assert document.warnings == ()


def test_pdf_of_a_png_is_refused_by_its_bytes() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
    with pytest.raises(UploadError) as caught:
        read_upload("worksheet.pdf", png)
    assert caught.value.code == "not_supported"
    assert caught.value.user_message.startswith("This file is not a Word document")


def test_legacy_word_file_is_refused_with_advice() -> None:
    with pytest.raises(UploadError) as caught:
        read_upload("lesson.pdf", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    assert "save it as a Word document (.docx)" in caught.value.user_message


def test_oversize_upload_is_refused_before_reading() -> None:
    data = b"%PDF-1.7\n" + bytes(UploadLimits().max_bytes)
    started = time.perf_counter()
    with pytest.raises(UploadError) as caught:
        read_upload("big.pdf", data)
    assert time.perf_counter() - started < 0.5
    assert caught.value.user_message.startswith("This file is larger than 10 MB")


def test_pdf_over_the_page_limit_is_refused_with_both_numbers() -> None:
    pages = [[Line("Chapter text")]] + [[] for _ in range(59)]
    with pytest.raises(UploadError) as caught:
        read_upload("textbook.pdf", gen_pdf(pages))
    assert caught.value.code == "pdf_too_many_pages"
    assert caught.value.user_message.startswith("This PDF has 60 pages; the limit is 50.")


def test_password_protected_pdf_is_refused() -> None:
    locked = gen_pdf(WORKSHEET, user_password="secret", owner_password="teacher")
    with pytest.raises(UploadError) as caught:
        read_upload("locked.pdf", locked)
    assert caught.value.code == "pdf_encrypted"
    assert "password-protected" in caught.value.user_message


def test_pdf_restricted_only_by_an_owner_password_is_read() -> None:
    restricted = gen_pdf(WORKSHEET, user_password="", owner_password="teacher")
    document = read_upload("restricted.pdf", restricted)
    assert Heading(text="Volcanoes", level=1) in document.blocks


def test_scanned_pdf_without_text_is_refused_with_the_ocr_explanation() -> None:
    with pytest.raises(UploadError) as caught:
        read_upload("scan.pdf", gen_pdf([[], []]))
    assert caught.value.code == "pdf_no_text"
    assert "no OCR" in caught.value.user_message


def test_pages_without_text_are_named_in_a_warning() -> None:
    document = read_upload("mixed.pdf", gen_pdf([[Line("A typed first page.")], [], []]))
    assert document.text == "A typed first page."
    assert document.warnings == (
        "Some pages had no text and were skipped (they may be scanned images): 2, 3.",
    )


def test_damaged_pdf_is_refused() -> None:
    with pytest.raises(UploadError) as caught:
        read_upload("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage" * 5)
    assert caught.value.code in ("pdf_unreadable", "pdf_no_text")


def test_list_markers_with_a_wide_hanging_indent_are_not_a_table() -> None:
    lines = [
        Line("Bring to class:", space_before=22),
        Line(cells=((54, "\u2022"), (108, "a notebook")), space_before=22),
        Line(cells=((54, "\u2022"), (108, "a pencil"))),
    ]
    document = read_upload("list.pdf", gen_pdf([lines]))
    assert document.blocks == (
        Paragraph(text="Bring to class:"),
        ListItem(text="a notebook", ordered=False, level=0),
        ListItem(text="a pencil", ordered=False, level=0),
    )


ROCK_CYCLE = [
    "Igneous rock forms when magma or lava cools and hardens.",
    "Weathering breaks rock into small pieces called sediment.",
    "Layers of sediment are pressed together into sedimentary rock.",
    "Heat and pressure change rock into metamorphic rock.",
]


def test_page_numbers_and_running_headers_are_left_out() -> None:
    pages = [
        [
            Line("Unit 3 Handout", size=9),
            *paragraph_lines(text),
            Line(str(number), size=9, space_before=300),
        ]
        for number, text in enumerate(ROCK_CYCLE, start=1)
    ]
    document = read_upload("handout.pdf", gen_pdf(pages))
    assert document.text == "\n\n".join(["Unit 3 Handout", *ROCK_CYCLE])


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_pdf_exported_by_an_office_suite_keeps_its_structure(tmp_path: Path) -> None:
    source = tmp_path / "lesson.docx"
    source.write_bytes(gen_docx(lesson_docx))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    document = read_upload("lesson.pdf", (tmp_path / "lesson.pdf").read_bytes())
    assert document.blocks == (
        Heading(text="The Water Cycle", level=1),
        Heading(text="Objectives", level=2),
        Paragraph(text="Students describe how water moves between oceans, air and land."),
        ListItem(text="Evaporation", ordered=False, level=0),
        ListItem(text="Water vapour rises", ordered=False, level=1),
        ListItem(text="Condensation", ordered=False, level=0),
        Heading(text="Steps", level=3),
        ListItem(text="Heat the water", ordered=True, level=0),
        ListItem(text="Watch the lid", ordered=True, level=0),
        Table(rows=(("Term", "Meaning"), ("Runoff", "Water flowing over land"))),
        Paragraph(text=INJECTION),
    )
