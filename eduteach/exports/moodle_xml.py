"""Activities as Moodle XML, imported from a course's Question bank > Import > "Moodle XML".

The file is one ``<quiz>``: a ``category`` question first (the questions land in a category
named after the activity, or ``category``, with the instructions as its description), then
one question per item. Texts are HTML in CDATA; accepted typed answers are plain text.

- quiz and self-quiz: ``multichoice`` with ``<single>true</single>`` for multiple choice;
  ``<single>false</single>`` for multiple answer, each right option worth 100/k % (k right
  options) and each wrong one -100/k %, the same partial credit EduTeach gives and always one of
  Moodle's allowed grades; ``truefalse`` (a true/false question whose options are not the
  English "True"/"False" is written as a two-option ``multichoice``, since Moodle prints its
  own words and only the texts say which is which); ``shortanswer`` with every accepted answer
  at 100 %. The explanation is the general feedback; option feedback stays with its option.
- matching: one ``matching`` question; each extra definition is a subquestion with no text,
  which is how Moodle adds wrong answers to the lists.
- fill-in: one ``cloze`` (embedded answers) question per passage, each blank a
  ``{1:SHORTANSWER:=answer~=alternative}``, so Moodle gives a point per blank. The word bank
  has no place in a cloze short answer and is not exported.
- flashcards: one ``shortanswer`` per card, the front asked, the back accepted and the card's
  hint as a Moodle hint.

Typed answers ignore case (``usecase`` 0, SHORTANSWER rather than SHORTANSWER_C), as EduTeach's
quizzes do by default. Moodle's importers read the cloze type as ``cloze`` in every version
(``multianswer`` only in recent ones), so that is what is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lxml import etree
from pydantic import BaseModel

from eduteach.activities.fill_in import FillIn, segments
from eduteach.activities.fill_in import blanks as passage_blanks
from eduteach.activities.flashcards import FlashcardDeck
from eduteach.activities.matching import Matching
from eduteach.activities.quiz import Quiz, QuizItem, QuizOption
from eduteach.exports.xml_util import Activity, activity_of, html_text, short_name, xml_bytes

# Moodle's defaults for a retry in interactive mode: a third of the mark, all of it for true/false.
PENALTY, TRUE_FALSE_PENALTY = "0.3333333", "1"
# Characters that end or split an embedded answer, written so Moodle's parser reads them back:
# it unescapes \} and \# itself and decodes HTML entities (an entity's "&#" never ends an answer).
_CLOZE_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "\\": "&#92;",
    "~": "&#126;",
    "/": "&#47;",
    "}": "\\}",
    "#": "\\#",
}
_PLACEHOLDER = "\x00{}\x00"


def _sub(parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
    element = etree.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _rich(parent: Any, tag: str, html_value: str) -> Any:
    """``<tag format="html"><text><![CDATA[...]]></text></tag>``."""
    element = _sub(parent, tag, format="html")
    _sub(element, "text").text = etree.CDATA(html_value) if html_value else ""
    return element


def fraction(percent: float) -> str:
    """A grade as Moodle writes it: at most 5 decimals, so 100/3 is 33.33333."""
    return f"{percent:.5f}".rstrip("0").rstrip(".")


def shortanswer_text(answer: str) -> str:
    """An accepted answer as a literal: ``*`` is Moodle's wildcard unless escaped."""
    return answer.replace("*", "\\*")


def cloze_answer(answer: str) -> str:
    """An accepted answer inside ``{1:SHORTANSWER:...}``, with ``} # ~ / " \\`` escaped."""
    return shortanswer_text("".join(_CLOZE_ESCAPES.get(c, c) for c in answer))


def _question(quiz: Any, qtype: str, name: str, question_html: str, feedback: str) -> Any:
    question = _sub(quiz, "question", type=qtype)
    _sub(_sub(question, "name"), "text", short_name(name))
    _rich(question, "questiontext", question_html)
    _rich(question, "generalfeedback", html_text(feedback))
    return question


def _grade(question: Any, penalty: str, default_grade: str = "1") -> None:
    if default_grade:
        _sub(question, "defaultgrade", default_grade)
    _sub(question, "penalty", penalty)
    _sub(question, "hidden", "0")


def _answer(question: Any, percent: str, text_html: str, feedback: str = "") -> None:
    answer = _sub(question, "answer", fraction=percent, format="html")
    _sub(answer, "text").text = etree.CDATA(text_html)
    _rich(answer, "feedback", html_text(feedback))


def _typed_answer(question: Any, text: str) -> None:
    answer = _sub(question, "answer", fraction="100", format="moodle_auto_format")
    _sub(answer, "text", shortanswer_text(text))
    _rich(answer, "feedback", "")


def _is_true_false(options: Sequence[QuizOption]) -> bool:
    return sorted(o.text.strip().casefold() for o in options) == ["false", "true"]


