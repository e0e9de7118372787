"""``eduteach generate``: lesson plans and unit plans as Word documents, from the command line.

No browser and no database: the request is checked like the web form, the model is the
configured endpoint (or the offline model, started for the run), and the result is written
to ``-o`` as the same Word document the web app downloads. The engine is imported only when
a subcommand runs, so ``eduteach`` itself starts fast.
"""

from __future__ import annotations

from typing import Any

import click

from eduteach.commands.options import (
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
