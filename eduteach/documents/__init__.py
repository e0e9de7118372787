"""Safe reading of teacher uploads (.docx, .pdf, .txt) and pasted text into structured text."""

from eduteach.documents.cleaning import render_text
from eduteach.documents.errors import UploadError
from eduteach.documents.isolation import warm_up
from eduteach.documents.model import (
    DEFAULT_LIMITS,
    Block,
    DocumentKind,
    ExtractedDocument,
    Heading,
    ListItem,
    Paragraph,
    Table,
    UploadLimits,
)
from eduteach.documents.uploads import read_pasted_text, read_upload, read_uploads

__all__ = [
    "DEFAULT_LIMITS",
    "Block",
    "DocumentKind",
    "ExtractedDocument",
    "Heading",
    "ListItem",
    "Paragraph",
    "Table",
    "UploadError",
    "UploadLimits",
    "read_pasted_text",
    "read_upload",
    "read_uploads",
    "render_text",
    "warm_up",
]
