"""Quizzes (graded) and self-quizzes (practice): four item types with feedback and levels.

Every item carries a Bloom's level and a Webb's Depth of Knowledge, so the checks can hold a
quiz to the teacher's cognitive mix (a "balanced" quiz is not all recall), and a standard
when the teacher selected some. The answer key must be unambiguous: exactly one correct
option for multiple choice, distinct options, no "all/none of the above".
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Annotated, Any, Literal, get_args

from pydantic import BeforeValidator, Field, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from eduteach.activities.answers import TOLERANT, Matching, accepts, key
from eduteach.activities.base import ActivityType, ItemResult, Score
from eduteach.activities.common import (
    SOURCE_QUOTE_DESCRIPTION,
    ActivityRequest,
    count_problem,
    duplicates,
    selected_standard,
    whole_number,
)
from eduteach.generation.schemas.common import OutputModel, Text

ItemType = Literal["multiple_choice", "multiple_answer", "true_false", "short_answer"]
ITEM_TYPES: tuple[str, ...] = get_args(ItemType)
Bloom = Literal["remember", "understand", "apply", "analyze", "evaluate", "create"]
BLOOM_LEVELS: tuple[str, ...] = get_args(Bloom)
Mix = Literal["recall", "balanced", "higher-order"]
MIXES: tuple[str, ...] = get_args(Mix)

MAX_ITEMS = 50
MAX_SHORT_ANSWER_WORDS = 6
_TYPE_ALIASES = {
    "mc": "multiple_choice",
    "multiple-choice": "multiple_choice",
    "ma": "multiple_answer",
    "multiple-answer": "multiple_answer",
    "tf": "true_false",
    "true-false": "true_false",
    "sa": "short_answer",
    "short-answer": "short_answer",
}
# Share of items at DOK 1 allowed at most, and share at DOK 3 or 4 wanted at least.
_MIX_LIMITS: dict[str, tuple[float, float]] = {
    "recall": (0.7, 0.0),
    "balanced": (0.4, 0.2),
    "higher-order": (0.2, 0.4),
}
_VAGUE_OPTIONS = ("all of the above", "none of the above", "both a and b", "all of these")


class QuizOption(OutputModel):
    """One option of a choice item."""

    text: Text = Field(description="The option as students read it.")
    correct: bool = Field(description="True for a correct option.")
    feedback: str = Field(
        description="Why this option is right or wrong, for the student; may be empty."
    )


class QuizItem(OutputModel):
    """One question."""

    type: ItemType = Field(
        description=(
            "multiple_choice (exactly one correct option), multiple_answer (one or more correct), "
            "true_false (options True and False), short_answer (typed; no options)."
        )
    )
    question: Text = Field(description="The question or statement, clear and self-contained.")
    options: list[QuizOption] = Field(
        max_length=6,
        description=(
            "3 to 6 distinct, plausible options for multiple_choice and multiple_answer; exactly "
            "True and False for true_false; an empty list for short_answer."
        ),
    )
    accepted_answers: list[str] = Field(
        max_length=6,
        description="For short_answer: every acceptable short answer. Otherwise an empty list.",
    )
    explanation: Text = Field(description="Why the correct answer is correct, for the student.")
    bloom: Bloom = Field(description="Bloom's revised taxonomy level the item demands.")
    dok: int = Field(ge=1, le=4, description="Webb's Depth of Knowledge, 1 to 4.")
    standard: str = Field(
        description="Code of the teacher's standard this item assesses; empty when none given."
    )
    source_quote: str = Field(description=SOURCE_QUOTE_DESCRIPTION)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """The schema the model writes to: one shape per question type.

        Validation stays with this one lenient class (the fixers and checks turn its slips
        into repairs and flags); the schema gives a grammar-constrained server the option
        counts of each type, so a small model cannot write a multiple-choice question with
        one option or a short answer with options.
        """
        if cls is not QuizItem:
            return handler(core_schema)
        return {"anyOf": [handler(v.__pydantic_core_schema__) for v in _ITEM_SHAPES]}


class _ChoiceShape(QuizItem):
    type: Literal["multiple_choice", "multiple_answer"] = Field(
        description="multiple_choice (exactly one correct option) or multiple_answer (one or more)."
    )
    options: list[QuizOption] = Field(
        min_length=3, max_length=6, description="3 to 6 distinct, plausible options."
    )
    accepted_answers: list[str] = Field(max_length=0, description="An empty list.")


class _TrueFalseShape(QuizItem):
    type: Literal["true_false"] = Field(description="A statement that is true or false.")
    options: list[QuizOption] = Field(
        min_length=2, max_length=2, description="Exactly True and False, one of them correct."
    )
    accepted_answers: list[str] = Field(max_length=0, description="An empty list.")


class _ShortAnswerShape(QuizItem):
    type: Literal["short_answer"] = Field(description="A question answered by typing.")
    options: list[QuizOption] = Field(max_length=0, description="An empty list.")
    accepted_answers: list[str] = Field(
        min_length=1, max_length=6, description="Every acceptable short answer (1 to 4 words)."
    )


_ITEM_SHAPES = (_ChoiceShape, _TrueFalseShape, _ShortAnswerShape)


class Quiz(OutputModel):
    """A quiz or a self-quiz."""

    title: Text = Field(description="A short title.")
    instructions: Text = Field(description="One or two sentences for students.")
    items: list[QuizItem] = Field(min_length=1, max_length=MAX_ITEMS, description="The items.")


def _item_types(raw: object) -> object:
    if raw is None:
        return list(DEFAULT_ITEM_TYPES)
    values = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(values, list | tuple):
        raise PydanticCustomError("item_types", "Choose at least one question type.")
    chosen: list[str] = []
    for value in values:
        name = str(value).strip().casefold().replace(" ", "_")
        name = _TYPE_ALIASES.get(name, name)
        if not name:
            continue
        if name not in ITEM_TYPES:
            raise PydanticCustomError(
                "item_types",
                "'{value}' is not a question type; choose from multiple choice, multiple answer, "
                "true/false and short answer.",
                {"value": str(value)},
            )
        if name not in chosen:
            chosen.append(name)
    if not chosen:
        raise PydanticCustomError("item_types", "Choose at least one question type.")
    return chosen


def _mix(raw: object) -> object:
    text = str(raw or "").strip().casefold().replace("_", "-").replace(" ", "-")
    if text not in MIXES:
        raise PydanticCustomError(
            "choice", "Choose a cognitive mix: recall, balanced or higher-order."
        )
    return text


DEFAULT_ITEM_TYPES: tuple[ItemType, ...] = ("multiple_choice", "true_false", "short_answer")


class QuizRequest(ActivityRequest):
    count: Annotated[
        int, BeforeValidator(whole_number("the number of questions", 1, MAX_ITEMS))
    ] = Field(default=10, description="How many questions.")
    item_types: Annotated[list[ItemType], BeforeValidator(_item_types)] = Field(
        default_factory=lambda: list(DEFAULT_ITEM_TYPES), description="Question types to use."
    )
    mix: Annotated[Mix, BeforeValidator(_mix)] = Field(
        default="balanced", description="Cognitive mix: recall, balanced or higher-order."
    )


# --- checks -------------------------------------------------------------------------------


def _correct(item: QuizItem) -> list[int]:
    return [i for i, option in enumerate(item.options) if option.correct]


def item_problems(item: QuizItem, number: int, language: object = "English") -> list[str]:
    """Shape and answer-key problems of one item."""
    where = f"Question {number}: "
    problems: list[str] = []
    correct = _correct(item)
    texts = [o.text for o in item.options]
    if item.type == "short_answer":
        if item.options:
            problems.append(f"{where}a short-answer question has no options; empty the list.")
        if not [a for a in item.accepted_answers if a.strip()]:
            problems.append(f"{where}list every acceptable answer in accepted_answers.")
        for answer in item.accepted_answers:
            if len(answer.split()) > MAX_SHORT_ANSWER_WORDS:
                problems.append(
                    f"{where}the accepted answer {answer!r} is too long to type and mark; keep "
                    f"answers to {MAX_SHORT_ANSWER_WORDS} words or ask a choice question."
                )
        problems += duplicates(item.accepted_answers, "accepted answer", where=where)
        return problems
    if item.accepted_answers:
        problems.append(f"{where}accepted_answers is only for short answer; empty it.")
    if item.type == "true_false":
        if len(item.options) != 2 or len(correct) != 1:
            problems.append(
                f"{where}a true/false question has exactly two options, True and False, and one "
                "of them is correct."
            )
        elif str(language).casefold().startswith("english") and sorted(key(t) for t in texts) != [
            "false",
            "true",
        ]:
            problems.append(f"{where}a true/false question's options are True and False.")
        return problems
    if len(item.options) < 3:
        problems.append(f"{where}give 3 to 6 options (it has {len(item.options)}).")
    if item.type == "multiple_choice" and len(correct) != 1:
        problems.append(
            f"{where}a multiple-choice question has exactly one correct option (it has "
            f"{len(correct)}); make it multiple answer or fix the key."
        )
    if item.type == "multiple_answer" and not correct:
        problems.append(f"{where}mark at least one option correct.")
    problems += duplicates(texts, "option", where=where)
    for text in texts:
        if key(text) in _VAGUE_OPTIONS:
            problems.append(
                f"{where}the option {text!r} makes the answer key ambiguous; write a specific "
                "option instead."
            )
    return problems


def check_mix(items: Sequence[QuizItem], mix: str) -> list[str]:
    """The share of recall items (DOK 1) and of strategic thinking (DOK 3-4) fit the mix."""
    count = len(items)
    most_recall, least_deep = _MIX_LIMITS.get(mix, _MIX_LIMITS["balanced"])
    recall = sum(1 for item in items if item.dok == 1)
    deep = sum(1 for item in items if item.dok >= 3)
    allowed = math.floor(most_recall * count + 1e-9)
    needed = math.floor(least_deep * count + 1e-9)
    problems = []
    if recall > allowed:
        problems.append(
            f"{recall} of {count} questions are recall (DOK 1) but a {mix} quiz has at most "
            f"{allowed}; turn some into questions that ask students to apply, explain or compare."
        )
    if deep < needed:
        problems.append(
            f"Only {deep} of {count} questions ask for strategic thinking (DOK 3 or 4) but a "
            f"{mix} quiz needs at least {needed}; add questions that ask students to analyse, "
            "justify or evaluate."
        )
    for number, item in enumerate(items, start=1):
        if item.bloom == "remember" and item.dok > 2:
            problems.append(
                f"Question {number} is labelled Bloom's 'remember' but DOK {item.dok}; label "
                "its level consistently."
            )
        if item.bloom in ("evaluate", "create") and item.dok == 1:
            problems.append(
                f"Question {number} is labelled Bloom's {item.bloom!r} but DOK 1; label its "
                "level consistently."
            )
    return problems


def check_items(quiz: Quiz, params: Mapping[str, Any]) -> list[str]:
    wanted_types = list(params.get("item_types") or DEFAULT_ITEM_TYPES)
    language = params.get("language", "English")
    standards = list(params.get("standards") or [])
    problems = count_problem("questions", len(quiz.items), int(params["count"]))
    for number, item in enumerate(quiz.items, start=1):
        if item.type not in wanted_types:
            problems.append(
                f"Question {number} is {item.type.replace('_', ' ')}, a type the teacher did not "
                f"choose; use only: {', '.join(t.replace('_', ' ') for t in wanted_types)}."
            )
        problems += item_problems(item, number, language)
        problems += selected_standard(item.standard, standards, f"Question {number}")
        if standards and not item.standard.strip():
            problems.append(
                f"Question {number} does not say which of the teacher's standards it assesses."
            )
    used = {item.type for item in quiz.items}
    if len(quiz.items) >= len(wanted_types):
        for missing in (t for t in wanted_types if t not in used):
            problems.append(
                f"The teacher chose {missing.replace('_', ' ')} questions but the quiz has none; "
                "include at least one."
            )
    problems += duplicates([item.question for item in quiz.items], "question")
    problems += check_mix(quiz.items, str(params.get("mix", "balanced")))
    return problems


def _fixed_item(item: QuizItem, english: bool) -> QuizItem:
    if item.type == "short_answer" and item.options:
        # The answer written as a correct "option": it is the accepted answer.
        answers = list(item.accepted_answers)
        for option in item.options:
            if option.correct and key(option.text) not in {key(a) for a in answers}:
                answers.append(option.text)
        return item.model_copy(update={"options": [], "accepted_answers": answers})
    if item.type != "short_answer" and item.accepted_answers:
        item = item.model_copy(update={"accepted_answers": []})
    if item.type == "true_false" and english and len(item.options) == 1:
        # Only the right one of True/False written: the other is implied.
        only = item.options[0]
        if key(only.text) in ("true", "false"):
            other = "False" if key(only.text) == "true" else "True"
            missing = QuizOption(text=other, correct=not only.correct, feedback="")
            options = [only, missing] if key(only.text) == "true" else [missing, only]
            return item.model_copy(update={"options": options})
    return item


def fix_item_shapes(quiz: Quiz, params: Mapping[str, Any]) -> tuple[Quiz, list[str]]:
    """Mechanical slips small models make, put right without a repair round: accepted answers
    on choice questions (dropped), a short answer written as a correct option (made the
    accepted answer), a true/false question with only its right option (the other added)."""
    english = str(params.get("language", "English")).casefold().startswith("english")
    items = [_fixed_item(item, english) for item in quiz.items]
    if items == list(quiz.items):
        return quiz, []
    return quiz.model_copy(update={"items": items}), []


def quotes(quiz: Quiz) -> list[tuple[str, str]]:
    return [(f"Question {n}", item.source_quote) for n, item in enumerate(quiz.items, start=1)]


# --- scoring ------------------------------------------------------------------------------


def _chosen(answer: object) -> set[int]:
    values = answer if isinstance(answer, list | tuple) else [answer]
    chosen = set()
    for value in values:
        text = str(value).strip()
        if text.isdigit():
            chosen.add(int(text))
    return chosen


def score_item(item: QuizItem, answer: object, matching: Matching = TOLERANT) -> float:
    """The fraction of the item's point earned by ``answer`` (option indexes, or typed text)."""
    if item.type == "short_answer":
        text = answer if isinstance(answer, str) else ""
        return 1.0 if accepts(text, item.accepted_answers, matching) else 0.0
    correct = set(_correct(item))
    chosen = _chosen(answer) & set(range(len(item.options)))
    if item.type == "multiple_answer":
        # Canvas's partial credit: right choices minus wrong ones, over the right ones.
        if not correct:
            return 0.0
        earned = (len(chosen & correct) - len(chosen - correct)) / len(correct)
        return max(0.0, round(earned, 4))
    return 1.0 if len(chosen) == 1 and chosen == correct else 0.0


