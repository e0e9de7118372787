"""Standards frameworks: CASE import, search, and the check that cited codes are real.

Nothing here imports ``eduteach.content.kinds`` at module level (kinds imports this package),
nor the engine: the Word renderers import ``.marks``. The checks are in ``.verified``.
"""

from .case import ImportResult, StandardsError, import_case, parse_case
from .marks import PARAM as VERIFIED_PARAM
from .search import (
    FrameworkSummary,
    StandardHit,
    find_codes,
    has_frameworks,
    list_frameworks,
    search_standards,
)

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
    "search_standards",
]
