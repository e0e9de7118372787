"""Fill-in-the-blanks: passages with blanks, accepted answers, and an optional word bank.

A passage is written with each blank inline, ``[[answer]]`` or ``[[answer|other accepted
answer]]``, so the passage with its answers filled in is the text itself: it must read
correctly, and a blank's answer always sits in its own sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from eduteach.activities.answers import Matching, accepts, key
from eduteach.activities.base import ActivityType, ItemResult, Score
from eduteach.activities.common import (
    SOURCE_QUOTE_DESCRIPTION,
    ActivityRequest,
    Switch,
    count_problem,
    duplicates,
    whole_number,
)
from eduteach.generation.schemas.common import OutputModel, Text

MIN_BLANKS, MAX_BLANKS = 3, 40
MAX_ANSWER_WORDS = 4
BLANK = re.compile(r"\[\[([^\[\]]*)\]\]")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


class FillInPassage(OutputModel):
    """One passage with its blanks written inline."""

    text: Text = Field(
        description=(
            "A paragraph for students with each blank written as [[answer]], or "
            "[[answer|another accepted answer]] when several answers are right. A blank holds "
            "one key word or a short phrase, never a whole sentence."
        )
    )
    source_quote: str = Field(description=SOURCE_QUOTE_DESCRIPTION)


class FillIn(OutputModel):
    """A fill-in-the-blanks activity."""

    title: Text = Field(description="A short title.")
    instructions: Text = Field(description="One or two sentences telling students what to do.")
    passages: list[FillInPassage] = Field(
        min_length=1, max_length=10, description="The passages, in order."
    )
    distractors: list[Text] = Field(
        max_length=10,
        description=(
            "Extra words for the word bank that fit no blank but are plausible; an empty list "
            "when the teacher wants no word bank."
        ),
    )


class FillInRequest(ActivityRequest):
    count: Annotated[
        int, BeforeValidator(whole_number("the number of blanks", MIN_BLANKS, MAX_BLANKS))
    ] = Field(default=10, description="How many blanks in all.")
    case_sensitive: Switch = Field(default=False, description="Answers must match in case.")
    typo_tolerance: Annotated[
        int, BeforeValidator(whole_number("the letters a student may slip", 0, 2))
    ] = Field(default=1, description="Letters that may be wrong in an answer of 4+ letters.")
    word_bank: Switch = Field(default=True, description="Show a word bank with distractors.")


@dataclass(frozen=True)
class Blank:
    id: str  # "passage.blank", both from 0
    answers: tuple[str, ...]


def blanks(passage: str, index: int) -> list[Blank]:
    """The blanks of passage number ``index``, in order."""
    return [
        Blank(f"{index}.{n}", tuple(a.strip() for a in m.group(1).split("|") if a.strip()))
        for n, m in enumerate(BLANK.finditer(passage))
    ]


def all_blanks(activity: FillIn) -> list[Blank]:
    return [b for i, p in enumerate(activity.passages) for b in blanks(p.text, i)]


def filled(passage: str) -> str:
    """The passage with each blank's first answer written in."""
    return BLANK.sub(lambda m: m.group(1).split("|")[0].strip(), passage)


def segments(passage: str, index: int) -> Iterator[tuple[str, str]]:
    """What a student sees: ("text", words) and ("blank", id) in order, with no answers."""
    position = 0
    for n, match in enumerate(BLANK.finditer(passage)):
        if match.start() > position:
            yield "text", passage[position : match.start()]
        yield "blank", f"{index}.{n}"
        position = match.end()
    if position < len(passage):
        yield "text", passage[position:]


def word_bank(activity: FillIn) -> list[str]:
    """Each blank's first answer and the distractors, sorted (the player shuffles)."""
    words = {b.answers[0] for b in all_blanks(activity) if b.answers}
    words.update(activity.distractors)
    return sorted(words, key=str.casefold)


