"""``eduteach standards``: import CASE frameworks, list them, and search their standards."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from sqlalchemy.orm import Session


@contextmanager
def _database() -> Iterator[Session]:
    from eduteach.config import ConfigError, load_settings
    from eduteach.storage import migrate
    from eduteach.storage.db import Database

    try:
        settings = load_settings()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    db = Database(settings.database_url)
    try:
        migrate.upgrade(db.engine)
        with db.session() as s:
            yield s
    finally:
        db.dispose()


def _imported_codes(lines: list[str]) -> tuple[list[str], str]:
    """The lines' codes found in the imported frameworks, and why none could be, if so."""
    from sqlalchemy.exc import SQLAlchemyError

    from eduteach.config import ConfigError, existing_database_url
    from eduteach.standards import has_frameworks
    from eduteach.standards.verified import verify_lines
    from eduteach.storage.db import Database

    try:
        url = existing_database_url()
    except ConfigError as exc:
        return [], str(exc)
    if url is None:
        return [], "no standards framework has been imported (eduteach standards import CASE.json)"
    db = Database(url)
    try:
        with db.session() as s:
            if not has_frameworks(s):
                return (
                    [],
                    "no standards framework has been imported (eduteach standards import CASE.json)",
                )
            return verify_lines(s, lines), ""
    except SQLAlchemyError:
        return [], "the database with the imported standards could not be read"
    finally:
        db.dispose()


def verify_standards(params: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` with its ``--standard`` codes looked up in the imported frameworks.

    Codes found are held exact by the generation's checks; the others are used as typed and
    marked "(unverified)" in the document. Says on standard error which is which.
    """
    from eduteach.standards.marks import line_code, with_verified

    lines = [str(line) for line in params.get("standards") or []]
    if not lines:
        return dict(params)
    found, reason = _imported_codes(lines)
    exact = {code.casefold() for code in found}
    typed = [line_code(line) or line for line in lines if line_code(line).casefold() not in exact]
    if found:
        click.echo(f"Standards found in the imported frameworks: {', '.join(found)}.", err=True)
    if typed:
        why = f": {reason}" if reason else ": not found in the imported frameworks"
        click.echo(f"Marked unverified{why}: {', '.join(typed)}.", err=True)
    return with_verified(params, found)


@click.group("standards", context_settings={"help_option_names": ["-h", "--help"]})
def standards() -> None:
    """Standards frameworks (1EdTech CASE) that teachers pick from and plans may cite."""


@standards.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(path: Path) -> None:
    """Import a CASE package (CFPackage JSON); a framework imported before is replaced."""
    from eduteach.standards import StandardsError, import_case
    from eduteach.standards.case import MAX_BYTES

    started = time.perf_counter()
    if path.stat().st_size > MAX_BYTES:
        raise click.ClickException(
            f"{path.name} is larger than {MAX_BYTES // 1_048_576} MB, the most a CASE file can be."
        )
    try:
        with _database() as s:
            result = import_case(s, path.read_bytes())
    except StandardsError as exc:
        raise click.ClickException(f"{path.name}: {exc}") from None
    verb = "Replaced" if result.replaced else "Imported"
    click.echo(
        f"{verb} {result.title}: {result.items:,} items in "
        f"{time.perf_counter() - started:.1f} s (framework {result.identifier})."
    )


@standards.command("list")
def list_command() -> None:
    """List the imported frameworks with their number of items."""
    from eduteach.standards import list_frameworks

    with _database() as s:
        rows = list_frameworks(s)
    if not rows:
        click.echo("No frameworks imported. Import one with: eduteach standards import CASE.json")
        return
    for row in rows:
        details = ", ".join(
            p for p in (row.subject, f"version {row.version}" if row.version else "") if p
        )
        click.echo(f"{row.identifier}  {row.title}" + (f" ({details})" if details else ""))
        click.echo(f"    {row.items:,} items")


@standards.command("search")
@click.argument("words", nargs=-1, required=True)
@click.option("--grade", default="", help="K or 1 to 12: only standards for this grade.")
@click.option(
    "--framework",
    "frameworks",
    multiple=True,
    help="A framework's identifier (from 'eduteach standards list'); repeat for several.",
)
@click.option("--subject", default="", help="Only frameworks whose subject contains this.")
@click.option("--limit", default=25, show_default=True, type=click.IntRange(1, 50))
def search_command(
    words: tuple[str, ...], grade: str, frameworks: tuple[str, ...], subject: str, limit: int
) -> None:
    """Find standards by code (whole or its start) or by words, one per line."""
    from eduteach.standards import search_standards

    with _database() as s:
        hits = search_standards(
            s, " ".join(words), grade=grade, frameworks=frameworks, subject=subject, limit=limit
        )
    if not hits:
        click.echo("No standards found.", err=True)
        raise SystemExit(1)
    for hit in hits:
        click.echo(hit.line)
