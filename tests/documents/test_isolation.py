"""Parsing in a limited child process: hangs, crashes and memory hogs cost the caller nothing."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import pytest

from eduteach.documents import UploadError, UploadLimits, read_upload, read_uploads
from eduteach.documents.isolation import _SERVER, Task, run_isolated
from tests.documents import hooks
from tests.documents.builders import Line, gen_docx, gen_pdf, lesson_docx

WORD = gen_docx(lesson_docx)


def _parsers_alive() -> list[str]:
    """Processes the fork server has forked that are still running."""
    assert _SERVER.process is not None
    pid = _SERVER.process.pid
    return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()


@pytest.mark.parametrize("hang", [hooks.sleep_forever, hooks.spin_forever])
def test_a_hanging_parser_is_killed_at_the_time_limit(hang: Task) -> None:
    read_upload("ready.docx", WORD)  # the time limit starts once the parser process exists
    started = time.perf_counter()
    with pytest.raises(UploadError) as caught:
        run_isolated(hang, "slow.pdf", b"%PDF-", UploadLimits(parse_seconds=1))
    elapsed = time.perf_counter() - started
    assert 0.9 < elapsed < 1.9
    assert caught.value.code == "timeout"
    assert caught.value.user_message.startswith("Reading this file took longer than 1 seconds")
    for _ in range(50):
        if not _parsers_alive():
            break
        time.sleep(0.02)
    assert _parsers_alive() == []


def test_a_crashing_parser_leaves_the_caller_running() -> None:
    started = time.perf_counter()
    with pytest.raises(UploadError) as caught:
        run_isolated(hooks.crash, "bad.docx", WORD, UploadLimits())
    assert time.perf_counter() - started < 2
    assert caught.value.code == "unreadable"
    assert read_upload("good.docx", WORD).kind == "docx"


def test_a_parser_cannot_use_more_memory_than_the_limit() -> None:
    with pytest.raises(UploadError) as caught:
        run_isolated(hooks.eat_memory, "big.docx", WORD, UploadLimits(memory_bytes=256 * 2**20))
    assert caught.value.code == "too_complex"


def test_each_file_is_parsed_in_a_fresh_process() -> None:
    first = run_isolated(hooks.report_pid, "a.docx", WORD, UploadLimits())
    second = run_isolated(hooks.report_pid, "b.docx", WORD, UploadLimits())
    assert len({first.label, second.label, str(os.getpid())}) == 3


def test_the_fork_server_is_restarted_if_it_dies() -> None:
    read_upload("warm.docx", WORD)
    assert _SERVER.process is not None
    _SERVER.process.kill()
    _SERVER.process.wait()
    assert read_upload("again.docx", WORD).kind == "docx"


def test_more_files_than_allowed_are_refused_before_any_is_read() -> None:
    files = [("broken.pdf", b"%PDF-broken")] * 4
    with pytest.raises(UploadError) as caught:
        read_uploads(files)
    assert caught.value.code == "too_many_files"
    assert "up to 3 files" in caught.value.user_message


def test_the_error_names_the_file_it_is_about() -> None:
    files = [("lesson.docx", WORD), ("scan.pdf", gen_pdf([[]])), ("notes.txt", b"Notes")]
    with pytest.raises(UploadError) as caught:
        read_uploads(files)
    assert caught.value.label == "scan.pdf"
    assert caught.value.code == "pdf_no_text"


def test_files_of_one_request_are_read_in_order() -> None:
    files = [("lesson.docx", WORD), ("sheet.pdf", gen_pdf([[Line("Sheet")]])), ("n.txt", b"N")]
    documents = read_uploads(files)
    assert [d.kind for d in documents] == ["docx", "pdf", "txt"]
    assert [d.label for d in documents] == ["lesson.docx", "sheet.pdf", "n.txt"]


def test_document_content_never_reaches_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    read_upload("lesson.docx", WORD)
    read_upload("sheet.pdf", gen_pdf([[Line("Secret pupil name: Ada Example")]]))
    assert "Water" not in caplog.text
    assert "Ada Example" not in caplog.text
