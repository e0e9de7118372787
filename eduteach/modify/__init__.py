"""Modify a teacher's material: align, adjust the reading level, differentiate, simplify, add
examples; every version's reading level measured, key terms kept.

``spec`` is how the generation engine makes a modified text. Its one field check covers the
versions, and each problem names "Version N", so a repair round asks for that version alone
(with the measured level, longest sentences and hardest words as feedback); after
``MAX_REWRITES`` rounds a version still off target is kept and the problem becomes a warning.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from eduteach.generation import GenerationSpec
from eduteach.modify.checks import version_checks, version_levels
from eduteach.modify.models import LEVEL_LABELS, LEVELS, ModifiedText, ModifyRequest

KIND = "modified_text"
LABEL = "Modified material"
MAX_REWRITES = 2
MAX_TOKENS = 6000

__all__ = [
    "KIND",
    "LABEL",
    "LEVELS",
    "LEVEL_LABELS",
    "MAX_REWRITES",
    "MAX_TOKENS",
    "ModifiedText",
    "ModifyRequest",
    "spec",
    "version_checks",
]


def spec(
    sources: Sequence[str] = (), params: Mapping[str, Any] | None = None
) -> GenerationSpec[Any]:
    """The engine's recipe for a modified text of ``sources`` (the material, as text)."""
    return GenerationSpec(
        kind=KIND,
        output=ModifiedText,
        field_checks={"versions": version_checks(sources)},
        item_parts={"versions": "Version"},
        max_tokens=MAX_TOKENS,
        max_repairs=MAX_REWRITES,
        keep_flagged=True,
        list_sizes={"versions": len(version_levels(params or {}))},
    )
