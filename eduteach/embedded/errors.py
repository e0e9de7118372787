"""The one exception the embedded model raises."""

from __future__ import annotations


class EmbeddedModelError(Exception):
    """Setting up or running the embedded model failed; the message is one sentence."""
