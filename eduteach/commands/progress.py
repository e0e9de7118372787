"""The engine's progress on standard error, as a live bar or as one line per stage."""

from __future__ import annotations

import sys
import threading
import time
from types import TracebackType
from typing import Self

import click

_BAR_WIDTH = 24


class ProgressLine:
    """A ``ProgressCallback`` that shows the stage, a bar and the seconds spent.

    On a terminal the line is redrawn in place several times a second, so the clock keeps
    moving while the model thinks (the engine reports nothing between sending the prompt and
    getting the answer). Anywhere else (a pipe, a log file, a test) each new stage is printed
    once on its own line, so logs stay readable.
    """

    def __init__(self, *, live: bool | None = None, interval: float = 0.2) -> None:
        self._live = sys.stderr.isatty() if live is None else live
        self._interval = interval
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._started = time.monotonic()
        self._stage = ""
        self._fraction = 0.0
        self._printed_stage = ""
        self._drawn = 0

    def __call__(self, stage: str, fraction: float) -> None:
        with self._lock:
            self._stage = stage
            self._fraction = max(0.0, min(1.0, fraction))
            if self._live:
                self._draw_locked()
            elif stage != self._printed_stage:
                self._printed_stage = stage
                click.echo(f"{self._fraction:4.0%}  {stage}", err=True)

    def _line(self) -> str:
        filled = round(_BAR_WIDTH * self._fraction)
        bar = "#" * filled + "." * (_BAR_WIDTH - filled)
        elapsed = time.monotonic() - self._started
        return f"[{bar}] {self._fraction:4.0%}  {self._stage}  {elapsed:5.1f} s"

    def _draw_locked(self) -> None:
        line = self._line()
        # Pad over the rest of a longer previous line.
        padding = " " * max(0, self._drawn - len(line))
        click.echo(f"\r{line}{padding}", err=True, nl=False)
        self._drawn = len(line)

    def _tick(self) -> None:
        while not self._stop.wait(self._interval):
            with self._lock:
                if self._stage:
                    self._draw_locked()

    def __enter__(self) -> Self:
        self._started = time.monotonic()
        if self._live:
            self._thread = threading.Thread(target=self._tick, name="progress-line", daemon=True)
            self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            if self._live and self._drawn:
                self._draw_locked()
                click.echo("", err=True)
