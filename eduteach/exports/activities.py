"""Every way an activity leaves the tool, by format name (the CLI's --format values).

``export_activity`` returns the files to write: Word gives two (the student copy and a
separate answer key), every other format one. Which formats each type has is decided here
and in the format modules (a type without a faithful form raises ``UnsupportedExport``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from eduteach.exports.docx_base import DocumentMeta
from eduteach.exports.errors import UnsupportedExport

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class ExportFormat:
    name: str  # the --format value and URL part
    label: str  # what the download link says
    suffix: str
    mime: str


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("docx", "Word (student copy and answer key)", ".docx", DOCX_MIME),
        ExportFormat("imscc", "Common Cartridge (any LMS)", ".imscc", "application/zip"),
        ExportFormat("qti", "Canvas QTI (.zip)", ".zip", "application/zip"),
        ExportFormat("moodle-xml", "Moodle XML", ".xml", "application/xml"),
        ExportFormat("gift", "GIFT (Moodle)", ".gift.txt", "text/plain; charset=utf-8"),
        ExportFormat("tsv", "Quizlet / Anki (TSV)", ".tsv", "text/tab-separated-values"),
    )
}


@dataclass(frozen=True)
class ExportFile:
    """One file of an export: a name part ("" or "answer-key"), its bytes and type."""

    part: str
    data: bytes
    fmt: ExportFormat


def export_activity(
    kind: str,
    activity: BaseModel,
    params: Mapping[str, Any],
    fmt: str,
    meta: DocumentMeta,
) -> list[ExportFile]:
    """The files of ``activity`` in format ``fmt``; ``UnsupportedExport`` when it has none."""
    problem = unsupported(kind, fmt)
    if problem:
        raise UnsupportedExport(problem)
    chosen = FORMATS[fmt]
    title = str(getattr(activity, "title", "") or "")
    if fmt == "docx":
        from eduteach.exports.activity_docx import render_activity_docx

        return [
            ExportFile(
                "", render_activity_docx(kind, activity, params, meta, answer_key=False), chosen
            ),
            ExportFile(
                "answer-key",
                render_activity_docx(kind, activity, params, meta, answer_key=True),
                chosen,
            ),
        ]
    if fmt == "imscc":
        from eduteach.exports.common_cartridge import render_imscc

        return [ExportFile("", render_imscc(kind, activity, title=title), chosen)]
    if fmt == "qti":
        from eduteach.exports.qti import render_canvas_qti

        return [ExportFile("", render_canvas_qti(kind, activity, title=title), chosen)]
    if fmt == "moodle-xml":
        from eduteach.exports.moodle_xml import render_moodle_xml

        return [ExportFile("", render_moodle_xml(kind, activity, category=title), chosen)]
    if fmt == "gift":
        from eduteach.exports.gift import render_gift

        return [ExportFile("", render_gift(kind, activity).encode("utf-8"), chosen)]
    from eduteach.exports.tsv import render_tsv

    return [ExportFile("", render_tsv(kind, activity).encode("utf-8"), chosen)]


_ALL = frozenset({"flashcards", "fill_in", "matching", "quiz", "self_quiz"})
SUPPORTED: dict[str, frozenset[str]] = {
    "docx": _ALL,
    "imscc": _ALL,
    "qti": _ALL,
    "moodle-xml": _ALL,
    "gift": _ALL,
    "tsv": frozenset({"flashcards", "matching"}),
}
"""Which activity types each format writes (a test holds this to what the exporters do)."""


def unsupported(kind: str, fmt: str) -> str:
    """Why ``kind`` has no export in ``fmt``, in words for the teacher; "" when it has one."""
    if fmt not in FORMATS:
        return f"There is no export format called {fmt!r}."
    if kind in SUPPORTED[fmt]:
        return ""
    others = ", ".join(name for name, kinds in SUPPORTED.items() if kind in kinds)
    return f"This activity cannot be written as {FORMATS[fmt].label}; choose one of: {others}."


def formats_for(kind: str) -> list[ExportFormat]:
    """The formats an activity of this type can be downloaded in, in the order shown."""
    return [fmt for name, fmt in FORMATS.items() if kind in SUPPORTED[name]]
