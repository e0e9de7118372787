"""The generation engine: prompt, call, validate, repair; and regenerating one part.

``generate`` renders the kind's templates, calls the model for one JSON object, validates it
with the output model and the domain validators, and sends the exact problems back for up to
``max_repairs`` repair rounds. It returns a validated artifact with its provenance or raises a
``GenerationError``; it never returns a half-valid result.

A repair round rewrites only what failed when it can: if every problem belongs to one of a few
top-level parts (a schema error at ``homework``, a domain check of ``procedure``), each such
part is asked for alone, as ``{"value": ...}`` with that part's schema, and merged back; the
draft the model sees leaves that part out. Small local models fix one field far more reliably
than they rewrite a whole plan, and the rest of the draft cannot get worse on the way. Anything else (unparseable JSON, problems across the
whole object, too many parts) gets a whole-object repair.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, TypeAlias, TypeVar

from pydantic import BaseModel, Field, ValidationError, create_model

from eduteach.generation.client import JsonModel, ModelReply
from eduteach.generation.errors import InvalidOutputError
from eduteach.generation.parts import PartPathError, get_part, parse_path, part_type, set_part
from eduteach.generation.prompts import (
    DEFAULT_SOURCE_CHAR_LIMIT,
    PromptLibrary,
    RenderedPrompt,
    SourceText,
    cap_sources,
    default_library,
    new_boundary,
    to_json,
)
from eduteach.generation.structured import StructuredMode, schema_text, sized_model

T = TypeVar("T", bound=BaseModel)
R = TypeVar("R")

Validator: TypeAlias = Callable[[T, Mapping[str, Any]], list[str]]
"""A domain check: returns problems in plain words (empty when the artifact is fine)."""
Fixer: TypeAlias = Callable[[T, Mapping[str, Any]], tuple[T, list[str]]]

ProgressCallback: TypeAlias = Callable[[str, float], None]
"""Called with a stage name for the teacher and a fraction between 0 and 1."""

DEFAULT_LANGUAGE = "English"
_MAX_PROBLEMS = 20
# More failing parts than this and a whole-object repair is the better question to ask.
_MAX_PART_REPAIRS = 6
# The first round is where nearly all the waiting happens; repairs share the rest.
_FIRST_ROUND_END = 0.85
_REPAIRS_END = 0.98


@dataclass(frozen=True)
class GenerationSpec(Generic[T]):
    """What to generate: the kind (template name), output model and checks."""

    kind: str
    output: type[T]
    # Checks of the artifact as a whole.
    validators: Sequence[Validator[T]] = ()
    # Checks of one top-level field each (field name -> check): their problems can be
    # repaired by asking for that field alone.
    field_checks: Mapping[str, Validator[T]] = field(default_factory=dict)
    # List fields whose items are repaired one by one (field name -> the word the checks use
    # for an item, e.g. "items" -> "Question"): a schema error inside item 3, or a problem
    # that starts "Question 4", asks for that item alone.
    item_parts: Mapping[str, str] = field(default_factory=dict)
    # Deterministic corrections applied before the checks (e.g. rescaling step minutes to the
    # lesson's length): small models miss arithmetic that code gets right every time. Each
    # returns the corrected output and notes for the teacher.
    fixers: Sequence[Fixer[T]] = ()
    max_tokens: int | None = None
    max_repairs: int = 2
    # After the last repair, keep an answer that fits the schema but still fails domain checks,
    # with those problems as warnings for the teacher (activities: a flagged item is for the
    # teacher to fix in review, never silently dropped). Plans stay all-or-nothing.
    keep_flagged: bool = False
    # Softer: keep the answer when every problem left maps to a warning for the teacher (what
    # this returns; None for a problem that must not be kept), e.g. guidance that reads a
    # little above the class's grade, which the teacher can simplify in review.
    keepable: Callable[[str], str | None] | None = None
    # List lengths this request fixes ({"items": 5}): written into the schema the model is
    # asked for (whole answer and a repaired list alike); answers are still validated with
    # ``output`` and its checks.
    list_sizes: Mapping[str, int] = field(default_factory=dict)
    temperature: float | None = 0.4
    max_source_chars: int = DEFAULT_SOURCE_CHAR_LIMIT


@dataclass(frozen=True)
class GenerationResult(Generic[T]):
    """A validated artifact, how it was made, and notes for the teacher."""

    output: T
    provenance: dict[str, Any]
    warnings: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Problem:
    """Why an answer cannot be used yet, and the part it is about (None: the whole answer).

    A part is a top-level field ("homework") or one item of a list field ("items.3").
    """

    text: str
    part: str | None = None


@dataclass
class _Rounds:
    """Usage summed over the rounds of one generation."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    repairs: int = 0
    message_hashes: list[str] = field(default_factory=list)
    mode: StructuredMode | None = None
    flagged: list[str] = field(default_factory=list)

    def add(self, reply: ModelReply) -> None:
        self.prompt_tokens += reply.prompt_tokens
        self.completion_tokens += reply.completion_tokens
        self.message_hashes.append(messages_sha256(reply.messages))
        self.mode = reply.mode


