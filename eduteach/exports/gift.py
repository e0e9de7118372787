"""Activities as Moodle GIFT text: one question per item, ready for Moodle's question bank.

Every text is written in Moodle's ``[plain]`` format, so ``<``, ``>`` and ``&`` show as typed
(auto-format would read "<in>" as a tag), and escaped as Moodle's GIFT reader expects:
a backslash before each of ``~ = # { } :`` and before a backslash, and ``\\n`` for a line break.

- Quiz and self-quiz: multiple choice (``=right ~wrong#feedback``); multiple answer with
  weights that give the same partial credit as EduTeach's own scoring (each right option
  100/r %, each wrong one -100/r %, r right options); true/false (``{TRUE#wrong option's
  feedback#right option's feedback}``); short answer (``{=a =b}``). The explanation is the
  general feedback (``####``).
- Matching: one matching question. GIFT has no place for extra definitions; a ``//``
  comment says which were left out.
- Fill in the blanks: GIFT allows one blank per question, so each blank is a missing-word
  question: its passage with the other blanks filled in.
- Flashcards: short-answer questions, front as the question (with the hint under it) and
  back as the answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from pydantic import BaseModel

from eduteach.activities.answers import key
from eduteach.activities.fill_in import FillIn, blanks, segments
from eduteach.activities.flashcards import FlashcardDeck
from eduteach.activities.matching import Matching
from eduteach.activities.quiz import Quiz, QuizItem

_SPECIAL = re.compile(r"([\\~=#{}:])")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Moodle takes an answer block holding both "=" and "->" for a matching question, so an
# arrow in a short answer or a matching term would change the question; it is written "→".
_ARROW = "->"
_ARROW_SUBSTITUTE = "\u2192"
FORMAT = "[plain]"


def escape(text: str) -> str:
    """``text`` as GIFT reads it back: specials backslashed, line breaks as ``\\n``."""
    return _LINE_BREAK.sub(r"\\n", _SPECIAL.sub(r"\\\1", text))


def _term(text: str) -> str:
    """A matching term: escaped, with no "->" to be taken for the end of the term."""
    return escape(text.replace(_ARROW, _ARROW_SUBSTITUTE))


def _typed(text: str) -> str:
    """An answer students type: as a term, and with each ``*`` written ``\\*``, because
    Moodle's short answer reads a bare ``*`` as "anything" and ``\\*`` as an asterisk."""
    return _term(text.replace("*", "\\*"))


def _comments(*lines: str) -> str:
    """Comment lines, which Moodle skips: for the teacher reading the file."""
    return "\n".join("// " + " ".join(line.split()) for line in lines if line.strip())


def _weight(percent: float) -> str:
    """A weight as Moodle lists its grades: 100, 50, 33.33333, -16.66667."""
    return f"{percent:.5f}".rstrip("0").rstrip(".")


def _feedback(text: str) -> str:
    return f"#{escape(text)}" if text.strip() else ""


def _question(name: str, text: str, answers: Sequence[str], general: str = "") -> str:
    """A question whose answer block follows its text, one answer a line."""
    lines = [f"::{escape(name)}::{FORMAT}{escape(text)} {{"]
    lines += [f"\t{answer}" for answer in answers]
    if general.strip():
        lines.append(f"\t####{escape(general)}")
    return "\n".join([*lines, "}"])


def _true_false(item: QuizItem) -> bool | None:
    """Whether the statement is true, when its options read True and False; else None."""
    truths = {key(o.text): o.correct for o in item.options}
    if sorted(truths) != ["false", "true"] or truths["true"] == truths["false"]:
        return None
    return truths["true"]


def _choices(item: QuizItem) -> list[str]:
    right = [o for o in item.options if o.correct]
    if item.type != "multiple_answer":
        return [
            f"{'=' if o.correct else '~'}{escape(o.text)}{_feedback(o.feedback)}"
            for o in item.options
        ]
    # Marks as EduTeach scores: each right choice earns 1/r, each wrong one loses 1/r.
    share = 100 / len(right) if right else 100
    return [
        f"~%{_weight(share if o.correct else -share)}%{escape(o.text)}{_feedback(o.feedback)}"
        for o in item.options
    ]


