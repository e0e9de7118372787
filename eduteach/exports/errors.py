"""What an export says when it cannot write an activity in a format."""

from __future__ import annotations


class UnsupportedExport(ValueError):
    """This activity type has no faithful form in this format (say which formats do)."""
