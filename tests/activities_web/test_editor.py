"""The activity editor and preview over HTTP: edit, add, move, delete, regenerate, check answers."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from eduteach.storage.models import Artifact
from tests.activities import samples
from tests.activities_web.conftest import make_activity, stored
from tests.fakes.openai_server import FakeOpenAI
from tests.teacher.conftest import Teacher, artifact_id_of, job_id_of


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def _question_fields(item: dict[str, Any]) -> list[tuple[str, str]]:
    """A question as its edit form posts it."""
    fields = [
        ("type", item["type"]),
        ("question", item["question"]),
        ("accepted_answers", "\n".join(item["accepted_answers"])),
        ("explanation", item["explanation"]),
        ("bloom", item["bloom"]),
        ("dok", str(item["dok"])),
        ("standard", item["standard"]),
    ]
    for n, option in enumerate(item["options"]):
        fields += [
            (f"options.{n}.text", option["text"]),
            (f"options.{n}.feedback", option["feedback"]),
        ]
        if option["correct"]:
            fields.append((f"options.{n}.correct", "on"))
    return fields


def _post(teacher: Teacher, path: str, fields: list[tuple[str, str]], version: int) -> Any:
    return teacher.post(path, extra=[("version", str(version)), *fields])


def test_editing_a_question_saves_a_version_and_flags_what_the_checks_find(
    teacher: Teacher,
) -> None:
    artifact_id = make_activity(teacher, "quiz")
    before, warnings, version = stored(teacher, artifact_id)
    assert warnings == []
    item = before["items"][0] | {"question": "Which gas & which <input> do leaves need?"}
    item |= {"bloom": "evaluate", "dok": 1}  # inconsistent levels: saved, then flagged
    resp = _post(
        teacher, f"/teacher/artifacts/{artifact_id}/items/0", _question_fields(item), version
    )
    assert resp.status_code == 303, _text(resp.text)[:500]
    assert resp.headers["Location"].endswith("#item-0")

    after, warnings, new_version = stored(teacher, artifact_id)
    assert new_version == version + 1
    assert after["items"][0]["question"] == "Which gas & which <input> do leaves need?"
    assert after["items"][1:] == before["items"][1:]
    assert any(w.startswith("Question 1 is labelled Bloom's 'evaluate'") for w in warnings)

    page = teacher.get(f"/teacher/artifacts/{artifact_id}", done="saved", item="0")
    text = _text(page.text)
    assert "Saved your changes as version 2." in text
    assert "Which gas &amp; which &lt;input&gt; do leaves need?" in page.text
    card = page.text.split('id="item-0"', 1)[1].split('id="item-1"', 1)[0]
    assert "Needs your check" in card
    assert "Go to question 1" in text
    assert "Edited question 1" in text  # the version list says what changed


def test_a_bad_edit_comes_back_with_the_teachers_input_and_a_plain_message(
    teacher: Teacher,
) -> None:
    artifact_id = make_activity(teacher, "quiz")
    before, _, version = stored(teacher, artifact_id)
    item = before["items"][0] | {"question": "   ", "explanation": "My own explanation, kept."}
    resp = _post(
        teacher, f"/teacher/artifacts/{artifact_id}/items/0", _question_fields(item), version
    )
    assert resp.status_code == 422
    assert 'id="f-question-error"' in resp.text
    assert "This must not be empty." in _text(resp.text)
    assert "My own explanation, kept." in resp.text
    assert f'action="/teacher/artifacts/{artifact_id}/items/0#item-0"' in resp.text

    item = before["items"][0] | {
        "options": [dict(o, correct=True) for o in before["items"][0]["options"]]
    }
    resp = _post(
        teacher, f"/teacher/artifacts/{artifact_id}/items/0", _question_fields(item), version
    )
    assert resp.status_code == 422
    assert "Tick exactly one correct option (you ticked 4)" in _text(resp.text)
    assert 'id="f-options-error"' in resp.text
    assert stored(teacher, artifact_id)[0] == before  # nothing saved


def test_a_passage_without_blanks_is_refused_and_the_blanks_are_listed(teacher: Teacher) -> None:
    artifact_id = make_activity(teacher, "fill_in")
    _, _, version = stored(teacher, artifact_id)
    form = teacher.get(f"/teacher/artifacts/{artifact_id}", edit="1")
    assert "2 blanks found" in _text(form.text)
    assert "(also accepted: stomates)" in _text(form.text)
    resp = _post(
        teacher,
        f"/teacher/artifacts/{artifact_id}/items/1",
        [("text", "Gases enter the leaf through stomata.")],
        version,
    )
    assert resp.status_code == 422
    assert "Mark at least one blank" in _text(resp.text)
    assert "Gases enter the leaf through stomata." in resp.text

    fixed = "Gases enter the leaf through tiny pores called [[stomata|stomates|pores]]."
    resp = _post(teacher, f"/teacher/artifacts/{artifact_id}/items/1", [("text", fixed)], version)
    assert resp.status_code == 303
    data, warnings, _ = stored(teacher, artifact_id)
    assert data["passages"][1]["text"] == fixed
    # One blank fewer than the request asked for: the teacher's choice, not a problem.
    assert not any("blanks but the teacher asked for" in w for w in warnings)


def test_cards_are_added_moved_and_deleted_each_as_a_version(teacher: Teacher) -> None:
    artifact_id = make_activity(teacher, "flashcards")
    before, _, version = stored(teacher, artifact_id)
    base = f"/teacher/artifacts/{artifact_id}/items"
    # The deck has the fewest cards it may have: one cannot go.
    refused = _post(teacher, f"{base}/2/delete", [], version)
    assert refused.status_code == 422
    assert "The card was not deleted. Keep at least 5 cards." in _text(refused.text)

    form = teacher.get(f"/teacher/artifacts/{artifact_id}", edit="new")
    assert f'action="{base}/new#item-new"' in form.text
    card = [("front", "Starch"), ("back", "How a plant stores glucose."), ("hint", "")]
    resp = _post(teacher, f"{base}/new", card, version)
    assert resp.status_code == 303
    assert resp.headers["Location"].endswith("#item-5")
    resp = _post(teacher, f"{base}/5/move", [("direction", "up")], version + 1)
    assert resp.status_code == 303
    assert resp.headers["Location"].endswith("#item-4")
    resp = _post(teacher, f"{base}/0/delete", [], version + 2)
    assert resp.status_code == 303

    data, _, last = stored(teacher, artifact_id)
    fronts = [c["front"] for c in data["cards"]]
    old = [c["front"] for c in before["cards"]]
    assert fronts == [*old[1:4], "Starch", old[4]]
    assert last == version + 3
    page = _text(teacher.get(f"/teacher/artifacts/{artifact_id}", done="deleted", item="0").text)
    assert "Deleted card 1 (version 4). Undo brings it back." in page
    for note in ("Added card 6", "Moved card 6 up", "Deleted card 1"):
        assert note in page

    assert teacher.post(f"/teacher/artifacts/{artifact_id}/undo").status_code == 303
    undone, _, _ = stored(teacher, artifact_id)
    assert [c["front"] for c in undone["cards"]] == [*old[:4], "Starch", old[4]]
    page = _text(teacher.get(f"/teacher/artifacts/{artifact_id}", done="undone").text)
    assert "Went back to the previous version. It is saved as version 5" in page


def test_a_change_made_from_an_old_page_is_not_applied(teacher: Teacher) -> None:
    artifact_id = make_activity(teacher, "matching")
    before, _, version = stored(teacher, artifact_id)
    base = f"/teacher/artifacts/{artifact_id}/items"
    assert _post(teacher, f"{base}/0/move", [("direction", "down")], version).status_code == 303
    # A second tab still shows version 1: its move and its edit must not land on the wrong pair.
    stale = _post(teacher, f"{base}/0/move", [("direction", "down")], version)
    assert stale.status_code == 303
    assert "done=stale" in stale.headers["Location"]
    edit = _post(
        teacher, f"{base}/1", [("term", "Leaf pore"), ("definition", "Kept text")], version
    )
    assert edit.status_code == 409
    assert "changed in another window" in _text(edit.text)
    assert "Kept text" in edit.text
    data, _, now = stored(teacher, artifact_id)
    assert now == version + 1
    assert [p["term"] for p in data["pairs"]][:2] == [
        before["pairs"][1]["term"],
        before["pairs"][0]["term"],
    ]


def test_title_instructions_and_extras_are_edited_on_their_own(teacher: Teacher) -> None:
    artifact_id = make_activity(teacher, "matching")
    _, _, version = stored(teacher, artifact_id)
    base = f"/teacher/artifacts/{artifact_id}/activity"
    blank = _post(teacher, f"{base}/title", [("title", "  ")], version)
    assert blank.status_code == 422
    assert 'id="f-title-error"' in blank.text
    assert _post(teacher, f"{base}/title", [("title", "Leaf parts")], version).status_code == 303
    extras = "The part of the cell that stores genes\nThe waxy outer layer of a leaf"
    resp = _post(teacher, f"{base}/distractors", [("distractors", extras)], version + 1)
    assert resp.status_code == 303
    data, warnings, _ = stored(teacher, artifact_id)
    assert data["title"] == "Leaf parts"
    assert data["distractors"] == extras.split("\n")
    assert not any("extra definitions but the teacher asked for" in w for w in warnings)
    with teacher.lti.tool_app.extensions["eduteach"].db.session() as s:
        artifact = s.get(Artifact, artifact_id)
        assert artifact is not None
        assert artifact.title == "Leaf parts"
    assert teacher.post(f"{base}/pairs", extra=[("version", "3")]).status_code == 404


def test_regenerating_one_question_keeps_the_others(teacher: Teacher, model: FakeOpenAI) -> None:
    artifact_id = make_activity(teacher, "quiz")
    before, _, version = stored(teacher, artifact_id)
    refused = _post(
        teacher,
        f"/teacher/artifacts/{artifact_id}/items/1/regenerate",
        [("instruction", "ask jo@school.example")],
        version,
    )
    assert refused.status_code == 422
    assert 'id="regen-1-error"' in refused.text
    assert teacher.jobs() == []

    new = before["items"][1] | {"question": "Which TWO things does a leaf take in? Choose all."}
    model.enqueue_json({"value": new})
    resp = _post(
        teacher,
        f"/teacher/artifacts/{artifact_id}/items/1/regenerate",
        [("instruction", "make it shorter")],
        version,
    )
    assert resp.status_code == 303
    done = teacher.wait(job_id_of(resp))
    assert done["status"] == "succeeded", done
    assert artifact_id_of(done["done_url"]) == artifact_id
    (job,) = teacher.jobs()
    assert (job.target_path, job.instruction) == ("items.1", "make it shorter")
    after, _, _ = stored(teacher, artifact_id)
    assert after["items"][1]["question"] == new["question"]
    assert after["items"][:1] + after["items"][2:] == before["items"][:1] + before["items"][2:]
    page = _text(
        teacher.get(done["done_url"].split("?")[0], done="regenerated", section="items.1").text
    )
    assert "Question 2 was rewritten" in page


@pytest.mark.parametrize("kind", ["flashcards", "fill_in", "matching", "quiz", "self_quiz"])
def test_the_preview_is_the_students_player_without_the_answer_key(
    teacher: Teacher, kind: str
) -> None:
    artifact_id = make_activity(teacher, kind)
    page = teacher.get(f"/teacher/artifacts/{artifact_id}/preview")
    assert page.status_code == 200
    assert 'data-role="teacher"' in page.text
    assert "Preview — answers are not recorded" in page.text
    text = html.unescape(page.text)
    data = samples.DATA[kind]()
    if kind in ("quiz", "self_quiz"):
        for item in data["items"]:
            assert item["explanation"] not in text
            for answer in item["accepted_answers"]:
                assert answer not in text
            for option in item["options"]:
                assert option["text"] in text
                assert not option["feedback"] or option["feedback"] not in text
        assert "correct" not in text.casefold()
    if kind == "fill_in":
        assert "[[" not in text
        assert "stomates" not in text
    if kind == "matching":
        shown = [text.index(p["definition"]) for p in data["pairs"]]
        assert shown != sorted(shown)


def test_answers_are_checked_on_the_server_as_json_or_as_a_page(teacher: Teacher) -> None:
    artifact_id = make_activity(teacher, "quiz")
    _, _, version = stored(teacher, artifact_id)
    url = teacher.url(f"/teacher/artifacts/{artifact_id}/preview/check")
    answers = [("q.0", "0"), ("q.2", "0"), ("q.3", "chlorophyll")]
    fields = [("lt", teacher.token), ("csrf_token", teacher.csrf), ("version", str(version))]
    resp = teacher.browser.http.post(
        url, data=fields + answers, headers={"Accept": "application/json"}, timeout=10
    )
    assert resp.status_code == 200
    result = resp.json()
    assert result["summary"] == "You scored 2 out of 5."
    by_id = {i["id"]: i for i in result["items"]}
    assert by_id["2"]["status"] == "incorrect"
    assert "Without light there is no energy" in by_id["2"]["feedback"]

    page = teacher.browser.http.post(url, data=fields + answers, timeout=10)
    assert page.status_code == 200
    text = _text(page.text)
    assert "You scored 2 out of 5." in text
    assert 'value="chlorophyll"' in page.text  # the answers stay in the form
    assert re.search(r'id="q-0-0" name="q.0" value="0"\s+checked', page.text)

    forged = teacher.browser.http.post(url, data=fields[:1] + answers, timeout=10)
    assert forged.status_code == 400


def test_a_self_quiz_checks_one_question_and_reveals_only_when_asked(teacher: Teacher) -> None:
    artifact_id = make_activity(teacher, "self_quiz")
    url = f"/teacher/artifacts/{artifact_id}/preview/check"
    first = teacher.post(url, extra=[("q.0", "2"), ("only", "0")])
    assert first.status_code == 200
    text = _text(first.text)
    assert "Not quite" in text
    assert "Nitrogen is not used to make glucose." in text
    assert "Plants combine CO₂" not in text
    # "Show the answer" is offered, and works without script (it is a submit button).
    assert 'name="reveal" value="0" data-reveal>' in first.text
    shown = _text(teacher.post(url, extra=[("q.0", "2"), ("reveal", "0")]).text)
    assert "Plants combine CO₂ and water to make glucose." in shown
    assert "Without light there is no energy" not in shown  # other questions stay unchecked


def test_activity_and_plan_routes_do_not_mix(teacher: Teacher) -> None:
    plan_id = teacher.make()
    assert teacher.get(f"/teacher/artifacts/{plan_id}/preview").status_code == 404
    assert teacher.post(f"/teacher/artifacts/{plan_id}/items/0/delete").status_code == 404
    quiz_id = make_activity(teacher, "quiz")
    assert teacher.post(f"/teacher/artifacts/{quiz_id}/sections/title").status_code == 404
    assert teacher.get(f"/teacher/artifacts/{quiz_id}").status_code == 200


def test_a_question_citing_a_typed_standard_is_marked_unverified_in_the_editor(
    teacher: Teacher,
) -> None:
    data = samples.quiz_data()
    data["items"][0]["standard"] = "RSS.4.ECO.2"
    data["items"][1]["standard"] = "OWN.7"
    artifact_id = make_activity(
        teacher,
        "quiz",
        data=data,
        standards=["RSS.4.ECO.2 Predict what happens to a food web.", "OWN.7 My own words."],
        standards_verified=["RSS.4.ECO.2"],
    )
    page = teacher.get(f"/teacher/artifacts/{artifact_id}").text
    first = page.split('id="item-0"', 1)[1].split('id="item-1"', 1)[0]
    second = page.split('id="item-1"', 1)[1].split('id="item-2"', 1)[0]
    assert "RSS.4.ECO.2" in first
    assert "unverified" not in first
    assert '<span class="tag">OWN.7</span> <span class="tag unverified"' in second
