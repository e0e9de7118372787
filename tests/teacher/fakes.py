"""A fake model that answers plan requests with plans fitting them (minutes, standards, lessons).

It reads what the teacher asked for from the prompt the tool sent, the way a real model would,
so a job whose request differs from the samples (an expanded lesson of 50 minutes, a unit of 3
lessons) still passes the domain checks.
"""

from __future__ import annotations

import re
from typing import Any

from tests.activities import samples as activity_samples
from tests.fakes.openai_server import requested_schema
from tests.plans.samples import lesson_plan_data, minecraft_plan_data, outline, unit_plan_data

PHASES = ("warm-up", "direct instruction", "guided practice", "independent practice", "closure")


def prompt_text(body: dict[str, Any]) -> str:
    return "\n".join(str(m.get("content", "")) for m in body.get("messages") or [])


def _number(pattern: str, text: str, default: int) -> int:
    match = re.search(pattern, text)
    return int(match.group(1)) if match else default


def _standards(text: str) -> list[dict[str, str]]:
    if "Standards the teacher selected" not in text:
        return []
    block = text.split("Standards the teacher selected", 1)[1].split("\n\n", 1)[0]
    cited = []
    for line in block.splitlines():
        if line.startswith("- "):
            code, _, rest = line[2:].partition(" ")
            cited.append({"code": code, "description": rest or code})
    return cited


def _steps(duration: int) -> list[dict[str, Any]]:
    base = lesson_plan_data()["procedure"]
    share = [duration // 5] * 5
    share[2] += duration - sum(share)
    return [
        {**step, "phase": phase, "minutes": minutes}
        for step, phase, minutes in zip(base, PHASES, share, strict=True)
    ]


_ACTIVITY_FIELDS = {
    "cards": "flashcards",
    "passages": "fill_in",
    "pairs": "matching",
    "items": "quiz",
}


def fitting_plan(body: dict[str, Any]) -> dict[str, Any]:
    """A valid answer for the plan (or activity) the request's schema and prompt ask for."""
    schema = requested_schema(body) or {}
    props = schema.get("properties", {})
    text = prompt_text(body)
    for field, name in _ACTIVITY_FIELDS.items():
        if field in props:
            # The samples have the counts the activity forms in these tests ask for.
            return _quoting(activity_samples.DATA[name](), field, text)
    standards = _standards(text)
    if "lessons" in props:
        count = _number(r"Number of lessons: (\d+)", text, 4)
        minutes = _number(r"Length of each lesson: (\d+) minutes", text, 50)
        per_week = _number(r"Lessons per week: (\d+)", text, 2)
        return unit_plan_data(count) | {
            "standards": standards,
            "lessons": [outline(n, minutes) for n in range(1, count + 1)],
            "pacing": {
                "lessons_per_week": per_week,
                "weeks": -(-count // per_week),
                "notes": "Leave a buffer lesson before the assessment.",
            },
        }
    duration = _number(r"Lesson length: (\d+) minutes", text, 45)
    data = minecraft_plan_data() if "challenges" in props else lesson_plan_data()
    return data | {"procedure": _steps(duration), "standards": standards}


def _quoting(data: dict[str, Any], field: str, text: str) -> dict[str, Any]:
    """Items that quote the teacher's material, as a model grounded in it would."""
    block = re.search(r"<<<SOURCE \S+ 1: [^>]*>>>\n(.*?)\n", text)
    if block:
        for item in data[field]:
            item["source_quote"] = block.group(1).strip()
    return data
