"""What the question-bank exports share: XML in one namespace, HTML from plain text, stable
identifiers, reproducible zips, and the check that an activity is the type its kind names.

Everything here is plain functions of their arguments, so the same activity always gives the
same bytes: an LMS that keys imports on identifiers (Canvas does) then updates a re-imported
quiz instead of adding a copy, and tests can compare exports byte for byte.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import zipfile
from collections.abc import Mapping
from typing import Any, cast

from lxml import etree
from pydantic import BaseModel

from eduteach.activities.fill_in import FillIn
from eduteach.activities.flashcards import FlashcardDeck
from eduteach.activities.matching import Matching
from eduteach.activities.quiz import Quiz
from eduteach.exports.errors import UnsupportedExport

XSI = "http://www.w3.org/2001/XMLSchema-instance"
MODELS: dict[str, type[BaseModel]] = {
    "flashcards": FlashcardDeck,
    "fill_in": FillIn,
    "matching": Matching,
    "quiz": Quiz,
    "self_quiz": Quiz,
}
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")

Activity = FlashcardDeck | FillIn | Matching | Quiz


class Tree:
    """Builds elements in one default namespace, so callers write plain tag names."""

    def __init__(self, namespace: str, prefixes: Mapping[str, str] | None = None) -> None:
        self.namespace = namespace
        self.prefixes = dict(prefixes or {})

    def tag(self, name: str) -> str:
        """The qualified name of ``name``: ``prefix:name`` for a declared prefix, else ours."""
        prefix, _, local = name.rpartition(":")
        return f"{{{self.prefixes[prefix] if prefix else self.namespace}}}{local}"

    def root(self, name: str, attrs: Mapping[str, str] | None = None, *, schema: str = "") -> Any:
        """The document element, declaring our namespace, the prefixes and ``xsi``.

        ``schema`` is the xsi:schemaLocation value, pairs of namespace and XSD address.
        """
        nsmap: dict[str | None, str] = {None: self.namespace, "xsi": XSI}
        nsmap.update(self.prefixes)
        element = etree.Element(self.tag(name), nsmap=nsmap)
        if schema:
            element.set(f"{{{XSI}}}schemaLocation", schema)
        for key, value in (attrs or {}).items():
            element.set(key, value)
        return element

    def sub(
        self,
        parent: Any,
        name: str,
        attrs: Mapping[str, str] | None = None,
        text: str | None = None,
    ) -> Any:
        """A child of ``parent``; attributes go in a mapping since some ("continue") are keywords."""
        element = etree.SubElement(parent, self.tag(name))
        for key, value in (attrs or {}).items():
            element.set(key, value)
        if text is not None:
            element.text = text
        return element


def xml_bytes(root: Any) -> bytes:
    """A UTF-8 XML document with its declaration, indented for people who open it."""
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def html_text(text: str) -> str:
    """Plain text as HTML paragraphs: blank lines start a paragraph, other line breaks stay."""
    paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(text.strip()) if p.strip()]
    return "".join(
        "<p>" + html.escape(p, quote=False).replace("\n", "<br/>") + "</p>" for p in paragraphs
    )


def stable_id(prefix: str, *parts: object) -> str:
    """An XML-safe identifier that depends only on ``parts``: the same activity, the same id."""
    digest = hashlib.sha256("\x1f".join(map(_identity, parts)).encode("utf-8")).hexdigest()
    return f"{prefix}{digest[:24]}"


def _identity(part: object) -> str:
    return part.model_dump_json() if isinstance(part, BaseModel) else str(part)


def short_name(text: str, limit: int = 60) -> str:
    """A question's name in the LMS bank: its text on one line, cut at ``limit`` characters."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def zip_bytes(files: Mapping[str, bytes]) -> bytes:
    """A zip of ``files`` (path -> content) in the given order, with fixed timestamps."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in files.items():
            info = zipfile.ZipInfo(path, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def activity_of(kind: str, activity: BaseModel, format_name: str) -> Activity:
    """``activity`` checked against ``kind``; a kind with no questions says which kinds fit."""
    model = MODELS.get(kind)
    if model is None:
        raise UnsupportedExport(
            f"{format_name} holds questions, so it takes flashcards, fill-in-the-blanks, "
            f"matching, quizzes and self-quizzes, but not {kind.replace('_', ' ')}."
        )
    if not isinstance(activity, model):
        raise TypeError(f"a {kind} export needs a {model.__name__}, not {type(activity).__name__}")
    return cast(Activity, activity)
