"""``eduteach generate <activity>`` against a local fake model: every format written, key
problems repaired or flagged, mistakes explained before the model runs."""

from __future__ import annotations

import copy
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest

from eduteach.exports.activities import SUPPORTED
from tests.activities import samples
from tests.cli.test_generate import generate
from tests.fakes.openai_server import FakeOpenAI

TOPIC = [
    "--subject", "Science",
    "--grade", "7",
    "--topic", "How plants make food: photosynthesis, chlorophyll and the leaf.",
]  # fmt: skip
COUNTS = {"flashcards": "5", "fill_in": "4", "matching": "4", "quiz": "5", "self_quiz": "5"}
OWN = {
    "matching": ["--distractors", "1"],
    "quiz": ["--types", "mc,ma,tf,sa"],
    "self_quiz": ["--types", "mc,ma,tf,sa"],
}
SUFFIX = {"docx": ".docx", "imscc": ".imscc", "qti": ".zip", "moodle-xml": ".xml", "gift": ".txt"}
SUFFIX["tsv"] = ".tsv"


def command(kind: str) -> str:
    return kind.replace("_", "-")


def args(kind: str, fmt: str, out: Path) -> list[str | Path]:
    return [
        command(kind), *TOPIC, "--count", COUNTS[kind], *OWN.get(kind, []),
        "--format", fmt, "-o", out,
    ]  # fmt: skip


CASES = [(kind, fmt) for fmt, kinds in SUPPORTED.items() for kind in sorted(kinds)]


@pytest.mark.parametrize(("kind", "fmt"), CASES)
def test_every_activity_is_written_in_every_format_it_has(
    env: FakeOpenAI, tmp_path: Path, kind: str, fmt: str
) -> None:
    data = samples.DATA[kind]()
    env.enqueue_json(data)
    out = tmp_path / f"activity{SUFFIX[fmt]}"

    result = generate(*args(kind, fmt, out))

    assert result.exit_code == 0, result.output
    written = out.read_bytes()
    if fmt == "docx":
        key = tmp_path / "activity-answer-key.docx"
        assert str(key) in result.stdout
        student = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
        answers = "\n".join(p.text for p in docx.Document(str(key)).paragraphs)
        assert data["title"] in student
        assert data["title"] in answers
    elif fmt in ("imscc", "qti"):
        with zipfile.ZipFile(io.BytesIO(written)) as archive:
            assert "imsmanifest.xml" in archive.namelist()
    else:
        text = written.decode("utf-8")
        first = next(iter(_first_texts(kind, data)))
        assert first in text or first.replace("&", "&amp;") in text
    assert f'Saved {_label(kind)} "{data["title"]}" to {out}' in result.stdout


def _label(kind: str) -> str:
    from eduteach.activities import ACTIVITIES

    return ACTIVITIES[kind].label.lower()


def _first_texts(kind: str, data: dict[str, Any]) -> list[str]:
    if kind == "flashcards":
        return [data["cards"][0]["front"]]
    if kind == "matching":
        return [data["pairs"][0]["term"]]
    if kind == "fill_in":
        return ["photosynthesis"]
    return ["Which gas do plants take in for photosynthesis?"]


def test_a_format_the_type_has_not_is_refused_before_the_model_runs(
    env: FakeOpenAI, tmp_path: Path
) -> None:
    result = generate(*args("quiz", "tsv", tmp_path / "quiz.tsv"))
    assert result.exit_code == 2
    assert "--format tsv: This activity cannot be written as Quizlet / Anki (TSV)" in result.output
    assert env.requests == []


def test_request_problems_name_the_option(env: FakeOpenAI, tmp_path: Path) -> None:
    result = generate(
        "quiz", *TOPIC, "--count", "500", "--types", "mc,essay", "--mix", "hard",
        "--format", "gift", "-o", tmp_path / "q.txt",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--count: Choose the number of questions from 1 to 50 (you entered 500)." in (
        result.output
    )
    assert "--types: 'essay' is not a question type" in result.output
    assert "--mix: Choose a cognitive mix: recall, balanced or higher-order." in result.output
    assert env.requests == []


def test_an_ambiguous_key_is_repaired_by_asking_for_that_question_alone(
    env: FakeOpenAI, tmp_path: Path
) -> None:
    good = samples.quiz_data()
    ambiguous = copy.deepcopy(good)
    ambiguous["items"][0]["options"][1]["correct"] = True  # two right answers to a MC item
    env.enqueue_json(ambiguous)
    env.enqueue_json({"value": good["items"][0]})
    out = tmp_path / "quiz.txt"

    result = generate(*args("quiz", "gift", out))

    assert result.exit_code == 0, result.output
    repair = env.requests[1]
    question = repair["messages"][-1]["content"]
    assert 'part "items.0"' in question
    assert "Question 1: a multiple-choice question has exactly one correct option (it has 2)" in (
        question
    )
    # The model is asked for one question, not the quiz, and does not see the broken one;
    # the schema gives each question type its shape (a choice question has 3 to 6 options).
    shapes = repair["response_format"]["json_schema"]["schema"]["properties"]["value"]["anyOf"]
    choice = next(s for s in shapes if "multiple_choice" in s["properties"]["type"]["enum"])
    options = choice["properties"]["options"]
    assert (options["minItems"], options["maxItems"]) == (3, 6)
    shown = json.loads(repair["messages"][-2]["content"])
    assert shown["items"][0] is None
    assert shown["items"][1:] == good["items"][1:]
    assert "1 repair round" in result.stdout
    assert "Needs your check" not in result.stdout


