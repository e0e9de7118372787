"""Every activity type, in the order teachers see them. A new type: one module, its two
templates (``templates/activities/<name>/editor.html`` and ``player.html``), one line here."""

from __future__ import annotations

from eduteach.activities.base import ActivityType
from eduteach.activities.fill_in import FILL_IN
from eduteach.activities.flashcards import FLASHCARDS
from eduteach.activities.matching import MATCHING
from eduteach.activities.quiz import QUIZ, SELF_QUIZ

ACTIVITIES: dict[str, ActivityType] = {
    t.name: t for t in (FLASHCARDS, FILL_IN, MATCHING, QUIZ, SELF_QUIZ)
}

BY_CLI_NAME: dict[str, ActivityType] = {t.cli_name: t for t in ACTIVITIES.values()}


def activity(name: str) -> ActivityType:
    """The type called ``name``; KeyError for anything else."""
    return ACTIVITIES[name]
