"""Activities as IMS Common Cartridge 1.1 (.imscc), which Canvas, Moodle, Blackboard, D2L,
Schoology and Sakai all import.

A cartridge is a zip: ``imsmanifest.xml`` (schema "IMS Common Cartridge", version 1.1.0) and
one QTI 1.2 file in the CC profile. Graded activities (quiz, matching, fill-in) become an
``assessment`` resource, listed in the course organization; ungraded ones (self-quiz,
flashcards) become the cartridge's ``question-bank``, which CC keeps out of the organization,
so the teacher finds the questions in the LMS's bank and builds practice from them.

The CC profile knows five question types, and each item names its own in ``cc_profile``
metadata (the profile allows no other item metadata but ``cc_question_category``,
``cc_weighting``, ``qmd_scoringpermitted`` and ``qmd_computerscored``, so there is no
``qmd_itemtype``):

- quiz and self-quiz: cc.multiple_choice.v0p1, cc.multiple_response.v0p1, cc.true_false.v0p1,
  and cc.fib.v0p1 for short answers; the explanation and option feedback as item feedback.
- matching: the profile has no matching type, so each term becomes a cc.multiple_choice.v0p1
  item asking for its definition among all the definitions and extra definitions.
- fill-in: one cc.fib.v0p1 item per blank. A passage with one blank is asked whole; in a
  passage with several, each item is the blank's own sentence with any other blank in that
  sentence filled in, so no item shows another's answer from the rest of the passage. The
  word bank has no place in the profile and is not exported.
- flashcards: one cc.fib.v0p1 item per card, the front asked and the back accepted. The
  profile's hints are not read by the LMSs we target, so card hints are not exported.

The profile's rules are kept: one section, only ``varequal``, ``and``, ``not`` (inside
``and``) and ``other`` in conditions, ``Set`` as the only score action, and every item feedback
shown by a ``displayfeedback``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from eduteach.activities.fill_in import BLANK, FillIn, blanks
from eduteach.activities.flashcards import FlashcardDeck
from eduteach.activities.matching import Matching, choices
from eduteach.activities.quiz import Quiz
from eduteach.activities.registry import ACTIVITIES
from eduteach.exports.qti import (
    QTI_NS,
    Choice,
    Fields,
    Q,
    add_quiz_item,
    answer_ident,
    assessment_root,
    choice_item,
    material,
    metadata,
    short_answer_item,
)
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

CC_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
CC_XSD = "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd"
LOM_NS = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
LOM_XSD = "http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd"
CC_QTI_XSD = "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_qtiasiv1p2p1_v1p0.xsd"
ASSESSMENT = "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"
QUESTION_BANK = "imsqti_xmlv1p2/imscc_xmlv1p1/question-bank"

CC_PROFILES = {
    "multiple_choice": "cc.multiple_choice.v0p1",
    "multiple_answer": "cc.multiple_response.v0p1",
    "true_false": "cc.true_false.v0p1",
    "short_answer": "cc.fib.v0p1",
}
# Same boundary as the fill-in checks use: a sentence ends at . ! ? or … before a space.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_BLANK_LINE = "_______"


def _fields(profile: str, category: str) -> Fields:
    fields = [("cc_profile", profile)]
    return [*fields, ("cc_question_category", category)] if category else fields


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a passage; a break inside a blank's [[...]] is none."""
    inside = [(m.start(), m.end()) for m in BLANK.finditer(text)]
    cuts = [
        m
        for m in _SENTENCE_END.finditer(text)
        if not any(start < m.start() < end for start, end in inside)
    ]
    starts = [0, *(m.end() for m in cuts)]
    ends = [*(m.start() for m in cuts), len(text)]
    return list(zip(starts, ends, strict=True))


