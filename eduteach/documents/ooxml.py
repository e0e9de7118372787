"""Vetting a zip before any Word parser sees it: bombs, odd paths, DTDs, and is it Word at all.

The Word parser is then given a copy of the package rebuilt from the members read here, in
bounded chunks and checked against their declared sizes and CRCs, so nothing it decompresses can
be larger than what was vetted.
"""

from __future__ import annotations

import codecs
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass

from lxml import etree

from eduteach.documents.errors import UploadError
from eduteach.documents.model import UploadLimits

WORD_DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# Main-part content types python-docx reads as a document once relabelled; True = macros.
WORD_MAIN_TYPES: dict[str, bool] = {
    WORD_DOCUMENT: False,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": False,
    "application/vnd.ms-word.document.macroEnabled.main+xml": True,
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": True,
}
_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
_PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_CONTENT_TYPES = "[Content_Types].xml"
_ROOT_RELS = "_rels/.rels"
_MAX_INDEX_PART = 1024 * 1024
_CHUNK = 64 * 1024
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_DRIVE = re.compile(r"[A-Za-z]:")

# No DTDs (checked before parsing), no entity expansion, no network, no huge trees.
_SAFE_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)


@dataclass(frozen=True, slots=True)
class WordPackage:
    """A vetted Word package: bytes python-docx can open, and what was learnt on the way."""

    package: bytes
    main_part: str
    has_macros: bool


def _unsafe_name(name: str) -> bool:
    parts = name.split("/")
    return (
        not name
        or name.startswith("/")
        or "\\" in name
        or bool(_DRIVE.match(name))
        or ".." in parts
        or "\x00" in name
    )


def _check_directory(infos: list[zipfile.ZipInfo], limits: UploadLimits) -> None:
    """Refuse, from the central directory alone, anything a normal Word file never is."""
    if len(infos) > limits.zip_max_members:
        raise UploadError("docx_unsafe")
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if _unsafe_name(name) or name.lower() in seen:
            raise UploadError("docx_unsafe")
        seen.add(name.lower())
        if info.flag_bits & 0x1:
            raise UploadError("docx_unreadable")  # encrypted member
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UploadError("docx_unsafe")
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.zip_max_ratio and info.file_size > limits.zip_ratio_exempt_below:
            raise UploadError("docx_unsafe")
    if total > limits.zip_max_uncompressed:
        raise UploadError("docx_unsafe")


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes, decompressed a chunk at a time and never past its declared size."""
    out = bytearray()
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            out += chunk
            if len(out) > info.file_size:
                raise UploadError("docx_unsafe")
    return bytes(out)


def _declares_dtd(content: bytes) -> bool:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        content = content.decode("utf-16", errors="replace").encode("utf-8")
    return b"<!DOCTYPE" in content or b"<!ENTITY" in content


def _parse_index(content: bytes) -> etree._Element:
    if len(content) > _MAX_INDEX_PART or _declares_dtd(content):
        raise UploadError("docx_unsafe")
    try:
        return etree.fromstring(content, _SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        raise UploadError("docx_unreadable") from exc


def _main_part(rels: etree._Element) -> str:
    for rel in rels.iter(f"{_PKG_RELS}Relationship"):
        if rel.get("Type") == _OFFICE_DOCUMENT and rel.get("TargetMode") != "External":
            target = posixpath.normpath("/" + (rel.get("Target") or "")).lstrip("/")
            if target and not _unsafe_name(target):
                return target
    # Strict OOXML, or no main part at all: python-docx cannot read either.
    raise UploadError("not_supported")


class _ContentTypes:
    """Lookup of a part's content type: an Override by part name, else a Default by extension."""

    def __init__(self, types: etree._Element) -> None:
        self.overrides = {
            (item.get("PartName") or "").lower(): item.get("ContentType") or ""
            for item in types.iter(f"{_CT}Override")
        }
        self.defaults = {
            (item.get("Extension") or "").lower(): item.get("ContentType") or ""
            for item in types.iter(f"{_CT}Default")
        }

    def of(self, part: str) -> str:
        found = self.overrides.get("/" + part.lower())
        if found is not None:
            return found
        return self.defaults.get(posixpath.splitext(part)[1].lstrip(".").lower(), "")


def _relabelled(types: etree._Element, part: str) -> bytes:
    """[Content_Types].xml declaring `part` a plain Word document (for .docm / .dotx)."""
    wanted = "/" + part.lower()
    for override in types.iter(f"{_CT}Override"):
        if (override.get("PartName") or "").lower() == wanted:
            override.set("ContentType", WORD_DOCUMENT)
            break
    else:
        etree.SubElement(types, f"{_CT}Override", PartName="/" + part, ContentType=WORD_DOCUMENT)
    serialised: bytes = etree.tostring(
        types, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    return serialised


def _parsed_as_xml(name: str, content_type: str) -> bool:
    if content_type.startswith("image/"):
        return False
    lowered = name.lower()
    return (
        lowered.endswith((".xml", ".rels"))
        or content_type.endswith("+xml")
        or content_type in ("application/xml", "text/xml")
    )


def vet_word_package(data: bytes, limits: UploadLimits) -> WordPackage:
    """Check a zip upload is a sane Word document and return a rebuilt copy safe to parse."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise UploadError("docx_unreadable") from exc
    with archive:
        infos = archive.infolist()
        _check_directory(infos, limits)
        by_name = {info.filename.lower(): info for info in infos}
        if _CONTENT_TYPES.lower() not in by_name or _ROOT_RELS not in by_name:
            raise UploadError("not_supported")
        try:
            members = [(info.filename, _read_member(archive, info)) for info in infos]
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise UploadError("docx_unreadable") from exc
    contents = {name.lower(): content for name, content in members}
    types = _parse_index(contents[_CONTENT_TYPES.lower()])
    lookup = _ContentTypes(types)
    main_part = _main_part(_parse_index(contents[_ROOT_RELS]))
    main_type = lookup.of(main_part)
    if main_type not in WORD_MAIN_TYPES or main_part.lower() not in contents:
        raise UploadError("not_supported")
    for name, content in members:
        if _parsed_as_xml(name, lookup.of(name)) and _declares_dtd(content):
            raise UploadError("docx_unsafe")
    has_macros = WORD_MAIN_TYPES[main_type] or any(
        posixpath.basename(name.lower()) == "vbaproject.bin" for name, _ in members
    )
    new_types = _relabelled(types, main_part) if main_type != WORD_DOCUMENT else None
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as rebuilt:
        for name, content in members:
            if new_types is not None and name.lower() == _CONTENT_TYPES.lower():
                content = new_types
            rebuilt.writestr(zipfile.ZipInfo(name, date_time=_FIXED_TIME), content)
    return WordPackage(package=out.getvalue(), main_part=main_part, has_macros=has_macros)
