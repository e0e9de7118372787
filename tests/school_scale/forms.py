"""The scale page's form as a browser without JavaScript sends it."""

from __future__ import annotations

import copy
from typing import Any

import lxml.html
import requests

from eduteach.guidelines import DEFAULT_SCALE, Scale, scale_json, school_scale
from tests.teacher.conftest import Teacher

PAGE = "/teacher/school/ai-levels"


def default_json() -> dict[str, Any]:
    """The built-in scale as the JSON ``parse_scale`` reads, to change in a test."""
    return copy.deepcopy(scale_json(DEFAULT_SCALE))


def fields(scale: dict[str, Any], action: str = "save") -> dict[str, str]:
    """The posted fields of a form showing ``scale`` whose text the admin typed as given."""
    levels = scale["levels"]
    data = {"name": scale["name"], "count": str(len(levels)), "action": action}
    for n, level in enumerate(levels, start=1):
        prefix = f"level-{n}-"
        data[prefix + "name"] = level["name"]
        data[prefix + "description"] = level["description"]
        data[prefix + "colour"] = level["colour"]
        data[prefix + "shown"] = level["colour"]
        swatch = level["colour"] if len(level["colour"]) == 7 else "#344054"
        data[prefix + "swatch"] = swatch
        data[prefix + "picker"] = swatch.lower()
        if level.get("ai_allowed", True):
            data[prefix + "ai_allowed"] = "yes"
        if level.get("disclosure_required", True):
            data[prefix + "disclosure_required"] = "yes"
    return data


def form_fields(page: requests.Response) -> dict[str, str]:
    """What the page's scale form sends as it is (no button; ticked boxes only)."""
    doc = lxml.html.fromstring(page.text)
    (form,) = doc.xpath("//form[@data-scale-form]")
    return {
        name: str(value)
        for name, value in form.form_values()
        if name not in ("lt", "csrf_token", "action")
    }


def press(admin: Teacher, data: dict[str, str], action: str) -> requests.Response:
    """Press one of the form's buttons with ``data`` in the form."""
    return admin.post(PAGE, {**data, "action": action})


def stored(admin: Teacher) -> Scale:
    """The school's scale in the tool's database now."""
    with admin.lti.tool_app.extensions["eduteach"].db.session() as s:
        return school_scale(s)


def value_of(page: requests.Response, name: str) -> str:
    """The value an input or text area of the page holds."""
    doc = lxml.html.fromstring(page.text)
    (found,) = doc.xpath(f'//*[@name="{name}"]')
    if found.tag == "textarea":
        return str(found.text_content())
    return str(found.get("value", ""))


def focused(page: requests.Response) -> list[str]:
    """The ids of the elements the page focuses when it opens (``autofocus``)."""
    doc = lxml.html.fromstring(page.text)
    return [str(el.get("id")) for el in doc.xpath("//*[@autofocus]")]
