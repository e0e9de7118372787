"""The words for a plan's parts, read from ``templates/teacher/labels.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Labels:
    """Lookups with a readable fallback, so a new field never shows up blank."""

    data: dict[str, Any]

    def _table(self, name: str) -> dict[str, Any]:
        table = self.data.get(name, {})
        return table if isinstance(table, dict) else {}

    def field(self, name: str, parent: str = "") -> str:
        fields = self._table("fields")
        if parent and f"{parent}.{name}" in fields:
            return str(fields[f"{parent}.{name}"])
        return str(fields.get(name) or name.replace("_", " ").capitalize())

    def row(self, name: str) -> str:
        return str(self._table("rows").get(name, "row"))

    def note(self, name: str) -> str:
        return str(self._table("notes").get(name, ""))

    def choice(self, field: str, value: object) -> str:
        choices = self._table("choices").get(field, {})
        text = str(value)
        return str(choices.get(text, text.replace("_", " ").capitalize()))

    def kind_phrase(self, kind: str, fallback: str) -> str:
        """The kind inside a sentence ("a new unit plan")."""
        return str(self._table("kind_phrases").get(kind, fallback))

    def numbered(self, name: str) -> bool:
        return name in self._table("numbered").get("fields", [])

    def grade(self, grade: object) -> str:
        text = str(grade or "")
        if text.isdigit():
            return f"Grade {text}"
        return str(self._table("grades").get(text, text))

    def tone(self, tone: object) -> str:
        return str(self._table("tones").get(str(tone), str(tone).capitalize()))

    def status(self, status: object) -> str:
        return str(self._table("status").get(str(status), str(status).capitalize()))

    def job_status(self, status: object) -> str:
        return str(self._table("job_status").get(str(status), str(status).capitalize()))

    def message(self, key: str, **values: object) -> str:
        template = str(self._table("messages").get(key, key))
        try:
            return template.format(**values)
        except (KeyError, IndexError):
            return template

    def action(self, action: str, **values: object) -> str:
        template = str(self._table("actions").get(action, "{kind}"))
        try:
            return template.format(**values)
        except (KeyError, IndexError):
            return template


@cache
def load_labels(path: Path) -> Labels:
    with path.open("rb") as handle:
        return Labels(tomllib.load(handle))
