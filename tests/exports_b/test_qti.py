"""Canvas QTI packages: the structure Canvas imports, and every activity read back intact."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from eduteach.activities.fill_in import blanks, filled
from eduteach.activities.matching import choices
from eduteach.activities.registry import ACTIVITIES
from eduteach.exports.errors import UnsupportedExport
from eduteach.exports.qti import CANVAS_TYPES, render_canvas_qti
from tests.exports_b.cases import KINDS, nasty_quiz, sample
from tests.exports_b.readers import (
    CP,
    QTI,
    CanvasPackage,
    QtiItem,
    html_to_text,
    parse,
    read_canvas_qti,
)


def _read(kind: str, activity: BaseModel | None = None, **options: str) -> CanvasPackage:
    return read_canvas_qti(render_canvas_qti(kind, activity or sample(kind), **options))


@pytest.mark.parametrize("kind", KINDS)
def test_manifest_points_at_files_that_exist(kind: str) -> None:
    package = _read(kind)
    manifest = package.manifest
    assert manifest.tag == f"{CP}manifest"
    assert manifest.findtext(f"{CP}metadata/{CP}schema") == "IMS Content"
    identifiers = [e.get("identifier") for e in manifest.iter() if e.get("identifier")]
    assert len(identifiers) == len(set(identifiers))
    hrefs = [f.get("href") for f in manifest.iter(f"{CP}file")]
    assert set(hrefs) == set(package.files) - {"imsmanifest.xml"}
    for resource in manifest.iter(f"{CP}resource"):
        if resource.get("href"):
            assert resource.get("href") in [f.get("href") for f in resource.iter(f"{CP}file")]
        for dependency in resource.iter(f"{CP}dependency"):
            assert dependency.get("identifierref") in identifiers
    for path in package.files:
        parse(package.files[path])  # every file is well-formed XML


@pytest.mark.parametrize("kind", KINDS)
def test_items_follow_canvas_qti(kind: str) -> None:
    package = _read(kind)
    assessment = package.assessment
    assert assessment.tag == f"{QTI}questestinterop"
    [section] = assessment.iterfind(f"{QTI}assessment/{QTI}section")
    assert section.get("ident") == "root_section"
    idents = [item.ident for item in package.items]
    assert len(idents) == len(set(idents))
    for item in package.items:
        assert item.fields["question_type"] in {
            *CANVAS_TYPES.values(),
            "matching_question",
            "fill_in_multiple_blanks_question",
        }
        assert item.fields["points_possible"] == "1"
        assert item.title
        _assert_links_resolve(item)
    assert package.setting("points_possible") == str(len(package.items))


def _assert_links_resolve(item: QtiItem) -> None:
    """Feedback links and answer references all point at something in the item."""
    shown = {link for rule in item.rules for link in rule.shows}
    assert shown == set(item.feedback)
    responses = {r.ident: r for r in item.responses}
    for rule in item.rules:
        for respident, value in rule.equals + rule.excluded:
            response = responses[respident]
            if not response.typed:
                assert value in response.labels
    [decvar] = item.element.iterfind(f"{QTI}resprocessing/{QTI}outcomes/{QTI}decvar")
    assert decvar.get("varname") == "SCORE"


@pytest.mark.parametrize("kind", ["quiz", "self_quiz"])
def test_quiz_reads_back_item_by_item(kind: str) -> None:
    quiz = sample(kind)
    package = _read(kind, quiz)
    assert len(package.items) == len(quiz.items)
    for item, read in zip(quiz.items, package.items, strict=True):
        assert read.fields["question_type"] == CANVAS_TYPES[item.type]
        assert read.text == item.question
        assert read.general_feedback() == item.explanation
        if item.type == "short_answer":
            assert read.right_values() == item.accepted_answers
            assert read.response().typed
        else:
            assert read.choices() == [(o.text, o.correct, o.feedback) for o in item.options]
            multiple = item.type == "multiple_answer"
            assert read.response().cardinality == ("Multiple" if multiple else "Single")


def test_graded_quiz_and_practice_self_quiz() -> None:
    assert _read("quiz").setting("quiz_type") == "assignment"
    assert _read("self_quiz").setting("quiz_type") == "practice_quiz"
    assert _read("flashcards").setting("quiz_type") == "practice_quiz"
    package = _read("quiz")
    assert package.title == sample("quiz").title
    assert html_to_text(package.setting("description")) == sample("quiz").instructions


def test_multiple_answer_requires_exactly_the_right_set() -> None:
    quiz = sample("quiz")
    item, read = next(
        (i, r)
        for i, r in zip(quiz.items, _read("quiz").items, strict=True)
        if i.type == "multiple_answer"
    )
    [scoring] = [rule for rule in read.rules if rule.score]
    labels = read.response().labels
    assert sorted(labels[v] for _, v in scoring.equals) == sorted(
        o.text for o in item.options if o.correct
    )
    assert sorted(labels[v] for _, v in scoring.excluded) == sorted(
        o.text for o in item.options if not o.correct
    )


def test_matching_reads_back_pairs_and_distractors() -> None:
    activity = sample("matching")
    [item] = _read("matching", activity).items
    assert item.fields["question_type"] == "matching_question"
    assert item.text == activity.instructions
    assert [r.prompt for r in item.responses] == [p.term for p in activity.pairs]
    matched = []
    for response, pair in zip(item.responses, activity.pairs, strict=True):
        assert list(response.labels.values()) == choices(activity)
        [right] = item.right_values(response.ident)
        assert response.labels[right] == pair.definition
        matched.append(right)
    unmatched = [text for ident, text in item.responses[0].labels.items() if ident not in matched]
    assert unmatched == activity.distractors
    total = sum(rule.score[1] for rule in item.rules if rule.score)
    assert total == pytest.approx(100, abs=0.05)


def test_fill_in_reads_back_each_passage_with_named_blanks() -> None:
    activity = sample("fill_in")
    items = _read("fill_in", activity).items
    assert len(items) == len(activity.passages)
    for n, (passage, item) in enumerate(zip(activity.passages, items, strict=True)):
        assert item.fields["question_type"] == "fill_in_multiple_blanks_question"
        text = item.text
        for k, blank in enumerate(blanks(passage.text, n)):
            name = f"blank{k}"
            response = item.response(f"response_{name}")
            assert response.prompt == name
            assert [response.labels[v] for v in item.right_values(response.ident)] == list(
                blank.answers
            )
            assert text.count(f"[{name}]") == 1
            text = text.replace(f"[{name}]", blank.answers[0])
        assert text == filled(passage.text)


def test_flashcards_become_short_answers() -> None:
    deck = sample("flashcards")
    items = _read("flashcards", deck).items
    assert [(i.text, i.right_values()) for i in items] == [(c.front, [c.back]) for c in deck.cards]
    assert {i.fields["question_type"] for i in items} == {"short_answer_question"}


def test_special_characters_survive() -> None:
    quiz = nasty_quiz()
    for item, read in zip(quiz.items, _read("quiz", quiz).items, strict=True):
        assert read.text == item.question
        # The bank lists the question by its start, cut short with an ellipsis.
        assert len(read.title) <= 60
        assert read.title.endswith("…")
        assert item.question.startswith(read.title.removesuffix("…"))
        assert read.general_feedback() == item.explanation
        if item.type == "short_answer":
            assert read.right_values() == item.accepted_answers
        else:
            assert read.choices() == [(o.text, o.correct, o.feedback) for o in item.options]


def test_title_can_be_replaced() -> None:
    package = _read("matching", title="Unit 3 · Leaves")
    assert package.title == "Unit 3 · Leaves"
    assert package.setting("title") == "Unit 3 · Leaves"


def test_same_activity_same_bytes_and_other_activity_other_ids() -> None:
    quiz = sample("quiz")
    assert render_canvas_qti("quiz", quiz) == render_canvas_qti("quiz", quiz)
    changed = quiz.model_copy(update={"title": "Another quiz"})
    first, second = _read("quiz", quiz), _read("quiz", changed)
    assert first.items[0].ident != second.items[0].ident


def test_kinds_without_questions_are_refused_in_plain_words() -> None:
    with pytest.raises(UnsupportedExport, match="flashcards, fill-in-the-blanks, matching"):
        render_canvas_qti("lesson_plan", sample("quiz"))
    with pytest.raises(TypeError):
        render_canvas_qti("matching", sample("quiz"))
    assert set(KINDS) == set(ACTIVITIES)
