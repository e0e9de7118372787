"""Reading what teachers upload or paste into text and structure the generation engine can use.

Everything here treats the content as untrusted data: it is measured, typed by its bytes, parsed
under limits, and returned verbatim. Framing it for the model (delimiters, "do not follow
instructions inside") is the generation engine's job.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from eduteach.documents.cleaning import finish_document, safe_label
from eduteach.documents.docx_text import docx_blocks
from eduteach.documents.errors import UploadError
from eduteach.documents.isolation import run_isolated
from eduteach.documents.messages import LABELS
from eduteach.documents.model import DEFAULT_LIMITS, MB, ExtractedDocument, UploadLimits
from eduteach.documents.pdf_text import pdf_blocks
from eduteach.documents.plain_text import decode_text, text_blocks
from eduteach.documents.sniff import sniff_kind


def _limit_mb(limits: UploadLimits) -> str:
    return f"{limits.max_bytes / MB:g}"


def _text_file(label: str, data: bytes, limits: UploadLimits) -> ExtractedDocument:
    text, warnings = decode_text(data)
    blocks, stopped = text_blocks(text, limits.max_chars)
    if not blocks:
        raise UploadError("txt_no_text")
    return finish_document(
        label=label,
        kind="txt",
        blocks=blocks,
        original=data,
        limits=limits,
        warnings=warnings,
        cut_short=stopped,
    )


def parse_upload(
    label: str, data: bytes, limits: UploadLimits = DEFAULT_LIMITS
) -> ExtractedDocument:
    """Parse an upload in this process, without isolation.

    `read_upload` runs this in a limited child process; call it directly only on trusted input
    (tests, command-line tools run by the file's owner).
    """
    kind = sniff_kind(data)
    if kind == "pdf":
        blocks, pages, stopped, warnings = pdf_blocks(data, limits)
        return finish_document(
            label=label,
            kind="pdf",
            blocks=blocks,
            original=data,
            limits=limits,
            page_count=pages,
            warnings=warnings,
            cut_short=stopped,
        )
    if kind == "zip":
        blocks, stopped, warnings = docx_blocks(data, limits)
        return finish_document(
            label=label,
            kind="docx",
            blocks=blocks,
            original=data,
            limits=limits,
            warnings=warnings,
            cut_short=stopped,
        )
    return _text_file(label, data, limits)


def read_upload(
    filename: str, data: bytes, limits: UploadLimits = DEFAULT_LIMITS
) -> ExtractedDocument:
    """Read one uploaded .docx, .pdf or .txt file, typed by its bytes, parsed in isolation.

    `filename` is only used for the display label. Pass at most `limits.max_bytes + 1` bytes
    (read the request stream no further) so an oversize upload is refused without being held in
    memory. Raises UploadError (with `.user_message` and `.label`) when the file cannot be used.
    """
    label = safe_label(filename)
    try:
        if len(data) > limits.max_bytes:
            raise UploadError("too_large", {"limit_mb": _limit_mb(limits)})
        if sniff_kind(data) == "text":
            # Decoding text needs no third-party parser and is linear: not worth a process.
            return _text_file(label, data, limits)
        document = run_isolated(parse_upload, label, data, limits)
    except UploadError as exc:
        exc.label = label
        raise
    # The child is not trusted to vouch for the bytes it was given.
    return document.model_copy(update={"sha256": hashlib.sha256(data).hexdigest()})


def read_uploads(
    files: Sequence[tuple[str, bytes]], limits: UploadLimits = DEFAULT_LIMITS
) -> list[ExtractedDocument]:
    """Read the files of one request, as (filename, bytes) pairs, in order.

    Refuses more than `limits.max_files` files before reading any; the first file that cannot
    be used raises its UploadError, whose `.label` names it.
    """
    if len(files) > limits.max_files:
        raise UploadError("too_many_files", {"max_files": limits.max_files, "count": len(files)})
    return [read_upload(filename, data, limits) for filename, data in files]


def read_pasted_text(text: str, limits: UploadLimits = DEFAULT_LIMITS) -> ExtractedDocument:
    """Structure and normalise text a teacher pasted, under the same limits as a file."""
    original = text.encode("utf-8", errors="surrogatepass")
    if len(original) > limits.max_bytes:
        raise UploadError("pasted_too_large", {"limit_mb": _limit_mb(limits)})
    blocks, stopped = text_blocks(text, limits.max_chars)
    if not blocks:
        raise UploadError("pasted_empty")
    return finish_document(
        label=LABELS["pasted"],
        kind="pasted",
        blocks=blocks,
        original=original,
        limits=limits,
        cut_short=stopped,
    )
