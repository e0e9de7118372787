"""How many concurrent generations one EduTeach instance holds while student pages stay fast.

The tool is served the production way: ``eduteach serve`` (gunicorn, gthread workers) in a
child process, on a fresh SQLite file (the embedded default) or a fresh PostgreSQL database.
Its model endpoint is the fake model (``tests/fakes/openai_server.py``) in this process,
answering every call with a valid lesson plan after ``latency + tokens / tokens_per_second``.

For each concurrency level K, K teachers each post the real create form
(``POST /teacher/new/lesson_plan``, launch token and CSRF token as the browser sends them),
so jobs run on the real job path: a job row, the instance's job threads, the engine, the
artifact stored with its version. Each teacher then polls ``/teacher/jobs/<id>/status`` once a
second like the progress page does. Meanwhile a fixed student load (``--clients`` loops, each
``GET /student`` then ``GET /healthz`` with a pause) records latencies; the level ends when
every job has finished (or after ``--max-seconds``). K = 0 is the baseline.

Loopback only; every loop is bounded; the server, the database and the fake model are
removed at the end. Run from the repository root::

    python -m benchmarks.concurrency --levels 0,1,4,8,16,32 --database sqlite
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import logging
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import requests
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from benchmarks.stats import percentile, table
from eduteach.lti import claims
from eduteach.lti.context import LaunchContext
from eduteach.lti.roles import Audience
from eduteach.lti.sessions import csrf_token
from eduteach.storage import migrate
from eduteach.storage.db import Database
from eduteach.storage.models import (
    Course,
    Deployment,
    GenerationJob,
    LaunchRecord,
    Platform,
    utcnow,
)
from tests.fakes.openai_server import FakeOpenAI
from tests.plans.samples import STANDARD, lesson_plan_data

FAST_P95_MS = 200.0
_JOB_ID = re.compile(r"/teacher/jobs/([0-9a-f-]{36})")
_ISSUER = "https://lms.bench.invalid"


# -- the instance under test -----------------------------------------------------------------


@dataclass(frozen=True)
class Tokens:
    teacher: str
    student: str
    csrf: str


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def _database(kind: str, workdir: Path) -> Iterator[str]:
    """A fresh, migrated database URL; a PostgreSQL one is dropped afterwards."""
    if kind == "sqlite":
        url = f"sqlite:///{workdir / 'eduteach.sqlite3'}"
        db = Database(url)
        migrate.upgrade(db.engine)
        db.dispose()
        yield url
        return
    base = os.environ.get(
        "EDUTEACH_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
    )
    admin_url = "postgresql+psycopg://" + base.split("://", 1)[1]
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"eduteach_bench_{secrets.token_hex(4)}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        db = Database(url)
        migrate.upgrade(db.engine)
        db.dispose()
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _launch(audience: Audience, sub: str, role: str, base_url: str) -> LaunchContext:
    return LaunchContext(
        issuer=_ISSUER,
        client_id="bench-client",
        deployment_id="bench-deployment",
        user_sub=sub,
        audience=audience,
        roles=(f"http://purl.imsglobal.org/vocab/lis/v2/membership#{role}",),
        message_type=claims.RESOURCE_LINK_REQUEST,
        target_link_uri=f"{base_url}/lti/launch",
        context_id="bench-course",
        context_title="Benchmark course",
        resource_link_id="bench-link",
    )


def _seed(url: str, secret_key: str, base_url: str) -> Tokens:
    """A platform, a course, and one teacher and one student launch, as a real launch stores them."""
    db = Database(url)
    teacher, student = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with db.session() as s:
        platform = Platform(
            name="Benchmark LMS",
            issuer=_ISSUER,
            client_id="bench-client",
            auth_login_url=f"{_ISSUER}/auth",
            auth_token_url=f"{_ISSUER}/token",
            key_set_url=f"{_ISSUER}/jwks",
            frame_origins=[],
        )
        platform.deployments.append(Deployment(deployment_id="bench-deployment"))
        s.add(platform)
        s.flush()
        course = Course(deployment_pk=platform.deployments[0].id, context_id="bench-course")
        s.add(course)
        s.flush()
        for token, context in (
            (teacher, _launch(Audience.TEACHER, "bench-teacher", "Instructor", base_url)),
            (student, _launch(Audience.STUDENT, "bench-student", "Learner", base_url)),
        ):
            s.add(
                LaunchRecord(
                    id=hashlib.sha256(token.encode()).hexdigest(),
                    platform_id=platform.id,
                    course_id=course.id,
                    context=context.to_dict(),
                    expires_at=utcnow() + timedelta(hours=8),
                )
            )
    db.dispose()
    return Tokens(teacher, student, csrf_token(secret_key, teacher))


@contextlib.contextmanager
def _serve(env: dict[str, str], port: int, args: argparse.Namespace, log: Path) -> Iterator[str]:
    """``eduteach serve`` in its own process group, stopped (whole group) afterwards."""
    command = [sys.executable, "-m", "eduteach", "serve", "--port", str(port)]
    command += ["--threads", str(args.threads)]
    if args.workers:
        command += ["--workers", str(args.workers)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"eduteach serve exited; see {log}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"eduteach serve did not answer in 60 s; see {log}")
            time.sleep(0.2)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# -- load ------------------------------------------------------------------------------------


@dataclass
class Samples:
    """Latencies in milliseconds, by what was asked for."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    by_path: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0

    def add(self, path: str, ms: float, ok: bool) -> None:
        with self.lock:
            self.by_path.setdefault(path, []).append(ms)
            if not ok:
                self.errors += 1

    def of(self, path: str) -> list[float]:
        with self.lock:
            return list(self.by_path.get(path, []))


