"""The server's life cycle, with a tiny stand-in for llama_cpp.server (no model, no build)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import requests

from eduteach.embedded import SMOLLM2_FIXTURE, EmbeddedModelError, EmbeddedServer

FAKE_SERVER = textwrap.dedent(
    """
    import argparse, json, os, sys, time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    parser = argparse.ArgumentParser()
    for name in ("--model", "--model_alias", "--host", "--port", "--n_ctx", "--chat_format",
                 "--n_threads", "--n_threads_batch", "--interrupt_requests"):
        parser.add_argument(name)
    args = parser.parse_args()
    with open(os.environ["FAKE_RECORD"], "w") as record:
        json.dump({"args": vars(args), "env": dict(os.environ)}, record)
    print("loading model", args.model, flush=True)
    mode = os.environ.get("FAKE_MODE", "serve")
    if mode == "crash":
        print("error: failed to load model: unknown architecture", flush=True)
        sys.exit(3)
    if mode == "hang":
        time.sleep(120)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({"object": "list", "data": [{"id": args.model_alias}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    ThreadingHTTPServer((args.host, int(args.port)), Handler).serve_forever()
    """
)


@pytest.fixture
def fake(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "fake_openai_server.py").write_text(FAKE_SERVER)
    model = tmp_path / "model.gguf"
    model.write_bytes(b"GGUF")
    return {"dir": tmp_path, "model": model, "record": tmp_path / "record.json"}


def server(fake: dict[str, Path], mode: str = "serve", **options: float) -> EmbeddedServer:
    return EmbeddedServer(
        fake["model"],
        SMOLLM2_FIXTURE,
        server_module="fake_openai_server",
        extra_env={
            "PYTHONPATH": str(fake["dir"]),
            "FAKE_MODE": mode,
            "FAKE_RECORD": str(fake["record"]),
        },
        **options,  # type: ignore[arg-type]
    )


def refused(url: str) -> bool:
    """True when nothing answers at ``url`` (a server going away mid-answer counts as gone)."""
    try:
        requests.get(url, timeout=2)
    except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
        return True
    return False


def test_server_answers_at_base_url_and_is_gone_after_the_block(fake: dict[str, Path]) -> None:
    with server(fake) as running:
        response = requests.get(f"{running.base_url}/models", timeout=5)
        base_url = running.base_url

        assert base_url.startswith("http://127.0.0.1:")
        assert base_url.endswith("/v1")
        assert response.json()["data"][0]["id"] == running.model_name == "smollm2-135m-instruct"

    assert not running.running
    assert refused(f"{base_url}/models")


def test_server_gets_the_settings_the_model_needs(fake: dict[str, Path]) -> None:
    with server(fake):
        args = json.loads(fake["record"].read_text())["args"]

    assert args["model"] == str(fake["model"])
    assert args["n_ctx"] == "4096"
    assert args["chat_format"] == "chatml"
    # Concurrent teachers must queue, not cut each other's generations short.
    assert args["interrupt_requests"] == "false"


def test_environment_settings_do_not_leak_into_the_server(
    fake: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # llama_cpp.server reads PORT, HOST, API_KEY ... from the environment over its arguments.
    monkeypatch.setenv("PORT", "1")
    monkeypatch.setenv("API_KEY", "not-for-the-model-server")
    monkeypatch.setenv("EDUTEACH_SECRET_KEY", "not-for-the-model-server")

    with server(fake):
        env = json.loads(fake["record"].read_text())["env"]

    assert {"PORT", "API_KEY", "EDUTEACH_SECRET_KEY"}.isdisjoint(env)


def test_openmp_threads_do_not_spin_for_long_on_shared_cores(fake: dict[str, Path]) -> None:
    with server(fake):
        env = json.loads(fake["record"].read_text())["env"]

    assert env["GOMP_SPINCOUNT"] == "10000"


def test_an_admins_openmp_wait_policy_is_kept(
    fake: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OMP_WAIT_POLICY", "ACTIVE")

    with server(fake):
        env = json.loads(fake["record"].read_text())["env"]

    assert env["OMP_WAIT_POLICY"] == "ACTIVE"
    assert "GOMP_SPINCOUNT" not in env


def test_a_crashing_server_is_reported_with_its_last_lines(fake: dict[str, Path]) -> None:
    with pytest.raises(EmbeddedModelError, match="exited") as failure:
        server(fake, "crash").start()

    assert "unknown architecture" in str(failure.value)


def test_a_server_that_never_answers_times_out_and_is_stopped(fake: dict[str, Path]) -> None:
    started = time.monotonic()
    embedded = server(fake, "hang", startup_timeout=1.5)

    with pytest.raises(EmbeddedModelError, match="did not answer within 2 s") as failure:
        embedded.start()

    assert "loading model" in str(failure.value)
    assert time.monotonic() - started < 15
    assert not embedded.running


def test_a_missing_model_file_is_named(fake: dict[str, Path]) -> None:
    fake["model"].unlink()

    with pytest.raises(EmbeddedModelError, match=r"model\.gguf does not exist"):
        server(fake).start()


def test_server_exits_when_the_process_that_started_it_is_killed(fake: dict[str, Path]) -> None:
    parent = textwrap.dedent(
        f"""
        import os, sys
        from pathlib import Path
        from eduteach.embedded import SMOLLM2_FIXTURE, EmbeddedServer
        server = EmbeddedServer(
            Path({str(fake["model"])!r}), SMOLLM2_FIXTURE, server_module="fake_openai_server",
            extra_env={{"PYTHONPATH": {str(fake["dir"])!r}, "FAKE_RECORD": {str(fake["record"])!r}}},
            log_path=Path({str(fake["dir"] / "server.log")!r}),
        ).start()
        print(server.base_url, flush=True)
        os._exit(0)  # like SIGKILL: no atexit, no stop()
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", parent], capture_output=True, text=True, timeout=60, check=True
    )
    base_url = result.stdout.strip()

    deadline = time.monotonic() + 10
    while not refused(f"{base_url}/models") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert refused(f"{base_url}/models")
