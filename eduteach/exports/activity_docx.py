"""Activities as printable Word documents: a student copy to hand out and an answer key.

Both copies of an activity come from the same code, so they share their order and numbering:
question 3 of the student copy is question 3 of the key, and matching's letters are the same.
The student copy never prints an answer; the key prints them all, with the quiz's feedback,
explanations and levels for the teacher. The look is the lesson plans' (``DocumentBuilder``),
and the printed words come from ``[<locale>.activity_sheets]`` in ``templates/docx/labels.toml``.

Flashcards print as fold-over cards: each card is a table row, front on the left and back on
the right; students cut along the dashed lines and fold along the dotted one. We chose this
over front and back on facing pages because duplex printers shift and mirror the back page
differently (long-edge or short-edge flip), so the backs rarely line up; a fold-over card
needs a single-sided printer and always matches.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Inches, Pt
from pydantic import BaseModel

from eduteach.activities.fill_in import FillIn, blanks, segments, word_bank
from eduteach.activities.flashcards import FlashcardDeck
from eduteach.activities.matching import Matching, choices
from eduteach.activities.quiz import Quiz, QuizItem
from eduteach.activities.registry import ACTIVITIES
from eduteach.exports.docx_base import (
    BASE_DOCX,
    DocumentBuilder,
    DocumentMeta,
    Labels,
    load_labels,
)
from eduteach.standards.marks import standard_mark, verified_codes

GROUP = "activity_sheets"  # the labels.toml table holding these documents' words
BOX, TICKED = "\u2610", "\u2611"  # ☐ ☑
EN_DASH = "\u2013"  # between number and letter in the matching key: 1-C
LINE = "_" * 14  # a blank to write in; one length for all, so it hints at no answer
SHORT_LINE = "_" * 6  # room for a letter
ITEM_GAP = Pt(10)  # space after a quiz question's last line
OPTION_INDENT = Inches(0.3)
CARD_HEIGHT = Inches(1.3)
# Dashed cut lines around the cards, a dotted fold line between front and back.
CARD_BORDERS = (
    f"<w:tblBorders {nsdecls('w')}>"
    + "".join(
        f'<w:{side} w:val="dashed" w:sz="6" w:space="0" w:color="7F7F7F"/>'
        for side in ("top", "left", "bottom", "right", "insideH")
    )
    + '<w:insideV w:val="dotted" w:sz="6" w:space="0" w:color="7F7F7F"/></w:tblBorders>'
)

Renderer = Callable[[DocumentBuilder, Any, Mapping[str, Any], bool], None]


def _say(labels: Labels, key: str, **values: object) -> str:
    """A word of the activity sheets in the document's language, placeholders filled in."""
    text = labels.choice(GROUP, key)
    return text.format(**values) if values else text


def _letter(index: int) -> str:
    """A, B, C...: enough for a quiz's 6 options and matching's 25 definitions (20 + 5)."""
    return chr(ord("A") + index)


def _keep_with_next(paragraph: Any) -> Any:
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _after_table(paragraph: Any) -> Any:
    """Space above a paragraph that follows a table, which LibreOffice would otherwise butt."""
    paragraph.paragraph_format.space_before = ITEM_GAP
    return paragraph


def _name_and_date(b: DocumentBuilder) -> None:
    paragraph = b.paragraph()
    paragraph.add_run(f"{_say(b.labels, 'name')}: ", style="Label")
    paragraph.add_run("_" * 34 + "    ")
    paragraph.add_run(f"{_say(b.labels, 'date')}: ", style="Label")
    paragraph.add_run("_" * 16)


# --- flashcards ------------------------------------------------------------------------------


