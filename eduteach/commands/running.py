"""The steps every ``eduteach generate`` kind shares: check, read, generate, write, report.

Exit codes: 0 the file was written; 1 the model (or its set-up) failed; 2 the request or a
source file was not usable, before anything was sent to the model.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

import click
from pydantic import BaseModel, ValidationError

from eduteach.commands.model import (
    EMBEDDED_SOURCE_CHARS,
    ModelUnavailableError,
    model_endpoint,
)
from eduteach.commands.progress import ProgressLine
from eduteach.config import ConfigError, Settings, load_settings
from eduteach.generation import (
    EndpointConfig,
    GenerationError,
    GenerationResult,
    GenerationSpec,
    InMemoryModeCache,
    InvalidOutputError,
    ModelClient,
    SourceText,
    generate,
)
from eduteach.generation.schemas import dump_params, teacher_messages

INPUT_PROBLEM = 2
MODEL_PROBLEM = 1


class InputProblemsError(click.ClickException):
    """The request or a file cannot be used: one line per problem, exit code 2."""

    exit_code = INPUT_PROBLEM

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__("; ".join(lines))
        self.lines = list(lines)

    def show(self, file: IO[Any] | None = None) -> None:
        for line in self.lines:
            click.echo(line, err=True, file=file)
        click.echo("Nothing was sent to the model.", err=True, file=file)


class GenerationFailedError(click.ClickException):
    """The model could not make the draft: what the teacher would be told, exit code 1."""

    exit_code = MODEL_PROBLEM

    def __init__(self, message: str, details: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.details = list(details)

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Error: {self.message}", err=True, file=file)
        for line in self.details:
            click.echo(f"  - {line}", err=True, file=file)


def command_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Settings for a generation run, without creating an instance folder or a secret.

    ``generate`` needs neither; ``load_settings`` would otherwise leave an ``instance/``
    folder with a secret key in whatever directory the command was run from.
    """
    env = dict(os.environ if environ is None else environ)
    if not env.get("EDUTEACH_SECRET_KEY"):
        env["EDUTEACH_SECRET_KEY"] = secrets.token_urlsafe(48)
    if not env.get("EDUTEACH_INSTANCE_PATH"):
        env["EDUTEACH_INSTANCE_PATH"] = tempfile.gettempdir()
    try:
        return load_settings(env)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def validated_params(
    request_model: type[BaseModel], values: Mapping[str, Any], flags: Mapping[str, str]
) -> dict[str, Any]:
    """The request as the engine's params, or ``InputProblemsError`` naming each bad flag.

    ``values`` holds only what was given (a missing key is reported as required); ``flags``
    maps a request field to the option that sets it, e.g. ``description`` → ``--topic``.
    """
    try:
        request = request_model.model_validate(dict(values))
    except ValidationError as exc:
        messages = teacher_messages(exc)
        raise InputProblemsError(
            [f"{flags.get(name, name)}: {message}" for name, message in messages.items()]
        ) from None
    return dump_params(request)


def check_writable(*paths: Path | None) -> None:
    """Refuse output paths that cannot be written before the model spends any time."""
    problems: list[str] = []
    for path in paths:
        if path is None:
            continue
        if path.is_dir():
            problems.append(f"{path}: this is a folder; give a file name.")
        elif not path.parent.is_dir():
            problems.append(f"{path}: the folder {path.parent} does not exist.")
        elif not os.access(path.parent, os.W_OK):
            problems.append(f"{path}: the folder {path.parent} is not writable.")
    if problems:
        raise InputProblemsError(problems)


@dataclass(frozen=True)
class Sources:
    """Source files as the engine's untrusted text blocks, and what the reader noticed."""

    texts: tuple[SourceText, ...] = ()
    warnings: tuple[str, ...] = ()


def read_sources(paths: Sequence[Path]) -> Sources:
    """Read ``--source`` files the way the web app reads uploads (typed, limited, isolated)."""
    if not paths:
        return Sources()
    from eduteach.documents import DEFAULT_LIMITS, UploadError, read_uploads

    files: list[tuple[str, bytes]] = []
    for path in paths:
        with path.open("rb") as handle:
            # One byte past the limit is enough to refuse an oversize file.
            files.append((path.name, handle.read(DEFAULT_LIMITS.max_bytes + 1)))
    try:
        documents = read_uploads(files)
    except UploadError as exc:
        where = f"--source {exc.label}" if exc.label else "--source"
        raise InputProblemsError([f"{where}: {exc.user_message}"]) from None
    warnings = [f"{doc.label}: {warning}" for doc in documents for warning in doc.warnings]
    return Sources(
        texts=tuple(
            SourceText(label=doc.label, text=doc.text, sha256=doc.sha256) for doc in documents
        ),
        warnings=tuple(warnings),
    )


@dataclass(frozen=True)
class Outcome:
    """A validated artifact, the endpoint that made it, and the time the run took."""

    result: GenerationResult[Any]
    endpoint: EndpointConfig
    seconds: float
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def data(self) -> dict[str, Any]:
        """The artifact as plain JSON data (what the renderers and ``--json`` take)."""
        dumped: dict[str, Any] = self.result.output.model_dump(mode="json")
        return dumped


def _notify(message: str) -> None:
    click.echo(message, err=True)


def run_generation(
    spec: GenerationSpec[Any],
    params: Mapping[str, Any],
    sources: Sources,
    settings: Settings,
    *,
    progress: ProgressLine | None = None,
) -> Outcome:
    """Generate one artifact with a progress line; failures become ``GenerationFailedError``."""
    started = time.monotonic()
    try:
        with (
            model_endpoint(settings, _notify) as endpoint,
            ModelClient(endpoint, mode_cache=InMemoryModeCache()) as client,
            progress or ProgressLine() as line,
        ):
            if endpoint.offline_draft:
                spec = replace(
                    spec, max_source_chars=min(spec.max_source_chars, EMBEDDED_SOURCE_CHARS)
                )
            result = generate(client, spec, params, sources.texts, progress=line)
    except ModelUnavailableError as exc:
        raise GenerationFailedError(str(exc)) from None
    except InvalidOutputError as exc:
        raise GenerationFailedError(exc.user_message, exc.problems) from None
    except GenerationError as exc:
        raise GenerationFailedError(exc.user_message) from None
    return Outcome(
        result=result,
        endpoint=endpoint,
        seconds=time.monotonic() - started,
        warnings=(*sources.warnings, *result.warnings),
    )


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` whole or not at all: a reader never sees half a document."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def report(outcome: Outcome, what: str, written: Sequence[Path]) -> None:
    """Where the files went, what to check, and what the generation cost."""
    provenance = outcome.result.provenance
    first, *others = written
    click.echo(f"Saved {what} to {first}")
    for path in others:
        click.echo(f"Also saved {path}")
    if outcome.endpoint.offline_draft:
        click.echo(
            "This is an offline draft made by a small local model: check it carefully "
            "before teaching from it."
        )
    if outcome.warnings:
        click.echo("Check before use:")
        for warning in outcome.warnings:
            click.echo(f"  - {warning}")
    repairs = int(provenance.get("repair_rounds") or 0)
    repaired = f", {repairs} repair round{'s' if repairs != 1 else ''}" if repairs else ""
    click.echo(
        f"Model {outcome.endpoint.model} at {outcome.endpoint.host}: "
        f"{int(provenance.get('prompt_tokens') or 0):,} prompt + "
        f"{int(provenance.get('completion_tokens') or 0):,} completion tokens{repaired}, "
        f"{outcome.seconds:.1f} s."
    )
