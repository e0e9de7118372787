"""Common Cartridge 1.1: the manifest and QTI profile rules, and every activity read back.

No installable package ships the IMS XSDs, so the rules of ccv1p1_imscp_v1p2_v1p0.xsd and
ccv1p1_qtiasiv1p2p1_v1p0.xsd (including their Schematron rule sets) that these exports touch
are asserted here one by one.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from eduteach.activities.fill_in import all_blanks, filled
from eduteach.activities.matching import choices
from eduteach.activities.registry import ACTIVITIES
from eduteach.exports.common_cartridge import CC_PROFILES, render_imscc
from eduteach.exports.errors import UnsupportedExport
from tests.exports_b.cases import KINDS, nasty_fill_in, nasty_quiz, sample
from tests.exports_b.readers import CP, QTI, Cartridge, QtiItem, html_to_text, read_imscc

LOM = "{http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest}"
ASSESSMENT = "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"
QUESTION_BANK = "imsqti_xmlv1p2/imscc_xmlv1p1/question-bank"
ASSESSMENT_FIELDS = {
    "cc_profile": {"cc.exam.v0p1"},
    "qmd_assessmenttype": {"Examination"},
    "qmd_scoretype": {"Percentage"},
    "qmd_feedbackpermitted": {"Yes", "No"},
    "qmd_hintspermitted": {"Yes", "No"},
    "qmd_solutionspermitted": {"Yes", "No"},
    "cc_allow_late_submission": {"Yes", "No"},
    "cc_maxattempts": {"1", "2", "3", "4", "5", "unlimited", "Examination"},
}
ITEM_FIELDS = {
    "cc_profile",
    "cc_question_category",
    "cc_weighting",
    "qmd_scoringpermitted",
    "qmd_computerscored",
}
CONDITIONS = {f"{QTI}varequal", f"{QTI}and", f"{QTI}other", f"{QTI}varsubstring"}


def _read(kind: str, activity: BaseModel | None = None, **options: str) -> Cartridge:
    return read_imscc(render_imscc(kind, activity or sample(kind), **options))


@pytest.mark.parametrize("kind", KINDS)
def test_manifest_is_a_cc_1_1_manifest(kind: str) -> None:
    cartridge = _read(kind)
    manifest = cartridge.manifest
    assert manifest.tag == f"{CP}manifest"
    assert manifest.findtext(f"{CP}metadata/{CP}schema") == "IMS Common Cartridge"
    assert manifest.findtext(f"{CP}metadata/{CP}schemaversion") == "1.1.0"
    title = manifest.findtext(f"{CP}metadata/{LOM}lom/{LOM}general/{LOM}title/{LOM}string")
    assert title == sample(kind).title

    identifiers = [e.get("identifier") for e in manifest.iter() if e.get("identifier")]
    assert len(identifiers) == len(set(identifiers))
    assert all(i[0].isalpha() and i.replace("_", "").isalnum() for i in identifiers)  # xs:ID
    for reference in manifest.iter():
        if reference.get("identifierref"):
            assert reference.get("identifierref") in identifiers

    resource = cartridge.resource
    assert resource.get("href") is None  # CC rules 3c/4d
    [file] = resource.iterfind(f"{CP}file")  # rules 3a/3b, 4b/4c
    assert set(cartridge.files) == {"imsmanifest.xml", file.get("href")}

    graded = ACTIVITIES[kind].graded
    assert cartridge.resource_type == (ASSESSMENT if graded else QUESTION_BANK)
    referenced = [i for i in manifest.iter(f"{CP}item") if i.get("identifierref")]
    if graded:
        [entry] = referenced
        assert entry.get("identifierref") == resource.get("identifier")
        assert entry.findtext(f"{CP}title") == sample(kind).title
        assert entry.find(f"{CP}item") is None  # rule 8b
        [organization] = manifest.iter(f"{CP}organization")
        assert organization.get("structure") == "rooted-hierarchy"
    else:
        assert referenced == []  # rule 8a: a question bank is never in the organization


@pytest.mark.parametrize("kind", KINDS)
def test_qti_keeps_the_cc_profile(kind: str) -> None:
    cartridge = _read(kind)
    qti = cartridge.qti
    assert qti.tag == f"{QTI}questestinterop"
    [container] = list(qti)
    if cartridge.resource_type == ASSESSMENT:
        assert container.tag == f"{QTI}assessment"
        assert container.get("title")
        fields = _fields(container.find(f"{QTI}qtimetadata"))
        assert fields["cc_profile"] == "cc.exam.v0p1"
        for label, entry in fields.items():
            assert entry in ASSESSMENT_FIELDS[label]
        assert [c.tag for c in container] == [f"{QTI}qtimetadata", f"{QTI}rubric", f"{QTI}section"]
    else:
        assert container.tag == f"{QTI}objectbank"
        assert {c.tag for c in container} == {f"{QTI}item"}
    idents = [item.ident for item in cartridge.items]
    assert idents
    assert len(idents) == len(set(idents))  # rule 13a
    for item in cartridge.items:
        _assert_item_in_profile(item)


def _fields(block: Any) -> dict[str, str]:
    return {
        f.findtext(f"{QTI}fieldlabel"): f.findtext(f"{QTI}fieldentry")
        for f in block.iterfind(f"{QTI}qtimetadatafield")
    }


def _assert_item_in_profile(item: QtiItem) -> None:
    element = item.element
    assert [c.tag for c in element][:2] == [f"{QTI}itemmetadata", f"{QTI}presentation"]
    assert set(item.fields) <= ITEM_FIELDS
    profile = item.fields["cc_profile"]
    assert profile in set(CC_PROFILES.values())
    [processing] = element.iterfind(f"{QTI}resprocessing")
    [decvar] = processing.iterfind(f"{QTI}outcomes/{QTI}decvar")
    assert decvar.get("varname") == "SCORE"
    assert next(element.iter(f"{QTI}or"), None) is None
    for test in processing.iter(f"{QTI}conditionvar"):
        assert {c.tag for c in test} <= CONDITIONS
        for every in test.iterfind(f"{QTI}and"):
            assert {c.tag for c in every} <= {f"{QTI}not", f"{QTI}varequal"}
            for negation in every.iterfind(f"{QTI}not"):
                assert {c.tag for c in negation} == {f"{QTI}varequal"}
    for setvar in processing.iter(f"{QTI}setvar"):
        assert setvar.get("action", "Set") == "Set"
    # Rule set 12: every feedback shown is defined and every defined feedback is shown.
    assert {link for rule in item.rules for link in rule.shows} == set(item.feedback)
    [response] = item.responses
    assert {ident for rule in item.rules for ident, _ in rule.equals + rule.excluded} <= {
        response.ident
    }
    labels = len(response.labels)
    if profile == "cc.fib.v0p1":
        assert response.typed
    else:
        assert not response.typed
        expected = "Multiple" if profile == "cc.multiple_response.v0p1" else "Single"
        assert response.cardinality == expected
        # Rule sets 3d, 4d, 5d: two labels for true/false, three or more for multiple choice.
        minimum = {"cc.true_false.v0p1": 2, "cc.multiple_choice.v0p1": 3}.get(profile, 2)
        assert labels >= minimum
        if profile == "cc.true_false.v0p1":
            assert labels == 2


@pytest.mark.parametrize("kind", ["quiz", "self_quiz"])
def test_quiz_reads_back_item_by_item(kind: str) -> None:
    quiz = sample(kind)
    items = _read(kind, quiz).items
    assert len(items) == len(quiz.items)
    for item, read in zip(quiz.items, items, strict=True):
        assert read.fields["cc_profile"] == CC_PROFILES[item.type]
        assert read.text == item.question
        assert read.general_feedback() == item.explanation
        if item.type == "short_answer":
            assert read.right_values() == item.accepted_answers
        else:
            assert read.choices() == [(o.text, o.correct, o.feedback) for o in item.options]


def test_graded_quiz_is_an_assessment_with_instructions() -> None:
    quiz = sample("quiz")
    cartridge = _read("quiz", quiz)
    assessment = cartridge.qti.find(f"{QTI}assessment")
    assert assessment.get("title") == quiz.title
    rubric = assessment.find(f"{QTI}rubric/{QTI}material/{QTI}mattext")
    assert rubric.get("texttype") == "text/html"
    assert html_to_text(rubric.text) == quiz.instructions
    assert _fields(assessment.find(f"{QTI}qtimetadata"))["cc_maxattempts"] == "1"


def test_practice_goes_to_the_question_bank_under_its_title() -> None:
    deck = sample("flashcards")
    cartridge = _read("flashcards", deck, title="Leaf words")
    assert cartridge.resource_type == QUESTION_BANK
    items = cartridge.items
    assert [(i.text, i.right_values()) for i in items] == [(c.front, [c.back]) for c in deck.cards]
    assert {i.fields["cc_question_category"] for i in items} == {"Leaf words"}


def test_matching_becomes_one_multiple_choice_per_term() -> None:
    activity = sample("matching")
    items = _read("matching", activity).items
    assert len(items) == len(activity.pairs)
    for pair, item in zip(activity.pairs, items, strict=True):
        assert item.fields["cc_profile"] == "cc.multiple_choice.v0p1"
        assert item.text == pair.term
        assert [text for text, _, _ in item.choices()] == choices(activity)
        assert [text for text, right, _ in item.choices() if right] == [pair.definition]


def test_fill_in_becomes_one_question_per_blank_without_giving_others_away() -> None:
    activity = sample("fill_in")
    items = _read("fill_in", activity).items
    every_blank = all_blanks(activity)
    assert len(items) == len(every_blank)
    for blank, item in zip(every_blank, items, strict=True):
        passage = activity.passages[int(blank.id.split(".")[0])].text
        assert item.fields["cc_profile"] == "cc.fib.v0p1"
        assert item.right_values() == list(blank.answers)
        assert item.text.count("_______") == 1
        assert item.text.replace("_______", blank.answers[0]) in filled(passage)
        others = [b.answers[0] for b in every_blank if b is not blank]
        assert not any(other in item.text for other in others)


def test_special_characters_survive() -> None:
    quiz = nasty_quiz()
    for item, read in zip(quiz.items, _read("quiz", quiz).items, strict=True):
        assert read.text == item.question
        assert read.general_feedback() == item.explanation
        if item.type == "short_answer":
            assert read.right_values() == item.accepted_answers
        else:
            assert read.choices() == [(o.text, o.correct, o.feedback) for o in item.options]
    activity = nasty_fill_in()
    read_back = [item.right_values() for item in _read("fill_in", activity).items]
    assert read_back == [list(b.answers) for b in all_blanks(activity)]


def test_kinds_without_questions_are_refused() -> None:
    with pytest.raises(UnsupportedExport, match="Common Cartridge"):
        render_imscc("unit_plan", sample("quiz"))
