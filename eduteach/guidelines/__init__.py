"""AI-use guidelines for assignments: the school's scale of levels, and the guidance kind.

A teacher picks a level on the school's scale for one assignment; the model writes guidance
for students at that level (what is allowed, what is not, how to disclose, why) and a short
rationale for the teacher. The checks make sure the guidance says what the level means.
"""

from .checks import FIELD_CHECKS, WHOLE_CHECKS
from .colours import contrast_ratio, text_colour
from .scale import (
    DEFAULT_SCALE,
    MAX_DESCRIPTION,
    MAX_LEVELS,
    MAX_NAME,
    MAX_SCALE_NAME,
    MIN_LEVELS,
    Level,
    Scale,
    ScaleError,
    ScaleProblem,
    parse_scale,
    scale_json,
    school_scale,
    set_school_scale,
)
from .schema import STUDENT_FIELDS, AiGuidelines, GuidelinesRequest, guidelines_params

KIND_NAME = "ai_guidelines"
LABEL = "AI-use guidelines"
MAX_TOKENS = 2000

__all__ = [
    "DEFAULT_SCALE",
    "FIELD_CHECKS",
    "KIND_NAME",
    "LABEL",
    "MAX_DESCRIPTION",
    "MAX_LEVELS",
    "MAX_NAME",
    "MAX_SCALE_NAME",
    "MAX_TOKENS",
    "MIN_LEVELS",
    "STUDENT_FIELDS",
    "WHOLE_CHECKS",
    "AiGuidelines",
    "GuidelinesRequest",
    "Level",
    "Scale",
    "ScaleError",
    "ScaleProblem",
    "contrast_ratio",
    "guidelines_params",
    "parse_scale",
    "scale_json",
    "school_scale",
    "set_school_scale",
    "text_colour",
]
