"""The auto-submitting form that carries an id_token to the tool, as data and as HTML."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from eduteach.practice_lms.errors import PracticeLmsError


@dataclass(frozen=True)
class LaunchForm:
    """A form the browser posts to ``action``: for a launch, ``id_token`` and ``state``."""

    action: str
    fields: dict[str, str] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form" and self.action is None:
            self.action = values.get("action", "")
        elif tag == "input" and self.action is not None and "name" in values:
            self.fields[values["name"]] = values.get("value", "")


def parse_launch_form(html: str) -> LaunchForm:
    """Read the first form of a page (e.g. the platform's auto-post page) as a ``LaunchForm``.

    Lets an HTTP client without JavaScript finish an OIDC launch.
    """
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    if not parser.action:
        raise PracticeLmsError("The page holds no form to submit.")
    return LaunchForm(action=parser.action, fields=parser.fields)
