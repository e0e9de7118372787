"""Canvas quizzes as a QTI 1.2 package: the .zip Canvas imports as a "QTI .zip file".

The layout follows Canvas's own QTI export: ``imsmanifest.xml`` (an IMS content package with
one ``imsqti_xmlv1p2`` resource), the assessment in ``<id>/<id>.xml`` and Canvas's quiz
settings (title, instructions, graded or practice) in ``<id>/assessment_meta.xml``. Each item
names its Canvas ``question_type`` and ``points_possible`` in its qtimetadata, and uses Canvas's
feedback idents: ``general_fb`` for the explanation (shown whatever the answer) and
``<answer ident>_fb`` for an option's own feedback.

How each activity becomes Canvas questions, every item worth 1 point:

- quiz and self-quiz: multiple_choice_question, multiple_answers_question,
  true_false_question and short_answer_question; a self-quiz becomes a practice quiz.
- matching: one matching_question; each term is a ``response_lid`` whose choices are every
  definition plus the extra definitions (Canvas's "distractors").
- fill-in: one fill_in_multiple_blanks_question per passage, the blanks written ``[blank0]``,
  ``[blank1]``... in the text, each with all its accepted answers. Canvas has no word bank, so
  the extra word-bank words are not exported.
- flashcards: a practice quiz of short_answer_questions, the front asked and the back accepted.
  Canvas questions have no hints, so card hints are not exported.

The item builders here are plain QTI 1.2 and are shared with the Common Cartridge export,
which only changes the metadata fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from eduteach.activities.fill_in import FillIn, segments
from eduteach.activities.fill_in import blanks as passage_blanks
from eduteach.activities.flashcards import FlashcardDeck
from eduteach.activities.matching import Matching, choices
from eduteach.activities.quiz import Quiz, QuizItem
from eduteach.activities.registry import ACTIVITIES
from eduteach.exports.xml_util import (
    Activity,
    Tree,
    activity_of,
    html_text,
    short_name,
    stable_id,
    xml_bytes,
    zip_bytes,
)

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
QTI_XSD = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
IMSMD_NS = "http://www.imsglobal.org/xsd/imsmd_v1p2"
CANVAS_NS = "http://canvas.instructure.com/xsd/cccv1p0"
CANVAS_XSD = "https://canvas.instructure.com/xsd/cccv1p0.xsd"
CANVAS_META_TYPE = "associatedcontent/imscc_xmlv1p1/learning-application-resource"

CANVAS_TYPES = {
    "multiple_choice": "multiple_choice_question",
    "multiple_answer": "multiple_answers_question",
    "true_false": "true_false_question",
    "short_answer": "short_answer_question",
}
Fields = Sequence[tuple[str, str]]
"""qtimetadata fields, (fieldlabel, fieldentry) in order."""

Q = Tree(QTI_NS)


@dataclass(frozen=True)
class Choice:
    """One option of a choice item, under the ident its response processing refers to."""

    ident: str
    text: str
    correct: bool
    feedback: str = ""


def answer_ident(item_number: int, answer_number: int) -> str:
    """A numeric ident, unique in the item: Canvas keeps numeric idents as its answer ids."""
    return str(item_number * 1000 + answer_number)


# --- QTI 1.2 building blocks, shared with the Common Cartridge export ----------------------


def metadata(parent: Any, fields: Fields) -> None:
    """A qtimetadata block of ``fields``."""
    block = Q.sub(parent, "qtimetadata")
    for label, entry in fields:
        field = Q.sub(block, "qtimetadatafield")
        Q.sub(field, "fieldlabel", text=label)
        Q.sub(field, "fieldentry", text=entry)


def material(parent: Any, text: str, *, is_html: bool = False) -> None:
    """Text shown to the student: HTML for question text, plain text for options and feedback."""
    block = Q.sub(parent, "material")
    Q.sub(block, "mattext", {"texttype": "text/html" if is_html else "text/plain"}, text)


def _item(section: Any, ident: str, title: str, fields: Fields) -> Any:
    item = Q.sub(section, "item", {"ident": ident, "title": title})
    metadata(Q.sub(item, "itemmetadata"), fields)
    return item


def _resprocessing(item: Any) -> Any:
    processing = Q.sub(item, "resprocessing")
    outcomes = Q.sub(processing, "outcomes")
    Q.sub(
        outcomes,
        "decvar",
        {"maxvalue": "100", "minvalue": "0", "varname": "SCORE", "vartype": "Decimal"},
    )
    return processing


def _condition(processing: Any, *, last: bool) -> tuple[Any, Any]:
    """A respcondition and its conditionvar; ``last`` stops processing when it holds."""
    condition = Q.sub(processing, "respcondition", {"continue": "No" if last else "Yes"})
    return condition, Q.sub(condition, "conditionvar")


def _varequal(parent: Any, respident: str, value: str) -> None:
    Q.sub(parent, "varequal", {"respident": respident}, value)


def _show(condition: Any, feedback_ident: str) -> None:
    Q.sub(condition, "displayfeedback", {"feedbacktype": "Response", "linkrefid": feedback_ident})


def _score(condition: Any, value: str, action: str = "Set") -> None:
    Q.sub(condition, "setvar", {"action": action, "varname": "SCORE"}, value)


def _general_feedback(processing: Any, explanation: str) -> dict[str, str]:
    """The explanation, shown whatever the answer (Canvas's "general_fb")."""
    if not explanation.strip():
        return {}
    condition, test = _condition(processing, last=False)
    Q.sub(test, "other")
    _show(condition, "general_fb")
    return {"general_fb": explanation}


def _item_feedback(item: Any, feedback: dict[str, str]) -> None:
    for ident, text in feedback.items():
        block = Q.sub(item, "itemfeedback", {"ident": ident})
        material(Q.sub(block, "flow_mat"), text)


def choice_item(
    section: Any,
    *,
    ident: str,
    title: str,
    fields: Fields,
    question_html: str,
    options: Sequence[Choice],
    multiple: bool,
    explanation: str = "",
) -> None:
    """A multiple-choice, multiple-answer or true/false item with per-option feedback.

    A multiple-answer item scores only the exact set of right options (``and`` of the right
    ones and ``not`` the others): it is the form both Canvas and Common Cartridge read the
    answer key from, and Canvas then gives its own partial credit.
    """
    item = _item(section, ident, title, fields)
    presentation = Q.sub(item, "presentation")
    material(presentation, question_html, is_html=True)
    response = Q.sub(
        presentation,
        "response_lid",
        {"ident": "response1", "rcardinality": "Multiple" if multiple else "Single"},
    )
    render = Q.sub(response, "render_choice")
    for option in options:
        material(Q.sub(render, "response_label", {"ident": option.ident}), option.text)

    processing = _resprocessing(item)
    feedback = _general_feedback(processing, explanation)
    for option in options:
        if option.feedback.strip():
            condition, test = _condition(processing, last=False)
            _varequal(test, "response1", option.ident)
            _show(condition, f"{option.ident}_fb")
            feedback[f"{option.ident}_fb"] = option.feedback
    condition, test = _condition(processing, last=True)
    right = [option for option in options if option.correct]
    if multiple:
        every = Q.sub(test, "and")
        for option in options:
            parent = every if option.correct else Q.sub(every, "not")
            _varequal(parent, "response1", option.ident)
    elif right:
        _varequal(test, "response1", right[0].ident)
    _score(condition, "100")
    _item_feedback(item, feedback)


def short_answer_item(
    section: Any,
    *,
    ident: str,
    title: str,
    fields: Fields,
    question_html: str,
    answers: Sequence[str],
    explanation: str = "",
) -> None:
    """A typed-answer item: right when the answer equals one of ``answers``."""
    item = _item(section, ident, title, fields)
    presentation = Q.sub(item, "presentation")
    material(presentation, question_html, is_html=True)
    response = Q.sub(presentation, "response_str", {"ident": "response1", "rcardinality": "Single"})
    Q.sub(Q.sub(response, "render_fib"), "response_label", {"ident": "answer1", "rshuffle": "No"})

    processing = _resprocessing(item)
    feedback = _general_feedback(processing, explanation)
    condition, test = _condition(processing, last=True)
    # Several varequal in one conditionvar: any of them will do, as Canvas and CC both read it.
    for answer in answers:
        _varequal(test, "response1", answer)
    _score(condition, "100")
    _item_feedback(item, feedback)


def add_quiz_item(section: Any, item: QuizItem, number: int, ident: str, fields: Fields) -> None:
    """Quiz question ``number`` (from 1) as a choice or short-answer item."""
    common: dict[str, Any] = {
        "ident": ident,
        "title": short_name(item.question),
        "fields": fields,
        "question_html": html_text(item.question),
        "explanation": item.explanation,
    }
    if item.type == "short_answer":
        short_answer_item(section, answers=item.accepted_answers, **common)
        return
    options = [
        Choice(answer_ident(number, n), option.text, option.correct, option.feedback)
        for n, option in enumerate(item.options, start=1)
    ]
    choice_item(section, options=options, multiple=item.type == "multiple_answer", **common)


def assessment_root(ident: str, title: str, schema_xsd: str) -> tuple[Any, Any]:
    """questestinterop with one assessment; returns the root and the assessment."""
    root = Q.root("questestinterop", schema=f"{QTI_NS} {schema_xsd}")
    return root, Q.sub(root, "assessment", {"ident": ident, "title": title})


# --- Canvas-only question types --------------------------------------------------------------


def _canvas_fields(question_type: str) -> Fields:
    return [("question_type", question_type), ("points_possible", "1")]


def _share(parts: int) -> str:
    """Canvas's share of the item's score for one of ``parts`` (a term, a blank)."""
    return f"{100 / parts:.2f}"


def _matching_item(section: Any, activity: Matching, ident: str) -> None:
    item = _item(section, ident, activity.title, _canvas_fields("matching_question"))
    presentation = Q.sub(item, "presentation")
    material(presentation, html_text(activity.instructions), is_html=True)
    pairs = len(activity.pairs)
    # Terms take idents 1..n and definitions n+1..; Canvas reads a match id from its digits.
    definitions = [answer_ident(1, pairs + n) for n, _ in enumerate(choices(activity), start=1)]
    for n, pair in enumerate(activity.pairs, start=1):
        response = Q.sub(presentation, "response_lid", {"ident": f"response_{answer_ident(1, n)}"})
        material(response, pair.term)
        render = Q.sub(response, "render_choice")
        for label, text in zip(definitions, choices(activity), strict=True):
            material(Q.sub(render, "response_label", {"ident": label}), text)
    processing = _resprocessing(item)
    for n, _pair in enumerate(activity.pairs, start=1):
        condition, test = _condition(processing, last=False)
        _varequal(test, f"response_{answer_ident(1, n)}", definitions[n - 1])
        _score(condition, _share(pairs), "Add")


def _fill_in_item(section: Any, text: str, index: int, ident: str, title: str) -> None:
    found = passage_blanks(text, index)
    names = {blank.id: f"blank{n}" for n, blank in enumerate(found)}
    question = "".join(
        value if part == "text" else f"[{names[value]}]" for part, value in segments(text, index)
    )
    item = _item(section, ident, title, _canvas_fields("fill_in_multiple_blanks_question"))
    presentation = Q.sub(item, "presentation")
    material(presentation, html_text(question), is_html=True)
    labels: list[list[str]] = []
    number = 0
    for blank in found:
        response = Q.sub(presentation, "response_lid", {"ident": f"response_{names[blank.id]}"})
        material(response, names[blank.id])
        render = Q.sub(response, "render_choice")
        idents = []
        for answer in blank.answers:
            number += 1
            idents.append(answer_ident(index + 1, number))
            material(Q.sub(render, "response_label", {"ident": idents[-1]}), answer)
        labels.append(idents)
    processing = _resprocessing(item)
    for blank, idents in zip(found, labels, strict=True):
        condition, test = _condition(processing, last=False)
        parent = Q.sub(test, "or") if len(idents) > 1 else test
        for label in idents:
            _varequal(parent, f"response_{names[blank.id]}", label)
        _score(condition, _share(len(found)), "Add")


def _canvas_items(typed: Activity, section: Any, base: str) -> int:
    """Adds the activity's items to ``section``; returns how many (each is worth 1 point)."""
    match typed:
        case Quiz():
            for n, item in enumerate(typed.items, start=1):
                add_quiz_item(
                    section, item, n, f"{base}_{n}", _canvas_fields(CANVAS_TYPES[item.type])
                )
            return len(typed.items)
        case FlashcardDeck():
            for n, card in enumerate(typed.cards, start=1):
                short_answer_item(
                    section,
                    ident=f"{base}_{n}",
                    title=short_name(card.front),
                    fields=_canvas_fields("short_answer_question"),
                    question_html=html_text(card.front),
                    answers=[card.back],
                )
            return len(typed.cards)
        case Matching():
            _matching_item(section, typed, f"{base}_1")
            return 1
        case FillIn():
            for n, passage in enumerate(typed.passages):
                title = f"{typed.title} ({n + 1})"
                _fill_in_item(section, passage.text, n, f"{base}_{n + 1}", title)
            return len(typed.passages)


# --- the package -------------------------------------------------------------------------------


def _manifest(ident: str, title: str, assessment_path: str, meta_path: str) -> bytes:
    cp = Tree(CP_NS, {"imsmd": IMSMD_NS})
    root = cp.root(
        "manifest",
        {"identifier": f"{ident}_manifest"},
        schema=f"{CP_NS} {CP_XSD} {IMSMD_NS} http://www.imsglobal.org/xsd/imsmd_v1p2p2.xsd",
    )
    meta = cp.sub(root, "metadata")
    cp.sub(meta, "schema", text="IMS Content")
    cp.sub(meta, "schemaversion", text="1.1.3")
    lom_title = cp.sub(cp.sub(cp.sub(meta, "imsmd:lom"), "imsmd:general"), "imsmd:title")
    cp.sub(lom_title, "imsmd:string", text=title)
    cp.sub(root, "organizations")
    resources = cp.sub(root, "resources")
    assessment = cp.sub(resources, "resource", {"identifier": ident, "type": "imsqti_xmlv1p2"})
    cp.sub(assessment, "file", {"href": assessment_path})
    cp.sub(assessment, "dependency", {"identifierref": f"{ident}_meta"})
    settings = cp.sub(
        resources,
        "resource",
        {"identifier": f"{ident}_meta", "type": CANVAS_META_TYPE, "href": meta_path},
    )
    cp.sub(settings, "file", {"href": meta_path})
    return xml_bytes(root)


def _quiz_settings(ident: str, title: str, instructions: str, graded: bool, points: int) -> bytes:
    """Canvas's assessment_meta.xml: what QTI cannot say (instructions, graded or practice)."""
    canvas = Tree(CANVAS_NS)
    root = canvas.root("quiz", {"identifier": ident}, schema=f"{CANVAS_NS} {CANVAS_XSD}")
    canvas.sub(root, "title", text=title)
    canvas.sub(root, "description", text=html_text(instructions))
    canvas.sub(root, "quiz_type", text="assignment" if graded else "practice_quiz")
    canvas.sub(root, "points_possible", text=str(points))
    canvas.sub(root, "allowed_attempts", text="1" if graded else "-1")
    return xml_bytes(root)


def render_canvas_qti(kind: str, activity: BaseModel, *, title: str | None = None) -> bytes:
    """``activity`` (of type ``kind``) as a QTI .zip for Canvas's "QTI .zip file" import.

    Importing it creates a quiz (a practice quiz for self-quizzes and flashcards) and a question
    bank. ``title`` replaces the activity's title. Raises UnsupportedExport for a kind that is
    not a question activity.
    """
    typed = activity_of(kind, activity, "A Canvas QTI package")
    ident = stable_id("g", "canvas_qti", kind, typed)
    name = title or typed.title
    graded = ACTIVITIES[kind].graded
    root, assessment = assessment_root(ident, name, QTI_XSD)
    metadata(assessment, [("cc_maxattempts", "1" if graded else "unlimited")])
    section = Q.sub(assessment, "section", {"ident": "root_section"})
    points = _canvas_items(typed, section, ident)
    assessment_path, meta_path = f"{ident}/{ident}.xml", f"{ident}/assessment_meta.xml"
    return zip_bytes(
        {
            "imsmanifest.xml": _manifest(ident, name, assessment_path, meta_path),
            assessment_path: xml_bytes(root),
            meta_path: _quiz_settings(ident, name, typed.instructions, graded, points),
        }
    )
