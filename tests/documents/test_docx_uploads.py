"""Word uploads: structure, and the checks that run before any parser sees the package."""

from __future__ import annotations

import hashlib
import io
import time
import zipfile

import pytest
from docx.document import Document as WordDocument

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
    add_members,
    gen_docx,
    lesson_docx,
    rewrite_member,
    understate_size,
)

DOCUMENT_XML = "word/document.xml"


@pytest.fixture(scope="module")
def lesson() -> bytes:
    return gen_docx(lesson_docx)


def test_word_file_keeps_headings_lists_and_tables(lesson: bytes) -> None:
    document = read_upload("water-cycle.docx", lesson)
    assert document.kind == "docx"
    assert document.blocks == (
        Heading(text="The Water Cycle", level=1),
        Heading(text="Objectives", level=1),
        Paragraph(text="Students describe how water moves between oceans, air and land."),
        ListItem(text="Evaporation", ordered=False, level=0),
        ListItem(text="Water vapour rises", ordered=False, level=1),
        ListItem(text="Condensation", ordered=False, level=0),
        Heading(text="Steps", level=2),
        ListItem(text="Heat the water", ordered=True, level=0),
        ListItem(text="Watch the lid", ordered=True, level=0),
        Table(rows=(("Term", "Meaning"), ("Runoff", "Water flowing over land"))),
        Paragraph(text=INJECTION),
    )
    assert document.page_count is None
    assert document.sha256 == hashlib.sha256(lesson).hexdigest()
    assert "1. Heat the water\n2. Watch the lid" in document.text
    assert "| Runoff | Water flowing over land |" in document.text
    # Headings keep their level in the text the model and the review pages read.
    assert document.text.startswith("# The Water Cycle\n\n# Objectives\n\n")
    assert "\n## Steps\n" in document.text
    assert document.text.endswith(INJECTION)


def test_type_comes_from_the_bytes_not_the_name(lesson: bytes) -> None:
    assert read_upload("notes.txt", lesson).kind == "docx"


def _tracked_changes(content: bytes) -> bytes:
    return content.replace(
        b"<w:t>Evaporation</w:t></w:r>",
        b"<w:t>Evaporation</w:t></w:r>"
        b'<w:del w:id="1" w:author="T" w:date="2024-01-01T00:00:00Z"><w:r>'
        b"<w:delText> (deleted words)</w:delText></w:r></w:del>"
        b'<w:ins w:id="2" w:author="T" w:date="2024-01-01T00:00:00Z"><w:r>'
        b'<w:t xml:space="preserve"> and transpiration</w:t></w:r></w:ins>',
    )


def test_tracked_changes_read_as_the_document_now_stands(lesson: bytes) -> None:
    edited = rewrite_member(lesson, DOCUMENT_XML, _tracked_changes)
    document = read_upload("edited.docx", edited)
    assert ListItem(text="Evaporation and transpiration", ordered=False, level=0) in document.blocks
    assert "deleted words" not in document.text


def _nested(document: WordDocument) -> None:
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "Station 1"
    inner = outer.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "Mass"
    inner.cell(0, 1).text = "12 g"


def test_nested_tables_stay_inside_their_cell() -> None:
    document = read_upload("stations.docx", gen_docx(_nested))
    assert len(document.blocks) == 1
    table = document.blocks[0]
    assert isinstance(table, Table)
    assert table.rows[0][0] == "Station 1"
    assert "Mass | 12 g" in table.rows[0][1]


def test_macro_enabled_word_files_are_read_with_a_note(lesson: bytes) -> None:
    docm = rewrite_member(
        lesson,
        "[Content_Types].xml",
        lambda content: content.replace(
            b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            b"application/vnd.ms-word.document.macroEnabled.main+xml",
        ),
    )
    docm = add_members(docm, {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 not really VBA"})
    document = read_upload("lesson.docm", docm)
    assert Heading(text="The Water Cycle", level=1) in document.blocks
    assert any("macros were not run" in warning for warning in document.warnings)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


SPREADSHEET = _zip(
    {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats'
        b'.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="appl'
        b'ication/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats'
        b'.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlform'
        b'ats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        b"</Relationships>",
        "xl/workbook.xml": b"<workbook/>",
    }
)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(SPREADSHEET, id="excel"),
        pytest.param(_zip({"mimetype": b"application/vnd.oasis.opendocument.text"}), id="odt"),
        pytest.param(_zip({"photo.jpg": b"\xff\xd8\xff"}), id="plain-zip"),
    ],
)
def test_zips_that_are_not_word_documents_are_refused(data: bytes) -> None:
    with pytest.raises(UploadError) as caught:
        read_upload("lesson.docx", data)
    assert caught.value.code == "not_supported"
    assert "not a Word document (.docx), PDF or text file" in caught.value.user_message


