"""Fixed texts whose readability figures are worked out by hand in the tests."""

from __future__ import annotations

# 20 sentences of 6 one-syllable words, all on the Dale-Chall list of familiar words:
# 120 words, 17 letters and 18 non-space characters per sentence.
EASY = "The cat sat on the mat. " * 20

# 15 sentences of 7 words: Elephants (3 syllables, 9 letters), remember (3, 8), their (1, 5),
# families (3, 8), for (1, 3), many (2, 4), years (1, 5): 14 syllables and 42 letters; 43
# characters with the full stop. 105 words. "Elephants" and "families" are not on the
# Dale-Chall list (only "elephant" and "family" are).
HARD_SENTENCE = "Elephants remember their families for many years."
HARD = f"{HARD_SENTENCE} " * 15


def version(text: str, label: str = "On level", **extra: object) -> dict[str, object]:
    """One version as the model would answer it."""
    return {
        "label": label,
        "text": text,
        "glossary": [],
        "standards": [],
        "changes": ["Shorter sentences."],
        **extra,
    }


def answer(*texts: str) -> dict[str, object]:
    return {"title": "Animals", "versions": [version(t) for t in texts]}
