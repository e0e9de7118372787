"""Which cited codes to mark "unverified", in Word and on the review pages.

Every request with standards keeps ``params["standards_verified"]``: the codes found in an
imported framework when it was made (an empty list when none was found, or none imported).
A cited code outside that list was typed by hand and is marked; without the list (content
made before the check existed) nothing can be told apart, so nothing is marked.

Plain data only: the Word renderers import this without the database or the engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

PARAM = "standards_verified"
UNVERIFIED = "(unverified)"


def line_code(line: str) -> str:
    """The first word of a standard line, where a picked standard has its code."""
    words = line.split()
    return words[0].rstrip(":;,") if words else ""


def verified_codes(params: Mapping[str, Any]) -> list[str] | None:
    """The verified codes of a request that has standards, or None when none were looked up."""
    if not params.get("standards") or PARAM not in params:
        return None
    return [str(code) for code in params.get(PARAM) or []]


def is_unverified(code: str, verified: Sequence[str] | None) -> bool:
    """True for a cited code that is not one of the verified codes (any case)."""
    code = code.strip()
    if verified is None or not code:
        return False
    return code.casefold() not in {v.casefold() for v in verified}


def standard_mark(code: str, verified: Sequence[str] | None) -> str:
    """A cited code as printed: followed by "(unverified)" when it is not an imported code."""
    code = code.strip()
    return f"{code} {UNVERIFIED}" if is_unverified(code, verified) else code


def with_verified(params: Mapping[str, Any], codes: Sequence[str]) -> dict[str, Any]:
    """``params`` with the verified codes recorded whenever it has standards (even none found).

    An empty list is a finding too: every standard of that request is marked unverified.
    """
    if not params.get("standards"):
        return dict(params)
    return {**params, PARAM: list(codes)}
