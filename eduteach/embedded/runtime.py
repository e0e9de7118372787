"""llama-cpp-python: installing it once, and running its OpenAI-compatible server.

PyPI has no Linux wheel of llama-cpp-python, so the first set-up builds one from the pinned
source distribution (5 to 20 minutes on 2 cores, depending on load) and keeps it in a cache
folder; a re-created virtualenv then installs it in seconds.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections import deque
from collections.abc import Mapping
from enum import Enum
from importlib import metadata
from pathlib import Path
from types import TracebackType

import requests

from eduteach.embedded.errors import EmbeddedModelError
from eduteach.embedded.model_files import default_cache_dir, file_lock
from eduteach.embedded.pins import (
    LLAMA_CPP_CMAKE_ARGS,
    LLAMA_CPP_PROJECT,
    LLAMA_CPP_SDIST_SHA256,
    LLAMA_CPP_VERSION,
    QWEN_MODEL,
    SERVER_MODULES,
    ModelSpec,
)
from eduteach.embedded.progress import STAGE_BUILD, STAGE_INSTALL, ProgressCallback

# Ninja prints "[12/170] Building C object ..." for each step of the build.
_BUILD_STEP = re.compile(r"\[(\d+)/(\d+)\]")
# Only these reach the server: its settings are read from any environment variable named
# like a setting (PORT, HOST, MODEL, API_KEY ...), which would silently override ours.
_ENV_KEEP = ("PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR")
_ENV_KEEP_PREFIXES = ("LC_", "OMP_", "GOMP_", "GGML_")


class RuntimeState(Enum):
    """What :func:`ensure_runtime` would have to do."""

    READY = "ready"
    INSTALL_CACHED = "install from the cached wheel (seconds)"
    BUILD = "build from source once (5 to 20 minutes on 2 cores)"


def runtime_state(wheel_cache: Path | None = None) -> RuntimeState:
    """Say whether llama-cpp-python is ready, installable from cache, or must be built."""
    if _runtime_importable():
        return RuntimeState.READY
    if cached_wheel(wheel_cache or default_wheel_cache()) is not None:
        return RuntimeState.INSTALL_CACHED
    return RuntimeState.BUILD


def default_wheel_cache() -> Path:
    """Where the built llama-cpp-python wheel is kept for re-created virtualenvs."""
    return default_cache_dir() / "wheels"


def cached_wheel(wheel_cache: Path) -> Path | None:
    """The built wheel for this platform in ``wheel_cache``, if there is one."""
    platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    module = LLAMA_CPP_PROJECT.replace("-", "_")
    found = sorted(wheel_cache.glob(f"{module}-{LLAMA_CPP_VERSION}-*-{platform}.whl"))
    return found[-1] if found else None


def ensure_runtime(
    progress: ProgressCallback,
    *,
    wheel_cache: Path | None = None,
    niceness: int = 10,
) -> None:
    """Make ``llama_cpp`` and its server importable in this virtualenv.

    Does nothing when it already is. Otherwise builds the pinned source once (reported as
    the ``build`` stage with ninja's step count) at lower CPU priority, keeps the wheel in
    ``wheel_cache``, and installs it with the ``[server]`` extra.
    """
    if _runtime_importable():
        return
    cache = wheel_cache or default_wheel_cache()
    cache.mkdir(parents=True, exist_ok=True)
    with file_lock(cache / ".lock"):
        # Another process may have finished the work while this one waited for the lock.
        if not _runtime_importable():
            _install(cache, progress, niceness)


def _install(cache: Path, progress: ProgressCallback, niceness: int) -> None:
    wheel = cached_wheel(cache) or build_wheel(cache, progress, niceness=niceness)
    progress(STAGE_INSTALL, 0, 0)
    _run_pip(
        [
            "install",
            "--disable-pip-version-check",
            "--find-links",
            str(wheel.parent),
            # Never fall back to another source build if the cached wheel does not fit.
            "--only-binary",
            LLAMA_CPP_PROJECT,
            f"{LLAMA_CPP_PROJECT}[server]=={LLAMA_CPP_VERSION}",
        ],
        f"Installing {wheel.name} with its server dependencies failed",
    )
    check = subprocess.run(
        [sys.executable, "-c", "import llama_cpp.server.app"],
        capture_output=True,
        text=True,
        check=False,
    )
    if check.returncode != 0:
        last = (check.stderr.strip().splitlines() or ["no output"])[-1]
        raise EmbeddedModelError(f"llama-cpp-python was installed but does not load: {last}")
    importlib.invalidate_caches()
    progress(STAGE_INSTALL, 1, 1)


def build_wheel(wheel_cache: Path, progress: ProgressCallback, *, niceness: int = 10) -> Path:
    """Build the pinned llama-cpp-python source into a portable wheel in ``wheel_cache``."""
    wheel_cache.mkdir(parents=True, exist_ok=True)
    log_path = wheel_cache / f"{LLAMA_CPP_PROJECT}-{LLAMA_CPP_VERSION}-build.log"
    progress(STAGE_BUILD, 0, 0)
    with tempfile.TemporaryDirectory(prefix="eduteach-build-") as work:
        requirements = Path(work) / "requirements.txt"
        requirements.write_text(
            f"{LLAMA_CPP_PROJECT}=={LLAMA_CPP_VERSION} --hash=sha256:{LLAMA_CPP_SDIST_SHA256}\n",
            encoding="utf-8",
        )
        out_dir = Path(work) / "out"
        command = [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--disable-pip-version-check",
            "--no-deps",
            "--no-binary",
            LLAMA_CPP_PROJECT,
            "--require-hashes",
            # Verbose, so that ninja's step counter reaches us.
            "-v",
            "-r",
            str(requirements),
            "-w",
            str(out_dir),
        ]
        if niceness and shutil.which("nice"):
            command = ["nice", "-n", str(niceness), *command]
        env = {
            **os.environ,
            "CMAKE_ARGS": LLAMA_CPP_CMAKE_ARGS,
            "CMAKE_BUILD_PARALLEL_LEVEL": str(_cpu_count()),
            "PYTHONUNBUFFERED": "1",
        }
        tail: deque[str] = deque(maxlen=80)
        with (
            log_path.open("w", encoding="utf-8") as log,
            subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
            ) as proc,
        ):
            assert proc.stdout is not None
            for line in proc.stdout:
                log.write(line)
                tail.append(line.rstrip())
                step = _BUILD_STEP.search(line)
                if step:
                    progress(STAGE_BUILD, int(step.group(1)), int(step.group(2)))
            returncode = proc.wait()
        if returncode != 0:
            raise EmbeddedModelError(_explain_build_failure(list(tail), log_path))
        built = sorted(out_dir.glob("*.whl"))
        if not built:
            raise EmbeddedModelError(
                f"Building llama-cpp-python produced no wheel; the build log is {log_path}."
            )
        # Moved in only when complete, so the cache never holds a half-written wheel.
        final = wheel_cache / built[-1].name
        shutil.move(built[-1], final)
    return final


class EmbeddedServer:
    """llama-cpp-python's OpenAI-compatible server for one model, as a child process.

    Use as a context manager, or call :meth:`start` and :meth:`stop`; it is also stopped
    when this process exits, and it exits by itself if this process is killed.
    """

    def __init__(
        self,
        model_path: Path,
        spec: ModelSpec = QWEN_MODEL,
        *,
        n_ctx: int = 4096,
        n_threads: int | None = None,
        host: str = "127.0.0.1",
        port: int | None = None,
        startup_timeout: float = 120.0,
        log_path: Path | None = None,
        server_module: str = "llama_cpp.server",
        extra_env: Mapping[str, str] | None = None,
    ) -> None:
        self.model_path = model_path
        self.model_name = spec.alias
        self.chat_format = spec.chat_format
        self.n_ctx = n_ctx
        self.n_threads = n_threads or _cpu_count()
        self.host = host
        self.port = port or 0
        self.startup_timeout = startup_timeout
        self.server_module = server_module
        self.extra_env = dict(extra_env or {})
        self._fixed_port = port is not None
        self._keep_log = log_path is not None
        self._log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible base URL, ending in ``/v1``."""
        return f"http://{self.host}:{self.port}/v1"

    @property
    def running(self) -> bool:
        """True while the server process is alive."""
        return self._process is not None and self._process.poll() is None

    def start(self) -> EmbeddedServer:
        """Start the server and wait until it answers ``GET /v1/models``."""
        if self.running:
            return self
        if not self.model_path.is_file():
            raise EmbeddedModelError(f"The model file {self.model_path} does not exist.")
        attempts = 1 if self._fixed_port else 3
        for attempt in range(attempts):
            if not self._fixed_port:
                self.port = _free_port(self.host)
            self._spawn()
            try:
                self._wait_until_ready()
                return self
            except EmbeddedModelError:
                lost_race = "address already in use" in self.log_tail().lower()
                self.stop()
                if not lost_race or attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")

    def stop(self) -> None:
        """Stop the server (gracefully, then by force after 10 seconds)."""
        atexit.unregister(self.stop)
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._log_path is not None and not self._keep_log:
            self._log_path.unlink(missing_ok=True)
            self._log_path = None

    def log_tail(self, lines: int = 15) -> str:
        """The last lines the server printed (for error messages and diagnostics)."""
        if self._log_path is None or not self._log_path.exists():
            return ""
        with self._log_path.open(encoding="utf-8", errors="replace") as log:
            return "\n".join(line.rstrip() for line in deque(log, maxlen=lines))

    def __enter__(self) -> EmbeddedServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _command(self) -> list[str]:
        wrapper = Path(__file__).with_name("_serve.py")
        return [
            sys.executable,
            str(wrapper),
            str(os.getpid()),
            self.server_module,
            "--model",
            str(self.model_path),
            "--model_alias",
            self.model_name,
            "--host",
            self.host,
            "--port",
            str(self.port),
            "--n_ctx",
            str(self.n_ctx),
            "--n_threads",
            str(self.n_threads),
            "--n_threads_batch",
            str(self.n_threads),
            "--chat_format",
            self.chat_format,
            # By default a new request cuts off a streaming one: concurrent teachers would
            # get each other's generations truncated. Without it they simply queue.
            "--interrupt_requests",
            "false",
        ]

    def _spawn(self) -> None:
        if self._log_path is None:
            fd, name = tempfile.mkstemp(prefix="eduteach-llama-server-", suffix=".log")
            os.close(fd)
            self._log_path = Path(name)
        env = {
            name: value
            for name, value in os.environ.items()
            if name in _ENV_KEEP or name.startswith(_ENV_KEEP_PREFIXES)
        }
        env.update(self.extra_env)
        if "OMP_WAIT_POLICY" not in env:
            # OpenMP threads spin at barriers by default; when other processes share the cores
            # (web workers, a second model) decoding fell from 16 to under 1 token/s here.
            # A short spin keeps the idle speed and avoids that collapse (8 to 15 tokens/s).
            env.setdefault("GOMP_SPINCOUNT", "10000")
        with self._log_path.open("wb") as log:
            self._process = subprocess.Popen(
                self._command(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
            )
        atexit.register(self.stop)

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while True:
            process = self._process
            if process is None or process.poll() is not None:
                code = None if process is None else process.returncode
                raise EmbeddedModelError(
                    f"The embedded model server exited (code {code}) before it was ready; "
                    f"its last lines:\n{self.log_tail()}"
                )
            if self._answers_models():
                return
            if time.monotonic() > deadline:
                raise EmbeddedModelError(
                    f"The embedded model server did not answer within "
                    f"{self.startup_timeout:.0f} s; its last lines:\n{self.log_tail()}"
                )
            time.sleep(0.2)

    def _answers_models(self) -> bool:
        # A proxy from the environment must not see (or break) calls to our own child.
        with requests.Session() as session:
            session.trust_env = False
            try:
                response = session.get(f"{self.base_url}/models", timeout=2)
                body = response.json()
            except (requests.RequestException, ValueError):
                return False
        return (
            response.status_code == 200
            and isinstance(body, dict)
            and isinstance(body.get("data"), list)
        )


def _runtime_importable() -> bool:
    try:
        version = metadata.version(LLAMA_CPP_PROJECT)
    except metadata.PackageNotFoundError:
        return False
    if version != LLAMA_CPP_VERSION:
        return False
    importlib.invalidate_caches()
    return all(importlib.util.find_spec(name) is not None for name in SERVER_MODULES)


def _run_pip(args: list[str], failure: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", *args], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        lines = (result.stderr + result.stdout).strip().splitlines()
        errors = [line.removeprefix("ERROR: ") for line in lines if line.startswith("ERROR:")]
        reason = errors[-1] if errors else (lines[-1] if lines else "no output")
        raise EmbeddedModelError(f"{failure}: {reason.rstrip('.')}.")


def _explain_build_failure(lines: list[str], log_path: Path) -> str:
    text = "\n".join(lines)
    if "CMAKE_C_COMPILER" in text or "CMAKE_CXX_COMPILER" in text:
        return (
            "Building llama-cpp-python needs a C/C++ compiler (on Debian: apt install "
            f"build-essential cmake); the build log is {log_path}."
        )
    if "DO NOT MATCH THE HASHES" in text:
        return (
            "The downloaded llama-cpp-python source does not match its pinned SHA-256, "
            "so it was not built."
        )
    return f"Building llama-cpp-python {LLAMA_CPP_VERSION} failed; the build log is {log_path}."


def _free_port(host: str) -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
