"""Structured-output modes and the ``response_format`` payload each one sends.

Endpoints differ in what they accept: OpenAI and vLLM take ``json_schema``; llama.cpp and
llama-cpp-python take ``json_object`` with their own ``schema`` extension (and answer HTTP 500
to ``json_schema``); some servers only know plain ``json_object``; a few ignore or reject
``response_format`` altogether. The client walks these modes from strongest to weakest.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema


class StructuredMode(StrEnum):
    """How the output shape is requested, strongest first."""

    JSON_SCHEMA = "json_schema"
    JSON_OBJECT_SCHEMA = "json_object_schema"
    JSON_OBJECT = "json_object"
    PROMPT = "prompt"

    @property
    def server_sees_schema(self) -> bool:
        """True when the schema travels in ``response_format`` for the server to enforce."""
        return self in (StructuredMode.JSON_SCHEMA, StructuredMode.JSON_OBJECT_SCHEMA)


MODE_ORDER: tuple[StructuredMode, ...] = tuple(StructuredMode)

# Keywords OpenAI's strict mode accepts; anything else makes a schema non-strict.
_STRICT_KEYWORDS = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "anyOf",
        "enum",
        "const",
        "$ref",
        "$defs",
        "description",
        "pattern",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
    }
)
# Annotations that carry no constraint, and constraints the output models also enforce in
# code (minLength: non-blank text): safe to drop from the strict copy.
_DROPPABLE_KEYWORDS = frozenset({"title", "default", "examples", "format", "minLength"})


class _NotStrict(Exception):
    """The schema uses a feature strict mode cannot express."""


def _without_titles(node: Any) -> Any:
    """The schema without Pydantic's generated ``title`` annotations ("ModifiedText", "Text").

    They constrain nothing, and a small model copies them as values: the offline model gave
    modified material the title "ModifiedText". A property *named* title is kept (its value
    is a schema, not a string).
    """
    if isinstance(node, list):
        return [_without_titles(item) for item in node]
    if isinstance(node, dict):
        return {
            key: _without_titles(value)
            for key, value in node.items()
            if not (key == "title" and isinstance(value, str))
        }
    return node


# Building a JSON Schema is the engine's largest own cost per call; models do not change.
@functools.lru_cache(maxsize=256)
def _schema_json(model: type[BaseModel]) -> str:
    return json.dumps(_without_titles(model.model_json_schema()), ensure_ascii=False)


def output_schema(model: type[BaseModel]) -> dict[str, Any]:
    """JSON Schema of an output model, as Pydantic writes it (a fresh copy)."""
    schema: dict[str, Any] = json.loads(_schema_json(model))
    return schema


@functools.lru_cache(maxsize=256)
def schema_text(model: type[BaseModel]) -> str:
    """The output schema as stable, readable JSON text for prompts."""
    return json.dumps(output_schema(model), ensure_ascii=False, sort_keys=True, indent=1)


def strict_schema(model: type[BaseModel]) -> dict[str, Any] | None:
    """The schema rewritten for OpenAI strict mode, or None when strict mode cannot express it.

    Strict mode needs every property required and ``additionalProperties: false`` on every
    object, and supports only a subset of keywords. Optional fields stay nullable, so the
    model writes ``null`` instead of leaving them out.
    """
    text = _strict_json(model)
    if text is None:
        return None
    strict: dict[str, Any] = json.loads(text)
    return strict


@functools.lru_cache(maxsize=256)
def _strict_json(model: type[BaseModel]) -> str | None:
    schema = output_schema(model)
    try:
        return json.dumps(_strictify(schema, root=schema), ensure_ascii=False)
    except _NotStrict:
        return None


def _strictify(node: Any, *, root: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_strictify(item, root=root) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node and len(node) > 1:
        # Strict mode refuses siblings next to $ref: inline the definition instead.
        resolved = _resolve_ref(root, node["$ref"])
        node = {**resolved, **{k: v for k, v in node.items() if k != "$ref"}}
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROPPABLE_KEYWORDS:
            continue
        if key not in _STRICT_KEYWORDS:
            raise _NotStrict(key)
        if key in ("properties", "$defs"):
            out[key] = {name: _strictify(sub, root=root) for name, sub in value.items()}
        elif key in ("items", "anyOf"):
            out[key] = _strictify(value, root=root)
        else:
            out[key] = value
    if out.get("type") == "object" or "properties" in out:
        if out.get("additionalProperties", False) is not False or "properties" not in out:
            raise _NotStrict("free-form object")
        out["additionalProperties"] = False
        out["required"] = list(out["properties"])
    return out


def _resolve_ref(root: dict[str, Any], ref: str) -> dict[str, Any]:
    if not ref.startswith("#/"):
        raise _NotStrict(ref)
    target: Any = root
    for part in ref[2:].split("/"):
        target = target[part]
    if not isinstance(target, dict):
        raise _NotStrict(ref)
    return target


def schema_name(kind: str) -> str:
    """A ``json_schema.name`` the API accepts (letters, digits, ``_`` and ``-``, max 64)."""
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", kind).strip("_")
    return (name or "output")[:64]


def response_format(
    mode: StructuredMode, model: type[BaseModel], *, name: str, strict: bool
) -> dict[str, Any] | None:
    """The ``response_format`` body for a mode (None: send no ``response_format``)."""
    if mode is StructuredMode.JSON_SCHEMA:
        strict_copy = strict_schema(model) if strict else None
        return {
            "type": "json_schema",
            "json_schema": {
                "name": schema_name(name),
                "schema": strict_copy if strict_copy is not None else output_schema(model),
                "strict": strict_copy is not None,
            },
        }
    if mode is StructuredMode.JSON_OBJECT_SCHEMA:
        return {"type": "json_object", "schema": output_schema(model)}
    if mode is StructuredMode.JSON_OBJECT:
        return {"type": "json_object"}
    return None


def sized_model(model: type[BaseModel], sizes: Mapping[str, int]) -> type[BaseModel]:
    """``model`` whose JSON schema fixes the length of some list fields (validation unchanged).

    A grammar-constrained server then writes exactly that many items; a server that ignores
    the schema is held to it by the checks instead.
    """

    def schema(
        cls: type[BaseModel], core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        written = handler(core_schema)
        target = handler.resolve_ref_schema(written)
        for name, size in sizes.items():
            target["properties"][name]["minItems"] = size
            target["properties"][name]["maxItems"] = size
        return written

    return type(
        model.__name__,
        (model,),
        {"__get_pydantic_json_schema__": classmethod(schema), "__module__": model.__module__},
    )
