"""Prompt templates and the framing of untrusted source text.

Convention for a content kind (see ``templates/prompts/_common/README.md``):
``templates/prompts/<kind>.system.j2`` and ``<kind>.user.j2``; the system template's first line
is ``{# version: N #}``. Templates see ``params``, ``sources``, ``boundary``, ``schema_json``
and ``language``. The engine appends the shared rules to the system message and, unless the
user template placed them itself, the delimited source blocks to the user message.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

DEFAULT_TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
DEFAULT_SOURCE_CHAR_LIMIT = 24_000

RULES_TEMPLATE = "_common/rules.system.j2"
SCHEMA_TEMPLATE = "_common/schema.system.j2"
SOURCES_TEMPLATE = "_common/sources.j2"
REPAIR_TEMPLATE = "_common/repair.user.j2"
REGENERATE_TEMPLATE = "_common/regenerate_part.user.j2"
REPAIR_PART_TEMPLATE = "_common/repair_part.user.j2"

_VERSION_LINE = re.compile(r"\A\{#-?\s*version:\s*(\d+)\s*-?#\}")
_LABEL_UNSAFE = re.compile(r"[<>\x00-\x1f\x7f]+")
_MAX_LABEL_CHARS = 120
# A cut on a paragraph or sentence boundary is preferred only if it keeps most of the text.
_MIN_KEPT_FRACTION = 0.5


class PromptTemplateError(ValueError):
    """A prompt template is missing or lacks its ``{# version: N #}`` line."""


@dataclass(frozen=True)
class SourceText:
    """Teacher-provided text the model may use as material, never as instructions.

    ``sha256`` identifies the original file for provenance (computed from ``text`` when not
    given); ``original_chars`` is the length before capping.
    """

    label: str
    text: str
    sha256: str = ""
    original_chars: int = field(default=-1)

    def __post_init__(self) -> None:
        # The label is untrusted too and sits on the marker line, so it may not break out of it.
        label = " ".join(_LABEL_UNSAFE.sub(" ", self.label).split())[:_MAX_LABEL_CHARS]
        object.__setattr__(self, "label", label or "untitled")
        object.__setattr__(self, "text", self.text.replace("\x00", ""))
        if not self.sha256:
            digest = hashlib.sha256(self.text.encode("utf-8")).hexdigest()
            object.__setattr__(self, "sha256", digest)
        if self.original_chars < len(self.text):
            object.__setattr__(self, "original_chars", len(self.text))

    @property
    def truncated(self) -> bool:
        """True when part of the source was left out to fit the prompt."""
        return len(self.text) < self.original_chars

    @property
    def omitted_chars(self) -> int:
        """How many characters were left out."""
        return self.original_chars - len(self.text)


def cap_sources(
    sources: Sequence[SourceText], max_chars: int = DEFAULT_SOURCE_CHAR_LIMIT
) -> list[SourceText]:
    """Fit all sources into ``max_chars`` together, cutting on paragraph boundaries.

    Short sources keep all their text; the budget they leave is shared by the longer ones.
    """
    allowed: dict[int, int] = {}
    remaining = max(max_chars, 0)
    order = sorted(range(len(sources)), key=lambda i: len(sources[i].text))
    for position, index in enumerate(order):
        share = remaining // (len(order) - position)
        allowed[index] = min(len(sources[index].text), share)
        remaining -= allowed[index]
    capped: list[SourceText] = []
    for index, source in enumerate(sources):
        text = _cut_at_boundary(source.text, allowed[index])
        capped.append(
            SourceText(
                label=source.label,
                text=text,
                sha256=source.sha256,
                original_chars=source.original_chars,
            )
        )
    return capped


def _cut_at_boundary(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    window = text[:limit]
    for separator, keep in (("\n\n", 0), ("\n", 0), (". ", 1), (" ", 0)):
        cut = window.rfind(separator)
        if cut >= limit * _MIN_KEPT_FRACTION:
            return window[: cut + keep].rstrip()
    return window


def new_boundary(texts: Iterable[str] = ()) -> str:
    """A random marker token that occurs in none of ``texts``."""
    corpus = list(texts)
    while True:
        boundary = secrets.token_hex(8)
        if not any(boundary in text for text in corpus):
            return boundary


def frame_sources(
    sources: Sequence[SourceText], boundary: str, *, library: PromptLibrary | None = None
) -> str:
    """The sources as delimited data blocks (``<<<SOURCE {boundary} n: label>>>``)."""
    if any(boundary in source.text or boundary in source.label for source in sources):
        raise ValueError("the boundary occurs inside a source; choose a new one")
    lib = library or default_library()
    return lib.render(SOURCES_TEMPLATE, sources=list(sources), boundary=boundary).strip()


def to_json(value: Any) -> str:
    """JSON for prompts: readable, non-ASCII kept as is."""
    return json.dumps(value, ensure_ascii=False, indent=1)


@dataclass(frozen=True)
class RenderedPrompt:
    """The system and user message of one kind, with the template identity for provenance."""

    template: str
    version: int
    common_version: int
    system: str
    user: str


class PromptLibrary:
    """Jinja2 environment over ``templates/prompts`` (plus optional extra directories)."""

    def __init__(
        self, templates_dir: Path | None = None, *, extra_dirs: Sequence[Path] = ()
    ) -> None:
        base = (templates_dir or DEFAULT_TEMPLATES_DIR) / "prompts"
        loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(d)) for d in extra_dirs]
        loaders.append(jinja2.FileSystemLoader(str(base)))
        # Prompts are plain text for a model, not HTML: escaping would corrupt them.
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # noqa: S701
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["to_json"] = to_json

    def _source(self, name: str) -> str:
        loader = self.env.loader
        if loader is None:  # pragma: no cover - always set in __init__
            raise PromptTemplateError(name)
        try:
            source, _filename, _uptodate = loader.get_source(self.env, name)
        except jinja2.TemplateNotFound as exc:
            raise PromptTemplateError(f"prompt template {name!r} not found") from exc
        return source

    def template_version(self, name: str) -> int:
        """The ``N`` of the template's first line ``{# version: N #}``."""
        match = _VERSION_LINE.match(self._source(name))
        if match is None:
            raise PromptTemplateError(f"{name} must start with '{{# version: N #}}'")
        return int(match.group(1))

    def has_kind(self, kind: str) -> bool:
        """True when both templates of a kind exist."""
        names = set(self.env.list_templates())
        return {f"{kind}.system.j2", f"{kind}.user.j2"} <= names

    def render(self, name: str, **variables: Any) -> str:
        """Render one template; a missing variable raises ``jinja2.UndefinedError``."""
        self._source(name)
        return self.env.get_template(name).render(**variables)

    def render_kind(
        self,
        kind: str,
        *,
        params: Mapping[str, Any],
        sources: Sequence[SourceText],
        boundary: str,
        schema_json: str,
        language: str,
    ) -> RenderedPrompt:
        """System and user message for a kind, with shared rules and framed sources added."""
        variables: dict[str, Any] = {
            "params": dict(params),
            "sources": list(sources),
            "boundary": boundary,
            "schema_json": schema_json,
            "language": language,
        }
        system_name = f"{kind}.system.j2"
        system = self.render(system_name, **variables).strip()
        rules = self.render(RULES_TEMPLATE, **variables).strip()
        user = self.render(f"{kind}.user.j2", **variables).strip()
        if sources and f"<<<SOURCE {boundary}" not in user:
            user = f"{user}\n\n{frame_sources(sources, boundary, library=self)}"
        return RenderedPrompt(
            template=kind,
            version=self.template_version(system_name),
            common_version=self.template_version(RULES_TEMPLATE),
            system=f"{system}\n\n{rules}",
            user=user,
        )

    def schema_hint(self, schema_json: str) -> str:
        """Tells the model the schema when the endpoint does not enforce it."""
        return self.render(SCHEMA_TEMPLATE, schema_json=schema_json).strip()

    def repair_message(
        self, problems: Sequence[str], *, schema_json: str, show_schema: bool
    ) -> str:
        """The user message of a repair round: the exact problems to fix."""
        return self.render(
            REPAIR_TEMPLATE,
            problems=list(problems),
            schema_json=schema_json,
            show_schema=show_schema,
        ).strip()

    def repair_part_message(
        self,
        *,
        kind: str,
        path: str,
        problems: Sequence[str],
        description: str,
    ) -> str:
        """The user message of a repair round that rewrites one failing part only."""
        return self.render(
            REPAIR_PART_TEMPLATE,
            kind=kind,
            path=path,
            problems=list(problems),
            description=description,
        ).strip()

    def regenerate_message(
        self, *, kind: str, path: str, current_value: Any, instruction: str
    ) -> str:
        """The user message asking for a new value of one part of an artifact."""
        return self.render(
            REGENERATE_TEMPLATE,
            kind=kind,
            path=path,
            current_value_json=to_json(current_value),
            instruction=instruction,
        ).strip()


@functools.cache
def default_library() -> PromptLibrary:
    """The library over the repository's ``templates/`` directory (shared, read-only)."""
    return PromptLibrary()