def test_what_the_repairs_do_not_fix_is_saved_and_flagged_not_dropped(
    env: FakeOpenAI, tmp_path: Path
) -> None:
    ambiguous = samples.quiz_data()
    ambiguous["items"][0]["options"].append(
        {"text": "All of the above", "correct": False, "feedback": ""}
    )
    env.enqueue_json(ambiguous)
    env.enqueue_json({"value": ambiguous["items"][0]}, times=2)
    out = tmp_path / "quiz.txt"

    result = generate(*args("quiz", "gift", out))

    assert result.exit_code == 0, result.output
    assert "Check before use:" in result.stdout
    assert (
        "Needs your check: Question 1: the option 'All of the above' makes the answer key "
        "ambiguous" in result.stdout
    )
    # Every question is still there for the teacher to fix.
    assert out.read_text(encoding="utf-8").count("::") >= 2 * len(ambiguous["items"])


def test_items_from_material_must_quote_it(env: FakeOpenAI, tmp_path: Path) -> None:
    material = tmp_path / "leaf.txt"
    material.write_text(
        "Chlorophyll is the green pigment in leaves. It absorbs red and blue light.\n",
        encoding="utf-8",
    )
    invented = samples.flashcards_data()
    for card in invented["cards"]:
        card["source_quote"] = "Leaves are made of cheese."
    grounded = copy.deepcopy(invented)
    for card in grounded["cards"]:
        card["source_quote"] = "It absorbs red and blue light."
    env.enqueue_json(invented)
    env.enqueue_json({"value": grounded["cards"]})

    result = generate(*args("flashcards", "tsv", tmp_path / "cards.tsv"), "--source", material)

    assert result.exit_code == 0, result.output
    prompt = env.requests[0]["messages"][1]["content"]
    assert "Chlorophyll is the green pigment in leaves." in prompt
    repair = env.requests[1]["messages"][-1]["content"]
    assert 'Card 1: its source_quote "Leaves are made of cheese." is not in the teacher\'s' in (
        repair
    )


def test_stray_accepted_answers_on_choice_questions_cost_no_repair(
    env: FakeOpenAI, tmp_path: Path
) -> None:
    habit = samples.quiz_data()
    habit["items"][0]["accepted_answers"] = ["Carbon dioxide (CO₂)"]
    env.enqueue_json(habit)
    out = tmp_path / "quiz.json"

    result = generate(*args("quiz", "gift", tmp_path / "quiz.txt"), "--json", out)

    assert result.exit_code == 0, result.output
    assert len(env.requests) == 1
    assert json.loads(out.read_text(encoding="utf-8"))["items"][0]["accepted_answers"] == []


def test_the_schema_sent_asks_for_exactly_the_number_of_items_wanted(
    env: FakeOpenAI, tmp_path: Path
) -> None:
    env.enqueue_json(samples.matching_data())
    result = generate(*args("matching", "gift", tmp_path / "m.txt"))
    assert result.exit_code == 0, result.output
    schema = env.requests[0]["response_format"]["json_schema"]["schema"]["properties"]
    assert (schema["pairs"]["minItems"], schema["pairs"]["maxItems"]) == (4, 4)
    assert (schema["distractors"]["minItems"], schema["distractors"]["maxItems"]) == (1, 1)


def test_a_wrong_count_is_still_a_problem_for_the_checks(env: FakeOpenAI, tmp_path: Path) -> None:
    short = samples.flashcards_data()
    env.enqueue_json(short)  # 5 cards
    env.enqueue_json({"value": short["cards"]}, times=2)
    result = generate(
        "flashcards", *TOPIC, "--count", "6", "--format", "tsv", "-o", tmp_path / "c.tsv"
    )
    assert result.exit_code == 0, result.output
    assert "Needs your check: There are 5 cards but the teacher asked for 6" in result.stdout


def test_a_list_repaired_whole_is_asked_for_at_its_size(env: FakeOpenAI, tmp_path: Path) -> None:
    short = samples.flashcards_data()
    short["cards"].append(dict(short["cards"][0]))  # a duplicate front: the list is rewritten
    env.enqueue_json(short)
    env.enqueue_json({"value": samples.flashcards_data()["cards"]})
    result = generate(
        "flashcards", *TOPIC, "--count", "5", "--format", "tsv", "-o", tmp_path / "c.tsv"
    )
    assert result.exit_code == 0, result.output
    value = env.requests[1]["response_format"]["json_schema"]["schema"]["properties"]["value"]
    assert (value["minItems"], value["maxItems"]) == (5, 5)
