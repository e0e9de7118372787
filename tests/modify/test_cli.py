"""``eduteach readability`` and ``eduteach modify`` end to end, with the fake model."""

from __future__ import annotations

import io
import os
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from eduteach.cli import main
from tests.fakes.openai_server import FakeOpenAI
from tests.modify.texts import EASY, HARD, HARD_SENTENCE, version


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, fake_model: FakeOpenAI, tmp_path: Path) -> FakeOpenAI:
    """Only the fake endpoint configured."""
    for name in list(os.environ):
        if name.startswith("EDUTEACH_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("EDUTEACH_LLM_BASE_URL", fake_model.base_url)
    monkeypatch.setenv("EDUTEACH_LLM_MODEL", fake_model.model)
    monkeypatch.setenv("EDUTEACH_LLM_MAX_RETRIES", "0")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.chdir(tmp_path)
    return fake_model


def test_readability_prints_the_measures(tmp_path: Path) -> None:
    path = tmp_path / "reading.txt"
    path.write_text(HARD, encoding="utf-8")
    result = CliRunner().invoke(main, ["readability", str(path)])
    assert result.exit_code == 0, result.output
    assert "reading.txt: grade 11.0" in result.output
    assert "Flesch-Kincaid 10.7, Coleman-Liau 14.8, ARI 11.0" in result.output
    assert HARD_SENTENCE in result.output
    assert "Hardest words: Elephants, families" in result.output
    assert "Lexile" not in result.output


def test_readability_says_when_too_short(tmp_path: Path) -> None:
    path = tmp_path / "short.txt"
    path.write_text("The cat sat. The dog ran.", encoding="utf-8")
    result = CliRunner().invoke(main, ["readability", str(path)])
    assert result.exit_code == 0
    assert "too short to measure" in result.output


def test_modify_writes_every_version_and_prints_grades(env: FakeOpenAI, tmp_path: Path) -> None:
    source = tmp_path / "reading.txt"
    source.write_text(HARD, encoding="utf-8")
    env.enqueue_json(
        {
            "title": "Elephants",
            "versions": [
                version(EASY, label="Support", changes=["Split long sentences."]),
                version(HARD, label="Advanced", changes=["Kept the terms."]),
            ],
        }
    )
    out = tmp_path / "out.docx"
    result = CliRunner().invoke(
        main,
        [
            "modify",
            "--input",
            str(source),
            "--differentiate",
            "support,advanced",
            "--comments",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Original: grade 11.0" in result.output
    assert "Support: grade 1.7" in result.output
    assert "Advanced: grade 11.0" in result.output
    document = docx.Document(io.BytesIO(out.read_bytes()))
    texts = [p.text for p in document.paragraphs]
    assert "Support" in texts
    assert "Advanced" in texts
    assert "Measured reading level: grade 1.7" in texts
    assert "Original reading level: grade 11.0" in texts
    assert [c.text for c in document.comments] == ["Split long sentences.", "Kept the terms."]


def test_modify_refuses_a_request_with_nothing_to_do(env: FakeOpenAI, tmp_path: Path) -> None:
    source = tmp_path / "reading.txt"
    source.write_text(HARD, encoding="utf-8")
    result = CliRunner().invoke(main, ["modify", "--input", str(source), "-o", "out.docx"])
    assert result.exit_code == 2
    assert "Choose at least one change" in result.output
    assert env.requests == []