def _card_cell(cell: Any, text: str, hint: str = "", hint_label: str = "") -> None:
    """One side of a card: its text in body size, bold on the front, and the hint under it."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    first = cell.paragraphs[0]
    first.style = "Normal"
    first.add_run(text, style="Strong" if hint_label else None)
    if hint:
        line = cell.add_paragraph("", style="Table Text")
        line.add_run(f"{hint_label}: ", style="Label")
        line.add_run(hint)


def _flashcards(
    b: DocumentBuilder, deck: FlashcardDeck, params: Mapping[str, Any], key: bool
) -> None:
    if key:
        b.grid(
            [_say(b.labels, k) for k in ("number", "front", "back", "hint")],
            [[str(n), c.front, c.back, c.hint] for n, c in enumerate(deck.cards, start=1)],
            (0.06, 0.3, 0.42, 0.22),
        )
        return
    b.paragraph(_say(b.labels, "cut_and_fold"))
    table = b.grid(
        [_say(b.labels, "front"), _say(b.labels, "back")],
        [["", ""] for _ in deck.cards],
        (0.5, 0.5),
    )
    table._tbl.tblPr.append(parse_xml(CARD_BORDERS))
    for row, card in zip(table.rows[1:], deck.cards, strict=True):
        row.height, row.height_rule = CARD_HEIGHT, WD_ROW_HEIGHT_RULE.AT_LEAST
        front, back = row.cells
        _card_cell(front, card.front, card.hint, _say(b.labels, "hint"))
        _card_cell(back, card.back)


# --- fill in the blanks ----------------------------------------------------------------------


def _passages(b: DocumentBuilder, activity: FillIn, key: bool) -> list[tuple[str, ...]]:
    """The passages, blanks numbered from 1 across them; each blank's answers, in order.

    Students see ``(1) ______``; the key shows ``(1) answer``.
    """
    answers: list[tuple[str, ...]] = []
    for index, passage in enumerate(activity.passages):
        found = {blank.id: blank.answers for blank in blanks(passage.text, index)}
        paragraph = b.paragraph()
        for part, value in segments(passage.text, index):
            if part == "text":
                paragraph.add_run(value)
                continue
            answers.append(found[value])
            # A no-break space keeps the number on the line of its blank.
            paragraph.add_run(f"({len(answers)})\u00a0")
            if key:
                paragraph.add_run(found[value][0] if found[value] else "", style="Label")
            else:
                paragraph.add_run(LINE)
    return answers


def _fill_in(b: DocumentBuilder, activity: FillIn, params: Mapping[str, Any], key: bool) -> None:
    show_bank = bool(params.get("word_bank", True))
    if show_bank and not key:
        b.grid([_say(b.labels, "word_bank")], [["     ·     ".join(word_bank(activity))]], (1.0,))
        b.paragraph("", "Table Text")  # a gap, as between two tables
    answers = _passages(b, activity, key)
    if not key:
        return
    b.heading(_say(b.labels, "answers"), 1)
    b.grid(
        [_say(b.labels, k) for k in ("number", "answer", "also_accepted")],
        [
            [str(n), words[0] if words else "", ", ".join(words[1:])]
            for n, words in enumerate(answers, start=1)
        ],
        (0.08, 0.46, 0.46),
    )
    if show_bank and activity.distractors:
        _after_table(b.labelled(_say(b.labels, "extra_words"), ", ".join(activity.distractors)))


# --- matching --------------------------------------------------------------------------------


def definition_order(activity: Matching) -> list[int]:
    """The order definitions are printed in, as indexes into ``choices(activity)``.

    Shuffled by a hash of the title and each definition rather than ``random``, so the order
    is the same on every download and every Python version (the student copy and the key
    printed a week apart must agree). If the shuffle happens to list the terms' definitions
    in the terms' own order, the first term's moves to the end, so the letters never run
    A, B, C... down the page.
    """
    options = choices(activity)

    def rank(index: int) -> str:
        return hashlib.sha256(f"{activity.title}\n{options[index]}".encode()).hexdigest()

    order = sorted(range(len(options)), key=rank)
    positions = [order.index(i) for i in range(len(activity.pairs))]
    if positions == sorted(positions):
        order.remove(0)
        order.append(0)
    return order


def _matching(b: DocumentBuilder, activity: Matching, params: Mapping[str, Any], key: bool) -> None:
    options = choices(activity)
    order = definition_order(activity)
    letter_of = {choice: _letter(position) for position, choice in enumerate(order)}
    rows: list[list[str]] = []
    for position, choice in enumerate(order):
        term, answer = "", ""
        if position < len(activity.pairs):
            term = f"{position + 1}. {activity.pairs[position].term}"
            answer = letter_of[position] if key else SHORT_LINE
        rows.append([term, answer, f"{_letter(position)}. {options[choice]}"])
    b.grid(
        [_say(b.labels, k) for k in ("term", "your_answer", "definition")], rows, (0.3, 0.12, 0.58)
    )
    if not key:
        return
    _after_table(
        b.labelled(
            _say(b.labels, "matches"),
            "   ".join(
                f"{n}{EN_DASH}{letter_of[n - 1]}" for n in range(1, len(activity.pairs) + 1)
            ),
        )
    )
    extras = [letter_of[i] for i in range(len(activity.pairs), len(options))]
    if extras:
        b.labelled(_say(b.labels, "matches_nothing"), ", ".join(sorted(extras)))


# --- quizzes ---------------------------------------------------------------------------------


def _option_line(b: DocumentBuilder, text: str, *, ticked: bool, feedback: str) -> Any:
    paragraph = _keep_with_next(b.paragraph())
    paragraph.paragraph_format.left_indent = OPTION_INDENT
    paragraph.paragraph_format.space_after = 0
    paragraph.add_run(f"{TICKED if ticked else BOX}  ")
    paragraph.add_run(text, style="Label" if ticked else None)
    if feedback:
        paragraph.add_run(f" — {feedback}")
    return paragraph


def _indented(b: DocumentBuilder, label: str, text: str) -> Any:
    paragraph = _keep_with_next(b.labelled(label, text))
    paragraph.paragraph_format.left_indent = OPTION_INDENT
    return paragraph


def _levels(b: DocumentBuilder, item: QuizItem, verified: list[str] | None) -> Any:
    """ "Bloom: Apply · DOK: 2 · Standard: ...", for the teacher's copy."""
    parts = [("bloom", _say(b.labels, f"bloom_{item.bloom}")), ("dok", str(item.dok))]
    if item.standard.strip():
        parts.append(("standard", standard_mark(item.standard, verified)))
    paragraph = _keep_with_next(b.paragraph())
    paragraph.paragraph_format.left_indent = OPTION_INDENT
    for number, (label, value) in enumerate(parts):
        paragraph.add_run(f"{' · ' if number else ''}{_say(b.labels, label)}: ", style="Label")
        paragraph.add_run(value)
    return paragraph


