"""Deciding what an upload is from its first bytes, never from its name or declared type."""

from __future__ import annotations

from typing import Literal

from eduteach.documents.errors import UploadError

SniffedKind = Literal["pdf", "zip", "text"]

_OLE_COMPOUND = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Formats teachers upload by mistake that would otherwise pass as text (Windows-1252 decodes
# almost any byte string). Other binaries (BMP, executables, ...) hold NUL bytes early and are
# refused when they are decoded as text.
_BINARY_MAGIC: tuple[bytes, ...] = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",  # TIFF
    b"MM\x00*",
    b"RIFF",  # WebP, WAV, AVI
    b"\x7fELF",
    b"\x1f\x8b",  # gzip
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"%!PS",
    b"\x00\x00\x00",  # MP4/HEIC/MOV boxes and other big-endian binaries
    b"PK\x05\x06",  # empty zip
    b"PK\x07\x08",  # spanned zip
)


def sniff_kind(data: bytes) -> SniffedKind:
    """Classify by magic bytes: "pdf", "zip" (maybe a Word file) or "text" (to be decoded).

    Raises UploadError for formats recognised as unusable, with advice where there is some.
    """
    if not data:
        raise UploadError("empty")
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(_OLE_COMPOUND):
        raise UploadError("legacy_office")
    if data.startswith(b"{\\rtf"):
        raise UploadError("rtf")
    if data.startswith(_BINARY_MAGIC):
        raise UploadError("not_supported")
    return "text"
