"""Guidance written for the grade: too-hard student text goes back to the model with figures."""

from __future__ import annotations

from typing import Any

import pytest

from eduteach.generation import InvalidOutputError
from eduteach.guidelines import AiGuidelines
from eduteach.guidelines.checks import check_reading_level
from tests.fakes.openai_server import FakeOpenAI
from tests.guidelines import samples
from tests.guidelines.test_generation import _generate

_LONGEST = (
    "Artificial intelligence applications may be utilised during the preliminary "
    "organisational stages of composition, provided that the substantive argumentation, "
    "evidentiary reasoning and definitive formulation of the correspondence remain "
    "demonstrably attributable to your independent intellectual contribution."
)


def _hard() -> dict[str, Any]:
    """Guidance in academic prose: far above a grade 6 class."""
    return samples.with_ai() | {
        "summary": _LONGEST + " Comprehensive documentation of every interaction with "
        "generative technologies is obligatory.",
        "allowed_uses": [
            "Solicit evaluative commentary from conversational artificial intelligence "
            "regarding the comprehensibility and persuasiveness of your justifications.",
            "Employ automated linguistic verification to identify orthographical and "
            "grammatical irregularities in preliminary drafts.",
        ],
        "not_allowed": [
            "Delegating the composition of the correspondence, or any constituent paragraph "
            "thereof, to generative technologies constitutes a violation of academic "
            "integrity expectations."
        ],
        "disclosure_steps": [
            "Document the designation of the artificial intelligence application alongside "
            "the chronological particulars of its utilisation.",
            "Reproduce the interrogative prompts you submitted in an appended enumeration "
            "following your correspondence.",
            "Articulate which generated suggestions were incorporated, which were modified, "
            "and the verification methodology you employed.",
        ],
        "why": "Independent composition cultivates individual rhetorical proficiency and "
        "authentic communicative authority. Transparent acknowledgement of technological "
        "assistance exemplifies intellectual honesty and responsible scholarly conduct.",
    }


def _plain() -> dict[str, Any]:
    """The same rules in short sentences and everyday words, long enough to be measured."""
    return samples.with_ai() | {
        "summary": "You may use AI to help you plan your letter. You may also use it to check "
        "your work. The ideas must be yours. The words in the letter must be yours too. You "
        "must tell us how you used AI.",
        "allowed_uses": [
            "Ask an AI chatbot if your reasons are clear.",
            "Ask it to find spelling mistakes in your draft.",
            "Ask it for one more idea, then write it in your own words.",
        ],
        "not_allowed": [
            "Do not ask AI to write the letter for you.",
            "Do not copy any part of what the AI writes into your letter.",
        ],
        "disclosure_steps": [
            "Write down the name of the AI tool and the day you used it.",
            "Make a list of the questions you asked it.",
            "Say what you kept and what you changed.",
        ],
        "why": "When you write your own letter, you learn to speak up for what you think. When "
        "you tell us how you used AI, you are being honest. That is how good writers work.",
    }


def test_too_hard_guidance_is_rewritten_with_its_measured_level(fake_model: FakeOpenAI) -> None:
    fake_model.enqueue_json(_hard())
    fake_model.enqueue_json(_plain())
    result = _generate(fake_model, samples.params(3))
    assert result.output.model_dump() == _plain()
    assert result.provenance["repair_rounds"] == 1
    repair = fake_model.requests[1]["messages"][-1]["content"]
    # The model learns how hard its text read, for which class, and what to split.
    assert "reads at about grade" in repair
    assert "grade 6 class" in repair
    assert _LONGEST in repair


def test_guidance_that_stays_too_hard_is_kept_with_a_warning_for_the_teacher(
    fake_model: FakeOpenAI,
) -> None:
    for _ in range(3):
        fake_model.enqueue_json(_hard())
    result = _generate(fake_model, samples.params(3))
    assert result.output.model_dump() == _hard()
    assert result.provenance["repair_rounds"] == 2
    (warning,) = [w for w in result.warnings if "reads at about" in w]
    assert warning.startswith("Needs your check: The guidance for students reads at about grade")
    assert "too hard for a grade 6 class" in warning
    assert "measured after two rewrites" in warning
    assert _LONGEST in warning  # where to start simplifying
    assert "allowed_uses" not in warning  # the model's field names are not the teacher's words


def test_too_hard_guidance_that_also_contradicts_its_level_is_not_kept(
    fake_model: FakeOpenAI,
) -> None:
    # Level 1 is "No AI": guidance listing allowed uses is wrong, not just hard to read.
    for _ in range(3):
        fake_model.enqueue_json(_hard())
    with pytest.raises(InvalidOutputError, match="too hard for a grade 6 class"):
        _generate(fake_model, samples.params(1))


def test_the_same_text_suits_an_older_class() -> None:
    hard = AiGuidelines.model_validate(_hard())
    assert check_reading_level(hard, samples.params(3, grade="higher-ed")) == []
    assert check_reading_level(hard, samples.params(3, grade="6"))


def test_plain_guidance_passes_even_for_young_students() -> None:
    plain = AiGuidelines.model_validate(_plain())
    assert check_reading_level(plain, samples.params(3, grade="2")) == []


def test_text_too_short_to_measure_is_not_judged() -> None:
    short = AiGuidelines.model_validate(
        _hard() | {"allowed_uses": [], "not_allowed": ["No."], "disclosure_steps": [], "why": "X."}
    )
    assert check_reading_level(short, samples.params(3, grade="K")) == []
