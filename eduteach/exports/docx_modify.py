"""Word document of a modified text: every version with its measured reading level.

Each version keeps the structure the model wrote as markdown (headings, lists, tables). What
changed is printed as a list under the version, or, when the teacher asks, attached to the
version's title as Word comments, so the student copy stays clean once they are deleted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from eduteach.exports.docx_base import BASE_DOCX, DocumentBuilder, DocumentMeta
from eduteach.readability import measure
from eduteach.standards.marks import standard_mark

from .text_blocks import text_blocks

COMMENT_AUTHOR = "EduTeach"


def markdown_blocks(b: DocumentBuilder, text: str, top: int = 2) -> None:
    """Markdown-like text as Word headings, lists, tables and paragraphs."""
    for block in text_blocks(text):
        if block.kind == "heading":
            b.heading(str(block.items[0]), min(3, top + block.depth - 1))
        elif block.kind == "paragraph":
            b.paragraph(str(block.items[0]))
        elif block.kind == "bullets":
            b.bullets(list(block.items))
        elif block.kind == "numbered":
            b.numbered(list(block.items))
        else:
            width = len(block.items[0])
            b.grid(block.items[0], list(block.items[1:]), [1 / width] * width)


def _changes(b: DocumentBuilder, title: Any, changes: Sequence[str], as_comments: bool) -> None:
    if as_comments and title.runs:
        for change in changes:
            b.document.add_comment(title.runs, text=change, author=COMMENT_AUTHOR, initials="ET")
        return
    b.heading("What changed", 3)
    b.bullets(changes)


def _version(
    b: DocumentBuilder,
    version: Mapping[str, Any],
    as_comments: bool,
    verified: Sequence[str] | None,
) -> None:
    title = b.page_title(str(version["label"]))
    reading = measure(str(version["text"]))
    b.labelled("Measured reading level", reading.label())
    if version.get("standards"):
        codes = [standard_mark(str(code), verified) for code in version["standards"]]
        b.labelled("Standards", ", ".join(codes))
    markdown_blocks(b, str(version["text"]))
    glossary = version.get("glossary") or []
    if glossary:
        b.heading("Glossary", 3)
        b.labelled_bullets([(str(e["term"]), str(e["meaning"])) for e in glossary])
    _changes(b, title, [str(c) for c in version.get("changes") or []], as_comments)


def render_modified_docx(
    data: Mapping[str, Any],
    meta: DocumentMeta,
    *,
    original: str = "",
    comments: bool = False,
    verified: Sequence[str] | None = None,
    base: Path = BASE_DOCX,
) -> bytes:
    """One document with every version; ``original`` adds its measured level for comparison.

    ``verified`` (see ``eduteach.standards.marks``) marks the other cited codes "(unverified)".
    """
    b = DocumentBuilder(meta, str(data["title"]), base)
    b.title(str(data["title"]), f"{len(data['versions'])} version(s)")
    b.note()
    if original:
        b.labelled("Original reading level", measure(original).label())
    for version in data["versions"]:
        _version(b, version, comments, verified)
    return b.to_bytes()