def _quiz_item(
    b: DocumentBuilder, number: int, item: QuizItem, key: bool, verified: list[str] | None
) -> None:
    question = _keep_with_next(b.paragraph())
    question.add_run(f"{number}.  ", style="Label")
    question.add_run(item.question)
    if item.type == "multiple_answer":
        question.add_run(f" {_say(b.labels, 'choose_all')}")
    lines: list[Any] = []
    lettered = item.type != "true_false"
    for index, option in enumerate(item.options):
        text = f"{_letter(index)}. {option.text}" if lettered else option.text
        feedback = option.feedback.strip() if key else ""
        lines.append(_option_line(b, text, ticked=key and option.correct, feedback=feedback))
    if item.type == "short_answer":
        answer = "; ".join(item.accepted_answers) if key else "_" * 40
        label = _say(b.labels, "accepted_answers" if key else "answer")
        lines.append(_indented(b, label, answer))
    if key:
        lines.append(_indented(b, _say(b.labels, "explanation"), item.explanation))
        lines.append(_levels(b, item, verified))
    last = lines[-1]
    last.paragraph_format.keep_with_next = False
    last.paragraph_format.space_after = ITEM_GAP


def _quiz(b: DocumentBuilder, quiz: Quiz, params: Mapping[str, Any], key: bool) -> None:
    verified = verified_codes(params)
    for number, item in enumerate(quiz.items, start=1):
        _quiz_item(b, number, item, key, verified)


RENDERERS: dict[str, Renderer] = {
    "flashcards": _flashcards,
    "fill_in": _fill_in,
    "matching": _matching,
    "quiz": _quiz,
    "self_quiz": _quiz,
}


def render_activity_docx(
    kind: str,
    activity: BaseModel,
    params: Mapping[str, Any],
    meta: DocumentMeta,
    *,
    answer_key: bool,
    base: Path = BASE_DOCX,
) -> bytes:
    """The student copy of an activity (``answer_key=False``) or its answer key, as a .docx.

    ``kind`` is an activity type name ("flashcards", "fill_in", "matching", "quiz",
    "self_quiz") and ``activity`` its validated output; ``params`` are the teacher's request
    (the fill-in's ``word_bank`` switch decides whether the word bank is printed).
    """
    if kind not in RENDERERS:
        raise ValueError(f"unknown activity type {kind!r}")
    expected = ACTIVITIES[kind].output
    if not isinstance(activity, expected):
        raise TypeError(
            f"a {kind} export needs a {expected.__name__}, not {type(activity).__name__}"
        )
    labels = load_labels(meta.locale)
    copy = _say(labels, "answer_key" if answer_key else "student_copy")
    titled = _say(labels, "titled", title=str(getattr(activity, "title", "")), copy=copy)
    b = DocumentBuilder(meta, titled, base)
    b.title(titled, " · ".join(p for p in (_say(b.labels, kind), meta.subject, meta.grade) if p))
    if answer_key:
        b.note()
    else:
        _name_and_date(b)
    b.labelled(_say(b.labels, "instructions"), str(getattr(activity, "instructions", "")))
    RENDERERS[kind](b, activity, params, answer_key)
    return b.to_bytes()
