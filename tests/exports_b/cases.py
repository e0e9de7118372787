"""The activities the export tests feed in: the shared samples, and ones built to break escaping."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from eduteach.activities.fill_in import FillIn
from eduteach.activities.quiz import Quiz
from eduteach.activities.registry import ACTIVITIES
from tests.activities import samples

KINDS = ["flashcards", "fill_in", "matching", "quiz", "self_quiz"]
NASTY = 'Tom & Jerry <b>bold</b> "quoted" ]]> {1:SA:=x} ~ = # : / \\ * café 水'


def sample(kind: str) -> Any:
    """The validated sample of ``kind`` from tests/activities/samples.py."""
    model: type[BaseModel] = ACTIVITIES[kind].output
    return model.model_validate(samples.DATA[kind]())


def nasty_quiz() -> Quiz:
    """One item of each type whose every text carries markup, escapes and non-ASCII."""
    data = samples.quiz_data()
    for n, item in enumerate(data["items"]):
        item["question"] = f"{NASTY} ({n})"
        item["explanation"] = f"Why: {NASTY}"
        for k, option in enumerate(item["options"]):
            if item["type"] != "true_false":
                option["text"] = f"{NASTY} [{k}]"
            option["feedback"] = f"Feedback {k}: {NASTY}"
        if item["type"] == "short_answer":
            item["accepted_answers"] = [NASTY, "crème brûlée"]
    return Quiz.model_validate(data)


def nasty_fill_in() -> FillIn:
    """Passages whose answers hold every character Moodle's cloze syntax treats specially."""
    return FillIn.model_validate(
        {
            "title": 'Escapes & "quotes" {braces}',
            "instructions": "Type each answer exactly; <angle> brackets & accents are fine.",
            "passages": [
                {
                    "text": (
                        "A set is written {a, b} & its braces matter. The answer here is "
                        '[[a}b#c~d/e"f\\g|x*y&amp;z|ends in \\]] in full. Then comes '
                        "[[ü<é>|=50%|<b>bold</b>]] too."
                    ),
                    "source_quote": "",
                },
                {"text": "Only one blank: [[café & crème]] is the answer.", "source_quote": ""},
            ],
            "distractors": ["none"],
        }
    )
