"""Activity sheets without LibreOffice: their language, the matching order, wrong input."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest

from eduteach.activities.matching import Matching
from eduteach.exports.activity_docx import definition_order, render_activity_docx
from tests.activities import samples
from tests.plans.samples import meta


def _paragraphs(data: bytes, style: str) -> list[str]:
    document: Any = docx.Document(io.BytesIO(data))
    return [p.text for p in document.paragraphs if p.style.name == style]


def test_a_spanish_answer_key_is_labelled_in_spanish() -> None:
    quiz = samples.quiz()
    data = render_activity_docx(
        "self_quiz", quiz, samples.params("self_quiz"), meta(locale="es"), answer_key=True
    )
    assert _paragraphs(data, "Title") == [f"{quiz.title} — Solucionario"]
    [subtitle] = _paragraphs(data, "Subtitle")
    assert subtitle.startswith("Autoevaluación (práctica) · ")
    assert any(text.startswith("Explicación: ") for text in _paragraphs(data, "Normal"))


def _matching(title: str, pairs: int, extras: int) -> Matching:
    data = samples.matching_data()
    data["title"] = title
    data["pairs"] = [
        {"term": f"Term {n}", "definition": f"Definition {n}", "source_quote": ""}
        for n in range(pairs)
    ]
    data["distractors"] = [f"Extra {n}" for n in range(extras)]
    return Matching.model_validate(data)


@pytest.mark.parametrize("extras", [0, 1, 3])
@pytest.mark.parametrize("pairs", [3, 4, 8])
def test_definitions_are_shuffled_the_same_way_every_time_never_in_term_order(
    pairs: int, extras: int
) -> None:
    for number in range(40):
        activity = _matching(f"Unit {number}", pairs, extras)
        order = definition_order(activity)
        assert sorted(order) == list(range(pairs + extras))
        assert definition_order(_matching(f"Unit {number}", pairs, extras)) == order
        positions = [order.index(i) for i in range(pairs)]
        assert positions != sorted(positions)


def test_the_activity_must_be_of_the_kind_named() -> None:
    with pytest.raises(TypeError):
        render_activity_docx(
            "quiz", samples.matching(), samples.params("quiz"), meta(), answer_key=False
        )
    with pytest.raises(ValueError, match="unknown activity type"):
        render_activity_docx(
            "poster", samples.quiz(), samples.params("quiz"), meta(), answer_key=False
        )
