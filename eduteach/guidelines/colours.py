"""Readable colour badges: WCAG contrast, and white or dark text on a level's colour.

Kept apart from the scale's storage so the Word and HTML renderers can use it without the
database.
"""

from __future__ import annotations

import re

_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
MIN_CONTRAST = 4.5
WHITE = "#FFFFFF"
DARK = "#1A1A1A"


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#RRGGBB`` colour."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour(background: str) -> str:
    """White or dark text, whichever has the higher contrast on ``background``."""
    if contrast_ratio(background, WHITE) >= contrast_ratio(background, DARK):
        return WHITE
    return DARK


def best_contrast(background: str) -> float:
    """The contrast of the better of white or dark text on ``background``."""
    return contrast_ratio(background, text_colour(background))


def is_hex_colour(value: str) -> bool:
    """Whether ``value`` is written as ``#RRGGBB`` (spaces around it aside)."""
    return bool(_HEX.match(value.strip()))