def _passage_problems(number: int, text: str) -> list[str]:
    where = f"Passage {number}: "
    problems = []
    found = blanks(text, number - 1)
    if not found:
        problems.append(f"{where}it has no blanks; mark each blank as [[answer]].")
    stray = BLANK.sub("", text)
    if "[[" in stray or "]]" in stray:
        problems.append(
            f"{where}a blank is not written correctly; write each as [[answer]] with no "
            "brackets inside."
        )
    for blank_no, blank in enumerate(found, start=1):
        label = f"{where}blank {blank_no}"
        if not blank.answers:
            problems.append(f"{label} has no answer; write it as [[answer]].")
            continue
        if len(blank.answers[0].split()) > MAX_ANSWER_WORDS:
            problems.append(
                f"{label} ({blank.answers[0]!r}) is too long; a blank holds one key word or a "
                "short phrase."
            )
        problems += duplicates(list(blank.answers), "accepted answer", where=f"{label}: ")
    if re.search(r"\]\]\s*\[\[", text):
        problems.append(
            f"{where}two blanks are next to each other; students cannot work them out from "
            "context. Put words between them."
        )
    for sentence in _SENTENCE_END.split(text):
        inside = blanks(sentence, 0)
        context = BLANK.sub(" ", sentence)
        if inside and len(re.findall(r"\w+", context)) < 3:
            problems.append(
                f"{where}the sentence {filled(sentence)!r} gives too little context for its "
                "blank; write a fuller sentence."
            )
        context_words = key(context)
        for blank in inside:
            answer = key(blank.answers[0]) if blank.answers else ""
            if answer and re.search(rf"\b{re.escape(answer)}\b", context_words):
                problems.append(
                    f"{where}the answer {blank.answers[0]!r} also appears in its own sentence, "
                    "which gives it away; rephrase the sentence."
                )
    doubled = re.search(r"\b(\w+)\s+\1\b", filled(text), re.IGNORECASE)
    if doubled and doubled.group(1).casefold() not in {"that", "had"}:
        problems.append(
            f"{where}with the answers filled in it reads {doubled.group(0)!r}; the words around "
            "the blank must not repeat the answer."
        )
    return problems


def check_passages(activity: FillIn, params: Mapping[str, Any]) -> list[str]:
    problems = count_problem("blanks", len(all_blanks(activity)), int(params["count"]))
    for number, passage in enumerate(activity.passages, start=1):
        problems += _passage_problems(number, passage.text)
    return problems


def check_distractors(activity: FillIn, params: Mapping[str, Any]) -> list[str]:
    if not params.get("word_bank", True):
        return []
    answers = {key(a) for b in all_blanks(activity) for a in b.answers}
    problems = [
        f"The word bank distractor {d!r} is also an answer to a blank; choose a word that fits "
        "no blank."
        for d in activity.distractors
        if key(d) in answers
    ]
    problems += duplicates(activity.distractors, "distractor")
    if not activity.distractors:
        problems.append(
            "The word bank needs 2 to 5 distractors: plausible words that fit no blank."
        )
    return problems


def quotes(activity: FillIn) -> list[tuple[str, str]]:
    return [(f"Passage {n}", p.source_quote) for n, p in enumerate(activity.passages, start=1)]


def matching(params: Mapping[str, Any]) -> Matching:
    return Matching(
        case_sensitive=bool(params.get("case_sensitive", False)),
        typo_tolerance=int(params.get("typo_tolerance", 1)),
    )


def score(activity: FillIn, responses: Mapping[str, Any], params: Mapping[str, Any]) -> Score:
    """One point per blank: ``{"blanks": {"0.1": "typed answer"}}``."""
    typed = responses.get("blanks") or {}
    rule = matching(params)
    return Score(
        tuple(
            ItemResult(
                b.id,
                1.0 if accepts(str(typed.get(b.id, "")), b.answers, rule) else 0.0,
                1.0,
                " / ".join(b.answers),
            )
            for b in all_blanks(activity)
        )
    )


FILL_IN = ActivityType(
    name="fill_in",
    cli_name="fill-in",
    label="Fill in the blanks",
    request=FillInRequest,
    output=FillIn,
    items_field="passages",
    item_label="Passage",
    score=score,
    graded=True,
    max_tokens=3000,
    checks={"passages": check_passages, "distractors": check_distractors},
    quotes=quotes,
    counts=lambda activity: {"count": len(all_blanks(activity))},
)
