"""The standards search behind the create forms' picker, and the "unverified" mark on review pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from eduteach.lti.roles import Audience
from eduteach.standards import search_standards
from eduteach.standards.marks import is_unverified, verified_codes

from ..security import requires_launch
from . import bp
from .scope import services

RESULTS = 20


@bp.get("/standards/search")
@requires_launch(Audience.TEACHER)
def standards_search() -> ResponseReturnValue:
    """Standards matching ``q`` (code or words), optionally for one ``grade`` and ``framework``.

    Without words or a grade there is nothing to narrow the list by, so nothing is returned.
    """
    query = request.args.get("q", "")
    grade = request.args.get("grade", "")
    framework = request.args.get("framework", "").strip()
    if not query.strip() and not grade.strip():
        return jsonify({"results": []})
    with services().db.session() as s:
        hits = search_standards(
            s,
            query,
            grade=grade,
            frameworks=[framework] if framework else (),
            limit=RESULTS,
        )
    return jsonify(
        {
            "results": [
                {
                    "code": hit.code,
                    "statement": hit.statement,
                    "line": hit.line,
                    "grades": list(hit.education_levels),
                    "framework": hit.framework_title,
                }
                for hit in hits
            ]
        }
    )


@bp.app_template_global()
def unverified_code(code: object, params: Mapping[str, Any]) -> bool:
    """Whether a cited code on a review page is marked unverified (see eduteach.standards.marks)."""
    return isinstance(code, str) and is_unverified(code, verified_codes(params))
