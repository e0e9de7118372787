"""Where jobs run: threads in this process (embedded) or RQ workers (with Redis)."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from eduteach.services import Services

from .generation import requeue_stale, run_job

log = logging.getLogger("eduteach.jobs")
RQ_QUEUE = "eduteach"


class JobRunner(Protocol):
    def submit(self, job_id: str) -> None: ...

    def shutdown(self) -> None: ...


class ThreadRunner:
    """Runs jobs on a small thread pool inside the web process."""

    def __init__(self, services: Services, threads: int) -> None:
        self._services = services
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="eduteach-job")

    def submit(self, job_id: str) -> None:
        self._pool.submit(self._run, job_id)

    def _run(self, job_id: str) -> None:
        try:
            run_job(self._services, job_id)
        except Exception:  # the pool would swallow it silently
            log.exception("job %s crashed its worker thread", job_id)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


class RqRunner:
    """Puts jobs on an RQ queue; ``eduteach worker`` processes run them."""

    def __init__(self, redis_url: str) -> None:
        import redis
        from rq import Queue

        self._queue = Queue(RQ_QUEUE, connection=redis.Redis.from_url(redis_url))

    def submit(self, job_id: str) -> None:
        self._queue.enqueue(
            "eduteach.jobs.tasks.run_generation_job", job_id, job_timeout=1800, job_id=job_id
        )

    def shutdown(self) -> None:
        return None


def make_runner(services: Services) -> JobRunner:
    if services.settings.redis_url:
        return RqRunner(services.settings.redis_url)
    runner = ThreadRunner(services, services.settings.job_threads)
    # Jobs that were waiting, or running when the process died, start again here.
    for job_id in requeue_stale(services):
        runner.submit(job_id)
    return runner
