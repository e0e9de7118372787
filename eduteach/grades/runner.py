"""The background deliverer: a thread per process that sends due scores, woken on submit.

Every web worker runs one (started when gunicorn loads the app), and ``eduteach grades
deliver --loop`` runs the same loop in the foreground for deployments that want it apart.
Claims in ``deliver_due`` keep any number of them from sending a score twice.

The submit path calls :func:`wake` after committing an attempt, so its score goes within
moments instead of at the next poll; a wake-up is never lost, even mid-round.
"""

from __future__ import annotations

import logging
import threading
import weakref
from typing import TYPE_CHECKING

from .delivery import ROUND_LIMIT, deliver_due

if TYPE_CHECKING:
    from eduteach.services import Services

log = logging.getLogger("eduteach.grades")

POLL_SECONDS = 5.0

_runners: weakref.WeakSet[DeliveryRunner] = weakref.WeakSet()
_runners_lock = threading.Lock()


def wake() -> None:
    """Ask every deliverer running in this process to look for due scores now."""
    with _runners_lock:
        runners = list(_runners)
    for runner in runners:
        runner.wake()


class DeliveryRunner:
    """Runs delivery rounds until stopped: every ``interval`` seconds, or at once when woken."""

    def __init__(self, services: Services, *, interval: float = POLL_SECONDS) -> None:
        self._services = services
        self._interval = interval
        self._woken = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        with _runners_lock:
            _runners.add(self)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> DeliveryRunner:
        """Run in a daemon thread (idempotent); returns the runner."""
        if not self.running:
            self._stopping.clear()
            self._thread = threading.Thread(target=self.run, name="eduteach-grades", daemon=True)
            self._thread.start()
        return self

    def wake(self) -> None:
        self._woken.set()

    def request_stop(self) -> None:
        """Finish the current try and stop (safe from a signal handler)."""
        self._stopping.set()
        self._woken.set()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop and wait for the thread; a try in progress is finished, not cut off."""
        self.request_stop()
        if self._thread is not None:
            self._thread.join(timeout)

    def run(self) -> None:
        """The loop itself, in the calling thread."""
        while not self._stopping.is_set():
            if self._round() < ROUND_LIMIT:
                self._woken.wait(self._interval)
            # Cleared before the next round: a wake during that round sets it again.
            self._woken.clear()

    def _round(self) -> int:
        try:
            return deliver_due(self._services).handled
        except Exception as exc:  # the database may be away for a moment: keep the thread alive
            # The class only: database errors quote their query parameters (students' ids).
            log.error(
                "a grade delivery round failed (%s); trying again shortly", type(exc).__name__
            )
            return 0
