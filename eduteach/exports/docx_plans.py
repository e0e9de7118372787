"""Lesson plans and unit plans as Word documents.

The renderers take plain data, the ``model_dump()`` of a validated plan, so this package
does not depend on the generation package; sections that are empty are left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from eduteach.exports.docx_base import BASE_DOCX, DocumentBuilder, DocumentMeta, Labelled
from eduteach.standards.marks import standard_mark

Plan = Mapping[str, Any]


def _marked(plan: Plan, verified: Sequence[str] | None) -> Plan:
    """The plan with each standard's code marked, so every place that prints it agrees."""
    standards = plan.get("standards")
    if verified is None or not standards:
        return plan
    marked = [
        dict(s) | {"code": standard_mark(str(s.get("code") or ""), verified)} for s in standards
    ]
    return {**plan, "standards": marked}


def _texts(data: Plan, key: str) -> list[str]:
    return [str(item) for item in data.get(key) or [] if str(item).strip()]


def _standard_line(standard: Mapping[str, Any]) -> tuple[str, str]:
    return str(standard.get("code") or "").strip(), str(standard.get("description") or "").strip()


def _standards_summary(b: DocumentBuilder, standards: Sequence[Mapping[str, Any]]) -> str:
    lines = [code or description for code, description in map(_standard_line, standards)]
    return "\n".join(lines) if lines else b.labels("no_standards")


def _standards(b: DocumentBuilder, standards: Sequence[Mapping[str, Any]], level: int) -> None:
    if not standards:
        return
    b.heading(b.labels("standards"), level)
    for code, description in map(_standard_line, standards):
        if code:
            b.labelled(code, description, "List Bullet")
        else:
            b.paragraph(description, "List Bullet")


def _procedure(b: DocumentBuilder, steps: Sequence[Mapping[str, Any]], level: int) -> None:
    if not steps:
        return
    minutes = sum(int(step.get("minutes") or 0) for step in steps)
    b.heading(b.labels("procedure", minutes=minutes), level)
    b.grid(
        [b.labels(key) for key in ("col_phase", "col_minutes", "col_teacher", "col_students")],
        [
            [
                Labelled(
                    b.labels.choice("phase", str(step.get("phase", ""))), str(step.get("title", ""))
                ),
                str(step.get("minutes", "")),
                _texts(step, "teacher_actions"),
                _texts(step, "student_actions"),
            ]
            for step in steps
        ],
        (0.2, 0.08, 0.36, 0.36),
    )


def _minecraft(b: DocumentBuilder, plan: Plan, level: int) -> None:
    b.heading(b.labels("minecraft"), level)
    sub = level + 1
    b.heading(b.labels("in_game_setting"), sub)
    b.paragraph(str(plan.get("in_game_setting", "")))
    b.heading(b.labels("world_or_template"), sub)
    b.paragraph(str(plan.get("world_or_template", "")))
    challenges = plan.get("challenges") or []
    if challenges:
        b.heading(b.labels("challenges"), sub)
        b.grid(
            [
                b.labels(key)
                for key in ("col_objective", "col_challenge", "col_task", "col_success")
            ],
            [
                [
                    b.labels("objective_number", number=challenge.get("objective", "")),
                    Labelled(
                        str(challenge.get("title", "")),
                        b.labels.choice("kind", str(challenge.get("kind", ""))),
                    ),
                    str(challenge.get("description", "")),
                    str(challenge.get("success_criteria", "")),
                ]
                for challenge in challenges
            ],
            (0.14, 0.22, 0.36, 0.28),
        )
    b.heading(b.labels("grouping"), sub)
    if plan.get("grouping"):
        b.paragraph(str(plan["grouping"]))
    roles = plan.get("roles") or []
    if roles:
        b.grid(
            [b.labels("col_role"), b.labels("col_responsibilities")],
            [[str(role.get("name", "")), str(role.get("responsibilities", ""))] for role in roles],
            (0.25, 0.75),
        )
    evidence = plan.get("showing_work") or []
    if evidence:
        b.heading(b.labels("showing_work"), sub)
        b.labelled_bullets(
            [
                (
                    b.labels.choice("method", str(item.get("method", ""))),
                    str(item.get("description", "")),
                )
                for item in evidence
            ]
        )


def _lesson_body(b: DocumentBuilder, plan: Plan, level: int) -> None:
    """Every section of a lesson plan, with section headings at ``level``."""
    labels = b.labels
    if plan.get("overview"):
        b.heading(labels("overview"), level)
        b.paragraph(str(plan["overview"]))
    if plan.get("objectives"):
        b.heading(labels("objectives"), level)
        b.numbered(_texts(plan, "objectives"))
    _standards(b, plan.get("standards") or [], level)
    if plan.get("materials"):
        b.heading(labels("materials"), level)
        b.bullets(_texts(plan, "materials"))
    vocabulary = plan.get("vocabulary") or []
    if vocabulary:
        b.heading(labels("vocabulary"), level)
        b.grid(
            [labels("term"), labels("definition")],
            [[str(item.get("term", "")), str(item.get("definition", ""))] for item in vocabulary],
            (0.28, 0.72),
        )
    _procedure(b, plan.get("procedure") or [], level)
    differentiation = plan.get("differentiation") or {}
    if any(differentiation.get(key) for key in ("support", "on_level", "extension")):
        b.heading(labels("differentiation"), level)
        for key in ("support", "on_level", "extension"):
            if differentiation.get(key):
                b.heading(labels(key), level + 1)
                b.bullets(_texts(differentiation, key))
    if plan.get("formative_assessment"):
        b.heading(labels("formative_assessment"), level)
        b.bullets(_texts(plan, "formative_assessment"))
    if plan.get("homework"):
        b.heading(labels("homework"), level)
        b.paragraph(str(plan["homework"]))
    if plan.get("teacher_notes"):
        b.heading(labels("teacher_notes"), level)
        b.bullets(_texts(plan, "teacher_notes"))
    if "challenges" in plan:
        _minecraft(b, plan, level)


