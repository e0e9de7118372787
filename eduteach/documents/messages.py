"""What a teacher reads when an upload is refused or read only in part.

All such words are kept here, keyed by a stable code, so the web layer can show them as they are
or replace them (for another language) by code without touching the parsing logic.
"""

from __future__ import annotations

from collections.abc import Mapping

ERRORS: Mapping[str, str] = {
    "empty": "This file is empty. Choose a Word document, PDF or text file that has some text in it.",
    "too_large": (
        "This file is larger than {limit_mb} MB, the most EduTeach can read. Upload a shorter "
        "document, or copy the part you need and paste it as text."
    ),
    "too_many_files": (
        "You can add up to {max_files} files at a time, and you chose {count}. "
        "Remove some and try again."
    ),
    "not_supported": (
        "This file is not a Word document (.docx), PDF or text file, so EduTeach cannot read it. "
        "Save it in one of those formats and upload it again."
    ),
    "legacy_office": (
        "This looks like an older Word file (.doc) or a password-protected Office file. Open it "
        "in Word, save it as a Word document (.docx) without a password, and upload it again."
    ),
    "rtf": (
        "This is a Rich Text (.rtf) file. Open it in Word, save it as a Word document (.docx), "
        "and upload it again."
    ),
    "docx_unreadable": (
        "This Word file could not be read (it may be damaged or password-protected). Open it in "
        "Word, save a new copy, and upload that."
    ),
    "docx_unsafe": (
        "This Word file could not be read safely: its contents unpack to far more data than a "
        "normal document, or are packed in an unusual way. Open it in Word, save a new copy, and "
        "upload that."
    ),
    "docx_no_text": (
        "This Word file has no text EduTeach can read (it may contain only pictures). "
        "Paste the text instead, or upload a document with typed text."
    ),
    "txt_no_text": "This text file has no text in it.",
    "pdf_unreadable": (
        "This PDF could not be read (it may be damaged). Save or print it to a new PDF and "
        "upload that, or paste the text instead."
    ),
    "pdf_encrypted": (
        "This PDF is password-protected. Save a copy without the password and upload that."
    ),
    "pdf_too_many_pages": (
        "This PDF has {pages} pages; the limit is {limit}. Upload only the pages you need "
        "(most PDF viewers can save or print a range of pages to a new PDF)."
    ),
    "pdf_no_text": (
        "This PDF has no text EduTeach can read: it looks like scanned pages or pictures. "
        "EduTeach does not read text from images (no OCR). Upload a PDF with selectable text, "
        "or paste the text instead."
    ),
    "pasted_empty": "There is no text to use. Paste some text and try again.",
    "pasted_too_large": (
        "The pasted text is larger than {limit_mb} MB, the most EduTeach can read. "
        "Paste a shorter part."
    ),
    "timeout": (
        "Reading this file took longer than {seconds} seconds, so EduTeach stopped. "
        "Upload a smaller file, or paste the text instead."
    ),
    "too_complex": (
        "This file needs more memory to read than EduTeach allows. Upload a smaller file, "
        "or paste the text instead."
    ),
    "unreadable": (
        "This file could not be read. Save a new copy and upload that, or paste the text instead."
    ),
    "busy": "EduTeach is reading many files right now. Please try again in a minute.",
}

WARNINGS: Mapping[str, str] = {
    "truncated": (
        "Only the first {limit:,} characters of this document were used; the rest was left out."
    ),
    "macros": (
        "This Word file contains macros. EduTeach read only its text; the macros were not run."
    ),
    "pdf_pages_without_text": (
        "Some pages had no text and were skipped (they may be scanned images): {pages}."
    ),
    "cp1252": (
        "This text file is not saved as UTF-8, so it was read as Western European "
        "(Windows-1252) text. If some letters look wrong, save it as UTF-8 and upload it again."
    ),
}

LABELS: Mapping[str, str] = {
    "pasted": "Pasted text",
    "unnamed": "Untitled file",
}


def error_message(code: str, params: Mapping[str, int | str]) -> str:
    """The teacher-facing sentence for an error code (the generic one for an unknown code)."""
    template = ERRORS.get(code, ERRORS["unreadable"])
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return ERRORS["unreadable"]


def warning_message(code: str, **params: int | str) -> str:
    """The teacher-facing sentence for a warning code."""
    return WARNINGS[code].format(**params)
