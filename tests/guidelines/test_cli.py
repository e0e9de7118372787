"""``eduteach generate guidelines`` and ``eduteach ai-levels`` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner, Result

from eduteach.cli import main
from eduteach.guidelines import DEFAULT_SCALE, scale_json
from tests.fakes.openai_server import FakeOpenAI
from tests.guidelines import samples


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, list(map(str, args)))


def document_text(path: Path) -> str:
    document = docx.Document(str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(lines)


def _assignment(tmp_path: Path) -> Path:
    path = tmp_path / "assignment.txt"
    path.write_text(
        samples.ASSIGNMENT["assignment_title"]
        + "\n\n"
        + samples.ASSIGNMENT["assignment_description"],
        encoding="utf-8",
    )
    return path


def test_guidelines_are_written_as_word_with_the_level_in_its_colour(
    env: FakeOpenAI, tmp_path: Path
) -> None:
    env.enqueue_json(samples.with_ai())
    out = tmp_path / "ai.docx"
    result = run(
        "generate", "guidelines", "--assignment", _assignment(tmp_path), "--level", "3",
        "--subject", "English", "--grade", "6", "-o", out, "--json", tmp_path / "ai.json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = document_text(out)
    assert "AI-use level 3 of 4: AI as a collaborator, with disclosure" in text
    assert samples.with_ai()["disclosure_statement"] in text
    assert samples.with_ai()["allowed_uses"][0] in text
    assert "For the teacher (not for students)" in text
    badge = next(
        cell
        for table in docx.Document(str(out)).tables
        for cell in table._cells
        if cell.text.startswith("AI-use level 3")
    )
    assert 'w:fill="175CD3"' in badge._tc.xml
    assert json.loads((tmp_path / "ai.json").read_text("utf-8")) == samples.with_ai()
    prompt = "\n".join(m["content"] for m in env.requests[0]["messages"])
    assert "Assignment title: Persuasive letter: save our park & <library>" in prompt


def test_a_no_ai_document_says_ai_is_not_used(env: FakeOpenAI, tmp_path: Path) -> None:
    env.enqueue_json(samples.without_ai())
    out = tmp_path / "ai.docx"
    result = run(
        "generate", "guidelines", "--assignment", _assignment(tmp_path), "--level", "1",
        "--subject", "English", "--grade", "6", "-o", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = document_text(out)
    assert "AI-use level 1 of 4: No AI" in text
    assert "AI tools are not used at any stage of this assignment." in text
    assert "How to disclose" not in text


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--level", "9", "--subject", "English", "--grade", "6"], "--level: Choose one of"),
        (["--level", "6", "--subject", "English", "--grade", "6"], "--level: Choose a level from 1 to 4"),
        (["--level", "2", "--subject", "English"], "--grade: This field is required."),
    ],
)  # fmt: skip
def test_a_bad_request_stops_before_the_model(
    env: FakeOpenAI, tmp_path: Path, args: list[str], expected: str
) -> None:
    out = tmp_path / "ai.docx"
    result = run("generate", "guidelines", "--assignment", _assignment(tmp_path), *args, "-o", out)
    assert result.exit_code == 2
    assert expected in result.output
    assert env.requests == []
    assert not out.exists()


def test_an_admin_sets_and_shows_the_schools_scale(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("EDUTEACH_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("EDUTEACH_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("EDUTEACH_DATABASE_URL", f"sqlite:///{tmp_path / 'tool.db'}")
    shown = run("ai-levels", "show")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output) == scale_json(DEFAULT_SCALE)

    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"levels": [{"name": "Only", "description": "x", "colour": "#777777"}]})
    )
    refused = run("ai-levels", "set", "--file", bad)
    assert refused.exit_code == 2
    assert "between 2 and 8 levels" in refused.output
    assert "neither white nor dark text" in refused.output
    assert json.loads(run("ai-levels", "show").output) == scale_json(DEFAULT_SCALE)

    mine = {
        "name": "Hillside scale",
        "levels": [
            {"name": "No AI", "description": "On your own.", "colour": "#B42318"},
            {"name": "AI with disclosure", "description": "Say how.", "colour": "#067647"},
        ],
    }
    good = tmp_path / "levels.json"
    good.write_text(json.dumps(mine), encoding="utf-8")
    saved = run("ai-levels", "set", "--file", good)
    assert saved.exit_code == 0, saved.output
    assert "2. AI with disclosure (#067647)" in saved.output
    assert [lvl["name"] for lvl in json.loads(run("ai-levels", "show").output)["levels"]] == [
        "No AI",
        "AI with disclosure",
    ]
