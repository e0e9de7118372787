"""How many quiz submissions per second one EduTeach instance records, and how fast, while the
LMS's gradebook is slow or down.

The tool is served the production way, as in ``concurrency.py``: ``eduteach serve`` (gunicorn,
gthread workers, each with its grade-delivery thread) in a child process, on a fresh SQLite file
or a fresh PostgreSQL database. The LMS is the AGS test server (``tests/grades/ags_server.py``)
in this process: its token endpoint checks the tool's signed client assertion like Canvas and
Moodle do, and its score endpoint answers each score after ``--lms-latency`` seconds
(``--lms slow``), at once (``fast``) or with 503 (``down``).

One graded quiz (the sample of ``tests/activities/samples.py``, unlimited attempts) is published
in a course, and every student's launch names its line item, as a signed launch does. For each
level K, K students at a time work through a class of students: a turn opens the activity
(``GET /student/activity``, which gives the form a fresh ``submit_key``) and posts the right
answers as the browser would (``POST /student/activity/submit``). Only the POST is timed: it
scores, commits the attempt and its outbox row, and answers 303.

After the last level the benchmark waits for the outbox to empty (with the LMS down: for
``--settle`` seconds, so the deliverers have tried), then checks from the database and the
gradebook that every attempt has its score row and that each student's latest score arrived.

Loopback only; every loop is bounded; the server, the database and the LMS are removed at the
end. Run from the repository root::

    python -m benchmarks.submit_path --levels 1,8,32 --database sqlite --lms slow
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import re
import secrets
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import requests
from sqlalchemy import func, select

from benchmarks.concurrency import _database, _free_port, _serve
from benchmarks.stats import percentile, table
from eduteach.content import artifacts
from eduteach.content.publishing import CUSTOM_KEY, publish
from eduteach.generation import GenerationResult
from eduteach.grades.outbox import DELIVERED, NEEDS_ATTENTION, PENDING, SUPERSEDED
from eduteach.lti import claims
from eduteach.lti.context import LaunchContext
from eduteach.lti.keys import active_key, published_jwks
from eduteach.lti.roles import Audience
from eduteach.storage.db import Database
from eduteach.storage.models import (
    Attempt,
    Course,
    Deployment,
    LaunchRecord,
    Platform,
    ScoreDelivery,
    utcnow,
)
from tests.activities import samples
from tests.grades.ags_server import CLIENT_ID, AgsServer, Reply
from tests.students.conftest import right_quiz_answers

LINE_ITEM = "bench-quiz"
_HIDDEN = re.compile(
    r'<input type="hidden" name="(lt|csrf_token|version|submit_key)" value="([^"]*)">'
)
_FORM_FIELDS = ("lt", "csrf_token", "version", "submit_key")
_RESULT_PAGE = "/student/activity/attempts/"


# -- the course --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Student:
    sub: str
    token: str


def _launch(sub: str, base_url: str, publication_token: str, line_item: str) -> LaunchContext:
    """A student's launch on the quiz's link, with the line item the LMS names for it."""
    return LaunchContext(
        issuer="https://lms.bench.invalid",
        client_id=CLIENT_ID,
        deployment_id="bench-deployment",
        user_sub=sub,
        audience=Audience.STUDENT,
        roles=("http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",),
        message_type=claims.RESOURCE_LINK_REQUEST,
        target_link_uri=f"{base_url}/lti/launch",
        context_id="bench-course",
        context_title="Benchmark course",
        resource_link_id="bench-quiz-link",
        ags={"lineitem": line_item, "scope": [claims.SCOPE_SCORE]},
        custom={CUSTOM_KEY: publication_token},
    )


def _seed(url: str, ags: AgsServer, base_url: str, sizes: Sequence[int]) -> list[list[Student]]:
    """The LMS registration, the published quiz, and one class of launched students per size.

    The gradebook trusts the tool's key, as an LMS does once the tool is registered.
    """
    db = Database(url)
    classes: list[list[Student]] = []
    with db.session() as s:
        active_key(s)
        ags.reset(published_jwks(s))
        platform = Platform(
            name="Benchmark LMS",
            issuer="https://lms.bench.invalid",
            client_id=CLIENT_ID,
            auth_login_url=f"{ags.url}/auth",
            auth_token_url=ags.token_url,
            key_set_url=f"{ags.url}/jwks",
            frame_origins=[],
        )
        platform.deployments.append(Deployment(deployment_id="bench-deployment"))
        s.add(platform)
        s.flush()
        course = Course(deployment_pk=platform.deployments[0].id, context_id="bench-course")
        s.add(course)
        s.flush()
        artifact = artifacts.create_artifact(
            s,
            course_id=course.id,
            owner_sub="bench-teacher",
            kind_name="quiz",
            params=samples.params("quiz"),
            result=GenerationResult(output=samples.quiz(), provenance={"model": "benchmark"}),
        )
        publication = publish(
            s, artifact, created_by="bench-teacher", graded=True, settings={"attempts_allowed": 0}
        )
        for number, size in enumerate(sizes):
            students = [
                Student(f"bench-{number}-{n}", secrets.token_urlsafe(32)) for n in range(size)
            ]
            for student in students:
                context = _launch(
                    student.sub, base_url, publication.token, ags.line_item(LINE_ITEM)
                )
                s.add(
                    LaunchRecord(
                        id=hashlib.sha256(student.token.encode()).hexdigest(),
                        platform_id=platform.id,
                        course_id=course.id,
                        context=context.to_dict(),
                        expires_at=utcnow() + timedelta(hours=8),
                    )
                )
            classes.append(students)
    db.dispose()
    return classes


# -- load --------------------------------------------------------------------------------------


@dataclass
class Samples:
    """Latencies in milliseconds and failures, by what was asked for."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    by_path: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    last_submit: float = 0.0
    """When (monotonic) the last submission was answered."""

    def add(self, path: str, ms: float, ok: bool) -> None:
        with self.lock:
            if ok:
                self.by_path.setdefault(path, []).append(ms)
            else:
                self.errors[path] = self.errors.get(path, 0) + 1
            if path == "submit":
                self.last_submit = time.monotonic()

    def of(self, path: str) -> list[float]:
        with self.lock:
            return list(self.by_path.get(path, []))