def _timed_get(
    http: requests.Session, url: str, headers: dict[str, str], samples: Samples, path: str
) -> requests.Response | None:
    started = time.perf_counter()
    try:
        response = http.get(url, headers=headers, timeout=10, allow_redirects=False)
    except requests.RequestException:
        samples.add(path, (time.perf_counter() - started) * 1000, ok=False)
        return None
    samples.add(path, (time.perf_counter() - started) * 1000, ok=response.status_code == 200)
    return response


def _student_loop(base: str, token: str, pause: float, stop: threading.Event, out: Samples) -> None:
    with requests.Session() as http:
        while not stop.is_set():
            _timed_get(http, f"{base}/student", {"X-Launch-Token": token}, out, "student")
            _timed_get(http, f"{base}/healthz", {}, out, "healthz")
            stop.wait(pause)


@dataclass
class JobResult:
    status: str = "failed"
    job_id: str = ""


def _teacher(
    base: str, tokens: Tokens, deadline: float, samples: Samples, result: JobResult
) -> None:
    """Post the create form, then poll the job's status once a second until it ends."""
    form = {
        "subject": "Mathematics",
        "grade": "5",
        "description": "Adding fractions with unlike denominators using fraction strips",
        "duration_minutes": "45",
        "language": "English",
        "tone": "encouraging",
        "standards": STANDARD,
        "csrf_token": tokens.csrf,
    }
    headers = {"X-Launch-Token": tokens.teacher}
    started = time.perf_counter()
    with requests.Session() as http:
        posted = http.post(
            f"{base}/teacher/new/lesson_plan",
            data=form,
            headers=headers,
            timeout=30,
            allow_redirects=False,
        )
        samples.add("create", (time.perf_counter() - started) * 1000, posted.status_code == 303)
        found = _JOB_ID.search(posted.headers.get("Location", ""))
        if found is None:
            result.status = f"not created (HTTP {posted.status_code})"
            return
        result.job_id = found.group(1)
        status_url = f"{base}/teacher/jobs/{result.job_id}/status"
        while time.monotonic() < deadline:
            time.sleep(1.0)
            response = _timed_get(http, status_url, headers, samples, "status")
            if response is None or response.status_code != 200:
                continue
            status = response.json().get("status")
            if status in ("succeeded", "failed"):
                result.status = str(status)
                return
        result.status = "unfinished"


