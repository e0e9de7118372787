"""The admin's command line: platforms, keys, database, and clear errors."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from eduteach.cli import main
from eduteach.practice_lms.serving import listener_url, open_listener
from eduteach.storage.db import Database

CANVAS = [
    "--issuer", "https://canvas.instructure.com",
    "--client-id", "10000000000042",
    "--auth-login-url", "https://sso.canvaslms.com/api/lti/authorize_redirect",
    "--auth-token-url", "https://sso.canvaslms.com/login/oauth2/token",
    "--key-set-url", "https://sso.canvaslms.com/api/lti/security/jwks",
]  # fmt: skip


@pytest.fixture
def cli(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("EDUTEACH_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("EDUTEACH_DATABASE_URL", db.url)
    monkeypatch.setenv("EDUTEACH_BASE_URL", "https://eduteach.example.edu")
    return CliRunner()


def test_platform_add_list_and_remove(cli: CliRunner) -> None:
    added = cli.invoke(
        main,
        [
            "platform",
            "add",
            *CANVAS,
            "--deployment-id",
            "d1",
            "--deployment-id",
            "d2",
            "--name",
            "District Canvas",
        ],
    )
    assert added.exit_code == 0, added.output
    assert "Registered District Canvas" in added.output
    assert "Deployments added: d1, d2." in added.output

    again = cli.invoke(main, ["platform", "add", *CANVAS, "--deployment-id", "d3"])
    assert again.exit_code == 0
    assert "Updated District Canvas" in again.output
    assert "Deployments added: d3." in again.output

    listing = cli.invoke(main, ["platform", "list"])
    assert "deployments: d1, d2, d3" in listing.output
    assert "https://sso.canvaslms.com/api/lti/security/jwks" in listing.output

    one = cli.invoke(
        main,
        [
            "platform",
            "remove",
            "--issuer",
            CANVAS[1],
            "--client-id",
            CANVAS[3],
            "--deployment-id",
            "d2",
        ],
    )
    assert one.exit_code == 0
    assert "deployments: d1, d3" in cli.invoke(main, ["platform", "list"]).output

    gone = cli.invoke(main, ["platform", "remove", "--issuer", CANVAS[1], "--client-id", CANVAS[3]])
    assert gone.exit_code == 0
    assert "No platforms registered" in cli.invoke(main, ["platform", "list"]).output


def test_same_issuer_with_another_client_id_is_another_platform(cli: CliRunner) -> None:
    cli.invoke(main, ["platform", "add", *CANVAS, "--deployment-id", "d1", "--name", "School A"])
    other = [*CANVAS[:3], "20000000000077", *CANVAS[4:]]
    cli.invoke(main, ["platform", "add", *other, "--deployment-id", "d1", "--name", "School B"])
    listing = cli.invoke(main, ["platform", "list"]).output
    assert "School A" in listing
    assert "School B" in listing


@pytest.mark.parametrize(
    ("change", "phrase"),
    [
        (("--auth-login-url", "http://lms.example.edu/auth"), "must use https://"),
        (("--key-set-url", "not a url"), "must be a full URL"),
    ],
)
def test_platform_add_refuses_bad_values_in_one_sentence(
    cli: CliRunner, change: tuple[str, str], phrase: str
) -> None:
    args = list(CANVAS)
    args[args.index(change[0]) + 1] = change[1]
    result = cli.invoke(main, ["platform", "add", *args, "--deployment-id", "d1"])
    assert result.exit_code == 1
    assert phrase in result.output
    assert "Traceback" not in result.output
    assert "No platforms registered" in cli.invoke(main, ["platform", "list"]).output


def test_removing_an_unknown_platform_says_so(cli: CliRunner) -> None:
    result = cli.invoke(
        main, ["platform", "remove", "--issuer", "https://x.example", "--client-id", "1"]
    )
    assert result.exit_code == 1
    assert "No platform is registered with issuer 'https://x.example'" in result.output


def test_key_rotation_keeps_the_old_key_published_until_retired(cli: CliRunner) -> None:
    first = cli.invoke(main, ["keys", "list"]).output.split()[0]
    assert cli.invoke(main, ["keys", "rotate"]).exit_code == 0
    listing = cli.invoke(main, ["keys", "list"]).output.splitlines()
    assert [line.split()[1] for line in listing] == ["previous", "active"]
    assert listing[0].startswith(first)

    refused = cli.invoke(main, ["keys", "retire", "--", listing[1].split()[0]])
    assert refused.exit_code == 1
    assert "rotate first" in refused.output

    # The message after rotating names the form that works for any id.
    assert cli.invoke(main, ["keys", "retire"]).exit_code == 2
    retired = cli.invoke(main, ["keys", "retire", f"--kid={first}"])
    assert retired.exit_code == 0, retired.output
    assert f"Key {first} retired" in retired.output
    assert "retired   not published" in cli.invoke(main, ["keys", "list"]).output


def test_db_upgrade_is_idempotent(cli: CliRunner) -> None:
    result = cli.invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0
    assert "up to date" in result.output


def test_a_wrong_setting_stops_the_command_with_one_sentence(tmp_path: Path) -> None:
    env = dict(
        os.environ, EDUTEACH_INSTANCE_PATH=str(tmp_path), EDUTEACH_BASE_URL="eduteach.example.edu"
    )
    result = subprocess.run(
        [sys.executable, "-m", "eduteach", "platform", "list"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Error: EDUTEACH_BASE_URL must be a full URL starting with http:// or https:// (got 'eduteach.example.edu')."
    )


def test_serve_runs_gunicorn_workers_that_answer(tmp_path: Path, database_url: str) -> None:
    listener = open_listener()
    url = listener_url(listener)
    port = listener.getsockname()[1]
    listener.close()
    env = dict(
        os.environ,
        EDUTEACH_INSTANCE_PATH=str(tmp_path),
        EDUTEACH_DATABASE_URL=database_url,
        EDUTEACH_BASE_URL=url,
        EDUTEACH_EMBEDDED_MODEL="off",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "eduteach", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                ready = requests.get(url + "/readyz", timeout=5)
                break
            except (requests.ConnectionError, requests.ReadTimeout):
                # Workers are still booting: gunicorn has accepted the connection already.
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline, "eduteach serve did not start"
                time.sleep(0.3)
        assert ready.json() == {"status": "ok", "database": "ok"}
        assert requests.get(url + "/lti/jwks", timeout=5).json()["keys"]
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=30)
    assert "Booting worker" in output
    assert output.count("Booting worker") == 2
