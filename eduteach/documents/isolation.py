"""Running a document parser in a throw-away process with memory, CPU and wall-clock limits.

The web process keeps one small fork server (`worker`, started on first use or by `warm_up`)
that has the parsers imported. Each file is parsed by a fresh child forked from it, so a call
costs a fork, not an interpreter start, and the web process's own memory is never shared with
the parser. The child enforces its limits itself (rlimits and a SIGALRM it cannot outlive); the
web process also kills it by pidfd if it is still there after a grace period. Answers are JSON
validated here: nothing the child sends is unpickled. A child that crashes, runs out of memory or
hangs becomes an UploadError; the calling web worker carries on.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from eduteach.documents import worker
from eduteach.documents.errors import UploadError
from eduteach.documents.model import ExtractedDocument, UploadLimits

Task = Callable[[str, bytes, UploadLimits], ExtractedDocument]

# One parse per core per web process: each child may use `memory_bytes`.
_SLOTS = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))
_GRACE_SECONDS = 1.0
# How long a child may take to appear: covers a fork server still importing the parsers.
_STARTUP_SECONDS = 60.0
_ZYGOTE_CODE = (
    "import json, sys; sys.path[:] = json.loads(sys.argv[2]); "
    "from eduteach.documents.worker import main; main(sys.argv[1:])"
)


class _ForkServer:
    """The web process's handle on its fork server; restarted if it ever dies."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.process: subprocess.Popen[bytes] | None = None
        self.control: socket.socket | None = None
        self.inherited: list[subprocess.Popen[bytes]] = []

    def _start(self) -> socket.socket:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        with theirs:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-I",
                    "-c",
                    _ZYGOTE_CODE,
                    str(theirs.fileno()),
                    json.dumps(sys.path),
                ],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
            )
        self.control = ours
        return ours

    def ensure_running(self) -> socket.socket:
        with self.lock:
            if self.control is None or self.process is None or self.process.poll() is not None:
                self.stop_locked()
                return self._start()
            return self.control

    def hand_over(self, job: socket.socket) -> None:
        """Give the fork server one end of a job's socket pair; it forks a child for it."""
        for attempt in range(2):
            control = self.ensure_running()
            try:
                socket.send_fds(control, [b"j"], [job.fileno()])
                return
            except OSError:
                if attempt:
                    raise
                with self.lock:
                    if self.control is control:  # another thread may have restarted it
                        self.stop_locked()

    def stop_locked(self) -> None:
        if self.control is not None:
            self.control.close()  # the server exits when its control socket closes
            self.control = None
        if self.process is not None:
            try:
                self.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def stop(self) -> None:
        with self.lock:
            self.stop_locked()

    def after_fork(self) -> None:
        # A forked copy of the web process gets its own server; the parent keeps the old one.
        self.lock = threading.Lock()
        if self.control is not None:
            self.control.close()
        if self.process is not None:
            # Not ours to wait for; kept referenced so no "still running" warning fires here.
            self.inherited.append(self.process)
        self.control = None
        self.process = None


_SERVER = _ForkServer()
atexit.register(_SERVER.stop)
os.register_at_fork(after_in_child=_SERVER.after_fork)


def warm_up() -> None:
    """Start the fork server now (e.g. in the app factory) so the first upload is not slower."""
    _SERVER.ensure_running()


def task_name(task: Task) -> str:
    """How the child finds `task`: it must be a module-level function."""
    return f"{task.__module__}:{task.__qualname__}"


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def arm(self, sock: socket.socket) -> None:
        remaining = self.end - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        sock.settimeout(remaining)


def _kill(pidfd: int | None) -> None:
    if pidfd is not None:
        with contextlib.suppress(ProcessLookupError):  # already gone, as it should be
            signal.pidfd_send_signal(pidfd, signal.SIGKILL)


def _open_pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None  # no pidfd here: the child's own alarm still ends it


def _decode(payload: bytes) -> ExtractedDocument:
    try:
        answer: Any = json.loads(payload)
    except ValueError as exc:
        raise UploadError("unreadable") from exc
    if not isinstance(answer, dict):
        raise UploadError("unreadable")
    if "ok" in answer:
        try:
            return ExtractedDocument.model_validate(answer["ok"])
        except ValidationError as exc:
            raise UploadError("unreadable") from exc
    code = answer.get("error")
    raw_params = answer.get("params")
    params = {
        str(key): value
        for key, value in (raw_params.items() if isinstance(raw_params, dict) else ())
        if isinstance(value, int | str) and not isinstance(value, bool)
    }
    raise UploadError(code if isinstance(code, str) else "unreadable", params)


def _max_payload(limits: UploadLimits) -> int:
    # Text and blocks each hold up to max_chars characters of up to 4 UTF-8 bytes, plus the
    # JSON of the block structure; more than this is no real document.
    return 32 * limits.max_chars + 1024 * 1024


def _exchange(job: socket.socket, header: bytes, data: bytes, limits: UploadLimits) -> bytes:
    """Talk to the child: its pid, then the job, then its answer.

    The time limit counts from the child's first word, so a fork server still importing the
    parsers (the first upload after a start) does not eat into the file's parse time.
    """
    timeout = UploadError("timeout", {"seconds": f"{limits.parse_seconds:g}"})
    started: float | None = None
    pidfd: int | None = None
    try:
        job.settimeout(_STARTUP_SECONDS)
        pidfd = _open_pidfd(worker.recv_pid(job))
        started = time.monotonic()
        deadline = _Deadline(limits.parse_seconds + _GRACE_SECONDS)
        deadline.arm(job)
        worker.send_frame(job, header)
        deadline.arm(job)
        worker.send_frame(job, data)
        deadline.arm(job)
        length = worker.recv_frame_length(job)
        if length > _max_payload(limits):
            raise UploadError("too_complex")
        deadline.arm(job)
        return worker.recv_exact(job, length)
    except TimeoutError:
        _kill(pidfd)
        raise (timeout if started is not None else UploadError("busy")) from None
    except (EOFError, OSError):
        _kill(pidfd)
        # The child died without answering: its alarm (time) or a crash (anything else).
        if started is not None and time.monotonic() - started >= limits.parse_seconds * 0.95:
            raise timeout from None
        raise UploadError("unreadable") from None
    finally:
        if pidfd is not None:
            os.close(pidfd)


def run_isolated(task: Task, label: str, data: bytes, limits: UploadLimits) -> ExtractedDocument:
    """Run `task(label, data, limits)` in a limited child process and return its document.

    `task` must be a module-level function (the child imports it by name). Raises UploadError
    for whatever the task raises, and for a crash, a time-out or exhausted memory.
    """
    header = json.dumps(
        {
            "task": task_name(task),
            "label": label,
            "limits": dataclasses.asdict(limits),
        }
    ).encode()
    if not _SLOTS.acquire(timeout=limits.parse_seconds):
        raise UploadError("busy")
    try:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        with ours:
            with theirs:
                try:
                    _SERVER.hand_over(theirs)
                except OSError as exc:
                    raise UploadError("busy") from exc
            return _decode(_exchange(ours, header, data, limits))
    finally:
        _SLOTS.release()
