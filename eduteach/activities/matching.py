"""Matching: terms paired with definitions, with optional extra definitions that match nothing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from eduteach.activities.answers import key
from eduteach.activities.base import ActivityType, ItemResult, Score
from eduteach.activities.common import (
    SOURCE_QUOTE_DESCRIPTION,
    ActivityRequest,
    count_problem,
    duplicates,
    whole_number,
)
from eduteach.generation.schemas.common import OutputModel, Text

MIN_PAIRS, MAX_PAIRS = 3, 20
MAX_DISTRACTORS = 5


class MatchingPair(OutputModel):
    """A term and the one definition that belongs to it."""

    term: Text = Field(description="The term, short.")
    definition: Text = Field(description="Its definition or match, one short sentence or phrase.")
    source_quote: str = Field(description=SOURCE_QUOTE_DESCRIPTION)


class Matching(OutputModel):
    """A matching activity."""

    title: Text = Field(description="A short title.")
    instructions: Text = Field(description="One sentence telling students what to match.")
    pairs: list[MatchingPair] = Field(
        min_length=MIN_PAIRS, max_length=MAX_PAIRS, description="Term and definition pairs."
    )
    distractors: list[Text] = Field(
        max_length=MAX_DISTRACTORS,
        description="Extra plausible definitions that match no term; an empty list for none.",
    )


class MatchingRequest(ActivityRequest):
    count: Annotated[
        int, BeforeValidator(whole_number("the number of pairs", MIN_PAIRS, MAX_PAIRS))
    ] = Field(default=8, description="How many pairs.")
    distractors: Annotated[
        int, BeforeValidator(whole_number("the number of extra definitions", 0, MAX_DISTRACTORS))
    ] = Field(default=2, description="Extra definitions that match no term.")


def choices(activity: Matching) -> list[str]:
    """Every definition a student can choose from: the pairs' in order, then the distractors.

    A student's answer is an index into this list (the player shows it shuffled).
    """
    return [p.definition for p in activity.pairs] + list(activity.distractors)


def check_pairs(activity: Matching, params: Mapping[str, Any]) -> list[str]:
    return [
        *count_problem("pairs", len(activity.pairs), int(params["count"])),
        *duplicates([p.term for p in activity.pairs], "term"),
        *duplicates([p.definition for p in activity.pairs], "definition"),
    ]


def check_distractors(activity: Matching, params: Mapping[str, Any]) -> list[str]:
    definitions = {key(p.definition) for p in activity.pairs}
    terms = {key(p.term) for p in activity.pairs}
    wanted = int(params.get("distractors", 0))
    problems = []
    if len(activity.distractors) != wanted:
        problems.append(
            f"There are {len(activity.distractors)} extra definitions but the teacher asked "
            f"for {wanted}; give exactly {wanted}."
        )
    for extra in activity.distractors:
        if key(extra) in definitions:
            problems.append(
                f"The extra definition {extra!r} is the same as a pair's definition; write one "
                "that matches no term."
            )
        if key(extra) in terms:
            problems.append(f"The extra definition {extra!r} is a term; write a definition.")
    return problems + duplicates(list(activity.distractors), "extra definition")


def quotes(activity: Matching) -> list[tuple[str, str]]:
    return [(f"Pair {n}", p.source_quote) for n, p in enumerate(activity.pairs, start=1)]


def score(activity: Matching, responses: Mapping[str, Any], params: Mapping[str, Any]) -> Score:
    """One point per term matched: ``{"matches": {"0": 3}}`` (term index -> choice index)."""
    chosen = responses.get("matches") or {}
    results = []
    for i, pair in enumerate(activity.pairs):
        answer = chosen.get(str(i))
        right = isinstance(answer, int | str) and str(answer).strip() == str(i)
        results.append(ItemResult(str(i), 1.0 if right else 0.0, 1.0, pair.definition))
    return Score(tuple(results))


MATCHING = ActivityType(
    name="matching",
    cli_name="matching",
    label="Matching",
    request=MatchingRequest,
    output=Matching,
    items_field="pairs",
    item_label="Pair",
    score=score,
    graded=True,
    max_tokens=3000,
    checks={"pairs": check_pairs, "distractors": check_distractors},
    quotes=quotes,
    sized_fields={"pairs": "count", "distractors": "distractors"},
    counts=lambda activity: {
        "count": len(activity.pairs),
        "distractors": len(activity.distractors),
    },
)