def _details(b: DocumentBuilder, standards: Sequence[Mapping[str, Any]]) -> None:
    meta, labels = b.meta, b.labels
    b.details(
        [
            (labels("subject"), meta.subject),
            (labels("grade"), meta.grade),
            (labels("duration"), meta.duration),
            (labels("language"), meta.language),
            (labels("standards"), _standards_summary(b, standards)),
        ]
    )


def render_lesson_plan_docx(
    plan: Plan,
    meta: DocumentMeta,
    *,
    verified: Sequence[str] | None = None,
    base: Path = BASE_DOCX,
) -> bytes:
    """A lesson plan (plain or Minecraft Education) as a printable .docx file.

    ``verified`` (see ``verified_codes``) marks the plan's other standards "(unverified)".
    """
    plan = _marked(plan, verified)
    title = str(plan.get("title") or "")
    b = DocumentBuilder(meta, title, base)
    b.title(title, f"{b.labels('lesson_plan')} · {meta.subject} · {meta.grade}")
    _details(b, plan.get("standards") or [])
    b.note()
    _lesson_body(b, plan, level=1)
    return b.to_bytes()


def _outline(b: DocumentBuilder, outline: Plan) -> None:
    labels = b.labels
    b.paragraph(labels("outline_only"), "Note")
    if outline.get("focus"):
        b.labelled(labels("focus"), str(outline["focus"]))
    if outline.get("minutes"):
        b.labelled(labels("length"), labels("minutes", minutes=outline["minutes"]))
    if outline.get("objectives"):
        b.heading(labels("objectives"), 2)
        b.numbered(_texts(outline, "objectives"))
    if outline.get("key_activities"):
        b.heading(labels("key_activities"), 2)
        b.bullets(_texts(outline, "key_activities"))


def render_unit_plan_docx(
    unit: Plan,
    lessons: Mapping[int, Plan],
    meta: DocumentMeta,
    *,
    verified: Sequence[str] | None = None,
    base: Path = BASE_DOCX,
) -> bytes:
    """A unit plan and its lessons as one printable .docx file.

    ``lessons`` holds the full lesson plans that exist, keyed by lesson number (1 = the
    unit's first lesson); every other lesson is printed from its outline. Each lesson
    starts on a new page. ``verified`` marks the other standards "(unverified)", the
    lessons' too.
    """
    unit = _marked(unit, verified)
    lessons = {number: _marked(lesson, verified) for number, lesson in lessons.items()}
    title = str(unit.get("title") or "")
    b = DocumentBuilder(meta, title, base)
    labels = b.labels
    b.title(title, f"{labels('unit_plan')} · {meta.subject} · {meta.grade}")
    _details(b, unit.get("standards") or [])
    b.note()
    if unit.get("overview"):
        b.heading(labels("overview"), 1)
        b.paragraph(str(unit["overview"]))
    if unit.get("big_ideas"):
        b.heading(labels("big_ideas"), 1)
        b.bullets(_texts(unit, "big_ideas"))
    if unit.get("essential_questions"):
        b.heading(labels("essential_questions"), 1)
        b.numbered(_texts(unit, "essential_questions"))
    _standards(b, unit.get("standards") or [], 1)

    outlines: Sequence[Plan] = unit.get("lessons") or []
    if outlines:
        b.heading(labels("lesson_sequence"), 1)
        b.grid(
            [labels(key) for key in ("col_number", "col_lesson", "col_focus", "col_minutes")],
            [
                [str(number), str(outline.get("title", "")), str(outline.get("focus", "")),
                 str(outline.get("minutes", ""))]
                for number, outline in enumerate(outlines, start=1)
            ],
            (0.06, 0.34, 0.5, 0.1),
        )  # fmt: skip

    assessment = unit.get("summative_assessment") or {}
    if assessment:
        b.heading(labels("summative_assessment"), 1)
        if assessment.get("title"):
            b.heading(str(assessment["title"]), 2)
        if assessment.get("description"):
            b.paragraph(str(assessment["description"]))
        if assessment.get("success_criteria"):
            b.heading(labels("success_criteria"), 3)
            b.bullets(_texts(assessment, "success_criteria"))

    pacing = unit.get("pacing") or {}
    if pacing:
        b.heading(labels("pacing"), 1)
        b.paragraph(
            labels(
                "pacing_summary",
                lessons=len(outlines),
                per_week=pacing.get("lessons_per_week", ""),
                weeks=pacing.get("weeks", ""),
            )
        )
        if pacing.get("notes"):
            b.paragraph(str(pacing["notes"]))

    for number, outline in enumerate(outlines, start=1):
        full = lessons.get(number)
        lesson_title = str((full or outline).get("title") or outline.get("title") or "")
        b.page_title(labels("lesson_heading", number=number, title=lesson_title))
        if full:
            if outline.get("focus"):
                b.labelled(labels("focus"), str(outline["focus"]))
            _lesson_body(b, full, level=2)
        else:
            _outline(b, outline)
    return b.to_bytes()
