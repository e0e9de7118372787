"""The background deliverer and the ``eduteach grades`` commands."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from eduteach.cli import main
from eduteach.grades import DeliveryRunner, wake
from eduteach.services import Services
from eduteach.storage.db import Database
from tests.grades.ags_server import AgsServer, Reply
from tests.grades.conftest import LATER, SUBMITTED, Classroom


def test_a_woken_runner_sends_at_once_and_stops_cleanly(
    services: Services, classroom: Classroom, ags: AgsServer
) -> None:
    # An hour between polls: only a wake-up can get these scores out during the test.
    runner = DeliveryRunner(services, interval=3600).start()
    try:
        classroom.submit("student-a", 4, 4, at=SUBMITTED)
        wake()
        assert ags.wait_for_scores(1)
        # The round that sent the first score is over; the runner is waiting for the hour.
        classroom.submit("student-b", 2, 4, at=LATER)
        wake()
        assert ags.wait_for_scores(2)
    finally:
        runner.stop()
    assert not runner.running
    assert [p.body["userId"] for p in ags.scores] == ["student-a", "student-b"]


@pytest.fixture
def env(db: Database, tmp_path: Path) -> dict[str, str]:
    return {
        "EDUTEACH_INSTANCE_PATH": str(tmp_path / "cli"),
        "EDUTEACH_DATABASE_URL": db.url,
        "EDUTEACH_BASE_URL": "https://eduteach.example.edu",
    }


@pytest.fixture
def cli(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return CliRunner()


def test_grades_deliver_sends_what_is_due_and_says_how_it_went(
    cli: CliRunner, classroom: Classroom, ags: AgsServer
) -> None:
    ags.queue(Reply(200), Reply(404))
    classroom.submit("student-a", 4, 4, at=SUBMITTED)
    classroom.submit("student-b", 1, 4, at=LATER)

    result = cli.invoke(main, ["grades", "deliver"])

    assert result.exit_code == 0, result.output
    assert "Delivered 1" in result.output
    assert "needing a teacher's attention 1" in result.output
    assert [p.body["userId"] for p in ags.scores] == ["student-a"]


def test_grades_list_shows_what_needs_attention_without_naming_students(
    cli: CliRunner, classroom: Classroom, ags: AgsServer
) -> None:
    assert "Every score has reached the LMS." in cli.invoke(main, ["grades", "list"]).output
    ags.queue(Reply(404))
    refused = classroom.submit("student-a", 3, 4, at=SUBMITTED)
    cli.invoke(main, ["grades", "deliver"])
    ags.go_down(Reply(503))
    waiting = classroom.submit("student-b", 1, 4, at=LATER)
    cli.invoke(main, ["grades", "deliver"])

    everything = cli.invoke(main, ["grades", "list"]).output
    attention = cli.invoke(main, ["grades", "list", "--needs-attention"]).output

    assert f"#{refused}" in everything
    assert f"#{waiting}" in everything
    assert f"#{refused}" in attention
    assert f"#{waiting}" not in attention
    assert "Biology 9 / Cells quiz" in attention
    assert "no longer has this grade column (404)" in attention
    assert "student-" not in everything


def test_grades_deliver_loop_keeps_delivering_until_terminated(
    env: dict[str, str], classroom: Classroom, ags: AgsServer
) -> None:
    classroom.submit("student-a", 4, 4, at=SUBMITTED)
    process = subprocess.Popen(
        [sys.executable, "-m", "eduteach", "grades", "deliver", "--loop"],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert ags.wait_for_scores(1, timeout=60)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr.decode()[-2000:]
