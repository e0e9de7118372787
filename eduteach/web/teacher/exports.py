"""Downloads of an activity in every format it has (Word copies, LMS packages, GIFT, TSV)."""

from __future__ import annotations

import io

from flask import abort, request, send_file
from flask.typing import ResponseReturnValue

from eduteach.content import artifacts
from eduteach.exports.activities import export_activity, formats_for
from eduteach.lti.roles import Audience
from eduteach.storage.models import Course

from ..security import requires_launch, url_with_token
from . import bp
from .scope import artifact_or_404, kind_of, services

ANSWER_KEY = "answer-key"


def activity_exports(artifact_id: int, kind_name: str) -> list[tuple[str, str]]:
    """(label, URL) of every download an activity of this kind has, for its review page."""
    links: list[tuple[str, str]] = []
    for fmt in formats_for(kind_name):
        url = url_with_token("teacher.export", artifact_id=artifact_id, fmt=fmt.name)
        if fmt.name == "docx":
            links.append(("Word: student copy", url))
            links.append(
                (
                    "Word: answer key",
                    url_with_token(
                        "teacher.export", artifact_id=artifact_id, fmt=fmt.name, part=ANSWER_KEY
                    ),
                )
            )
        else:
            links.append((fmt.label, url))
    return links


@bp.get("/artifacts/<int:artifact_id>/export/<fmt>")
@requires_launch(Audience.TEACHER)
def export(artifact_id: int, fmt: str) -> ResponseReturnValue:
    part = request.args.get("part", "")
    with services().db.session() as s:
        artifact = artifact_or_404(s, artifact_id)
        kind = kind_of(artifact.kind)
        if kind.activity is None or fmt not in {f.name for f in formats_for(kind.name)}:
            abort(404)
        activity = kind.output.model_validate(artifacts.current_data(artifact))
        meta = artifacts.document_meta(artifact, s.get(Course, artifact.course_id))
        files = export_activity(kind.name, activity, artifact.params, fmt, meta)
        stem = artifacts.docx_filename(artifact).removesuffix(".docx")
    chosen = next((f for f in files if f.part == part), None)
    if chosen is None:
        abort(404)
    name = f"{stem}-{part}" if part else stem
    return send_file(
        io.BytesIO(chosen.data),
        mimetype=chosen.fmt.mime,
        as_attachment=True,
        download_name=name + chosen.fmt.suffix,
        max_age=0,
    )
