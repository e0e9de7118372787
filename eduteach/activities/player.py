"""The student's player, shared by the teacher's preview and the students' pages.

``player_view`` is what a player shows, with every part of the answer key removed;
``read_responses`` turns the player's form into the responses an activity's ``score`` takes,
and ``form_answers`` turns them back (to show a submitted attempt); ``check_answers`` scores
on the server and says, item by item, what the student has earned the right to see.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from werkzeug.datastructures import MultiDict

from eduteach.activities import fill_in, matching, quiz
from eduteach.activities.registry import ACTIVITIES


@dataclass(frozen=True)
class Layout:
    """How one activity kind is shown: its templates, what one item is called, its extras."""

    templates: str  # folder under templates/activities/
    noun: str  # as the checks name an item: "Question 3", "Card 2"
    extras: str = ""  # the heading of its ``distractors`` list; "" when it has none
    extras_hint: str = ""

    @property
    def plural(self) -> str:
        return self.noun + "s"


LAYOUTS: dict[str, Layout] = {
    "flashcards": Layout("flashcards", "card"),
    "fill_in": Layout(
        "fill_in",
        "passage",
        "Word bank extras",
        "Words that fit no blank, mixed into the word bank students choose from.",
    ),
    "matching": Layout(
        "matching",
        "pair",
        "Extra definitions",
        "Definitions that match no term, mixed in with the others.",
    ),
    "quiz": Layout("quiz", "question"),
    # A self-quiz is a quiz a student practises with: the same editor and player.
    "self_quiz": Layout("quiz", "question"),
}


def layout_of(kind_name: str) -> Layout:
    """The layout of an activity kind; KeyError for a plan kind."""
    return LAYOUTS[kind_name]


# --- the player's view model: nothing of the answer key ------------------------------------


def _seed(kind_name: str, activity: BaseModel, salt: str) -> bytes:
    """A per-activity seed students cannot recompute (it is keyed with a server secret)."""
    content = json.dumps(
        [kind_name, activity.model_dump(mode="json")], sort_keys=True, ensure_ascii=False
    )
    return hmac.new(salt.encode(), content.encode(), hashlib.sha256).digest()


def shuffled_order(count: int, seed: bytes) -> list[int]:
    """Indexes 0..count-1 in an order fixed by ``seed``: the same activity shuffles alike."""
    return sorted(range(count), key=lambda i: hashlib.sha256(seed + str(i).encode()).digest())


def matching_order(activity: matching.Matching, seed: bytes) -> list[int]:
    """The choices' indexes as the player lists them; never the pairs' own order."""
    order = shuffled_order(len(matching.choices(activity)), seed)
    pairs = len(activity.pairs)
    in_pairs = [i for i in order if i < pairs]
    if in_pairs == sorted(in_pairs):
        # Definitions listed in the terms' order would give the answers away.
        backwards = iter(reversed(in_pairs))
        order = [next(backwards) if i < pairs else i for i in order]
    return order


def _flashcards_view(deck: Any) -> dict[str, Any]:
    cards = [
        {"id": str(i), "front": c.front, "back": c.back, "hint": c.hint}
        for i, c in enumerate(deck.cards)
    ]
    return {"cards": cards, "count": len(cards)}


def _fill_in_view(activity: Any, params: Mapping[str, Any], seed: bytes) -> dict[str, Any]:
    passages, number = [], 0
    for index, passage in enumerate(activity.passages):
        segments = []
        for part, value in fill_in.segments(passage.text, index):
            if part == "blank":
                number += 1
                segments.append({"blank": value, "number": number})
            else:
                segments.append({"text": value})
        passages.append({"segments": segments})
    bank: list[str] = []
    if params.get("word_bank", True):
        words = fill_in.word_bank(activity)
        bank = [words[i] for i in shuffled_order(len(words), seed)]
    return {"passages": passages, "word_bank": bank, "count": number}


def _matching_view(activity: Any, seed: bytes) -> dict[str, Any]:
    choices = matching.choices(activity)
    listed = [
        {"value": str(position), "letter": _letter(position), "text": choices[index]}
        for position, index in enumerate(matching_order(activity, seed))
    ]
    terms = [{"id": str(i), "term": pair.term} for i, pair in enumerate(activity.pairs)]
    return {"terms": terms, "choices": listed, "count": len(terms)}


def _letter(position: int) -> str:
    return chr(ord("A") + position) if position < 26 else str(position + 1)


def _question(index: int, number: int, item: quiz.QuizItem, order: list[int]) -> dict[str, Any]:
    options = item.options
    return {
        "id": str(index),
        "number": number,
        "type": item.type,
        "question": item.question,
        "options": [{"value": str(n), "text": options[n].text} for n in order],
    }


def _quiz_view(activity: Any, shuffle_seed: bytes | None) -> dict[str, Any]:
    """The questions; shuffled (questions and their options) when there is a seed.

    Inputs keep the items' own indexes as names and values, so scoring never depends on the
    order shown: a shuffled page reveals no more than an unshuffled one, which lists every
    option in its own order anyway.
    """
    count = len(activity.items)
    questions = shuffled_order(count, shuffle_seed) if shuffle_seed else list(range(count))
    items = []
    for number, index in enumerate(questions, start=1):
        item = activity.items[index]
        order = list(range(len(item.options)))
        # True before False reads naturally; shuffling those two only confuses.
        if shuffle_seed and item.type != "true_false":
            order = shuffled_order(len(order), shuffle_seed + f"|{index}".encode())
        items.append(_question(index, number, item, order))
    return {"items": items, "count": len(items)}


def player_view(
    kind_name: str,
    activity: BaseModel,
    params: Mapping[str, Any],
    *,
    salt: str = "",
    shuffle: str = "",
) -> dict[str, Any]:
    """What the student's player shows, with no part of the answer key.

    No correct flags, accepted answers, explanations or feedback; matching definitions and the
    fill-in word bank come shuffled in an order fixed per activity (``salt``, a server secret,
    keeps students from recomputing it). A flashcard's back is its content, not a key.
    With ``shuffle`` (e.g. one student's attempt), a quiz's questions and options come in an
    order fixed by it: the same attempt always shows the same order.
    """
    activity_type = ACTIVITIES[kind_name]
    layout = layout_of(kind_name)
    base = {
        "kind": kind_name,
        "template": layout.templates,
        "title": getattr(activity, "title", ""),
        "instructions": getattr(activity, "instructions", ""),
        "graded": activity_type.graded,
        "practice": kind_name == "self_quiz",
        "noun": layout.noun,
    }
    seed = _seed(kind_name, activity, salt)
    if layout.templates == "flashcards":
        return base | _flashcards_view(activity)
    if layout.templates == "fill_in":
        return base | _fill_in_view(activity, params, seed)
    if layout.templates == "matching":
        return base | _matching_view(activity, seed)
    shuffle_seed = _seed(kind_name, activity, f"{salt}|{shuffle}") if shuffle else None
    return base | _quiz_view(activity, shuffle_seed)


# --- checking a student's answers ---------------------------------------------------------


MAX_TYPED = 500
"""The longest typed answer kept: longer text is no answer to a blank or a short question."""


def _item_ids(kind_name: str, activity: BaseModel) -> set[str]:
    """The ids the player's inputs are named by (``q.3``, ``b.0.1``...), for this activity."""
    if isinstance(activity, fill_in.FillIn):
        return {b.id for b in fill_in.all_blanks(activity)}
    items = getattr(activity, ACTIVITIES[kind_name].items_field)
    return {str(i) for i in range(len(items))}


def read_responses(
    kind_name: str, activity: BaseModel, form: MultiDict[str, str], *, salt: str = ""
) -> dict[str, Any]:
    """The player's form as the responses the activity's ``score`` takes.

    Only inputs the activity has are read, and typed text is cut to ``MAX_TYPED``, so what is
    kept of an attempt is the student's answers and nothing a crafted form adds.
    """
    template = layout_of(kind_name).templates
    known = _item_ids(kind_name, activity)

    def fields(prefix: str) -> dict[str, str]:
        return {
            k[len(prefix) :]: v[:MAX_TYPED]
            for k, v in form.items()
            if k.startswith(prefix) and k[len(prefix) :] in known
        }

    if template == "flashcards":
        ratings = {k: v for k, v in fields("r.").items() if v in ("knew", "learning")}
        return {"ratings": ratings}
    if template == "fill_in":
        return {"blanks": fields("b.")}
    if template == "matching":
        assert isinstance(activity, matching.Matching)
        order = matching_order(activity, _seed(kind_name, activity, salt))
        matches: dict[str, int] = {}
        for key, value in fields("m.").items():
            position = value.strip()
            if position.isdigit() and int(position) < len(order):
                matches[key] = order[int(position)]
        return {"matches": matches}
    answers: dict[str, Any] = {}
    for key in form:
        if key.startswith("q.") and key[2:] in known:
            values = [v[:MAX_TYPED] for v in form.getlist(key)]
            answers[key[2:]] = values if len(values) > 1 else values[0]
    return {"answers": answers}


def form_answers(
    kind_name: str, activity: BaseModel, responses: Mapping[str, Any], *, salt: str = ""
) -> dict[str, list[str]]:
    """Stored responses as the player's inputs hold them: what ``read_responses`` read.

    A submitted attempt is shown in its own player with the student's answers in place.
    """
    template = layout_of(kind_name).templates
    if template == "matching":
        assert isinstance(activity, matching.Matching)
        order = matching_order(activity, _seed(kind_name, activity, salt))
        position = {index: place for place, index in enumerate(order)}
        return {
            f"m.{term}": [str(position[int(choice)])]
            for term, choice in (responses.get("matches") or {}).items()
            if str(choice).isdigit() and int(choice) in position
        }
    prefix, field = {
        "flashcards": ("r.", "ratings"),
        "fill_in": ("b.", "blanks"),
        "quiz": ("q.", "answers"),
    }[template]
    found: dict[str, list[str]] = {}
    for item, value in (responses.get(field) or {}).items():
        values = value if isinstance(value, list) else [value]
        found[prefix + str(item)] = [str(v) for v in values]
    return found


def _first_try_feedback(activity: BaseModel, item_id: str, responses: Mapping[str, Any]) -> str:
    """For practice: what the chosen options say, without the answer or the explanation."""
    if not isinstance(activity, quiz.Quiz) or not item_id.isdigit():
        return ""
    item = activity.items[int(item_id)]
    answer = (responses.get("answers") or {}).get(item_id)
    chosen = answer if isinstance(answer, list) else [answer]
    notes = []
    for value in chosen:
        text = str(value or "").strip()
        if item.type != "short_answer" and text.isdigit() and int(text) < len(item.options):
            note = item.options[int(text)].feedback.strip()
            if note:
                notes.append(note)
    return " ".join(notes)


def _feedback(template: str, feedback: str, correct: bool) -> str:
    if template == "fill_in":
        return "" if correct else f"Answer: {feedback}"
    if template == "matching":
        return "" if correct else f"It matches: {feedback}"
    return feedback


_RESPONSE_KEYS = {
    "flashcards": "ratings",
    "fill_in": "blanks",
    "matching": "matches",
    "quiz": "answers",
}


def _answered(template: str, responses: Mapping[str, Any], item_id: str) -> bool:
    value = (responses.get(_RESPONSE_KEYS[template]) or {}).get(item_id)
    if isinstance(value, list):
        return any(str(v).strip() for v in value)
    return value is not None and bool(str(value).strip())


def _label(status: str, answered: bool) -> str:
    if status == "correct":
        return "Correct"
    if status == "partial":
        return "Partly right"
    return "Not quite" if answered else "Not answered"


def _points(value: float) -> str:
    return f"{value:g}"


def check_answers(
    kind_name: str,
    activity: BaseModel,
    params: Mapping[str, Any],
    responses: Mapping[str, Any],
    *,
    only: str | None = None,
    reveal: bool = True,
) -> dict[str, Any]:
    """Scored on the server: each item's result, and the total, for the player to show.

    ``only`` checks one item (a self-quiz's "Check"); without ``reveal`` a wrong answer gets
    only what its chosen options say, so the student can try again.
    """
    activity_type = ACTIVITIES[kind_name]
    template = layout_of(kind_name).templates
    score = activity_type.score(activity, responses, params)
    results = [r for r in score.items if only is None or r.item == only]
    items = []
    for result in results:
        status = "correct" if result.correct else "partial" if result.points > 0 else "incorrect"
        if result.correct or reveal:
            feedback = _feedback(template, result.feedback, result.correct)
        else:
            feedback = _first_try_feedback(activity, result.item, responses)
        items.append(
            {
                "id": result.item,
                "status": status,
                "label": _label(status, _answered(template, responses, result.item)),
                "points": result.points,
                "max_points": result.max_points,
                "feedback": feedback,
            }
        )
    points = round(sum(r.points for r in results), 4)
    most = round(sum(r.max_points for r in results), 4)
    return {
        "points": points,
        "max_points": most,
        "summary": f"You scored {_points(points)} out of {_points(most)}.",
        "items": items,
        "revealed": reveal,
    }
