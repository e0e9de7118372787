"""Realistic plans and requests that tests start from and change one thing in."""

from __future__ import annotations

from datetime import date
from typing import Any

from eduteach.exports import DocumentMeta
from eduteach.generation.schemas import (
    LessonPlan,
    LessonPlanRequest,
    MinecraftLessonPlan,
    UnitPlan,
    UnitPlanRequest,
    dump_params,
)

STANDARD = "CCSS.MATH.CONTENT.5.NF.A.1 Add and subtract fractions with unlike denominators"


def lesson_request(**changes: Any) -> LessonPlanRequest:
    values: dict[str, Any] = {
        "subject": "Mathematics",
        "grade": "5",
        "description": "Adding fractions with unlike denominators using fraction strips",
        "duration_minutes": 45,
        "standards": [STANDARD],
    }
    return LessonPlanRequest(**(values | changes))


def lesson_params(**changes: Any) -> dict[str, Any]:
    return dump_params(lesson_request(**changes))


def _step(phase: str, title: str, minutes: int) -> dict[str, Any]:
    return {
        "phase": phase,
        "title": title,
        "minutes": minutes,
        "teacher_actions": [f"Introduce {title.lower()} and model the first example aloud."],
        "student_actions": [f"Work through {title.lower()} with a partner and record answers."],
    }


def lesson_plan_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Adding Fractions with Unlike Denominators",
        "overview": (
            "Students use fraction strips to see why fractions need a common denominator "
            "before they are added, then practise the written method."
        ),
        "objectives": [
            "Students will be able to find a common denominator for two fractions.",
            "Students will be able to add fractions with unlike denominators.",
            "Students will be able to explain why equal-sized parts are needed to add.",
        ],
        "standards": [
            {
                "code": "CCSS.MATH.CONTENT.5.NF.A.1",
                "description": "Add and subtract fractions with unlike denominators.",
            }
        ],
        "materials": ["Fraction strips for each pair", "Mini whiteboards", "Exit ticket slips"],
        "vocabulary": [
            {"term": "denominator", "definition": "The bottom number: how many equal parts."},
            {"term": "common denominator", "definition": "A denominator both fractions share."},
        ],
        "procedure": [
            _step("warm-up", "Fraction strip warm-up", 5),
            _step("direct instruction", "Why parts must match", 10),
            _step("guided practice", "Pairs add with strips", 12),
            _step("independent practice", "Practice set", 13),
            _step("closure", "Exit ticket", 5),
        ],
        "differentiation": {
            "support": ["Pre-folded strips and a worked example card."],
            "on_level": ["Complete the practice set, checking with strips."],
            "extension": ["Write a word problem that needs a common denominator."],
        },
        "formative_assessment": ["Whiteboard check after guided practice.", "Exit ticket."],
        "homework": "Five mixed practice problems, one explained in words.",
        "teacher_notes": ["Watch for students adding the denominators together."],
    }
    return data | changes


def lesson_plan(**changes: Any) -> LessonPlan:
    return LessonPlan.model_validate(lesson_plan_data(**changes))


def minecraft_plan_data(**changes: Any) -> dict[str, Any]:
    data = lesson_plan_data() | {
        "in_game_setting": "A flat creative world in classroom mode, mobs off, daylight locked.",
        "world_or_template": "A flat world with a fenced build area for each pair.",
        "challenges": [
            {
                "objective": 1,
                "kind": "build",
                "title": "Common ground",
                "description": "Build two walls of equal length split into thirds and fourths.",
                "success_criteria": "Both walls are split into twelfths.",
            },
            {
                "objective": 2,
                "kind": "build",
                "title": "Fraction garden",
                "description": "Plant 1/3 and 1/4 of a 12-block plot and label the total.",
                "success_criteria": "The sign shows 7/12.",
            },
            {
                "objective": 3,
                "kind": "exploration",
                "title": "Explain the walls",
                "description": "Walk a visitor through why the parts had to match.",
                "success_criteria": "The book and quill entry explains equal parts.",
            },
        ],
        "grouping": "Pairs of mixed confidence with the game.",
        "roles": [
            {"name": "Builder", "responsibilities": "Places blocks as the pair decides."},
            {"name": "Recorder", "responsibilities": "Writes the reasoning in the book."},
        ],
        "showing_work": [
            {"method": "screenshots", "description": "A screenshot of each finished build."},
            {"method": "book_and_quill", "description": "Two sentences explaining the sum."},
        ],
    }
    return data | changes


def minecraft_plan(**changes: Any) -> MinecraftLessonPlan:
    return MinecraftLessonPlan.model_validate(minecraft_plan_data(**changes))


def unit_request(**changes: Any) -> UnitPlanRequest:
    values: dict[str, Any] = {
        "subject": "Science",
        "grade": "7",
        "description": "Ecosystems: food webs, energy flow and human impact on local wetlands",
        "duration_minutes": 50,
        "number_of_lessons": 4,
        "lessons_per_week": 2,
        "standards": ["MS-LS2-3 Develop a model to describe the cycling of matter"],
    }
    return UnitPlanRequest(**(values | changes))


def unit_params(**changes: Any) -> dict[str, Any]:
    return dump_params(unit_request(**changes))


def outline(number: int, minutes: int = 50) -> dict[str, Any]:
    return {
        "title": f"Wetland lesson {number}",
        "focus": f"Focus of lesson {number}: how energy moves through a wetland.",
        "objectives": [f"Students will be able to draw food web {number}."],
        "key_activities": ["Observe a wetland video", "Build a food web with cards"],
        "minutes": minutes,
    }


def unit_plan_data(lessons: int = 4, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Wetland Ecosystems",
        "overview": "Students model how matter and energy move through a local wetland.",
        "big_ideas": ["Energy flows and matter cycles through ecosystems."],
        "essential_questions": ["What would happen to the wetland if one species vanished?"],
        "standards": [{"code": "MS-LS2-3", "description": "Develop a model of matter cycling."}],
        "lessons": [outline(n) for n in range(1, lessons + 1)],
        "summative_assessment": {
            "title": "Wetland field guide",
            "description": "Students create a field guide page modelling one food web.",
            "success_criteria": ["The model shows producers, consumers and decomposers."],
        },
        "pacing": {
            "lessons_per_week": 2,
            "weeks": (lessons + 1) // 2,
            "notes": "Leave a buffer lesson before the assessment.",
        },
    }
    return data | changes


def unit_plan(lessons: int = 4, **changes: Any) -> UnitPlan:
    return UnitPlan.model_validate(unit_plan_data(lessons, **changes))


def meta(**changes: Any) -> DocumentMeta:
    values: dict[str, Any] = {
        "course_title": "Grade 5 Mathematics — Room 12",
        "subject": "Mathematics",
        "grade": "Grade 5",
        "duration": "45 minutes",
        "language": "English",
        "generated": date(2025, 11, 30),
        "model_label": "gpt-4o-mini",
        "reviewed": True,
    }
    return DocumentMeta(**(values | changes))
