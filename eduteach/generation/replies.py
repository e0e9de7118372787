"""Reading a model's reply: one JSON object out of the text, or a reason why not."""

from __future__ import annotations

import json
import re
from typing import Any

_THINK = re.compile(r"<think>.*?</think>", re.IGNORECASE | re.DOTALL)
_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)
_REFUSAL_START = re.compile(
    r"^\W*(i'?m sorry|i am sorry|sorry,|i apologi[sz]e|i can'?t|i cannot|i won'?t|i will not|"
    r"i'?m (?:not able|unable)|i am (?:not able|unable)|as an ai\b)",
    re.IGNORECASE,
)
_LINE_START_BRACE = re.compile(r"\n\{")
# Decoding from many starts of a long reply would be quadratic; real replies need few.
_MAX_OBJECT_STARTS = 64
_MAX_REFUSAL_CHARS = 1200


def parse_json_object(text: str) -> tuple[dict[str, Any] | None, str | None]:
    """Return ``(object, None)`` or ``(None, problem in plain words)``.

    Accepts a bare object, an object inside a Markdown code fence, or an object after some
    prose (prompt-only mode), and ignores ``<think>`` blocks of reasoning models.
    """
    cleaned = _THINK.sub("", text).strip()
    if not cleaned:
        return None, "The answer was empty; it must be one JSON object."
    try:
        value = json.loads(cleaned)
    except json.JSONDecodeError as exc:
        first_error = exc
    else:
        if isinstance(value, dict):
            return value, None
        return None, f"The answer must be one JSON object, not a JSON {_json_type(value)}."
    for candidate in _FENCE.findall(cleaned):
        try:
            value = json.loads(candidate)
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            return value, None
    found = _first_embedded_object(cleaned)
    if found is not None:
        return found, None
    return None, (
        f"The answer was not valid JSON ({first_error.msg} at line {first_error.lineno}, "
        f"column {first_error.colno})."
    )


def _first_embedded_object(text: str) -> dict[str, Any] | None:
    """An object after some prose: it starts at the first ``{`` or at the start of a line.

    Braces inside a broken object are not tried, so a truncated answer is never mistaken
    for one of its own nested objects.
    """
    decoder = json.JSONDecoder()
    first = text.find("{")
    starts = [first] if first != -1 else []
    starts += [m.start() + 1 for m in _LINE_START_BRACE.finditer(text) if m.start() + 1 != first]
    for start in starts[:_MAX_OBJECT_STARTS]:
        try:
            value, _end = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            return value
    return None


def _json_type(value: object) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    return "number"


def looks_like_refusal(text: str) -> bool:
    """True for a short prose reply that declines ("I'm sorry, but I can't ...")."""
    cleaned = _THINK.sub("", text).strip().replace("\u2019", "'")
    if not cleaned or len(cleaned) > _MAX_REFUSAL_CHARS or "{" in cleaned:
        return False
    return bool(_REFUSAL_START.match(cleaned))
