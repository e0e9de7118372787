"""``eduteach generate``: plans as Word documents and activities in any export format.

No browser: the request is checked like the web form, ``--standard`` codes are looked up in
the frameworks imported into the app's database (read only, when there is one), the model is
the configured endpoint (or the offline model, started for the run), and the result is
written to ``-o`` as the same Word document the web app downloads. The engine is imported only when
a subcommand runs, so ``eduteach`` itself starts fast.
"""

from __future__ import annotations

from typing import Any

import click

from eduteach.commands.guidelines import guidelines as guidelines_command
from eduteach.commands.options import (
    activity_options,
    activity_values,
    output_options,
    plan_options,
    plan_values,
    source_option,
    topic_options,
    topic_values,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def generate() -> None:
    """Make teaching material without a browser (for batch work and for admins).

    Uses the model set by EDUTEACH_LLM_BASE_URL, EDUTEACH_LLM_MODEL and EDUTEACH_LLM_API_KEY,
    or the offline model when none is set and it has been set up. Progress goes to standard
    error; exit code 2 means the request was not usable, 1 that the model failed.
    """


def _make_plan(kind_name: str, fields: dict[str, Any], values: dict[str, Any]) -> None:
    from eduteach.commands.plans import make_plan

    make_plan(
        kind_name,
        fields,
        output=values["output"],
        json_path=values["json_path"],
        sources=tuple(values["sources"]),
    )


@generate.command("lesson-plan")
@topic_options
@plan_options
@source_option
@output_options()
def lesson_plan(**values: Any) -> None:
    """A lesson plan: objectives, a timed procedure, differentiation, assessment."""
    _make_plan("lesson_plan", topic_values(values) | plan_values(values), values)


@generate.command("minecraft-lesson-plan")
@topic_options
@plan_options
@click.option(
    "--setting",
    help="Where the lesson happens in Minecraft Education, e.g. 'a flat creative world'.  "
    "[required]",
)
@source_option
@output_options()
def minecraft_lesson_plan(**values: Any) -> None:
    """A lesson plan taught in Minecraft Education: the classroom plan plus the game."""
    fields = topic_values(values) | plan_values(values)
    if values["setting"] is not None:
        fields["in_game_setting"] = values["setting"]
    _make_plan("minecraft_lesson_plan", fields, values)


@generate.command("unit-plan")
@topic_options
@plan_options
@click.option("--lessons", metavar="N", help="How many lessons the unit has (2 to 30).  [required]")
@click.option("--lessons-per-week", metavar="N", help="Lessons taught each week (1 to 7).")
@source_option
@output_options()
def unit_plan(**values: Any) -> None:
    """A unit plan: big ideas, a sequence of lesson outlines, assessment and pacing.

    --duration is the length of each lesson.
    """
    fields = topic_values(values) | plan_values(values)
    if values["lessons"] is not None:
        fields["number_of_lessons"] = values["lessons"]
    if values["lessons_per_week"] is not None:
        fields["lessons_per_week"] = values["lessons_per_week"]
    _make_plan("unit_plan", fields, values)


def _make_activity(kind_name: str, fields: dict[str, Any], values: dict[str, Any]) -> None:
    from eduteach.commands.activities import make_activity

    make_activity(
        kind_name,
        topic_values(values) | activity_values(values) | fields,
        fmt=values["fmt"],
        output=values["output"],
        json_path=values["json_path"],
        sources=tuple(values["sources"]),
    )


_ACTIVITY_OUTPUT = "the export (for docx: the student copy; the answer key goes beside it)"


@generate.command("flashcards")
@topic_options
@activity_options
@source_option
@output_options(_ACTIVITY_OUTPUT)
def flashcards(**values: Any) -> None:
    """A deck of flashcards (5 to 100 cards; --count, default 12)."""
    _make_activity("flashcards", {}, values)


@generate.command("fill-in")
@topic_options
@activity_options
@click.option("--word-bank/--no-word-bank", default=True, help="Show a word bank.  [default: on]")
@click.option("--case-sensitive", is_flag=True, help="Answers must match capital letters.")
@click.option(
    "--typo-tolerance",
    default="1",
    show_default=True,
    metavar="N",
    help="Letters that may slip in answers of 4+ letters (0 to 2).",
)
@source_option
@output_options(_ACTIVITY_OUTPUT)
def fill_in(**values: Any) -> None:
    """Fill-in-the-blanks passages (3 to 40 blanks; --count, default 10)."""
    fields = {
        "word_bank": values["word_bank"],
        "case_sensitive": values["case_sensitive"],
        "typo_tolerance": values["typo_tolerance"],
    }
    _make_activity("fill_in", fields, values)


@generate.command("matching")
@topic_options
@activity_options
@click.option(
    "--distractors",
    default="2",
    show_default=True,
    metavar="N",
    help="Extra definitions that match no term (0 to 5).",
)
@source_option
@output_options(_ACTIVITY_OUTPUT)
def matching(**values: Any) -> None:
    """Terms to match with definitions (3 to 20 pairs; --count, default 8)."""
    _make_activity("matching", {"distractors": values["distractors"]}, values)


def _quiz_fields(values: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {"mix": values["mix"]}
    if values["types"] is not None:
        fields["item_types"] = values["types"]
    return fields


_TYPES_HELP = (
    "Question types, comma-separated: mc (multiple choice), ma (multiple answer), tf "
    "(true/false), sa (short answer).  [default: mc,tf,sa]"
)
_MIX_HELP = "Cognitive mix: recall, balanced or higher-order."


def _quiz_command(name: str, kind_name: str, help_text: str) -> None:
    """``eduteach generate quiz`` and ``self-quiz``: the same options, another kind."""

    @generate.command(name, help=help_text)
    @topic_options
    @activity_options
    @click.option("--types", metavar="LIST", help=_TYPES_HELP)
    @click.option("--mix", default="balanced", show_default=True, help=_MIX_HELP)
    @source_option
    @output_options(_ACTIVITY_OUTPUT)
    def command(**values: Any) -> None:
        _make_activity(kind_name, _quiz_fields(values), values)


_quiz_command(
    "quiz",
    "quiz",
    "A graded quiz with an answer key, feedback and Bloom's/DOK levels (--count, default 10).",
)
_quiz_command(
    "self-quiz",
    "self_quiz",
    "A practice quiz: the same questions, with feedback at once and no grade.",
)


# AI-use guidelines (issue 6): its own module, as it also reads the school's scale.
generate.add_command(guidelines_command)
