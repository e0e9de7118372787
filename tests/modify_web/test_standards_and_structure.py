"""Modify material: standards picked from an imported framework, the texts' structure, and the
AI-use level badge of guidelines."""

from __future__ import annotations

import html
import io
from pathlib import Path

import docx

from eduteach.content.kinds import KINDS
from eduteach.exports.text_blocks import TextBlock, text_blocks
from eduteach.modify import ModifiedText
from eduteach.standards import import_case
from tests.fakes.openai_server import FakeOpenAI
from tests.guidelines import samples as guideline_samples
from tests.modify.texts import EASY
from tests.modify_web import samples
from tests.teacher.conftest import Teacher, artifact_id_of, job_id_of

SCIENCE = Path(__file__).parents[1] / "fixtures" / "case" / "riverbend_science.json"
PICKED = (
    "RSS.4.ECO.2 Predict what happens to a food web when one population grows or shrinks, "
    "using evidence from a model."
)
TYPED = "RL.2.1 Ask and answer questions about key details"


def _import_science(teacher: Teacher) -> None:
    with teacher.lti.tool_app.extensions["eduteach"].db.session() as s:
        import_case(s, SCIENCE.read_bytes())


def _made(teacher: Teacher, model: FakeOpenAI, answer: dict[str, object]) -> str:
    """The review page of material modified with the model's ``answer``."""
    model.enqueue_json(answer)
    sent = teacher.post("/teacher/modify/new", samples.FORM)
    assert sent.status_code == 303, sent.text[:2000]
    done = teacher.wait(job_id_of(sent))
    assert done["status"] == "succeeded", done
    return teacher.get(f"/teacher/artifacts/{artifact_id_of(done['done_url'])}").text


def test_the_form_offers_the_picker_once_a_framework_is_imported(teacher: Teacher) -> None:
    assert 'id="standards-picker"' not in teacher.get("/teacher/modify/new").text
    _import_science(teacher)
    page = teacher.get("/teacher/modify/new").text
    assert 'id="standards-picker"' in page
    assert "standards.js" in page
    assert "Standards you type (unverified)" in page


def test_a_picked_standard_is_stored_verified_and_a_typed_one_is_not(
    teacher: Teacher, model: FakeOpenAI
) -> None:
    _import_science(teacher)
    form = samples.FORM | {"standards": TYPED}
    # A forged "verified" field for the typed line verifies nothing: the database decides.
    extra = [("standards", PICKED), ("verified_standards", "RSS.4.ECO.2")]
    answer = samples.answer()
    answer["versions"][0]["standards"] = ["RSS.4.ECO.2", "RL.2.1"]  # type: ignore[index]
    model.enqueue_json(answer)
    sent = teacher.post("/teacher/modify/new", form | {"verified_standards": "RL.2.1"}, extra=extra)
    assert sent.status_code == 303, sent.text[:2000]
    (job,) = teacher.jobs()
    assert job.params["standards"] == [TYPED, PICKED]
    assert job.params["standards_verified"] == ["RSS.4.ECO.2"]
    # "Change the request" shows the picked standard as a chip, the typed one in the box.
    again = html.unescape(teacher.get(f"/teacher/modify/new?from_job={job.id}").text)
    assert f'name="standards" value="{PICKED}"' in again
    assert f">{TYPED}</textarea>" in again
    # The version cites both: only the typed code is marked, on the page and in Word.
    done = teacher.wait(job.id)
    assert done["status"] == "succeeded", done
    artifact_id = artifact_id_of(done["done_url"])
    review = html.unescape(teacher.get(f"/teacher/artifacts/{artifact_id}").text)
    assert '<li class="tag">RSS.4.ECO.2</li>' in review
    assert ">RL.2.1 · unverified</li>" in review
    word = teacher.get(f"/teacher/artifacts/{artifact_id}/modified.docx")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert "RSS.4.ECO.2, RL.2.1 (unverified)" in text


