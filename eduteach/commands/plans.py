"""Lesson plans and unit plans made from the command line, written as Word documents."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from eduteach.commands.options import FLAGS
from eduteach.commands.running import (
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
from eduteach.exports import (
    DocumentMeta,
    load_labels,
    render_lesson_plan_docx,
    render_unit_plan_docx,
)
from eduteach.exports.docx_base import grade_label
from eduteach.standards.marks import verified_codes


def plan_meta(params: dict[str, Any], outcome: Outcome) -> DocumentMeta:
    """The document's details, labelled as an unreviewed (and maybe offline) draft."""
    return DocumentMeta(
        course_title="",
        subject=str(params["subject"]),
        grade=grade_label(str(params["grade"])),
        duration=load_labels()("minutes", minutes=params["duration_minutes"]),
        language=str(params["language"]),
        generated=date.today(),
        model_label=outcome.endpoint.model,
        offline_draft=outcome.endpoint.offline_draft,
        reviewed=False,
    )


def make_plan(
    kind_name: str,
    fields: dict[str, Any],
    *,
    output: Path,
    json_path: Path | None,
    sources: tuple[Path, ...],
) -> None:
    """Check the request, generate the plan, write the .docx (and JSON), say what happened."""
    settings = command_settings()
    kind_ = kind(kind_name)
    params = validated_params(kind_.request, fields, FLAGS)
    check_writable(output, json_path)
    texts = read_sources(sources)
    params = verify_standards(params)
    outcome = run_generation(kind_.spec(), params, texts, settings)
    data = outcome.data
    meta = plan_meta(params, outcome)
    if kind_name == "unit_plan":
        document = render_unit_plan_docx(data, {}, meta, verified=verified_codes(params))
    else:
        document = render_lesson_plan_docx(data, meta, verified=verified_codes(params))
    write_file(output, document)
    written = [output.resolve()]
    if json_path is not None:
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        write_file(json_path, text.encode("utf-8"))
        written.append(json_path.resolve())
    report(outcome, f'{kind_.label.lower()} "{data.get("title", "")}"', written)