def _multichoice(quiz: Any, item: QuizItem) -> None:
    question = _question(
        quiz, "multichoice", item.question, html_text(item.question), item.explanation
    )
    _grade(question, PENALTY)
    single = item.type != "multiple_answer"
    _sub(question, "single", "true" if single else "false")
    _sub(question, "shuffleanswers", "true")
    _sub(question, "answernumbering", "abc")
    right = sum(1 for option in item.options if option.correct) or 1
    for option in item.options:
        if single:
            percent = "100" if option.correct else "0"
        else:
            percent = fraction(100 / right if option.correct else -100 / right)
        _answer(question, percent, html_text(option.text), option.feedback)


def _true_false(quiz: Any, item: QuizItem) -> None:
    question = _question(
        quiz, "truefalse", item.question, html_text(item.question), item.explanation
    )
    _grade(question, TRUE_FALSE_PENALTY)
    by_word = {option.text.strip().casefold(): option for option in item.options}
    for word in ("true", "false"):
        option = by_word[word]
        percent = "100" if option.correct else "0"
        answer = _sub(question, "answer", fraction=percent, format="moodle_auto_format")
        _sub(answer, "text", word)
        _rich(answer, "feedback", html_text(option.feedback))


def _shortanswer(
    quiz: Any, name: str, question_text: str, answers: Sequence[str], explanation: str = ""
) -> Any:
    question = _question(quiz, "shortanswer", name, html_text(question_text), explanation)
    _grade(question, PENALTY)
    _sub(question, "usecase", "0")
    for answer in answers:
        _typed_answer(question, answer)
    return question


def _quiz_item(quiz: Any, item: QuizItem) -> None:
    if item.type == "short_answer":
        _shortanswer(quiz, item.question, item.question, item.accepted_answers, item.explanation)
    elif item.type == "true_false" and _is_true_false(item.options):
        _true_false(quiz, item)
    else:
        _multichoice(quiz, item)


def _matching(quiz: Any, activity: Matching) -> None:
    question = _question(quiz, "matching", activity.title, html_text(activity.instructions), "")
    _grade(question, PENALTY)
    _sub(question, "shuffleanswers", "true")
    subquestions = [(html_text(p.term), p.definition) for p in activity.pairs]
    subquestions += [("", extra) for extra in activity.distractors]
    for term_html, definition in subquestions:
        subquestion = _rich(question, "subquestion", term_html)
        _sub(_sub(subquestion, "answer"), "text", definition)


def _cloze(quiz: Any, name: str, text: str, index: int) -> None:
    answers = {blank.id: blank.answers for blank in passage_blanks(text, index)}
    embedded: list[str] = []
    pieces = []
    for part, value in segments(text, index):
        if part == "text":
            pieces.append(value)
            continue
        alternatives = "~".join("=" + cloze_answer(a) for a in answers[value])
        embedded.append("{1:SHORTANSWER:" + alternatives + "}")
        pieces.append(_PLACEHOLDER.format(len(embedded) - 1))
    # The words become HTML first (a "{" as an entity, so it never starts an embedded answer),
    # then the embedded answers replace their placeholders, carrying their own escaping.
    body = html_text("".join(pieces)).replace("{", "&#123;")
    for n, answer in enumerate(embedded):
        body = body.replace(_PLACEHOLDER.format(n), answer)
    question = _question(quiz, "cloze", name, body, "")
    _grade(question, PENALTY, default_grade="")


def _category(quiz: Any, name: str, description: str) -> None:
    question = _sub(quiz, "question", type="category")
    # Moodle splits a category path at "/" and reads "//" as a slash in a name.
    _sub(_sub(question, "category"), "text", "$course$/" + name.strip().replace("/", "//"))
    _rich(question, "info", html_text(description))


def _questions(typed: Activity, quiz: Any) -> None:
    match typed:
        case Quiz():
            for item in typed.items:
                _quiz_item(quiz, item)
        case FlashcardDeck():
            for card in typed.cards:
                question = _shortanswer(quiz, card.front, card.front, [card.back])
                if card.hint.strip():
                    _rich(question, "hint", html_text(card.hint))
        case Matching():
            _matching(quiz, typed)
        case FillIn():
            for n, passage in enumerate(typed.passages):
                _cloze(quiz, f"{typed.title} ({n + 1})", passage.text, n)


def render_moodle_xml(kind: str, activity: BaseModel, *, category: str | None = None) -> bytes:
    """``activity`` (of type ``kind``) as a Moodle XML question file (UTF-8 bytes).

    The questions go into ``category`` (a category name) or, without one, a category named
    after the activity. Raises UnsupportedExport for a kind that is not a question activity.
    """
    typed = activity_of(kind, activity, "Moodle XML")
    quiz = etree.Element("quiz")
    _category(quiz, category or typed.title, typed.instructions)
    _questions(typed, quiz)
    return xml_bytes(quiz)