def _quiz_item(name: str, item: QuizItem) -> str:
    if item.type == "short_answer":
        answers = [f"={_typed(a)}" for a in item.accepted_answers if a.strip()]
        return _question(name, item.question, answers, item.explanation)
    truth = _true_false(item) if item.type == "true_false" else None
    if truth is None:
        # Options in another language than English stay a two-option choice question.
        return _question(name, item.question, _choices(item), item.explanation)
    right = next(o for o in item.options if o.correct)
    wrong = next(o for o in item.options if not o.correct)
    block = "TRUE" if truth else "FALSE"
    # {TRUE#feedback when wrong#feedback when right}: the first is the wrong option's.
    if wrong.feedback.strip() or right.feedback.strip():
        block += _feedback(wrong.feedback) or "#"
    block += _feedback(right.feedback)
    if item.explanation.strip():
        block += f"####{escape(item.explanation)}"
    return f"::{escape(name)}::{FORMAT}{escape(item.question)} {{{block}}}"


def _names(title: str, count: int) -> Iterator[str]:
    """ "Title 01", "Title 02"...: numbered to sort in order in Moodle's question bank."""
    width = len(str(count))
    for number in range(1, count + 1):
        yield f"{title} {number:0{width}d}"


def _quiz(quiz: Quiz, practice: bool) -> list[str]:
    kind = "self-quiz (practice)" if practice else "quiz"
    return [
        _comments(f"EduTeach {kind}: {quiz.title}", quiz.instructions),
        *(
            _quiz_item(name, item)
            for name, item in zip(_names(quiz.title, len(quiz.items)), quiz.items, strict=True)
        ),
    ]


def _matching(activity: Matching) -> list[str]:
    left_out = "; ".join(activity.distractors)
    parts = [
        _comments(
            f"EduTeach matching: {activity.title}",
            f"GIFT matching questions cannot hold extra definitions; left out: {left_out}"
            if left_out
            else "",
        )
    ]
    pairs = [f"={_term(p.term)} -> {escape(p.definition)}" for p in activity.pairs]
    parts.append(_question(activity.title, activity.instructions, pairs))
    return parts


def _missing_word(text: str, index: int, target: str, answers: dict[str, tuple[str, ...]]) -> str:
    """The passage with blank ``target`` as an answer block and the others filled in."""
    pieces = []
    for part, value in segments(text, index):
        if part == "text":
            pieces.append(escape(value))
        elif value == target:
            pieces.append("{" + " ".join(f"={_typed(a)}" for a in answers[value]) + "}")
        else:
            pieces.append(escape(next(iter(answers[value]), "")))
    return "".join(pieces).strip()


def _fill_in(activity: FillIn) -> list[str]:
    extra = "; ".join(activity.distractors)
    parts = [
        _comments(
            f"EduTeach fill in the blanks: {activity.title}",
            activity.instructions,
            f"The word bank's extra words are left out: {extra}" if extra else "",
        )
    ]
    found = [(i, p.text, b) for i, p in enumerate(activity.passages) for b in blanks(p.text, i)]
    answers = {blank.id: blank.answers for _, _, blank in found}
    for name, (index, text, blank) in zip(_names(activity.title, len(found)), found, strict=True):
        question = _missing_word(text, index, blank.id, answers)
        parts.append(f"::{escape(name)}::{FORMAT}{question}")
    return parts


def _flashcards(deck: FlashcardDeck) -> list[str]:
    parts = [
        _comments(
            f"EduTeach flashcards: {deck.title}",
            "Each card is a short-answer question: students type the back of the card, and "
            "Moodle accepts it only when it matches exactly (case aside).",
        ),
    ]
    for name, card in zip(_names(deck.title, len(deck.cards)), deck.cards, strict=True):
        text = f"{card.front}\n({card.hint.strip()})" if card.hint.strip() else card.front
        parts.append(_question(name, text, [f"={_typed(card.back)}"]))
    return parts


def render_gift(kind: str, activity: BaseModel) -> str:
    """The activity as GIFT text, questions separated by blank lines.

    ``kind`` is the activity type name and ``activity`` its validated output; every type
    has a GIFT form.
    """
    if isinstance(activity, Quiz) and kind in ("quiz", "self_quiz"):
        parts = _quiz(activity, practice=kind == "self_quiz")
    elif isinstance(activity, Matching) and kind == "matching":
        parts = _matching(activity)
    elif isinstance(activity, FillIn) and kind == "fill_in":
        parts = _fill_in(activity)
    elif isinstance(activity, FlashcardDeck) and kind == "flashcards":
        parts = _flashcards(activity)
    else:
        raise TypeError(f"{type(activity).__name__} is not a {kind!r} activity")
    return "\n\n".join(parts) + "\n"
