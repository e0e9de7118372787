"""A plan's sections as shapes read from its output model's JSON schema, and edit forms read back.

The review page renders and edits any plan kind from these shapes alone: a string becomes a
text box, a list of strings a box with one item per line, a list of objects a table of inputs
with a row per item, an object a group of fields. Form inputs are named by the path of the
value they hold (``v.2.minutes`` is the minutes of the third row), so a validation error's
location names the input it belongs to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

ShapeKind = Literal["text", "long_text", "integer", "choice", "strings", "rows", "group"]
ROOT = "v"
"""Name of the input (or the prefix of the inputs) holding a section's value."""

# Names and codes fit on one line; everything else a teacher writes may run longer.
_SHORT_TEXT = frozenset({"title", "name", "code", "term"})
_SCALARS = frozenset({"text", "long_text", "integer", "choice"})


@dataclass(frozen=True)
class Shape:
    """The form of one value: its kind, its limits, and for groups and rows its fields."""

    name: str
    kind: ShapeKind
    description: str = ""
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    min_items: int = 0
    max_items: int | None = None
    fields: tuple[Shape, ...] = ()

    @property
    def scalar(self) -> bool:
        return self.kind in _SCALARS

    @property
    def simple_group(self) -> bool:
        """A group whose fields are all single values (shown as a list of facts)."""
        return self.kind == "group" and all(f.scalar for f in self.fields)


def _resolve(node: Mapping[str, Any], root: Mapping[str, Any]) -> dict[str, Any]:
    resolved = dict(node)
    while "$ref" in resolved:
        target: Any = root
        for part in str(resolved.pop("$ref")).removeprefix("#/").split("/"):
            target = target[part]
        # Keys next to a $ref (a field's description) win over the target's.
        resolved = {**target, **resolved}
    for union in ("anyOf", "oneOf"):
        if union in resolved:
            arms = [a for a in resolved[union] if a.get("type") != "null"]
            if len(arms) != 1:
                raise ValueError("a union of several types has no single form")
            rest = {k: v for k, v in resolved.items() if k != union}
            resolved = {**_resolve(arms[0], root), **rest}
    return resolved


def _shape(name: str, node: Mapping[str, Any], root: Mapping[str, Any]) -> Shape:
    node = _resolve(node, root)
    description = str(node.get("description", ""))
    kind = node.get("type")
    if "enum" in node:
        return Shape(name, "choice", description, choices=tuple(str(c) for c in node["enum"]))
    if kind == "integer":
        return Shape(
            name, "integer", description, minimum=node.get("minimum"), maximum=node.get("maximum")
        )
    if kind == "string":
        return Shape(name, "text" if name in _SHORT_TEXT else "long_text", description)
    if kind == "array":
        items = _resolve(node.get("items", {}), root)
        low, high = int(node.get("minItems", 0)), node.get("maxItems")
        if items.get("type") == "object":
            fields = _fields(items, root)
            return Shape(name, "rows", description, min_items=low, max_items=high, fields=fields)
        if items.get("type") == "string" and "enum" not in items:
            return Shape(name, "strings", description, min_items=low, max_items=high)
        raise ValueError(f"no form for a list of {items.get('type')!r} in {name!r}")
    if kind == "object":
        return Shape(name, "group", description, fields=_fields(node, root))
    raise ValueError(f"no form for {kind!r} in {name!r}")


def _fields(node: Mapping[str, Any], root: Mapping[str, Any]) -> tuple[Shape, ...]:
    return tuple(_shape(name, sub, root) for name, sub in node.get("properties", {}).items())


@cache
def sections(model: type[BaseModel]) -> tuple[Shape, ...]:
    """The top-level sections of a plan kind, in the model's field order."""
    schema = model.model_json_schema()
    return _fields(schema, schema)


def section(model: type[BaseModel], name: str) -> Shape:
    """One top-level section by field name; KeyError when the kind has no such section."""
    for shape in sections(model):
        if shape.name == name:
            return shape
    raise KeyError(name)


# --- reading an edit form back -------------------------------------------------------------


