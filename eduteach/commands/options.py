"""Options shared by the ``eduteach generate`` kinds, and the request field each one sets.

Every teacher field is taken as text and checked by the kind's request model, so a mistake
gets the same sentence the web form shows, and every problem is listed at once (click's own
checks would stop at the first). Only click is imported here: the ``eduteach`` command loads
this module for every subcommand, and the engine's imports take seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

FLAGS: dict[str, str] = {
    "subject": "--subject",
    "grade": "--grade",
    "language": "--language",
    "description": "--topic",
    "duration_minutes": "--duration",
    "standards": "--standard",
    "class_notes": "--notes",
    "tone": "--tone",
    "in_game_setting": "--setting",
    "number_of_lessons": "--lessons",
    "lessons_per_week": "--lessons-per-week",
    "count": "--count",
    "item_types": "--types",
    "mix": "--mix",
    "distractors": "--distractors",
    "word_bank": "--word-bank",
    "case_sensitive": "--case-sensitive",
    "typo_tolerance": "--typo-tolerance",
}
"""Request field → the option that sets it, for messages about a field."""


STANDARD_HELP = (
    "A standard to address, its code first, then its words (repeat for several). Codes "
    "found in frameworks imported with 'eduteach standards import' are checked; others are "
    "marked unverified."
)


def _apply(function: F, decorators: list[Callable[[F], F]]) -> F:
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def topic_options(function: F) -> F:
    """``--subject``, ``--grade``, ``--topic`` and ``--language``: what every kind starts from."""
    return _apply(
        function,
        [
            click.option("--subject", help="Subject, e.g. Science.  [required]"),
            click.option(
                "--grade", help="Grade: K, 1 to 12, or 'higher-ed' (or '5th grade').  [required]"
            ),
            click.option(
                "--topic",
                help="What students should learn, in at least 20 characters.  [required]",
            ),
            click.option(
                "--language", default="English", show_default=True, help="Language to write in."
            ),
        ],
    )


def _class_options() -> list[Callable[[F], F]]:
    """``--standard`` (repeatable) and ``--notes``: what plans and activities share."""
    return [
        click.option(
            "--standard",
            "standards",
            multiple=True,
            metavar="CODE",
            help=STANDARD_HELP,
        ),
        click.option(
            "--notes",
            default="",
            help="Needs of the class (English learners, IEPs), without names.",
        ),
    ]


def plan_options(function: F) -> F:
    """Lesson length, standards, class notes and tone: what plans add."""
    return _apply(
        function,
        [
            click.option(
                "--duration",
                default="45",
                show_default=True,
                metavar="MINUTES",
                help="Length of a lesson in minutes (5 to 180).",
            ),
            *_class_options(),
            click.option(
                "--tone",
                default="encouraging",
                show_default=True,
                help="Tone of the wording, e.g. neutral or formal.",
            ),
        ],
    )


def source_option(function: F) -> F:
    """``--source FILE`` (repeatable): Word, PDF or text files the model may draw on."""
    return click.option(
        "--source",
        "sources",
        multiple=True,
        type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path),
        metavar="FILE",
        help="A .docx, .pdf or .txt file to ground the draft in (up to 3).",
    )(function)


def output_options(written: str = "the Word document (.docx)") -> Callable[[F], F]:
    """``-o FILE`` (required; ``written`` says what goes there) and ``--json FILE``."""

    def decorate(function: F) -> F:
        return _apply(
            function,
            [
                click.option(
                    "-o",
                    "--output",
                    required=True,
                    type=click.Path(dir_okay=False, writable=True, path_type=Path),
                    metavar="FILE",
                    help=f"Where to write {written}.",
                ),
                click.option(
                    "--json",
                    "json_path",
                    type=click.Path(dir_okay=False, writable=True, path_type=Path),
                    metavar="FILE",
                    help="Also write the validated result as JSON to this file.",
                ),
            ],
        )

    return decorate


def topic_values(values: dict[str, Any]) -> dict[str, Any]:
    """The request fields of :func:`topic_options`, leaving out what was not given."""
    given = {
        "subject": values.get("subject"),
        "grade": values.get("grade"),
        "description": values.get("topic"),
        "language": values.get("language"),
    }
    return {name: value for name, value in given.items() if value is not None}


def plan_values(values: dict[str, Any]) -> dict[str, Any]:
    """The request fields of :func:`plan_options`."""
    return {
        "duration_minutes": values["duration"],
        "standards": list(values["standards"]),
        "class_notes": values["notes"],
        "tone": values["tone"],
    }


ACTIVITY_FORMATS = ("docx", "imscc", "qti", "moodle-xml", "gift", "tsv")


def activity_options(function: F) -> F:
    """``--count``, ``--standard``, ``--notes`` and the required ``--format``."""
    return _apply(
        function,
        [
            click.option(
                "--count", metavar="N", help="How many items (cards, blanks, pairs, questions)."
            ),
            *_class_options(),
            click.option(
                "--format",
                "fmt",
                required=True,
                type=click.Choice(ACTIVITY_FORMATS),
                help="docx writes a student copy to FILE and the answer key beside it.",
            ),
        ],
    )


def activity_values(values: dict[str, Any]) -> dict[str, Any]:
    """The request fields of :func:`activity_options`, leaving out what was not given."""
    fields: dict[str, Any] = {
        "standards": list(values["standards"]),
        "class_notes": values["notes"],
    }
    if values.get("count") is not None:
        fields["count"] = values["count"]
    return fields
