"""AI-use guidelines from the command line, and the school's AI-use scale for administrators.

``eduteach generate guidelines`` writes the same Word document the web app downloads.
``eduteach ai-levels show|set`` reads and replaces the school's default scale in the
database the web app uses. Heavy imports wait until a command runs, so ``eduteach`` starts fast.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from eduteach.commands.options import output_options

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from eduteach.config import Settings
    from eduteach.guidelines import Scale

FLAGS = {
    "assignment_title": "--title",
    "assignment_description": "--assignment",
    "level": "--level",
    "subject": "--subject",
    "grade": "--grade",
    "language": "--language",
}
"""The option that sets each request field, for messages about a bad value."""


@contextmanager
def _database(settings: Settings) -> Iterator[Session]:
    from eduteach.storage import migrate
    from eduteach.storage.db import Database

    db = Database(settings.database_url)
    try:
        migrate.upgrade(db.engine)
        with db.session() as s:
            yield s
    finally:
        db.dispose()


def _settings() -> Settings:
    from eduteach.config import ConfigError, load_settings

    try:
        return load_settings()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


# --- eduteach ai-levels ------------------------------------------------------------------


@click.group("ai-levels", context_settings={"help_option_names": ["-h", "--help"]})
def ai_levels() -> None:
    """The school's AI-use scale: the levels teachers choose from for an assignment."""


@ai_levels.command("show")
def show() -> None:
    """Print the school's scale as JSON (the format ``set --file`` reads)."""
    from eduteach.guidelines import scale_json, school_scale

    with _database(_settings()) as s:
        scale = school_scale(s)
    click.echo(json.dumps(scale_json(scale), ensure_ascii=False, indent=2))


@ai_levels.command("set")
@click.option(
    "--file",
    "path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path),
    help='A JSON file: {"name": ..., "levels": [{"name", "description", "colour"}]}.',
)
def set_levels(path: Path) -> None:
    """Make the levels in FILE the school's default scale (2 to 8 levels, #RRGGBB colours)."""
    from eduteach.commands.running import InputProblemsError
    from eduteach.guidelines import ScaleError, parse_scale, set_school_scale

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputProblemsError([f"{path.name} is not valid JSON: {exc}."]) from None
    try:
        scale = parse_scale(data)
    except ScaleError as exc:
        raise InputProblemsError([f"{path.name}: {problem}" for problem in exc.problems]) from None
    with _database(_settings()) as s:
        set_school_scale(s, scale)
    click.echo(f"The school's AI-use scale is now “{scale.name}”:")
    for position, level in enumerate(scale.levels, start=1):
        click.echo(f"  {position}. {level.name} ({level.colour})")


# --- eduteach generate guidelines ------------------------------------------------------------


def _assignment(path: Path, title: str | None) -> tuple[str, str]:
    """The assignment's title (``--title`` or the file's first line) and its description."""
    from eduteach.commands.running import read_sources

    sources = read_sources([path])
    text = "\n".join(source.text for source in sources.texts).strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if title is None and lines:
        title = lines[0]
    return (title or "")[:200], text


def _scale(settings: Settings) -> tuple[Scale, str]:
    """The school's scale when a database is configured, else the built-in default."""
    from eduteach.guidelines import DEFAULT_SCALE, school_scale

    if not os.environ.get("EDUTEACH_DATABASE_URL"):
        return DEFAULT_SCALE, "the built-in scale (no EDUTEACH_DATABASE_URL set)"
    with _database(settings) as s:
        return school_scale(s), "the school's scale"


@click.command("guidelines")
@click.option(
    "--assignment",
    "assignment_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path),
    metavar="FILE",
    help="The assignment as a .txt, .docx or .pdf file; its first line is the title.",
)
@click.option("--title", help="The assignment's title, if not the file's first line.")
@click.option(
    "--level", metavar="N", help="The AI-use level, 1 = least AI (see ai-levels show).  [required]"
)
@click.option("--subject", help="Subject, e.g. History.  [required]")
@click.option("--grade", help="Grade: K, 1 to 12, or higher-ed.  [required]")
@click.option("--language", default="English", show_default=True, help="Language of the text.")
@output_options()
def guidelines(**values: Any) -> None:
    """AI-use guidelines for one assignment, for students at the level chosen."""
    from pydantic import ValidationError
    from pydantic_core import PydanticCustomError

    from eduteach.commands.running import (
        InputProblemsError,
        check_writable,
        command_settings,
        report,
        run_generation,
        write_file,
    )
    from eduteach.commands.running import Sources as NoSources
    from eduteach.content.kinds import kind
    from eduteach.exports.docx_base import DocumentMeta, grade_label
    from eduteach.exports.docx_guidelines import render_guidelines_docx
    from eduteach.generation.schemas import teacher_messages
    from eduteach.guidelines import GuidelinesRequest, guidelines_params

    settings = command_settings()
    title, description = _assignment(values["assignment_path"], values["title"])
    given = {
        "assignment_title": title,
        "assignment_description": description,
        "level": values["level"],
        "subject": values["subject"],
        "grade": values["grade"],
        "language": values["language"],
    }
    try:
        request = GuidelinesRequest.model_validate(
            {name: value for name, value in given.items() if value is not None}
        )
    except ValidationError as exc:
        messages = teacher_messages(exc)
        raise InputProblemsError(
            [f"{FLAGS.get(name, name)}: {message}" for name, message in messages.items()]
        ) from None
    scale, which = _scale(settings)
    try:
        params = guidelines_params(request, scale)
    except PydanticCustomError as exc:
        raise InputProblemsError([f"--level: {exc}"]) from None
    check_writable(values["output"], values["json_path"])
    click.echo(f"Level {request.level} of {which}: {params['ai_level']['name']}", err=True)
    kind_ = kind("ai_guidelines")
    outcome = run_generation(kind_.spec(), params, NoSources(), settings)
    data = outcome.data
    meta = DocumentMeta(
        course_title="",
        subject=request.subject,
        grade=grade_label(request.grade),
        duration="",
        language=request.language,
        generated=date.today(),
        model_label=outcome.endpoint.model,
        offline_draft=outcome.endpoint.offline_draft,
        reviewed=False,
    )
    output: Path = values["output"]
    write_file(output, render_guidelines_docx(data, params, meta))
    written = [output.resolve()]
    json_path: Path | None = values["json_path"]
    if json_path is not None:
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        write_file(json_path, text.encode("utf-8"))
        written.append(json_path.resolve())
    report(outcome, f'AI-use guidelines "{data.get("title", "")}"', written)
