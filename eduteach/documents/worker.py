"""The parsing side of isolation: a pre-loaded fork server and the short-lived children it forks.

The web process starts this module once (`python -I -c ...`, see `isolation`). It imports the
parsers, then waits on a control socket; each message carries one end of a fresh socket pair,
and the server forks a child to serve it. The child reports its pid, reads the job, lowers its own
rlimits, arms a wall-clock alarm whose default action kills it, parses, answers in JSON and
exits. Nothing here prints or logs document content.
"""

from __future__ import annotations

import gc
import importlib
import json
import logging
import math
import os
import resource
import signal
import socket
import struct
import sys
import warnings
from collections.abc import Callable
from typing import Any

from eduteach.documents.errors import UploadError
from eduteach.documents.model import ExtractedDocument, UploadLimits

PRELOAD = "eduteach.documents.uploads"
MAX_HEADER = 64 * 1024
_PID = struct.Struct("!q")
_LENGTH = struct.Struct("!Q")
_MAX_OPEN_FILES = 64


def recv_exact(sock: socket.socket, size: int) -> bytes:
    """Exactly `size` bytes; EOFError if the peer closes first. Timeouts are the caller's."""
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        count = sock.recv_into(view[got:])
        if count == 0:
            raise EOFError
        got += count
    return bytes(buffer)


def send_frame(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(_LENGTH.pack(len(payload)) + payload)


def recv_frame_length(sock: socket.socket) -> int:
    length: int = _LENGTH.unpack(recv_exact(sock, _LENGTH.size))[0]
    return length


def recv_pid(sock: socket.socket) -> int:
    pid: int = _PID.unpack(recv_exact(sock, _PID.size))[0]
    return pid


def _lower_limit(kind: int, soft: int, hard: int | None = None) -> None:
    _, current_hard = resource.getrlimit(kind)
    hard = soft if hard is None else hard
    if current_hard != resource.RLIM_INFINITY:
        soft, hard = min(soft, current_hard), min(hard, current_hard)
    resource.setrlimit(kind, (soft, hard))


def apply_limits(limits: UploadLimits) -> None:
    """rlimits for this process: address space, CPU (SIGXCPU, then SIGKILL), no cores, no
    file writes, few open files; and a wall-clock alarm that terminates it."""
    cpu = math.ceil(limits.parse_seconds) + 1
    _lower_limit(resource.RLIMIT_AS, limits.memory_bytes)
    _lower_limit(resource.RLIMIT_CPU, cpu, cpu + 1)
    _lower_limit(resource.RLIMIT_CORE, 0)
    _lower_limit(resource.RLIMIT_FSIZE, 0)
    _lower_limit(resource.RLIMIT_NOFILE, _MAX_OPEN_FILES)
    # Default SIGALRM action is to terminate, even inside C code that never returns to Python.
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.setitimer(signal.ITIMER_REAL, limits.parse_seconds)


def _resolve(name: str) -> Callable[[str, bytes, UploadLimits], ExtractedDocument]:
    module_name, _, attribute = name.partition(":")
    task: Any = importlib.import_module(module_name)
    for part in attribute.split("."):
        task = getattr(task, part)
    if not callable(task):
        raise TypeError(name)
    return task  # type: ignore[no-any-return]


def _answer(header: dict[str, Any], data: bytes) -> bytes:
    try:
        limits = UploadLimits(**header["limits"])
        task = _resolve(str(header["task"]))
        document = task(str(header["label"]), data, limits)
        return b'{"ok":' + document.model_dump_json().encode() + b"}"
    except UploadError as exc:
        return json.dumps({"error": exc.code, "params": exc.params}).encode()
    except (MemoryError, RecursionError):
        return b'{"error":"too_complex"}'
    except Exception:
        return b'{"error":"unreadable"}'


def serve_child(sock: socket.socket) -> None:
    """One job in a freshly forked child: pid, header, limits, data, answer."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    sock.sendall(_PID.pack(os.getpid()))
    header_length = recv_frame_length(sock)
    if header_length > MAX_HEADER:
        return
    header = json.loads(recv_exact(sock, header_length))
    apply_limits(UploadLimits(**header["limits"]))
    data = recv_exact(sock, recv_frame_length(sock))
    try:
        payload = _answer(header, data)
    except MemoryError:
        payload = b'{"error":"too_complex"}'
    send_frame(sock, payload)


def serve(control: socket.socket) -> None:
    """Fork one child per request until the web process closes the control socket."""
    # Children are reaped by the kernel; the web process learns their fate from its socket.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        message, fds, _, _ = socket.recv_fds(control, 16, 1)
        if not message and not fds:
            return
        for fd in fds[1:]:
            os.close(fd)
        if not fds:
            continue
        if os.fork() == 0:
            status = 0
            try:
                control.close()
                with socket.socket(fileno=fds[0]) as sock:
                    serve_child(sock)
            except BaseException:
                status = 1
            finally:
                os._exit(status)
        os.close(fds[0])


def main(argv: list[str]) -> None:
    """Entry point: argv is [control fd, JSON list of the web process's sys.path]."""
    sys.path[:] = json.loads(argv[1])
    importlib.import_module(PRELOAD)
    # Children then leave the preloaded objects alone: fewer copy-on-write page faults per fork.
    gc.collect()
    gc.freeze()
    _lower_limit(resource.RLIMIT_CORE, 0)
    with socket.socket(fileno=int(argv[0])) as control:
        serve(control)


if __name__ == "__main__":
    main(sys.argv[1:])
