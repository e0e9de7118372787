"""The teacher's source files: read safely, and kept while she fixes the rest of the form.

A file input cannot be refilled by the server, so after a form comes back with a problem the
files already read are kept (as extracted text, in the shared store) and listed as "added";
the teacher does not have to choose them again.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import FileStorage

from eduteach.documents import DEFAULT_LIMITS, UploadError, read_upload
from eduteach.storage.kv import KeyValueStore

KEPT_TTL = 2 * 3600
_PREFIX = "teacher_sources:"


@dataclass
class SourceFiles:
    """The sources of one submitted form, and the problems with any of them."""

    sources: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def as_source(document: Any) -> dict[str, Any]:
    return {"label": document.label, "text": document.text, "sha256": document.sha256}


def read_files(
    files: Sequence[FileStorage],
    kept: Sequence[dict[str, Any]],
    refused: str = "“{name}” could not be used. {reason}",
) -> SourceFiles:
    """Read newly chosen files after the kept ones; every refused file is named in a problem.

    ``refused`` words the problem from the file's ``name`` and the reader's ``reason``.
    """
    result = SourceFiles(sources=list(kept))
    chosen = [f for f in files if f.filename]
    if len(kept) + len(chosen) > DEFAULT_LIMITS.max_files:
        error = UploadError(
            "too_many_files",
            {"max_files": DEFAULT_LIMITS.max_files, "count": len(kept) + len(chosen)},
        )
        result.problems.append(error.user_message)
        return result
    for upload in chosen:
        # One byte past the limit is enough to refuse it; the rest is never held in memory.
        data = upload.stream.read(DEFAULT_LIMITS.max_bytes + 1)
        try:
            document = read_upload(upload.filename or "", data)
        except UploadError as exc:
            name = exc.label or upload.filename or "This file"
            result.problems.append(refused.format(name=name, reason=exc.user_message))
            continue
        result.sources.append(as_source(document))
    return result


def keep(store: KeyValueStore, course: int, sources: Sequence[dict[str, Any]]) -> str:
    """Keep sources for this course for a while; the key goes into the form."""
    if not sources:
        return ""
    key = secrets.token_urlsafe(18)
    store.set(_PREFIX + key, {"course_id": course, "sources": list(sources)}, KEPT_TTL)
    return key


def kept(store: KeyValueStore, course: int, key: str) -> list[dict[str, Any]]:
    """Sources kept under ``key`` for this course (nothing for another course's key)."""
    if not key or len(key) > 64:
        return []
    value = store.get(_PREFIX + key)
    if not isinstance(value, dict) or value.get("course_id") != course:
        return []
    return [s for s in value.get("sources", []) if isinstance(s, dict)]


def chosen_kept(
    store: KeyValueStore, course: int, key: str, still_wanted: Sequence[str]
) -> list[dict[str, Any]]:
    """The kept sources the teacher left ticked (``still_wanted`` holds their positions)."""
    wanted = {int(w) for w in still_wanted if w.isdigit()}
    return [s for i, s in enumerate(kept(store, course, key)) if i in wanted]


PASTED_LABEL = "Pasted text"


def pasted_source(text: str) -> dict[str, Any] | str | None:
    """Text pasted into the form as one more source; a sentence when it is too long.

    It is the teacher's material like a file (a reading, a worksheet): framed as data in the
    prompt, never obeyed.
    """
    text = text.replace("\r\n", "\n").strip()
    if not text:
        return None
    if len(text) > DEFAULT_LIMITS.max_chars:
        return (
            f"The pasted text is {len(text):,} characters long; paste at most "
            f"{DEFAULT_LIMITS.max_chars:,}, or upload it as a file."
        )
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return {"label": PASTED_LABEL, "text": text, "sha256": digest}


def form_sources(
    files: Sequence[FileStorage],
    kept_sources: Sequence[dict[str, Any]],
    pasted_text: str,
    refused: str,
) -> tuple[SourceFiles, list[dict[str, Any]], dict[str, str]]:
    """A form's material: the files read (to keep if the form comes back), every source
    including pasted text, and problems by field ("sources", "pasted_text")."""
    read = read_files(files, kept_sources, refused=refused)
    errors: dict[str, str] = {}
    if read.problems:
        errors["sources"] = " ".join(read.problems)
    sources = list(read.sources)
    pasted = pasted_source(pasted_text)
    if isinstance(pasted, str):
        errors["pasted_text"] = pasted
    elif pasted is not None:
        if len(sources) >= DEFAULT_LIMITS.max_files:
            errors["pasted_text"] = (
                f"With pasted text, choose at most {DEFAULT_LIMITS.max_files - 1} files."
            )
        sources.append(pasted)
    return read, sources, errors
