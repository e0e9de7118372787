"""A modify request and the fake model's answer: a hard reading made easy."""

from __future__ import annotations

from typing import Any

from tests.modify.texts import EASY, HARD

# Pasted material that measures grade 11.0; the answer's version measures grade 1.7.
MATERIAL = f"# Elephants & their families\n\n{HARD.strip()}"
FORM = {
    "pasted_text": MATERIAL,
    "reading_level": "2",
    "simplify_vocabulary": "on",
    "standards": "RL.2.1 Ask and answer questions about key details",
    "students": "Second graders who love zoo visits.",
    "language": "English",
}
GLOSSARY_TERM = "remember"


def answer() -> dict[str, Any]:
    return {
        "title": "Elephants <and> their families",
        "versions": [
            {
                "label": "On level",
                "text": EASY.strip(),
                "glossary": [{"term": GLOSSARY_TERM, "meaning": "keep in your mind"}],
                "standards": ["RL.2.1"],
                "changes": ["Shorter sentences & everyday words."],
            }
        ],
    }
