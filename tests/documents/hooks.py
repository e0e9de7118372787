"""Misbehaving parsers, injected into the isolated worker by name (it imports this module)."""

from __future__ import annotations

import os
import time

from eduteach.documents.model import ExtractedDocument, UploadLimits
from eduteach.documents.uploads import parse_upload


def sleep_forever(label: str, data: bytes, limits: UploadLimits) -> ExtractedDocument:
    """A parser stuck waiting (e.g. on a lock) that never uses CPU."""
    while True:
        time.sleep(60)


def spin_forever(label: str, data: bytes, limits: UploadLimits) -> ExtractedDocument:
    """A parser in an endless loop."""
    count = 0
    while True:
        count += 1


def crash(label: str, data: bytes, limits: UploadLimits) -> ExtractedDocument:
    """A parser that takes the whole process down, as a segfault in C code would."""
    os.abort()


def eat_memory(label: str, data: bytes, limits: UploadLimits) -> ExtractedDocument:
    """A parser that tries to allocate far more than the memory limit."""
    hoard = [bytearray(64 * 1024 * 1024) for _ in range(64)]
    raise AssertionError(f"allocated {len(hoard)} blocks past the limit")


def report_pid(label: str, data: bytes, limits: UploadLimits) -> ExtractedDocument:
    """Parses normally but puts its process id in the label."""
    return parse_upload(f"{os.getpid()}", data, limits)