def _blank_questions(text: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(question, accepted answers) for each blank of a passage, the blank shown as a line.

    One blank: the whole passage. Several: the blank's sentence, other blanks in it filled in.
    """
    matches = list(BLANK.finditer(text))
    spans = [(0, len(text))] if len(matches) == 1 else _sentences(text)
    for match, blank in zip(matches, blanks(text, 0), strict=True):
        start, end = next((s, e) for s, e in spans if s <= match.start() < e)
        pieces = []
        position = start
        for other in (m for m in matches if start <= m.start() < end):
            pieces.append(text[position : other.start()])
            first = other.group(1).split("|")[0].strip()
            pieces.append(_BLANK_LINE if other is match else first)
            position = other.end()
        pieces.append(text[position:end])
        yield "".join(pieces).strip(), blank.answers


def _add_items(typed: Activity, parent: Any, base: str, category: str) -> None:
    match typed:
        case Quiz():
            for n, item in enumerate(typed.items, start=1):
                fields = _fields(CC_PROFILES[item.type], category)
                add_quiz_item(parent, item, n, f"{base}_{n}", fields)
        case FlashcardDeck():
            for n, card in enumerate(typed.cards, start=1):
                short_answer_item(
                    parent,
                    ident=f"{base}_{n}",
                    title=short_name(card.front),
                    fields=_fields("cc.fib.v0p1", category),
                    question_html=html_text(card.front),
                    answers=[card.back],
                )
        case Matching():
            definitions = choices(typed)
            for n, pair in enumerate(typed.pairs, start=1):
                options = [
                    Choice(answer_ident(n, k), text, correct=k == n)
                    for k, text in enumerate(definitions, start=1)
                ]
                choice_item(
                    parent,
                    ident=f"{base}_{n}",
                    title=short_name(pair.term),
                    fields=_fields("cc.multiple_choice.v0p1", category),
                    question_html=html_text(pair.term),
                    options=options,
                    multiple=False,
                )
        case FillIn():
            number = 0
            for p, passage in enumerate(typed.passages, start=1):
                for b, (question, answers) in enumerate(_blank_questions(passage.text), start=1):
                    number += 1
                    short_answer_item(
                        parent,
                        ident=f"{base}_{number}",
                        title=f"{typed.title} ({p}.{b})",
                        fields=_fields("cc.fib.v0p1", category),
                        question_html=html_text(question),
                        answers=answers,
                    )


def _assessment(typed: Activity, ident: str, title: str) -> bytes:
    root, assessment = assessment_root(ident, title, CC_QTI_XSD)
    metadata(
        assessment,
        [
            ("cc_profile", "cc.exam.v0p1"),
            ("qmd_assessmenttype", "Examination"),
            ("qmd_scoretype", "Percentage"),
            ("qmd_feedbackpermitted", "Yes"),
            ("cc_maxattempts", "1"),
        ],
    )
    material(Q.sub(assessment, "rubric"), html_text(typed.instructions), is_html=True)
    section = Q.sub(assessment, "section", {"ident": "root_section"})
    _add_items(typed, section, ident, "")
    return xml_bytes(root)


def _question_bank(typed: Activity, ident: str, title: str) -> bytes:
    root = Q.root("questestinterop", schema=f"{QTI_NS} {CC_QTI_XSD}")
    bank = Q.sub(root, "objectbank", {"ident": ident})
    _add_items(typed, bank, ident, title)
    return xml_bytes(root)


def _manifest(ident: str, title: str, resource_type: str, path: str) -> bytes:
    cc = Tree(CC_NS, {"lomimscc": LOM_NS})
    root = cc.root(
        "manifest",
        {"identifier": f"{ident}_manifest"},
        schema=f"{CC_NS} {CC_XSD} {LOM_NS} {LOM_XSD}",
    )
    meta = cc.sub(root, "metadata")
    cc.sub(meta, "schema", text="IMS Common Cartridge")
    cc.sub(meta, "schemaversion", text="1.1.0")
    lom_title = cc.sub(cc.sub(cc.sub(meta, "lomimscc:lom"), "lomimscc:general"), "lomimscc:title")
    cc.sub(lom_title, "lomimscc:string", text=title)
    organizations = cc.sub(root, "organizations")
    if resource_type == ASSESSMENT:  # CC forbids listing a question bank in the organization
        organization = cc.sub(
            organizations,
            "organization",
            {"identifier": f"{ident}_org", "structure": "rooted-hierarchy"},
        )
        top = cc.sub(organization, "item", {"identifier": f"{ident}_root"})
        entry = cc.sub(top, "item", {"identifier": f"{ident}_item", "identifierref": ident})
        cc.sub(entry, "title", text=title)
    resource = cc.sub(
        cc.sub(root, "resources"), "resource", {"identifier": ident, "type": resource_type}
    )
    cc.sub(resource, "file", {"href": path})
    return xml_bytes(root)


def render_imscc(kind: str, activity: BaseModel, *, title: str | None = None) -> bytes:
    """``activity`` (of type ``kind``) as a Common Cartridge 1.1 package (.imscc bytes).

    Graded kinds become an assessment, ungraded ones a question bank; ``title`` replaces the
    activity's title. Raises UnsupportedExport for a kind that is not a question activity.
    """
    typed = activity_of(kind, activity, "A Common Cartridge")
    ident = stable_id("i", "imscc", kind, typed)
    name = title or typed.title
    if ACTIVITIES[kind].graded:
        resource_type, path = ASSESSMENT, f"{ident}/assessment_qti.xml"
        content = _assessment(typed, ident, name)
    else:
        resource_type, path = QUESTION_BANK, f"{ident}/question_bank.xml"
        content = _question_bank(typed, ident, name)
    return zip_bytes(
        {"imsmanifest.xml": _manifest(ident, name, resource_type, path), path: content}
    )
