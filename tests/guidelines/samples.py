"""A valid guidance for each kind of level, and the requests that ask for them."""

from __future__ import annotations

from typing import Any

from eduteach.guidelines import DEFAULT_SCALE, GuidelinesRequest, guidelines_params

ASSIGNMENT = {
    "assignment_title": "Persuasive letter: save our park & <library>",
    "assignment_description": (
        "Students write a one-page persuasive letter to the town council about keeping the "
        "local park open, with two reasons and evidence from our reading on green spaces."
    ),
    "subject": "English language arts",
    "grade": "6",
    "language": "English",
}


def params(level: int = 3, **changes: Any) -> dict[str, Any]:
    """The job params for the default scale at ``level`` (1 = No AI)."""
    request = GuidelinesRequest.model_validate(ASSIGNMENT | {"level": level} | changes)
    return guidelines_params(request, DEFAULT_SCALE)


def with_ai() -> dict[str, Any]:
    """Guidance for a level that allows AI with disclosure."""
    return {
        "title": "Using AI in: Persuasive letter",
        "summary": (
            "You may use AI to help you plan and improve your letter. The ideas and the final "
            "words must be yours, and you must say how you used AI."
        ),
        "allowed_uses": [
            "Ask an AI chatbot for feedback on whether your reasons are clear.",
            "Use AI to check your spelling and grammar.",
        ],
        "not_allowed": ["Do not ask AI to write the letter or any paragraph of it for you."],
        "disclosure_steps": [
            "Write down the name of the AI tool and the date you used it.",
            "Copy the questions you asked it into a short list at the end of your letter.",
            "Say what you kept, what you changed and how you checked it.",
        ],
        "disclosure_statement": (
            "I used [name of the AI tool] on [date] to [what I used it for]. I changed "
            "[what I changed]."
        ),
        "why": "Writing your own letter builds your voice. Saying how you used AI is honest.",
        "teacher_rationale": (
            "Feedback from AI supports revision, while the argument stays the student's own."
        ),
    }


def without_ai() -> dict[str, Any]:
    """Guidance for the "No AI" level."""
    return {
        **with_ai(),
        "summary": "Do this letter on your own, without any AI tools.",
        "allowed_uses": [],
        "not_allowed": [
            "Do not use AI chatbots, writing assistants or AI search at any stage.",
        ],
        "disclosure_steps": [],
        "disclosure_statement": "I wrote this letter on my own, without AI tools.",
    }