def test_damaged_word_file_is_refused_with_a_clear_message(lesson: bytes) -> None:
    with pytest.raises(UploadError) as caught:
        read_upload("lesson.docx", lesson[: len(lesson) // 2])
    assert caught.value.user_message.startswith(
        "This Word file could not be read (it may be damaged or password-protected)"
    )


def test_zip_bomb_is_refused_before_it_is_unpacked(lesson: bytes) -> None:
    bomb = add_members(lesson, {"word/media/image1.png": bytes(60 * 1024 * 1024)}, level=9)
    assert len(bomb) < 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(UploadError) as caught:
        read_upload("lesson.docx", bomb)
    assert time.perf_counter() - started < 2
    assert caught.value.code == "docx_unsafe"


def test_member_that_unpacks_past_its_declared_size_is_refused(lesson: bytes) -> None:
    bomb = add_members(lesson, {"word/media/image1.png": bytes(20 * 1024 * 1024)}, level=9)
    with pytest.raises(UploadError) as caught:
        read_upload("lesson.docx", understate_size(bomb, "word/media/image1.png", 1000))
    assert caught.value.code in ("docx_unreadable", "docx_unsafe")


def test_total_unpacked_size_is_capped(lesson: bytes) -> None:
    limits = UploadLimits(zip_max_uncompressed=100_000)
    with pytest.raises(UploadError) as caught:
        read_upload("lesson.docx", lesson, limits)
    assert caught.value.code == "docx_unsafe"


def test_too_many_members_are_refused(lesson: bytes) -> None:
    crowded = add_members(lesson, {f"extra/item{n}.xml": b"<a/>" for n in range(60)})
    with pytest.raises(UploadError) as caught:
        read_upload("lesson.docx", crowded, UploadLimits(zip_max_members=50))
    assert caught.value.code == "docx_unsafe"


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("../evil.xml", id="parent"),
        pytest.param("/etc/cron.d/evil", id="absolute"),
        pytest.param("word\\..\\evil.xml", id="backslash"),
        pytest.param("word/Document.xml", id="second-copy-of-the-main-part"),
    ],
)
def test_member_paths_that_escape_the_package_are_refused(lesson: bytes, name: str) -> None:
    with pytest.raises(UploadError) as caught:
        read_upload("lesson.docx", add_members(lesson, {name: b"<a/>"}))
    assert caught.value.code == "docx_unsafe"


@pytest.mark.parametrize(
    "doctype",
    [
        pytest.param(
            b'<!DOCTYPE w:document [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>',
            id="entity-expansion",
        ),
        pytest.param(
            b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
            id="external-entity",
        ),
    ],
)
def test_xml_with_a_dtd_is_refused(lesson: bytes, doctype: bytes) -> None:
    def inject(content: bytes) -> bytes:
        head, _, rest = content.partition(b"?>")
        return head + b"?>" + doctype + rest.replace(b"Objectives", b"&xxe;&b;")

    with pytest.raises(UploadError) as caught:
        read_upload("lesson.docx", rewrite_member(lesson, DOCUMENT_XML, inject))
    assert caught.value.code == "docx_unsafe"


def test_word_file_with_only_pictures_is_refused() -> None:
    with pytest.raises(UploadError) as caught:
        read_upload("blank.docx", gen_docx(lambda document: None))
    assert caught.value.code == "docx_no_text"


def test_long_word_file_is_cut_at_the_character_limit(lesson: bytes) -> None:
    document = read_upload("lesson.docx", lesson, UploadLimits(max_chars=60))
    assert document.truncated
    assert document.char_count <= 60
    assert document.text.startswith("# The Water Cycle\n\n# Objectives")


BODY = b"""
<w:p><w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="1"/><w:numId w:val="5"/>
</w:numPr></w:pPr><w:r><w:t>numbered, second level</w:t></w:r></w:p>
<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>
<w:r><w:t>bulleted by direct numbering</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="ListBullet"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/>
</w:numPr></w:pPr><w:r><w:t>bullet switched off</w:t></w:r></w:p>
<w:p><w:pPr><w:outlineLvl w:val="2"/></w:pPr><w:r><w:t>Heading by outline level</w:t></w:r></w:p>
<w:sdt><w:sdtPr><w:alias w:val="Name"/></w:sdtPr><w:sdtContent><w:p><w:r>
<w:t>inside a content control</w:t></w:r></w:p></w:sdtContent></w:sdt>
<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>
<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r>
<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> days a week</w:t></w:r></w:p>
<w:p><w:r><w:t>Look at the box.</w:t></w:r><w:r><mc:AlternateContent
xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="wps">
<w:drawing><w:txbxContent><w:p><w:r><w:t>Words in a text box</w:t></w:r></w:p></w:txbxContent>
</w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r>
<w:t>Words in a text box</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>
</mc:AlternateContent></w:r></w:p>
"""


def _replace_body(content: bytes) -> bytes:
    start = content.index(b"<w:body>") + len(b"<w:body>")
    return content[:start] + BODY + content[content.index(b"<w:sectPr") :]


def test_word_features_teachers_use_are_read_as_shown() -> None:
    plain = gen_docx(lambda document: document.add_paragraph("placeholder"))
    document = read_upload("features.docx", rewrite_member(plain, DOCUMENT_XML, _replace_body))
    assert document.blocks == (
        ListItem(text="numbered, second level", ordered=True, level=1),
        ListItem(text="bulleted by direct numbering", ordered=False, level=0),
        Paragraph(text="bullet switched off"),
        Heading(text="Heading by outline level", level=3),
        Paragraph(text="inside a content control"),
        Paragraph(text="7 days a week"),
        Paragraph(text="Look at the box."),
        Paragraph(text="Words in a text box"),
    )