def read_form(shape: Shape, pairs: Iterable[tuple[str, str]], name: str = ROOT) -> Any:
    """The section's new value from the submitted ``(input name, value)`` pairs.

    Rows follow the order the inputs arrive in (the page's order, so moved rows keep their
    new place); rows left entirely blank are dropped. Whole numbers that do not parse stay
    as typed, so validation names them and the form shows them again unchanged.
    """
    ordered = list(pairs)
    form: dict[str, str] = {}
    for key, value in ordered:
        form[key] = value
    return _read(shape, form, [key for key, _ in ordered], name)


def _read(shape: Shape, form: Mapping[str, str], keys: Sequence[str], name: str) -> Any:
    if shape.kind == "group":
        return {f.name: _read(f, form, keys, f"{name}.{f.name}") for f in shape.fields}
    if shape.kind == "rows":
        rows = []
        for row_id in _row_ids(keys, name):
            prefix = f"{name}.{row_id}"
            if all(not form[k].strip() for k in keys if k.startswith(prefix + ".")):
                continue
            rows.append({f.name: _read(f, form, keys, f"{prefix}.{f.name}") for f in shape.fields})
        return rows
    raw = form.get(name, "").replace("\r\n", "\n").replace("\r", "\n")
    if shape.kind == "strings":
        return [line.strip() for line in raw.split("\n") if line.strip()]
    if shape.kind == "integer":
        raw = raw.strip()
        return int(raw) if re.fullmatch(r"[+-]?\d{1,9}", raw) else raw
    if shape.kind == "long_text":
        return raw.strip()
    return " ".join(raw.split())


def _row_ids(keys: Sequence[str], name: str) -> list[str]:
    pattern = re.compile(re.escape(name) + r"\.(\w+)\.")
    seen: dict[str, None] = {}
    for key in keys:
        match = pattern.match(key)
        if match:
            seen.setdefault(match.group(1))
    return list(seen)


# --- validation errors, placed next to their inputs ------------------------------------------


@dataclass(frozen=True)
class FieldErrors:
    """Messages keyed by input name; ``general`` holds what belongs to no single input."""

    by_input: dict[str, str]
    general: list[str]

    def __bool__(self) -> bool:
        return bool(self.by_input or self.general)


def input_for(shape: Shape, loc: Sequence[str | int], name: str = ROOT) -> tuple[str, str]:
    """The input a location inside the section belongs to, and a prefix for the message."""
    node = shape
    for position, segment in enumerate(loc):
        if node.kind == "strings" and isinstance(segment, int):
            return name, f"Line {segment + 1}: "
        if node.kind == "rows" and isinstance(segment, int):
            name = f"{name}.{segment}"
            rest = loc[position + 1 :]
            if not rest:
                return name.rsplit(".", 1)[0], f"Row {segment + 1}: "
            node = Shape(node.name, "group", fields=node.fields)
            continue
        if node.kind == "group" and isinstance(segment, str):
            child = next((f for f in node.fields if f.name == segment), None)
            if child is None:
                break
            name, node = f"{name}.{segment}", child
            continue
        break
    return name, ""


def plain_message(error: ErrorDetails) -> str:
    """A validation message in a teacher's words."""
    kind = error.get("type", "")
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    if kind == "missing":
        return "This is required."
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "Enter a whole number, for example 10."
    if kind == "greater_than_equal":
        return f"Enter a number of at least {ctx.get('ge')}."
    if kind == "less_than_equal":
        return f"Enter a number of at most {ctx.get('le')}."
    if kind == "too_short":
        low = ctx.get("min_length", 1)
        return f"Add at least {low} {'item' if low == 1 else 'items'}."
    if kind == "too_long":
        high = ctx.get("max_length")
        return f"Keep at most {high} {'item' if high == 1 else 'items'}."
    if kind in ("literal_error", "enum"):
        return "Choose one of the options."
    if kind in ("string_type", "list_type", "dict_type", "model_type"):
        return "Enter text here."
    return str(error.get("msg", "Check this value.")).rstrip(".") + "."


def errors_for(shape: Shape, exc: ValidationError) -> FieldErrors:
    """Place a plan's validation errors (raised after this section was edited) on inputs."""
    by_input: dict[str, str] = {}
    general: list[str] = []
    for error in exc.errors(include_url=False):
        loc = list(error.get("loc", ()))
        if not loc or loc[0] != shape.name:
            general.append(plain_message(error))
            continue
        target, prefix = input_for(shape, loc[1:])
        by_input.setdefault(target, prefix + plain_message(error))
    return FieldErrors(by_input, general)