def test_a_form_with_problems_keeps_the_picked_standard_as_a_chip(teacher: Teacher) -> None:
    _import_science(teacher)
    form = samples.FORM | {"standards": "", "reading_level": "", "simplify_vocabulary": ""}
    form = {k: v for k, v in form.items() if v}
    refused = teacher.post(
        "/teacher/modify/new", form | {"pasted_text": ""}, extra=[("standards", PICKED)]
    )
    assert refused.status_code == 422
    page = html.unescape(refused.text)
    assert f'name="standards" value="{PICKED}"' in page
    assert "Verified" in page


def test_a_version_citing_a_code_outside_the_picked_standards_is_sent_back() -> None:
    # The check the engine runs in a real generation (the spec), not only the kind's list.
    check = KINDS["modified_text"].spec([samples.MATERIAL], {}).field_checks["versions"]
    output = ModifiedText.model_validate(
        samples.answer()
        | {
            "versions": [
                samples.answer()["versions"][0] | {"standards": ["4.ECO.2"]}  # type: ignore[index]
            ]
        }
    )
    params = {"standards": [PICKED], "standards_verified": ["RSS.4.ECO.2"]}
    problems = check(output, params)
    assert any("'4.ECO.2'" in p and "not a code in the imported standards" in p for p in problems)
    exact = output.model_copy(
        update={"versions": [output.versions[0].model_copy(update={"standards": ["RSS.4.ECO.2"]})]}
    )
    assert not [p for p in check(exact, params) if "imported standards" in p]


def test_text_blocks_keep_headings_lists_tables_and_paragraphs() -> None:
    text = "# Ponds & <life>\n\nFrogs eat\nflies.\n\n- Reeds\n- Ducks\n1. Look\n2) Draw\n## Words\n| a | b |\n|---|---|\n| c |"
    assert text_blocks(text) == [
        TextBlock("heading", ("Ponds & <life>",), depth=1),
        TextBlock("paragraph", ("Frogs eat flies.",)),
        TextBlock("bullets", ("Reeds", "Ducks")),
        TextBlock("numbered", ("Look", "Draw")),
        TextBlock("heading", ("Words",), depth=2),
        TextBlock("table", (["a", "b"], ["c", ""])),
    ]
    assert text_blocks("") == []


def test_the_review_page_shows_the_structure_of_the_original_and_versions_escaped(
    teacher: Teacher, model: FakeOpenAI
) -> None:
    answer = samples.answer()
    version_text = (
        f"# Big <b>elephants</b>\n\n{EASY.strip()}\n\n- Herds & calves\n- <script>x</script>"
    )
    answer["versions"][0]["text"] = version_text  # type: ignore[index]
    page = _made(teacher, model, answer)
    assert "<h3>Elephants &amp; their families</h3>" in page  # the original's heading
    assert "<h3>Big &lt;b&gt;elephants&lt;/b&gt;</h3>" in page
    assert "<li>Herds &amp; calves</li>" in page
    assert "<li>&lt;script&gt;x&lt;/script&gt;</li>" in page
    assert "<script>x</script>" not in page
    assert "# Big" not in page


def test_guidelines_review_shows_the_level_as_a_coloured_badge(
    teacher: Teacher, model: FakeOpenAI
) -> None:
    model.enqueue_json(guideline_samples.with_ai())
    sent = teacher.post(
        "/teacher/guidelines/new", {**guideline_samples.ASSIGNMENT, "level": "3", "grade": "6"}
    )
    assert sent.status_code == 303, sent.text[:2000]
    done = teacher.wait(job_id_of(sent))
    assert done["status"] == "succeeded", done
    page = teacher.get(f"/teacher/artifacts/{artifact_id_of(done['done_url'])}").text
    header = page.split('class="plan-head"')[1].split("</header>")[0]
    assert "AI use: Level 3, AI as a collaborator, with disclosure" in " ".join(header.split())
    assert 'fill="#175CD3"' in header