class _Progress:
    def __init__(self, callback: ProgressCallback | None, max_repairs: int) -> None:
        self._callback = callback
        self._max_repairs = max(max_repairs, 1)
        self._last = 0.0

    def __call__(self, stage: str, fraction: float) -> None:
        # Never move the bar backwards.
        self._last = max(self._last, min(fraction, 1.0))
        if self._callback is not None:
            self._callback(stage, self._last)

    def repair_start(self, round_no: int) -> float:
        span = _REPAIRS_END - _FIRST_ROUND_END
        return _FIRST_ROUND_END + span * (round_no - 1) / self._max_repairs

    def round_end(self, round_no: int) -> float:
        if round_no == 0:
            return _FIRST_ROUND_END
        return self.repair_start(round_no + 1)


def messages_sha256(messages: Sequence[Mapping[str, str]]) -> str:
    """SHA-256 of the exact messages, as canonical JSON."""
    canonical = json.dumps(
        [dict(m) for m in messages], ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _validation_problems(
    exc: ValidationError,
    *,
    prefix: str = "",
    parts: Sequence[str] = (),
    item_parts: Mapping[str, str] | None = None,
) -> list[Problem]:
    """Pydantic errors as short sentences naming the field (never echoing the input).

    An error inside one of ``parts`` (the output model's fields) is tied to that part, or to
    the item when the field is one of ``item_parts``.
    """
    problems: list[Problem] = []
    for error in exc.errors(include_url=False, include_input=False, include_context=False):
        loc = error["loc"]
        location = ".".join(str(piece) for piece in loc)
        if prefix:
            location = f"{prefix}.{location}" if location else prefix
        where = f"`{location}`" if location else "The object"
        part = loc[0] if loc and isinstance(loc[0], str) and loc[0] in parts else None
        if part and item_parts and part in item_parts and len(loc) > 2 and isinstance(loc[1], int):
            part = f"{part}.{loc[1]}"
        if error["type"] == "missing":
            problems.append(Problem(f"{where} is missing.", part))
        elif error["type"] == "extra_forbidden":
            problems.append(Problem(f"{where} is not an allowed field; remove it."))
        else:
            problems.append(Problem(f"{where}: {error['msg']}.", part))
    return problems


def _capped(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= _MAX_PROBLEMS:
        return problems
    rest = len(problems) - _MAX_PROBLEMS
    return [*problems[:_MAX_PROBLEMS], Problem(f"... and {rest} more problems of the same kinds.")]


def _item_part(name: str, label: str | None, text: str, size: int) -> str:
    """``name.N`` when the problem names one item ("Question 4: ..."), else ``name``."""
    if label:
        match = re.match(rf"{re.escape(label)} (\d+)\b", text)
        if match and 1 <= int(match.group(1)) <= size:
            return f"{name}.{int(match.group(1)) - 1}"
    return name


def _domain_problems(
    spec: GenerationSpec[T], output: T, params: Mapping[str, Any]
) -> list[Problem]:
    problems = [Problem(text) for check in spec.validators for text in check(output, params)]
    for name, check in spec.field_checks.items():
        label = spec.item_parts.get(name)
        size = len(getattr(output, name, None) or []) if label else 0
        problems.extend(
            Problem(text, _item_part(name, label, text, size)) for text in check(output, params)
        )
    return problems


def _failing_parts(problems: Sequence[Problem]) -> list[str] | None:
    """The parts to repair one by one, or None when only a whole-object repair fits.

    A whole list being rewritten makes repairs of its single items unnecessary.
    """
    parts: list[str] = []
    for problem in problems:
        if problem.part is None:
            return None
        if problem.part not in parts:
            parts.append(problem.part)
    parts = [p for p in parts if "." not in p or p.split(".", 1)[0] not in parts]
    return parts if 0 < len(parts) <= _MAX_PART_REPAIRS else None


def _inside(path: str | None, part: str) -> bool:
    return bool(path) and str(path).startswith(f"{part}.")


def _part_envelope(output: type[BaseModel], segments: Sequence[Any], path: str) -> type[BaseModel]:
    """A ``{"value": ...}`` model whose value has the type of the part at ``segments``."""
    return create_model(
        f"{output.__name__}Part",
        value=(part_type(output, segments), Field(description=f"New value for {path}")),
    )


def _apply_fixers(
    spec: GenerationSpec[T], output: T, params: Mapping[str, Any]
) -> tuple[T, list[str]]:
    notes: list[str] = []
    for fixer in spec.fixers:
        output, more = fixer(output, params)
        notes.extend(more)
    return output, notes


def _json_safe(value: Mapping[str, Any]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(json.dumps(dict(value), ensure_ascii=False, default=str))
    return loaded


def _prepare(
    spec: GenerationSpec[T],
    params: Mapping[str, Any],
    sources: Sequence[SourceText],
    library: PromptLibrary,
) -> tuple[RenderedPrompt, list[SourceText], list[str]]:
    capped = cap_sources(sources, spec.max_source_chars)
    corpus = [s.text for s in capped] + [s.label for s in capped]
    corpus.append(json.dumps(_json_safe(params), ensure_ascii=False))
    prompt = library.render_kind(
        spec.kind,
        params=params,
        sources=capped,
        boundary=new_boundary(corpus),
        schema_json=schema_text(spec.output),
        language=str(params.get("language") or DEFAULT_LANGUAGE),
    )
    warnings = [
        f'"{s.label}" was shortened to fit: {s.omitted_chars:,} of {s.original_chars:,} '
        "characters were left out."
        for s in capped
        if s.truncated
    ]
    return prompt, capped, warnings


def _ask(
    client: JsonModel,
    spec: GenerationSpec[Any],
    library: PromptLibrary,
    messages: list[dict[str, str]],
    reply_schema: type[BaseModel],
    *,
    name: str,
) -> ModelReply:
    schema_json = schema_text(reply_schema)
    # Kind templates may already show the schema; a second copy only costs context.
    hint = "" if schema_json in messages[0]["content"] else library.schema_hint(schema_json)
    return client.complete_json(
        messages,
        reply_schema,
        max_tokens=spec.max_tokens,
        temperature=spec.temperature,
        name=name,
        schema_hint=hint,
    )


def _repair_parts(
    client: JsonModel,
    *,
    base: list[dict[str, str]],
    data: dict[str, Any],
    problems: Sequence[Problem],
    parts: Sequence[str],
    spec: GenerationSpec[Any],
    library: PromptLibrary,
    rounds: _Rounds,
) -> dict[str, Any]:
    """The answer with each failing part rewritten by the model on its own."""
    fields = spec.output.model_fields
    repaired = dict(data)
    for part in parts:
        segments = parse_path(part)
        try:
            get_part(repaired, segments)
        except PartPathError:
            continue  # an item the draft does not have: the list's own problem covers it
        envelope = _part_envelope(spec.output, segments, part)
        field_name = str(segments[0])
        if len(segments) == 1 and field_name in spec.list_sizes:
            envelope = sized_model(envelope, {"value": spec.list_sizes[field_name]})
        description = fields[field_name].description or field_name
        if len(segments) > 1:
            description = f"One item of {field_name}: {description}"
        message = library.repair_part_message(
            kind=spec.kind,
            path=part,
            # A whole list carries its items' problems too.
            problems=[p.text for p in problems if p.part == part or _inside(p.part, part)],
            description=description,
        )
        # The failing value is left out of what the model sees: small models copy what is in
        # front of them (seen: a differentiation that repeated the materials list, copied
        # again word for word when shown with the problem).
        if len(segments) == 1:
            shown = {key: value for key, value in repaired.items() if key != part}
        else:
            shown = set_part(repaired, segments, None)
        messages = [
            *base,
            {"role": "assistant", "content": to_json(shown)},
            {"role": "user", "content": message},
        ]
        name = f"{spec.kind}_{part.replace('.', '_')}"
        reply = _ask(client, spec, library, messages, envelope, name=name)
        rounds.add(reply)
        answer = reply.parsed or {}
        # Some models answer {"homework": ...} instead of {"value": ...}: same meaning.
        for key in ("value", field_name):
            if key in answer:
                repaired = set_part(repaired, segments, answer[key])
                break
        else:
            if len(segments) > 1 and answer:
                # ... or the item itself, unwrapped.
                repaired = set_part(repaired, segments, answer)
    return repaired


def _run_rounds(
    client: JsonModel,
    *,
    base: list[dict[str, str]],
    reply_schema: type[BaseModel],
    accept: Callable[[dict[str, Any]], tuple[R | None, list[Problem]]],
    spec: GenerationSpec[Any],
    library: PromptLibrary,
    progress: _Progress,
    rounds: _Rounds,
    part_repairs: bool,
) -> R:
    """Call, check, and repair until the answer is accepted or the repairs run out.

    With ``part_repairs``, a round whose problems all sit in a few top-level parts asks for
    those parts alone (see the module docstring); otherwise the whole object is asked again.
    """
    reply = _ask(client, spec, library, list(base), reply_schema, name=spec.kind)
    rounds.add(reply)
    data, text = reply.parsed, reply.text
    for round_no in range(spec.max_repairs + 1):
        progress("Checking the draft", progress.round_end(round_no))
        if data is None:
            error = reply.parse_error or "The answer was not a JSON object."
            result, problems = None, [Problem(error)]
        else:
            result, problems = accept(data)
        if not problems and result is not None:
            return result
        problems = _capped(problems)
        if round_no == spec.max_repairs:
            kept = _kept_problems(spec, problems) if result is not None else None
            if kept is not None and result is not None:
                rounds.flagged = kept
                return result
            raise InvalidOutputError([p.text for p in problems])
        rounds.repairs += 1
        count = len(problems)
        stage = f"Fixing {count} problem" if count == 1 else f"Fixing {count} problems"
        progress(stage, progress.repair_start(round_no + 1))
        parts = _failing_parts(problems) if part_repairs and data is not None else None
        if data is not None and parts:
            data = _repair_parts(
                client,
                base=base,
                data=data,
                problems=problems,
                parts=parts,
                spec=spec,
                library=library,
                rounds=rounds,
            )
            text = to_json(data)
            continue
        repair = library.repair_message(
            [p.text for p in problems],
            schema_json=schema_text(reply_schema),
            # The server enforced nothing if it ignored json_schema: show the schema again.
            show_schema=reply.mode is StructuredMode.JSON_SCHEMA and reply.parsed is None,
        )
        messages = [
            *base,
            {"role": "assistant", "content": text},
            {"role": "user", "content": repair},
        ]
        reply = _ask(client, spec, library, messages, reply_schema, name=spec.kind)
        rounds.add(reply)
        data, text = reply.parsed, reply.text
    raise InvalidOutputError(["no rounds were run"])  # pragma: no cover - max_repairs >= 0


def _kept_problems(spec: GenerationSpec[Any], problems: Sequence[Problem]) -> list[str] | None:
    """What to flag for the teacher when an answer is kept despite ``problems``; None: refuse."""
    if spec.keep_flagged:
        return [p.text for p in problems]
    if spec.keepable is None:
        return None
    kept = [spec.keepable(p.text) for p in problems]
    return None if None in kept else [warning for warning in kept if warning is not None]


def _provenance(
    client: JsonModel,
    spec: GenerationSpec[Any],
    prompt: RenderedPrompt,
    params: Mapping[str, Any],
    sources: Sequence[SourceText],
    rounds: _Rounds,
    *,
    started: float,
    created_at: str,
) -> dict[str, Any]:
    config = client.config
    return {
        "kind": spec.kind,
        "endpoint_host": config.host,
        "model": config.model,
        "offline_draft": config.offline_draft,
        "template": prompt.template,
        "template_version": prompt.version,
        "common_template_version": prompt.common_version,
        "params": _json_safe(params),
        "prompt_sha256": rounds.message_hashes[0],
        "round_sha256": list(rounds.message_hashes),
        "structured_mode": str(rounds.mode) if rounds.mode else None,
        "prompt_tokens": rounds.prompt_tokens,
        "completion_tokens": rounds.completion_tokens,
        "repair_rounds": rounds.repairs,
        "flagged_problems": len(rounds.flagged),
        "max_tokens": spec.max_tokens or config.max_tokens,
        "temperature": spec.temperature,
        "duration_ms": round((time.monotonic() - started) * 1000),
        "source_sha256": [s.sha256 for s in sources],
        "created_at": created_at,
    }


def generate(
    client: JsonModel,
    spec: GenerationSpec[T],
    params: Mapping[str, Any],
    sources: Sequence[SourceText] = (),
    progress: ProgressCallback | None = None,
    *,
    prompts: PromptLibrary | None = None,
) -> GenerationResult[T]:
    """Generate one validated artifact of ``spec.kind`` from the teacher's ``params``."""
    started = time.monotonic()
    created_at = datetime.now(UTC).isoformat(timespec="seconds")
    report = _Progress(progress, spec.max_repairs)
    library = prompts or default_library()
    report("Writing the prompt", 0.02)
    prompt, capped, warnings = _prepare(spec, params, sources, library)
    base = [
        {"role": "system", "content": prompt.system},
        {"role": "user", "content": prompt.user},
    ]

    fixed_notes: list[str] = []

    def accept(data: dict[str, Any]) -> tuple[T | None, list[Problem]]:
        try:
            output = spec.output.model_validate(data)
        except ValidationError as exc:
            return None, _validation_problems(
                exc, parts=tuple(spec.output.model_fields), item_parts=spec.item_parts
            )
        output, notes = _apply_fixers(spec, output, params)
        fixed_notes[:] = notes
        return output, _domain_problems(spec, output, params)

    rounds = _Rounds()
    report("Waiting for the model", 0.05)
    output = _run_rounds(
        client,
        base=base,
        reply_schema=sized_model(spec.output, spec.list_sizes) if spec.list_sizes else spec.output,
        accept=accept,
        spec=spec,
        library=library,
        progress=report,
        rounds=rounds,
        part_repairs=True,
    )
    provenance = _provenance(
        client, spec, prompt, params, capped, rounds, started=started, created_at=created_at
    )
    report("Done", 1.0)
    flags = [f"Needs your check: {problem}" for problem in rounds.flagged]
    return GenerationResult(
        output=output, provenance=provenance, warnings=(*warnings, *fixed_notes, *flags)
    )


def regenerate_part(
    client: JsonModel,
    spec: GenerationSpec[T],
    current: T,
    path: str,
    instruction: str,
    params: Mapping[str, Any],
    sources: Sequence[SourceText] = (),
    progress: ProgressCallback | None = None,
    *,
    prompts: PromptLibrary | None = None,
) -> GenerationResult[T]:
    """Replace one part of ``current`` (dotted ``path``) following the teacher's instruction.

    The model answers ``{"value": ...}``, validated against that part's type; it is merged
    into a copy of the artifact, which is validated again as a whole (with repair rounds).
    Every other part stays exactly as it was. Problems the artifact already had before the
    change are reported as warnings, not blamed on the new part.
    """
    started = time.monotonic()
    created_at = datetime.now(UTC).isoformat(timespec="seconds")
    segments = parse_path(path)
    envelope = _part_envelope(spec.output, segments, path)
    current_data = current.model_dump(mode="json")
    current_value = get_part(current_data, segments)
    baseline = [p.text for p in _domain_problems(spec, current, params)]
    report = _Progress(progress, spec.max_repairs)
    library = prompts or default_library()
    report("Writing the prompt", 0.02)
    prompt, capped, warnings = _prepare(spec, params, sources, library)
    base = [
        {"role": "system", "content": prompt.system},
        {"role": "user", "content": prompt.user},
        {"role": "assistant", "content": to_json(current_data)},
        {
            "role": "user",
            "content": library.regenerate_message(
                kind=spec.kind, path=path, current_value=current_value, instruction=instruction
            ),
        },
    ]

    fixed_notes: list[str] = []

    def accept(data: dict[str, Any]) -> tuple[T | None, list[Problem]]:
        try:
            new_value = envelope.model_validate(data).model_dump(mode="json")["value"]
        except ValidationError as exc:
            return None, [
                Problem(p.text.replace("`value", f"`{path}", 1)) for p in _validation_problems(exc)
            ]
        merged = set_part(current_data, segments, new_value)
        try:
            output = spec.output.model_validate(merged)
        except ValidationError as exc:
            return None, _validation_problems(exc)
        output, notes = _apply_fixers(spec, output, params)
        fixed_notes[:] = notes
        problems = _domain_problems(spec, output, params)
        return output, [p for p in problems if p.text not in baseline]

    rounds = _Rounds()
    report("Waiting for the model", 0.05)
    output = _run_rounds(
        client,
        base=base,
        reply_schema=envelope,
        accept=accept,
        spec=spec,
        library=library,
        progress=report,
        rounds=rounds,
        part_repairs=False,
    )
    provenance = _provenance(
        client, spec, prompt, params, capped, rounds, started=started, created_at=created_at
    )
    provenance["regenerated_part"] = path
    provenance["instruction"] = instruction
    warnings.extend(f"Already present before this change: {problem}" for problem in baseline)
    warnings.extend(fixed_notes)
    warnings.extend(f"Needs your check: {problem}" for problem in rounds.flagged)
    report("Done", 1.0)
    return GenerationResult(output=output, provenance=provenance, warnings=tuple(warnings))