def score(quiz: Quiz, responses: Mapping[str, Any], params: Mapping[str, Any]) -> Score:
    """One point per question: ``{"answers": {"0": [2], "1": "photosynthesis"}}``."""
    answers = responses.get("answers") or {}
    results = []
    for i, item in enumerate(quiz.items):
        answer = answers.get(str(i))
        earned = score_item(item, answer)
        feedback = [item.explanation]
        for index in sorted(_chosen(answer)) if item.type != "short_answer" else []:
            if index < len(item.options) and item.options[index].feedback.strip():
                feedback.insert(0, item.options[index].feedback.strip())
        results.append(ItemResult(str(i), earned, 1.0, " ".join(feedback)))
    return Score(tuple(results))


QUIZ = ActivityType(
    name="quiz",
    cli_name="quiz",
    label="Quiz",
    request=QuizRequest,
    output=Quiz,
    items_field="items",
    item_label="Question",
    score=score,
    graded=True,
    max_tokens=6000,
    checks={"items": check_items},
    quotes=quotes,
    sized_fields={"items": "count"},
    fixers=(fix_item_shapes,),
    counts=lambda quiz: {"count": len(quiz.items)},
)

# The same questions for practice: feedback at once, retries, no grade.
SELF_QUIZ = replace(
    QUIZ, name="self_quiz", cli_name="self-quiz", label="Self-quiz (practice)", graded=False
)
