"""Learning activities made from the command line and written in any export format."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from eduteach.commands.options import FLAGS
from eduteach.commands.running import (
    InputProblemsError,
    Outcome,
    check_writable,
    command_settings,
    read_sources,
    report,
    run_generation,
    validated_params,
    write_file,
)
from eduteach.commands.standards import verify_standards
from eduteach.content.kinds import kind
from eduteach.exports.activities import ExportFile, export_activity, unsupported
from eduteach.exports.docx_base import DocumentMeta, grade_label


def activity_meta(params: dict[str, Any], outcome: Outcome, label: str) -> DocumentMeta:
    """The printed document's details, labelled as an unreviewed (maybe offline) draft."""
    return DocumentMeta(
        course_title="",
        subject=str(params["subject"]),
        grade=grade_label(str(params["grade"])),
        duration=label,
        language=str(params["language"]),
        generated=date.today(),
        model_label=outcome.endpoint.model,
        offline_draft=outcome.endpoint.offline_draft,
        reviewed=False,
    )


def file_for(output: Path, part: str) -> Path:
    """``quiz.docx`` for the main file, ``quiz-answer-key.docx`` for a part beside it."""
    if not part:
        return output
    return output.with_name(f"{output.stem}-{part}{output.suffix}")


def make_activity(
    kind_name: str,
    fields: dict[str, Any],
    *,
    fmt: str,
    output: Path,
    json_path: Path | None,
    sources: tuple[Path, ...],
) -> None:
    """Check the request, generate the activity, write it in ``fmt``, say what happened."""
    settings = command_settings()
    kind_ = kind(kind_name)
    params = validated_params(kind_.request, fields, FLAGS)
    check_writable(output, file_for(output, "answer-key") if fmt == "docx" else None, json_path)
    texts = read_sources(sources)
    params = verify_standards(params)
    spec = kind_.spec([source.text for source in texts.texts], params)
    # Refuse a format the type has no form in before spending minutes on the model.
    _check_format(kind_name, fmt)
    outcome = run_generation(spec, params, texts, settings)
    files: list[ExportFile] = export_activity(
        kind_name, outcome.result.output, params, fmt, activity_meta(params, outcome, kind_.label)
    )
    written = []
    for file in files:
        path = file_for(output, file.part)
        write_file(path, file.data)
        written.append(path.resolve())
    if json_path is not None:
        text = json.dumps(outcome.data, ensure_ascii=False, indent=2) + "\n"
        write_file(json_path, text.encode("utf-8"))
        written.append(json_path.resolve())
    report(outcome, f'{kind_.label.lower()} "{outcome.data.get("title", "")}"', written)


def _check_format(kind_name: str, fmt: str) -> None:
    problem = unsupported(kind_name, fmt)
    if problem:
        raise InputProblemsError([f"--format {fmt}: {problem}"])