@dataclass(frozen=True)
class Level:
    jobs: int
    succeeded: int
    run_seconds: list[float]
    """Per job, from a worker thread taking it to the stored artifact (the database's clock)."""
    wait_seconds: list[float]
    """Per job, from the form post to a worker thread taking it."""
    wall_seconds: float
    samples: Samples


def _job_times(url: str, job_ids: list[str]) -> tuple[list[float], list[float]]:
    """Run and wait times of these jobs, as the job rows recorded them."""
    if not job_ids:
        return [], []
    db = Database(url)
    with db.session() as s:
        rows = list(s.scalars(select(GenerationJob).where(GenerationJob.id.in_(job_ids))))
    db.dispose()
    runs = [
        (r.finished_at - r.started_at).total_seconds()
        for r in rows
        if r.finished_at and r.started_at
    ]
    waits = [(r.started_at - r.created_at).total_seconds() for r in rows if r.started_at]
    return runs, waits


def _run_level(base: str, url: str, tokens: Tokens, jobs: int, args: argparse.Namespace) -> Level:
    samples = Samples()
    stop = threading.Event()
    loops = [
        threading.Thread(
            target=_student_loop, args=(base, tokens.student, args.pause, stop, samples)
        )
        for _ in range(args.clients)
    ]
    for loop in loops:
        loop.start()
    started = time.monotonic()
    if jobs == 0:
        stop.wait(args.baseline_seconds)
        results: list[JobResult] = []
    else:
        deadline = started + args.max_seconds
        results = [JobResult() for _ in range(jobs)]
        teachers = [
            threading.Thread(target=_teacher, args=(base, tokens, deadline, samples, r))
            for r in results
        ]
        for teacher in teachers:
            teacher.start()
        for teacher in teachers:
            teacher.join()
    wall = time.monotonic() - started
    stop.set()
    for loop in loops:
        loop.join()
    runs, waits = _job_times(url, [r.job_id for r in results if r.job_id])
    return Level(
        jobs=jobs,
        succeeded=sum(r.status == "succeeded" for r in results),
        run_seconds=runs,
        wait_seconds=waits,
        wall_seconds=wall,
        samples=samples,
    )


def _stored_jobs(url: str) -> dict[str, int]:
    """How many jobs ended how (a failure by its error code), warm-up jobs included."""
    db = Database(url)
    with db.session() as s:
        rows = s.execute(select(GenerationJob.status, GenerationJob.error_code)).all()
    db.dispose()
    outcomes = [f"{status} ({code})" if code else status for status, code in rows]
    return {outcome: outcomes.count(outcome) for outcome in sorted(set(outcomes))}


def _ms(values: list[float], fraction: float) -> str:
    return f"{percentile(values, fraction):.0f}" if values else "-"