def _open(http: requests.Session, base: str, student: Student, out: Samples) -> dict[str, str]:
    """The activity page's hidden fields (empty if the page did not come)."""
    started = time.perf_counter()
    try:
        response = http.get(f"{base}/student/activity", params={"lt": student.token}, timeout=30)
    except requests.RequestException:
        out.add("page", (time.perf_counter() - started) * 1000, ok=False)
        return {}
    ok = response.status_code == 200
    out.add("page", (time.perf_counter() - started) * 1000, ok=ok)
    return dict(_HIDDEN.findall(response.text)) if ok else {}


def _submit(
    http: requests.Session,
    base: str,
    hidden: dict[str, str],
    answers: list[tuple[str, str]],
    out: Samples,
) -> None:
    """Post the form as the browser does; a success is the 303 to the attempt's result."""
    form = [(name, hidden.get(name, "")) for name in _FORM_FIELDS] + answers
    started = time.perf_counter()
    try:
        response = http.post(
            f"{base}/student/activity/submit", data=form, timeout=30, allow_redirects=False
        )
    except requests.RequestException:
        out.add("submit", (time.perf_counter() - started) * 1000, ok=False)
        return
    ok = response.status_code == 303 and _RESULT_PAGE in response.headers.get("Location", "")
    out.add("submit", (time.perf_counter() - started) * 1000, ok=ok)


def _student_loop(
    base: str,
    share: list[Student],
    answers: list[tuple[str, str]],
    deadline: float,
    out: Samples,
) -> None:
    """One seat: its students take turns, each turn a fresh page and a submission."""
    with requests.Session() as http:
        for student in itertools.cycle(share):
            if time.monotonic() >= deadline:
                return
            hidden = _open(http, base, student, out)
            if hidden:
                _submit(http, base, hidden, answers, out)


def _right_answers(base: str, student: Student) -> list[tuple[str, str]]:
    """The quiz's right answers as its page offers them (the same for every student: no shuffle).

    This first launch also records the link's placement, before any concurrent launch.
    """
    page = requests.get(f"{base}/student/activity", params={"lt": student.token}, timeout=30)
    page.raise_for_status()
    chosen = right_quiz_answers(page.text, samples.quiz_data())
    return [
        (name, one)
        for name, value in chosen.items()
        for one in (value if isinstance(value, list) else [value])
    ]


@dataclass(frozen=True)
class Level:
    seats: int
    students: int
    wall_seconds: float
    samples: Samples


def _run_level(
    base: str,
    students: list[Student],
    seats: int,
    seconds: float,
    answers: list[tuple[str, str]],
) -> Level:
    """``seats`` students at a time submit for ``seconds``; seat i takes students i, i+K, ..."""
    samples = Samples()
    deadline = time.monotonic() + seconds
    loops = [
        threading.Thread(
            target=_student_loop, args=(base, students[i::seats], answers, deadline, samples)
        )
        for i in range(seats)
    ]
    started = time.monotonic()
    for loop in loops:
        loop.start()
    for loop in loops:
        loop.join()
    return Level(seats, len(students), time.monotonic() - started, samples)


