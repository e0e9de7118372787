"""The generation engine's own overhead, against a fake model with a fixed latency and token rate.

Every run generates one lesson plan through the real engine (prompt templates, the openai
client over loopback HTTP, JSON parsing, Pydantic validation, the domain checks, repair
rounds) and then renders its Word document. The fake model (``tests/fakes/openai_server.py``)
waits ``latency + completion_tokens / tokens_per_second`` before each answer, exactly as a
model with that speed would; that wait is the *pure model time*. The ratio end-to-end time /
pure model time is what the engine costs on top of the model (1.00 = nothing).

Scenarios: ``valid`` (the first answer passes), ``repair`` (the first answer breaks the
minutes check and one repair round fixes it: two model calls), and ``instant`` (a model that
answers at once: what is left is the engine's absolute cost per generation, plus the fake
server's own HTTP handling in this same process).

Run from the repository root::

    python -m benchmarks.engine_overhead --runs 5 --latency 0.3 --tokens-per-second 50
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import threading
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from benchmarks.stats import percentile, table
from eduteach.content.kinds import kind
from eduteach.exports import DocumentMeta, render_lesson_plan_docx
from eduteach.generation import EndpointConfig, InMemoryModeCache, ModelClient, generate
from tests.fakes.openai_server import FakeOpenAI, FakeReply
from tests.plans.samples import lesson_params, lesson_plan_data

META = DocumentMeta(
    course_title="Benchmark",
    subject="Mathematics",
    grade="Grade 5",
    duration="45 minutes",
    language="English",
    generated=date(2025, 1, 1),
    model_label="fake-model",
)


def _model_seconds(content: str, latency: float, tokens_per_second: float | None) -> float:
    """What the fake waits before sending ``content`` (its own formula, repeated here)."""
    tokens = max(1, len(content) // 4)
    return latency + (tokens / tokens_per_second if tokens_per_second else 0.0)


def _broken_plan() -> str:
    steps = lesson_plan_data()["procedure"]
    longer = [*steps[:-1], {**steps[-1], "minutes": steps[-1]["minutes"] + 10}]
    return json.dumps(lesson_plan_data(procedure=longer))


class ScriptedModel:
    """Answers each generation with the scenario's replies and remembers what it served."""

    def __init__(self, script: list[str]) -> None:
        self._script = script
        self._lock = threading.Lock()
        self.served: list[str] = []

    def new_generation(self) -> None:
        with self._lock:
            self.served = []

    def __call__(self, body: dict[str, Any]) -> FakeReply:
        with self._lock:
            content = self._script[min(len(self.served), len(self._script) - 1)]
            self.served.append(content)
        return FakeReply(content=content)


@dataclass(frozen=True)
class Run:
    model_s: float
    engine_s: float
    docx_s: float
    calls: int


def _run_scenario(
    script: list[str], latency: float, tokens_per_second: float | None, runs: int
) -> list[Run]:
    scripted = ScriptedModel(script)
    spec = kind("lesson_plan").spec()
    params = lesson_params()
    results: list[Run] = []
    with FakeOpenAI(
        responder=scripted, latency=latency, tokens_per_second=tokens_per_second
    ) as fake:
        config = EndpointConfig(
            base_url=fake.base_url, model=fake.model, max_retries=0, total_timeout=120
        )
        with ModelClient(config, mode_cache=InMemoryModeCache()) as client:
            # The first run pays for imports, template compilation and a new connection.
            for number in range(runs + 1):
                scripted.new_generation()
                started = time.perf_counter()
                result = generate(client, spec, params)
                engine_s = time.perf_counter() - started
                started = time.perf_counter()
                render_lesson_plan_docx(result.output.model_dump(mode="json"), META)
                docx_s = time.perf_counter() - started
                model_s = sum(
                    _model_seconds(c, latency, tokens_per_second) for c in scripted.served
                )
                if number:
                    results.append(Run(model_s, engine_s, docx_s, len(scripted.served)))
    return results


def _row(name: str, runs: list[Run]) -> list[object]:
    model = statistics.mean(r.model_s for r in runs)
    engine = statistics.mean(r.engine_s for r in runs)
    overheads = [(r.engine_s - r.model_s) * 1000 for r in runs]
    ratio = f"{engine / model:.3f}" if model > 0.001 else "n/a"
    return [
        name,
        len(runs),
        runs[0].calls,
        f"{model:.2f}",
        f"{engine:.2f}",
        f"{statistics.mean(overheads):.0f}",
        f"{percentile(overheads, 0.95):.0f}",
        ratio,
        f"{statistics.mean(r.docx_s for r in runs) * 1000:.0f}",
    ]


def main(argv: list[str] | None = None) -> int:
    """Run the three scenarios and print a Markdown table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.engine_overhead")
    parser.add_argument("--runs", type=int, default=5, help="generations per scenario")
    parser.add_argument("--latency", type=float, default=0.3, help="seconds before each answer")
    parser.add_argument("--tokens-per-second", type=float, default=50.0)
    args = parser.parse_args(argv)
    # The fake model's access log would bury the table.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    if not 1 <= args.runs <= 100:
        parser.error("--runs must be between 1 and 100")

    good = json.dumps(lesson_plan_data())
    scenarios: list[tuple[str, list[str], float, float | None]] = [
        ("valid", [good], args.latency, args.tokens_per_second),
        ("repair", [_broken_plan(), good], args.latency, args.tokens_per_second),
        ("instant", [good], 0.0, None),
    ]
    rows = [
        _row(name, _run_scenario(script, latency, tps, args.runs))
        for name, script, latency, tps in scenarios
    ]
    print(
        f"Lesson plan answer: {len(good):,} characters = {max(1, len(good) // 4)} completion "
        f"tokens; fake model: {args.latency * 1000:.0f} ms + {args.tokens_per_second:g} tokens/s."
    )
    print(
        table(
            [
                "scenario",
                "runs",
                "model calls",
                "model s",
                "end-to-end s",
                "overhead ms",
                "p95 overhead ms",
                "ratio",
                "Word ms",
            ],
            rows,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