def main(argv: list[str] | None = None) -> int:
    """Run every level against one fresh instance and print a Markdown table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.concurrency")
    parser.add_argument("--levels", default="0,1,4,8,16,32", help="concurrent jobs per level")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (0: its default)")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--job-threads", type=int, default=32, help="EDUTEACH_JOB_THREADS")
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--tokens-per-second", type=float, default=50.0)
    parser.add_argument("--clients", type=int, default=4, help="student load loops")
    parser.add_argument("--pause", type=float, default=0.05, help="seconds between loop turns")
    parser.add_argument("--baseline-seconds", type=float, default=10.0)
    parser.add_argument("--max-seconds", type=float, default=180.0, help="cap per level")
    parser.add_argument(
        "--warmup", type=int, default=8, help="jobs run first and not reported (0: none)"
    )
    args = parser.parse_args(argv)
    # The fake model's access log would bury the table.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    levels = [int(x) for x in args.levels.split(",") if x.strip()]
    if any(not 0 <= k <= 128 for k in [*levels, args.warmup]) or not 1 <= args.clients <= 32:
        parser.error("levels and --warmup must be 0 to 128, and --clients 1 to 32")

    plan = lesson_plan_data()
    secret_key = secrets.token_urlsafe(48)
    port = _free_port()
    rows: list[list[object]] = []
    holds = 0
    with (
        tempfile.TemporaryDirectory(prefix="eduteach-bench-") as work,
        FakeOpenAI(
            responder=lambda body: plan,
            latency=args.latency,
            tokens_per_second=args.tokens_per_second,
        ) as fake,
        _database(args.database, Path(work)) as url,
    ):
        base_url = f"http://127.0.0.1:{port}"
        tokens = _seed(url, secret_key, base_url)
        env = {k: v for k, v in os.environ.items() if not k.startswith("EDUTEACH_")}
        env |= {
            "EDUTEACH_DATABASE_URL": url,
            "EDUTEACH_INSTANCE_PATH": work,
            "EDUTEACH_SECRET_KEY": secret_key,
            "EDUTEACH_BASE_URL": base_url,
            "EDUTEACH_LLM_BASE_URL": fake.base_url,
            "EDUTEACH_LLM_MODEL": fake.model,
            "EDUTEACH_JOB_THREADS": str(args.job_threads),
            "EDUTEACH_LOG_LEVEL": "WARNING",
        }
        log = Path(work) / "serve.log"
        model_s = args.latency + max(1, len(json.dumps(plan)) // 4) / args.tokens_per_second
        with _serve(env, port, args, log) as base:
            # Each worker starts its job threads and imports the engine on its first job;
            # that one-off second is not what a busy instance costs, so it is paid here.
            if args.warmup:
                _run_level(base, url, tokens, args.warmup, args)
            for jobs in levels:
                level = _run_level(base, url, tokens, jobs, args)
                student = level.samples.of("student")
                health = level.samples.of("healthz")
                status = level.samples.of("status")
                fast = percentile(student, 0.95) < FAST_P95_MS
                if jobs and level.succeeded == jobs and fast:
                    holds = max(holds, jobs)
                rows.append(
                    [
                        jobs,
                        f"{level.succeeded}/{jobs}",
                        f"{statistics.mean(level.run_seconds):.2f}" if level.run_seconds else "-",
                        f"{max(level.run_seconds):.2f}" if level.run_seconds else "-",
                        f"{max(level.wait_seconds):.2f}" if level.wait_seconds else "-",
                        len(student),
                        _ms(student, 0.5),
                        _ms(student, 0.95),
                        _ms(student, 0.99),
                        _ms(health, 0.95),
                        _ms(status, 0.95),
                        _ms(level.samples.of("create"), 0.95),
                        level.samples.errors,
                    ]
                )
                print(f"level {jobs}: done in {level.wall_seconds:.1f} s", file=sys.stderr)
        stored = _stored_jobs(url)
        if any(not outcome.startswith("succeeded") for outcome in stored):
            lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
            print("The instance's log on failures:", file=sys.stderr)
            for line in [x for x in lines if "failed" in x][-10:]:
                # A logged traceback is one line with " | " between its lines: keep the
                # message and the exception it ended with.
                head, *rest = line.split(" | ")
                last = next((x for x in reversed(rest) if "Error" in x), "")
                print(f"  {head[:200]} ... {last[:300]}", file=sys.stderr)
    print(
        f"Instance: eduteach serve (gunicorn gthread, workers={args.workers or 'default'}, "
        f"threads={args.threads}), EDUTEACH_JOB_THREADS={args.job_threads}, "
        f"{args.database}; fake model {args.latency * 1000:.0f} ms + "
        f"{args.tokens_per_second:g} tokens/s (about {model_s:.1f} s per lesson plan); "
        f"{args.clients} student loops with {args.pause * 1000:.0f} ms pauses; "
        f"{args.warmup} warm-up jobs not counted."
    )
    print(
        table(
            [
                "jobs",
                "succeeded",
                "job run s mean",
                "job run s max",
                "queued s max",
                "student requests",
                "student p50 ms",
                "student p95 ms",
                "student p99 ms",
                "healthz p95 ms",
                "status poll p95 ms",
                "create p95 ms",
                "errors",
            ],
            rows,
        )
    )
    print(f"Jobs stored in the database: {stored}")
    print(
        f"Largest level with every job done and student p95 < {FAST_P95_MS:.0f} ms: {holds} "
        "concurrent generations."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
