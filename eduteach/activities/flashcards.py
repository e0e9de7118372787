"""Flashcards: a deck of cards with a front, a back and an optional hint."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from eduteach.activities.base import ActivityType, ItemResult, Score
from eduteach.activities.common import (
    SOURCE_QUOTE_DESCRIPTION,
    ActivityRequest,
    count_problem,
    duplicates,
    whole_number,
)
from eduteach.generation.schemas.common import OutputModel, Text

MIN_CARDS, MAX_CARDS = 5, 100


class Flashcard(OutputModel):
    """One card."""

    front: Text = Field(description="The term, question or prompt on the front.")
    back: Text = Field(description="The answer or definition on the back, short.")
    hint: str = Field(description="An optional hint shown on request; an empty string for none.")
    source_quote: str = Field(description=SOURCE_QUOTE_DESCRIPTION)


class FlashcardDeck(OutputModel):
    """A deck of flashcards."""

    title: Text = Field(description="A short title for the deck.")
    instructions: Text = Field(description="One or two sentences telling students how to study.")
    cards: list[Flashcard] = Field(
        min_length=MIN_CARDS, max_length=MAX_CARDS, description="The cards; each front once."
    )


class FlashcardsRequest(ActivityRequest):
    count: Annotated[
        int, BeforeValidator(whole_number("the number of cards", MIN_CARDS, MAX_CARDS))
    ] = Field(default=12, description="How many cards.")


def check_cards(deck: FlashcardDeck, params: Mapping[str, Any]) -> list[str]:
    """The requested number of cards, each front once."""
    return [
        *count_problem("cards", len(deck.cards), int(params["count"])),
        *duplicates([c.front for c in deck.cards], "card front"),
    ]


def quotes(deck: FlashcardDeck) -> list[tuple[str, str]]:
    return [(f"Card {n}", c.source_quote) for n, c in enumerate(deck.cards, start=1)]


def score(deck: FlashcardDeck, responses: Mapping[str, Any], params: Mapping[str, Any]) -> Score:
    """Cards the student says they knew: ``{"ratings": {"0": "knew" | "learning"}}``."""
    ratings = responses.get("ratings") or {}
    return Score(
        tuple(
            ItemResult(str(i), 1.0 if ratings.get(str(i)) == "knew" else 0.0, 1.0, card.back)
            for i, card in enumerate(deck.cards)
        )
    )


FLASHCARDS = ActivityType(
    name="flashcards",
    cli_name="flashcards",
    label="Flashcards",
    request=FlashcardsRequest,
    output=FlashcardDeck,
    items_field="cards",
    item_label="Card",
    score=score,
    graded=False,
    max_tokens=4000,
    checks={"cards": check_cards},
    quotes=quotes,
    sized_fields={"cards": "count"},
    counts=lambda deck: {"count": len(deck.cards)},
)