# -- what reached the gradebook ----------------------------------------------------------------


@dataclass(frozen=True)
class Audit:
    attempts: int
    students: int
    without_row: int
    """Attempts that have no score delivery row (must be 0)."""
    by_status: dict[str, int]
    latest_in_gradebook: int
    """Students whose latest attempt is the score the gradebook holds for them."""


def _pending(db: Database) -> int:
    with db.session() as s:
        query = select(func.count()).where(ScoreDelivery.status == PENDING)
        return int(s.scalar(query) or 0)


def _outbox_empty_after(url: str, since: float, cap: float) -> float | None:
    """Seconds from ``since`` until no score is pending; None if not within ``cap`` seconds."""
    db = Database(url)
    try:
        while _pending(db):
            if time.monotonic() - since > cap:
                return None
            time.sleep(0.2)
        return time.monotonic() - since
    finally:
        db.dispose()


def _aware(moment: datetime) -> datetime:
    """Stored times come back without their zone (UTC) on SQLite."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _audit(url: str, ags: AgsServer) -> Audit:
    db = Database(url)
    with db.session() as s:
        attempts = int(s.scalar(select(func.count()).select_from(Attempt)) or 0)
        without_row = int(
            s.scalar(
                select(func.count())
                .select_from(Attempt)
                .outerjoin(ScoreDelivery, ScoreDelivery.attempt_id == Attempt.id)
                .where(ScoreDelivery.id.is_(None))
            )
            or 0
        )
        by_status = {
            status: int(count)
            for status, count in s.execute(
                select(ScoreDelivery.status, func.count()).group_by(ScoreDelivery.status)
            )
        }
        latest = s.execute(
            select(Attempt.user_sub, func.max(Attempt.submitted_at)).group_by(Attempt.user_sub)
        ).all()
    db.dispose()
    line_item = urlsplit(ags.line_item(LINE_ITEM)).path
    held = 0
    for sub, submitted_at in latest:
        kept = ags.gradebook.get((line_item, sub))
        if kept and datetime.fromisoformat(kept["timestamp"]) == _aware(submitted_at):
            held += 1
    return Audit(attempts, len(latest), without_row, by_status, held)


# -- the run -----------------------------------------------------------------------------------


def _ms(values: list[float], fraction: float) -> str:
    return f"{percentile(values, fraction):.0f}" if values else "-"


def _lms_note(args: argparse.Namespace) -> str:
    if args.lms == "slow":
        return f"LMS score endpoint answers 200 after {args.lms_latency:g} s"
    if args.lms == "down":
        return "LMS score endpoint down (503 to every score)"
    return "LMS score endpoint answers 200 at once"


def _print_failures(log: Path) -> None:
    """The instance's last logged errors, one line each (a logged traceback is one line)."""
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    print("The instance's log on failures:", file=sys.stderr)
    for line in [x for x in lines if "ERROR" in x][-10:]:
        print(f"  {line[:400]}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run every level against one fresh instance and LMS, and print a Markdown table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.submit_path")
    parser.add_argument("--levels", default="1,8,32", help="students submitting at once")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--lms", choices=("slow", "down", "fast"), default="slow")
    parser.add_argument("--lms-latency", type=float, default=2.0, help="seconds per score (slow)")
    parser.add_argument("--class-size", type=int, default=32, help="students per level (min K)")
    parser.add_argument("--seconds", type=float, default=15.0, help="length of each level")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (0: its default)")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--warmup", type=int, default=8, help="seats in an uncounted first level")
    parser.add_argument("--warmup-seconds", type=float, default=3.0)
    parser.add_argument("--drain-seconds", type=float, default=90.0, help="cap on the wait")
    parser.add_argument("--settle", type=float, default=5.0, help="wait with the LMS down")
    args = parser.parse_args(argv)
    levels = [int(x) for x in args.levels.split(",") if x.strip()]
    if any(not 1 <= k <= 64 for k in [*levels, args.warmup]) or not 1 <= args.class_size <= 512:
        parser.error("levels and --warmup must be 1 to 64, and --class-size 1 to 512")
    if not 0 < args.lms_latency < 10 or not 1 <= args.seconds <= 60:
        # The tool gives the LMS 10 s (EDUTEACH_HTTP_TIMEOUT) before it counts as no answer.
        parser.error("--lms-latency must be under 10 s and --seconds 1 to 60")

    secret_key = secrets.token_urlsafe(48)
    port = _free_port()
    sizes = [args.warmup] + [max(k, args.class_size) for k in levels]
    load = os.getloadavg()[0]
    rows: list[list[object]] = []
    slowest = 0.0
    with (
        tempfile.TemporaryDirectory(prefix="eduteach-bench-") as work,
        AgsServer() as ags,
        _database(args.database, Path(work)) as url,
    ):
        base_url = f"http://127.0.0.1:{port}"
        warm, *classes = _seed(url, ags, base_url, sizes)
        if args.lms == "slow":
            ags.latency = args.lms_latency
        elif args.lms == "down":
            ags.go_down(Reply(503))
        env = {k: v for k, v in os.environ.items() if not k.startswith("EDUTEACH_")}
        env |= {
            "EDUTEACH_DATABASE_URL": url,
            "EDUTEACH_INSTANCE_PATH": work,
            "EDUTEACH_SECRET_KEY": secret_key,
            "EDUTEACH_BASE_URL": base_url,
            "EDUTEACH_EMBEDDED_MODEL": "off",
            "EDUTEACH_LOG_LEVEL": "WARNING",
        }
        log = Path(work) / "serve.log"
        with _serve(env, port, args, log) as base:
            answers = _right_answers(base, warm[0])
            # Each worker's first requests import and compile templates; not what a busy
            # instance costs, so they are paid here.
            _run_level(base, warm, args.warmup, args.warmup_seconds, answers)
            last_submit = time.monotonic()
            for seats, students in zip(levels, classes, strict=True):
                level = _run_level(base, students, seats, args.seconds, answers)
                submits = level.samples.of("submit")
                slowest = max([slowest, *submits])
                last_submit = max(last_submit, level.samples.last_submit)
                rows.append(
                    [
                        seats,
                        level.students,
                        len(submits),
                        f"{len(submits) / level.wall_seconds:.1f}",
                        _ms(submits, 0.5),
                        _ms(submits, 0.95),
                        _ms(submits, 0.99),
                        f"{max(submits):.0f}" if submits else "-",
                        _ms(level.samples.of("page"), 0.95),
                        sum(level.samples.errors.values()),
                    ]
                )
                print(f"level {seats}: done in {level.wall_seconds:.1f} s", file=sys.stderr)
            if args.lms == "down":
                time.sleep(args.settle)
                emptied = None
            else:
                emptied = _outbox_empty_after(url, last_submit, args.drain_seconds)
            audit = _audit(url, ags)
            received, posts = len(ags.scores), len(ags.posts)
        if any(row[-1] for row in rows):
            _print_failures(log)
    print(
        f"Instance: eduteach serve (gunicorn gthread, workers={args.workers or 'default'}, "
        f"threads={args.threads}), {args.database}; {_lms_note(args)}; "
        f"{args.seconds:g} s per level; a class of max(K, {args.class_size}) students per "
        f"level; {args.warmup} seats for {args.warmup_seconds:g} s of warm-up not counted; "
        f"load average {load:.1f} at the start."
    )
    print(
        table(
            [
                "students at once",
                "class",
                "submits",
                "submits/s",
                "submit p50 ms",
                "submit p95 ms",
                "submit p99 ms",
                "submit max ms",
                "page GET p95 ms",
                "errors",
            ],
            rows,
        )
    )
    counts = audit.by_status
    print(
        f"Attempts: {audit.attempts} by {audit.students} students (warm-up included); "
        f"attempts without a score row: {audit.without_row}. Score rows: "
        f"{counts.get(DELIVERED, 0)} delivered, {counts.get(SUPERSEDED, 0)} superseded by the "
        f"student's newer attempt before sending, {counts.get(PENDING, 0)} pending, "
        f"{counts.get(NEEDS_ATTENTION, 0)} needing attention."
    )
    if args.lms == "down":
        print(
            f"The LMS answered 503 to {posts} score posts and accepted {received}; "
            f"{args.settle:g} s after the last submission {counts.get(PENDING, 0)} scores wait "
            f"in the outbox, one per student ({audit.students})."
        )
    else:
        after = (
            f"{emptied:.1f} s" if emptied is not None else f"not within {args.drain_seconds:g} s"
        )
        print(
            f"The LMS received {received} scores ({posts} posts); the outbox was empty {after} "
            f"after the last submission; the gradebook holds the latest attempt of "
            f"{audit.latest_in_gradebook}/{audit.students} students."
        )
    print(f"Slowest submission: {slowest:.0f} ms.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
