"""Valid activities of every type, with the characters exports must escape (& < > " ' ~ = # { } :
and accents), and the params they answer."""

from __future__ import annotations

from typing import Any

from eduteach.activities.fill_in import FillIn
from eduteach.activities.flashcards import FlashcardDeck
from eduteach.activities.matching import Matching
from eduteach.activities.quiz import Quiz


def params(kind: str, **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "subject": "Science",
        "grade": "7",
        "language": "English",
        "description": "How plants make food: photosynthesis, chlorophyll and the leaf.",
        "standards": [],
        "class_notes": "",
    }
    extra: dict[str, dict[str, Any]] = {
        "flashcards": {"count": 5},
        "fill_in": {"count": 4, "case_sensitive": False, "typo_tolerance": 1, "word_bank": True},
        "matching": {"count": 4, "distractors": 1},
        "quiz": {
            "count": 5,
            "item_types": ["multiple_choice", "multiple_answer", "true_false", "short_answer"],
            "mix": "balanced",
        },
    }
    extra["self_quiz"] = extra["quiz"]
    return base | extra[kind] | changes


def flashcards_data() -> dict[str, Any]:
    cards = [
        ("Photosynthesis", "How plants make glucose from light, water & CO₂.", "photo = light"),
        ("Chlorophyll", "The green pigment that absorbs light.", ""),
        ("Stoma", "A pore in the leaf: gases go in & out.", "plural: stomata"),
        ("Glucose", "The sugar {C6H12O6} a plant makes.", ""),
        ("Xylem ~ phloem", "Tubes: water up = xylem; food around = phloem.", "#tubes"),
    ]
    return {
        "title": "Photosynthesis: key words",
        "instructions": "Say the answer aloud before you flip the card.",
        "cards": [{"front": f, "back": b, "hint": h, "source_quote": ""} for f, b, h in cards],
    }


def flashcards() -> FlashcardDeck:
    return FlashcardDeck.model_validate(flashcards_data())


def fill_in_data() -> dict[str, Any]:
    return {
        "title": "How a leaf makes food",
        "instructions": "Type the missing word in each blank.",
        "passages": [
            {
                "text": (
                    "Plants make their own food in a process called [[photosynthesis]]. "
                    "The green pigment [[chlorophyll]] absorbs energy from sunlight."
                ),
                "source_quote": "",
            },
            {
                "text": (
                    "Gases enter and leave the leaf through tiny pores called "
                    "[[stomata|stomates]]. The sugar a plant makes is [[glucose]] & it is "
                    "stored as starch."
                ),
                "source_quote": "",
            },
        ],
        "distractors": ["oxygen", "mitochondria"],
    }


def fill_in() -> FillIn:
    return FillIn.model_validate(fill_in_data())


def matching_data() -> dict[str, Any]:
    pairs = [
        ("Chloroplast", "Where photosynthesis happens in a cell"),
        ("Stoma", "A pore that lets CO₂ in & O₂ out"),
        ("Xylem", "Tubes carrying water up from the roots"),
        ("Glucose", "The sugar made <in> the leaf"),
    ]
    return {
        "title": "Parts of the food factory",
        "instructions": "Match each term with what it does.",
        "pairs": [{"term": t, "definition": d, "source_quote": ""} for t, d in pairs],
        "distractors": ["The part of the cell that stores genes"],
    }


def matching() -> Matching:
    return Matching.model_validate(matching_data())


def _option(text: str, correct: bool = False, feedback: str = "") -> dict[str, Any]:
    return {"text": text, "correct": correct, "feedback": feedback}


def quiz_data() -> dict[str, Any]:
    items = [
        {
            "type": "multiple_choice",
            "question": "Which gas do plants take in for photosynthesis?",
            "options": [
                _option("Carbon dioxide (CO₂)", True, "Yes: CO₂ enters through the stomata."),
                _option("Oxygen", False, "Oxygen is given out, not taken in."),
                _option("Nitrogen", False, "Nitrogen is not used to make glucose."),
                _option("Helium", False, ""),
            ],
            "accepted_answers": [],
            "explanation": "Plants combine CO₂ and water to make glucose.",
            "bloom": "remember",
            "dok": 1,
            "standard": "",
            "source_quote": "",
        },
        {
            "type": "multiple_answer",
            "question": "Which of these does a plant need for photosynthesis? Choose all that apply.",
            "options": [
                _option("Light", True),
                _option("Water", True),
                _option("Soil & sand", False, "Soil gives minerals, not the raw materials."),
                _option("Carbon dioxide", True),
            ],
            "accepted_answers": [],
            "explanation": "Light, water and CO₂ are the inputs; soil is not.",
            "bloom": "understand",
            "dok": 2,
            "standard": "",
            "source_quote": "",
        },
        {
            "type": "true_false",
            "question": "A plant kept in the dark for a week makes more glucose than one in light.",
            "options": [_option("True", False), _option("False", True)],
            "accepted_answers": [],
            "explanation": "Without light there is no energy for photosynthesis.",
            "bloom": "apply",
            "dok": 2,
            "standard": "",
            "source_quote": "",
        },
        {
            "type": "short_answer",
            "question": "What is the green pigment in leaves called?",
            "options": [],
            "accepted_answers": ["chlorophyll", "chlorophyl"],
            "explanation": "Chlorophyll absorbs red and blue light and reflects green.",
            "bloom": "remember",
            "dok": 1,
            "standard": "",
            "source_quote": "",
        },
        {
            "type": "multiple_choice",
            "question": (
                "A student covers half a leaf with foil for two days. Which result best shows "
                'that light is needed to make starch? (Hint: the "iodine test")'
            ),
            "options": [
                _option("Only the uncovered half turns blue-black with iodine", True),
                _option("Both halves turn blue-black with iodine", False),
                _option("Only the covered half turns blue-black with iodine", False),
                _option("Neither half changes colour", False),
            ],
            "accepted_answers": [],
            "explanation": "Starch forms only where light reached the leaf.",
            "bloom": "analyze",
            "dok": 3,
            "standard": "",
            "source_quote": "",
        },
    ]
    return {
        "title": "Photosynthesis check-up",
        "instructions": "Answer every question. Some have more than one right answer.",
        "items": items,
    }


def quiz() -> Quiz:
    return Quiz.model_validate(quiz_data())


DATA = {
    "flashcards": flashcards_data,
    "fill_in": fill_in_data,
    "matching": matching_data,
    "quiz": quiz_data,
    "self_quiz": quiz_data,
}
