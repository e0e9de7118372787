"""Addressing one part of an artifact by a dotted path (``"procedure.0"``, ``"differentiation"``)."""

from __future__ import annotations

import copy
import types
from collections.abc import Sequence
from typing import Annotated, Any, Union, cast, get_args, get_origin

from pydantic import BaseModel

Segment = str | int

_SEQUENCE_ORIGINS = (list, tuple, Sequence)


class PartPathError(ValueError):
    """The path does not name a part of the artifact."""


def parse_path(path: str) -> list[Segment]:
    """Split ``"procedure.0.minutes"`` into ``["procedure", 0, "minutes"]``."""
    if not path or any(not piece for piece in path.split(".")):
        raise PartPathError(f"invalid part path {path!r}")
    return [int(piece) if piece.isdigit() else piece for piece in path.split(".")]


def _unwrap(annotation: Any) -> Any:
    """Strip ``Annotated`` and ``Optional`` so the container type shows."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
            continue
        if origin in (Union, types.UnionType):
            arms = [arm for arm in get_args(annotation) if arm is not type(None)]
            if len(arms) != 1:
                raise PartPathError("cannot address a part inside a union of several types")
            annotation = arms[0]
            continue
        return annotation


def part_type(model: type[BaseModel], segments: Sequence[Segment]) -> Any:
    """The type (with its field constraints) of the part a path names."""
    annotation: Any = model
    for segment in segments:
        container = _unwrap(annotation)
        origin = get_origin(container)
        if isinstance(container, type) and issubclass(container, BaseModel):
            if not isinstance(segment, str) or segment not in container.model_fields:
                raise PartPathError(f"{container.__name__} has no field {segment!r}")
            info = container.model_fields[segment]
            annotation = info.annotation
            if info.metadata:
                # Keep the field's constraints (min_length, ge, ...) for the new value.
                annotation = cast(Any, Annotated)[(annotation, *info.metadata)]
        elif origin in _SEQUENCE_ORIGINS:
            if not isinstance(segment, int):
                raise PartPathError(f"list parts are addressed by number, not {segment!r}")
            annotation = get_args(container)[0]
        elif origin is dict:
            annotation = get_args(container)[1]
        else:
            raise PartPathError(f"cannot address {segment!r} inside a plain value")
    return annotation


def get_part(data: Any, segments: Sequence[Segment]) -> Any:
    """The value at a path in plain JSON data."""
    node = data
    for segment in segments:
        try:
            node = node[segment]
        except (KeyError, IndexError, TypeError) as exc:
            raise PartPathError(f"no part at {segment!r}") from exc
    return node


def set_part(data: Any, segments: Sequence[Segment], value: Any) -> Any:
    """A deep copy of ``data`` with the value at a path replaced; the rest is untouched."""
    get_part(data, segments)
    result = copy.deepcopy(data)
    get_part(result, segments[:-1])[segments[-1]] = value
    return result
