"""The grade service switch: make the LMS's grade endpoints unavailable, slow or picky.

This is how a demo or a test shows that a tool loses no grade when the LMS is down.
Kept in the store's meta table, so every process serving the same instance folder sees it.

- ``mode``: "on" (normal), "off" (AGS endpoints answer 503 with ``Retry-After``) or
  "slow" (AGS endpoints answer after ``slow_seconds``).
- ``retry_after``: seconds sent in ``Retry-After`` while off.
- ``stale_scores``: what a score older than the stored result gets: "conflict" (409, as
  Moodle answers) or "ignore" (200, nothing changes). Either way the stored result stays.
- ``unauthorized_once``: the next service token check (AGS or NRPS) answers 401, as if the
  token had expired, so a tool's token refresh can be tried. Cleared by that check.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

from eduteach.practice_lms.store import PracticeStore

Mode = Literal["on", "off", "slow"]
StaleScores = Literal["conflict", "ignore"]
MODES: tuple[Mode, ...] = ("on", "off", "slow")
STALE_SCORES: tuple[StaleScores, ...] = ("conflict", "ignore")
MAX_SLOW_SECONDS = 120.0
MAX_RETRY_AFTER = 86400

_KEY = "grade_service"
_UNAUTHORIZED_ONCE_KEY = "grade_service.unauthorized_once"


class SwitchError(ValueError):
    """A switch setting is not one the platform knows; the message says which."""


@dataclass(frozen=True)
class GradeServiceSwitch:
    """How the grade endpoints behave now."""

    mode: Mode = "on"
    retry_after: int = 30
    slow_seconds: float = 5.0
    stale_scores: StaleScores = "conflict"
    unauthorized_once: bool = False

    def as_json(self) -> dict[str, Any]:
        """The switch as the JSON API shows it."""
        return asdict(self)


def _seconds(value: object, name: str, maximum: float) -> float:
    if isinstance(value, bool):
        raise SwitchError(f"{name} must be a number of seconds.")
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise SwitchError(f"{name} must be a number of seconds.") from exc
    if not math.isfinite(seconds) or not 0 <= seconds <= maximum:
        raise SwitchError(f"{name} must be between 0 and {maximum:g} seconds.")
    return seconds


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("on", "true", "1"):
        return True
    if value in ("", "off", "false", "0"):
        return False
    raise SwitchError("unauthorized_once must be true or false.")


def changed_switch(current: GradeServiceSwitch, changes: Mapping[str, Any]) -> GradeServiceSwitch:
    """``current`` with ``changes`` applied; fields left out keep their value.

    Raises ``SwitchError`` for an unknown field or a value out of range.
    """
    unknown = set(changes) - set(asdict(current))
    if unknown:
        raise SwitchError(f"Unknown setting(s): {', '.join(sorted(unknown))}.")
    updated = current
    if "mode" in changes:
        mode = changes["mode"]
        if mode not in MODES:
            raise SwitchError(f"mode must be one of {', '.join(MODES)}.")
        updated = replace(updated, mode=mode)
    if "stale_scores" in changes:
        stale = changes["stale_scores"]
        if stale not in STALE_SCORES:
            raise SwitchError(f"stale_scores must be one of {', '.join(STALE_SCORES)}.")
        updated = replace(updated, stale_scores=stale)
    if "retry_after" in changes:
        seconds = _seconds(changes["retry_after"], "retry_after", MAX_RETRY_AFTER)
        if not seconds.is_integer() or seconds < 1:
            raise SwitchError("retry_after must be a whole number of seconds, at least 1.")
        updated = replace(updated, retry_after=int(seconds))
    if "slow_seconds" in changes:
        seconds = _seconds(changes["slow_seconds"], "slow_seconds", MAX_SLOW_SECONDS)
        updated = replace(updated, slow_seconds=seconds)
    if "unauthorized_once" in changes:
        updated = replace(updated, unauthorized_once=_flag(changes["unauthorized_once"]))
    return updated


def load_switch(store: PracticeStore) -> GradeServiceSwitch:
    """The switch as stored (the defaults when never set)."""
    raw = store.meta(_KEY)
    stored = changed_switch(GradeServiceSwitch(), json.loads(raw)) if raw else GradeServiceSwitch()
    return replace(stored, unauthorized_once=store.meta(_UNAUTHORIZED_ONCE_KEY) is not None)


def save_switch(store: PracticeStore, switch: GradeServiceSwitch) -> None:
    """Store the switch; the one-shot 401 flag is kept apart so one check can take it."""
    settings = switch.as_json()
    settings.pop("unauthorized_once")
    store.set_meta(_KEY, json.dumps(settings))
    if switch.unauthorized_once:
        store.set_meta(_UNAUTHORIZED_ONCE_KEY, "1")
    else:
        store.take_meta(_UNAUTHORIZED_ONCE_KEY)


def take_unauthorized_once(store: PracticeStore) -> bool:
    """True, once, when the next token check is to answer 401."""
    return store.take_meta(_UNAUTHORIZED_ONCE_KEY)
