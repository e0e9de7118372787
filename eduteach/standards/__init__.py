"""Standards frameworks: CASE import, search, and the check that cited codes are real.

Nothing here imports ``eduteach.content.kinds`` at module level (kinds imports this package).
"""

from .case import ImportResult, StandardsError, import_case, parse_case
from .search import (
    FrameworkSummary,
    StandardHit,
    find_codes,
    has_frameworks,
    list_frameworks,
    search_standards,
)
from .verified import PARAM as VERIFIED_PARAM
from .verified import requiring_real_codes, verify_lines

__all__ = [
    "VERIFIED_PARAM",
    "FrameworkSummary",
    "ImportResult",
    "StandardHit",
    "StandardsError",
    "find_codes",
    "has_frameworks",
    "import_case",
    "list_frameworks",
    "parse_case",
    "requiring_real_codes",
    "search_standards",
    "verify_lines",
]
