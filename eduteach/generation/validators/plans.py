"""Domain checks for lesson and unit plans, run after the schema has validated.

Each check is a pure function returning problems as sentences that can go back to the model
in a repair round and be shown to the teacher as they are. An empty list means the plan is
fine.

Minutes must add up *exactly*: a teacher's period is fixed, the Word document prints the
minutes next to each step, and a plan that runs 5 minutes over or ends 5 minutes early is
wrong on paper. Fixing it is cheap for the model (change one step), so there is no tolerance.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from eduteach.generation.schemas.common import StandardRef
from eduteach.generation.schemas.lesson_plan import (
    PHASES,
    LessonPlan,
    MinecraftLessonPlan,
    ProcedureStep,
    VocabularyTerm,
)
from eduteach.generation.schemas.unit_plan import UnitPlan

# Observable verbs from Bloom's revised taxonomy (and common classroom variants): a teacher
# can see or hear a student do each of them.
_OBSERVABLE = """
    add analyse analyze annotate answer apply argue arrange assemble assess build calculate
    categorize categorise choose cite classify collect combine compare compile complete compose
    compute conduct construct contrast convert count create critique debate decide deduce define
    defend demonstrate derive describe design determine develop diagram differentiate discuss
    distinguish divide draft draw edit estimate evaluate examine experiment explain express
    factor find formulate generate give graph group identify illustrate infer interpret
    investigate judge justify label list locate map match measure model multiply name order
    organize organise outline paraphrase perform plan plot predict prepare present prioritize
    produce program propose prove rank rate read recall recite recognize recognise recommend
    record rectify relate reorder rephrase report represent research restate retell revise
    rewrite role-play round select sequence show simplify sketch solve sort speak spell state
    subtract summarize summarise support tell test trace translate use verify vote write
"""
OBSERVABLE_VERBS = frozenset(_OBSERVABLE.split())

# Verbs and phrases that name a state of mind rather than something a teacher can observe.
VAGUE_VERBS: tuple[str, ...] = (
    "learn about",
    "become aware of",
    "be aware of",
    "become familiar with",
    "be familiar with",
    "develop an understanding of",
    "develop an appreciation of",
    "deepen their understanding of",
    "have an understanding of",
    "gain",
    "understand",
    "know",
    "learn",
    "appreciate",
    "comprehend",
    "grasp",
    "realize",
    "realise",
    "believe",
    "internalize",
    "be exposed to",
)

_STEM = re.compile(
    r"^(?:swbat|i can|we can|"
    r"(?:the |all |each )?(?:students?|learners?|pupils?)\s+(?:will|can|should|are able to)"
    r"(?:\s+be\s+able\s+to)?)\s*[:,]?\s*",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)?")
_ENGLISH = re.compile(r"^(?:english|en)(?:[\s_\-(].*)?$", re.IGNORECASE)
_QUESTION_MARKS = ("?", "？", "؟")  # noqa: RUF001 - full-width and Arabic question marks
_CODE_TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-_/()]*$")
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$", re.IGNORECASE)
_FRAMEWORK = re.compile(r"^[A-Z]{2,8}$")

Check = Callable[[Any, Mapping[str, Any]], list[str]]


def _quote(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return f'"{text}"' if len(text) <= limit else f'"{text[: limit - 1].rstrip()}…"'


def _is_english(language: object) -> bool:
    return bool(_ENGLISH.match(str(language or "English").strip()))


def _verb_forms(word: str) -> set[str]:
    """Crude base forms, enough to see "comparing" or "explains" as a verb on the list."""
    forms = {word}
    if word.endswith("ing") and len(word) > 5:
        forms |= {word[:-3], word[:-3] + "e"}
        if len(word) > 6 and word[-4] == word[-5]:
            forms.add(word[:-4])  # "mapping" -> "map"
    if word.endswith("ies"):
        forms.add(word[:-3] + "y")
    if word.endswith("es"):
        forms.add(word[:-2])
    if word.endswith("s"):
        forms.add(word[:-1])
    if word.endswith("ed"):
        forms |= {word[:-2], word[:-1]}
    return forms


# --- objectives -------------------------------------------------------------------------


def objective_problem(objective: str) -> str | None:
    """Why an English objective is not measurable, or None when it is.

    The verb the objective opens with decides: a vague one ("understand") is flagged even if
    an observable verb comes later; otherwise any observable verb in the objective passes.
    """
    clause = _STEM.sub("", objective.strip(), count=1).lower()
    words = _WORD.findall(clause)
    # Leading adverbs ("accurately explain") do not change which verb the objective uses.
    while words and words[0].endswith("ly") and words[0] not in OBSERVABLE_VERBS:
        words.pop(0)
    opening = " ".join(words[:6])
    for phrase in VAGUE_VERBS:
        if opening == phrase or opening.startswith(phrase + " "):
            return (
                f'uses "{phrase}", which a teacher cannot observe; start it with a measurable '
                "verb such as identify, explain, compare, solve or create"
            )
    if any(_verb_forms(word) & OBSERVABLE_VERBS for word in words):
        return None
    return (
        "has no observable action verb; phrase it as 'Students will be able to' followed by a "
        "verb such as identify, explain, compare, solve or create"
    )


def check_objectives(
    objectives: Sequence[str], language: object = "English", where: str = ""
) -> list[str]:
    """Objectives are present and, for plans in English, measurable.

    The verb lists are English; for other languages only presence is checked, so a Spanish
    plan is not held to English wording.
    """
    if not objectives:
        return [f"{where}There are no learning objectives; add at least one measurable objective."]
    if not _is_english(language):
        return []
    problems = []
    for number, objective in enumerate(objectives, start=1):
        problem = objective_problem(objective)
        if problem:
            problems.append(f"{where}Objective {number} ({_quote(objective)}) {problem}.")
    return problems


# --- procedure --------------------------------------------------------------------------


def check_procedure_minutes(steps: Sequence[ProcedureStep], duration: int) -> list[str]:
    """The steps' minutes add up to exactly the lesson's length."""
    total = sum(step.minutes for step in steps)
    if total == duration:
        return []
    direction = "longer" if total > duration else "shorter"
    return [
        f"The procedure adds up to {total} minutes but the lesson lasts {duration} minutes "
        f"({abs(total - duration)} minutes {direction}); change the step minutes so they total "
        f"exactly {duration}."
    ]


def check_phase_order(steps: Sequence[ProcedureStep]) -> list[str]:
    """All five phases are present, and in teaching order."""
    order = ", ".join(PHASES)
    problems = []
    present = {step.phase for step in steps}
    for phase in PHASES:
        if phase not in present:
            problems.append(f"The procedure has no {phase} step; add one, in the order {order}.")
    furthest = 0
    for number, step in enumerate(steps, start=1):
        rank = PHASES.index(step.phase)
        if rank < furthest:
            problems.append(
                f"Step {number} ({_quote(step.title, 40)}, {step.phase}) comes after a "
                f"{PHASES[furthest]} step; put the steps in the order {order}."
            )
        furthest = max(furthest, rank)
    return problems


# --- standards --------------------------------------------------------------------------


def standard_code(line: str) -> str | None:
    """The code at the start of a teacher's standard ("RL.5.2 Determine a theme" -> "RL.5.2").

    A code is a first token with a digit in it ("5.NF.A.1", "MS-LS1-6"), optionally after a
    framework acronym ("TEKS 5.3(A)"); plain words, numbers and ordinals are not codes.
    """
    tokens = line.split()
    if not tokens:
        return None

    def code_like(token: str) -> bool:
        return (
            bool(_CODE_TOKEN.match(token))
            and any(c.isdigit() for c in token)
            and not token.isdigit()
            and not _ORDINAL.match(token)
        )

    first = tokens[0].rstrip(":;,–—-")  # noqa: RUF001 - dashes teachers type after a code
    if code_like(first):
        return first
    if len(tokens) > 1 and _FRAMEWORK.match(first):
        second = tokens[1].rstrip(":;,–—-")  # noqa: RUF001
        if code_like(second):
            return f"{first} {second}"
    return None


def code_parts(code: str) -> tuple[str, ...]:
    """A code split into upper-case segments, so "ccss.math.content.5.NF.A.1" and
    "CCSS.Math.Content.5.NF.A.1" compare equal."""
    return tuple(re.findall(r"[A-Z0-9]+", code.upper()))


def codes_match(cited: str, selected: str) -> bool:
    """Same code after normalising, or one is the other without its framework prefix.

    "5.NF.A.1" matches "CCSS.MATH.CONTENT.5.NF.A.1": the shorter must be a whole-segment
    suffix of at least two segments, so "1" never matches "5.NF.A.1".
    """
    a, b = code_parts(cited), code_parts(selected)
    if not a or not b:
        return False
    if a == b:
        return True
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return len(short) >= 2 and long[-len(short) :] == short


def _mentions_code(line: str, code: str) -> bool:
    """The code appears, whole, inside a standard whose code was not recognised at its start."""
    line_parts, parts = code_parts(line), code_parts(code)
    if len(parts) < 2 or not any(c.isdigit() for c in code):
        return False
    return any(
        line_parts[i : i + len(parts)] == parts for i in range(len(line_parts) - len(parts) + 1)
    )


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def check_standards(cited: Sequence[StandardRef], selected: Sequence[str]) -> list[str]:
    """Standards are cited only from the teacher's selection, and each selection is cited.

    A cited code must match a selected code; a cited standard without a code must match the
    text of a selected standard that has none.
    """
    if not selected:
        if cited:
            return [
                "The teacher selected no standards, so the standards list must be empty; "
                "do not add standards the teacher did not choose."
            ]
        return []
    codes = {line: standard_code(line) for line in selected}
    matched: set[str] = set()
    problems = []
    for ref in cited:
        if ref.code.strip():
            hits = [line for line, code in codes.items() if code and codes_match(ref.code, code)]
            if not hits:
                hits = [line for line in selected if _mentions_code(line, ref.code)]
        else:
            text = _plain(ref.description)
            hits = [
                line
                for line, code in codes.items()
                if code is None and text and (text in _plain(line) or _plain(line) in text)
            ]
        if hits:
            matched.update(hits)
        else:
            label = ref.code.strip() or ref.description
            problems.append(
                f"Standard {_quote(label, 60)} is not one the teacher selected; cite only these "
                f"standards, with their codes copied exactly: {'; '.join(selected)}."
            )
    for line in selected:
        if line not in matched:
            problems.append(
                f"The plan does not cite the teacher's standard {_quote(line, 60)}; include it in "
                "the standards list."
            )
    return problems


# --- vocabulary -------------------------------------------------------------------------


def check_vocabulary(terms: Sequence[VocabularyTerm]) -> list[str]:
    """Each vocabulary term appears once (ignoring case, spacing and punctuation)."""
    seen: dict[str, str] = {}
    problems = []
    for item in terms:
        key = _plain(item.term)
        if key in seen:
            problems.append(
                f"The vocabulary lists {_quote(item.term, 40)} more than once; keep each term once."
            )
        else:
            seen[key] = item.term
    return problems


# --- whole plans ------------------------------------------------------------------------


def _duration(params: Mapping[str, Any]) -> int:
    return int(params["duration_minutes"])


def _plan_objectives(plan: LessonPlan, params: Mapping[str, Any]) -> list[str]:
    return check_objectives(plan.objectives, params.get("language", "English"))


def _plan_procedure(plan: LessonPlan, params: Mapping[str, Any]) -> list[str]:
    return [
        *check_procedure_minutes(plan.procedure, _duration(params)),
        *check_phase_order(plan.procedure),
    ]


def _plan_standards(plan: LessonPlan | UnitPlan, params: Mapping[str, Any]) -> list[str]:
    return check_standards(plan.standards, params.get("standards") or [])


def _plan_vocabulary(plan: LessonPlan, params: Mapping[str, Any]) -> list[str]:
    return check_vocabulary(plan.vocabulary)


def check_differentiation(plan: LessonPlan) -> list[str]:
    """Support, on-level and extension are three different paths, not one list copied."""
    paths = {
        "support": plan.differentiation.support,
        "on_level": plan.differentiation.on_level,
        "extension": plan.differentiation.extension,
    }
    keys = {name: [_plain(item) for item in items] for name, items in paths.items()}
    problems = []
    names = list(paths)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            if keys[first] == keys[second]:
                problems.append(
                    f"Differentiation: {first} and {second} are the same list; write what "
                    f"differs for each group of students."
                )
    materials = [_plain(item) for item in plan.materials]
    for name, items in keys.items():
        if items == materials:
            problems.append(
                f"Differentiation: {name} repeats the materials list; describe how the lesson "
                "changes for these students instead."
            )
    return problems


def _plan_differentiation(plan: LessonPlan, params: Mapping[str, Any]) -> list[str]:
    return check_differentiation(plan)


# Words small models write into a field they had nothing for.
_PLACEHOLDERS = frozenset(
    {"none", "n a", "na", "tbd", "todo", "null", "nil", "not applicable", "placeholder", ""}
)


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def placeholder_problems(field: str, value: Any) -> list[str]:
    """A field holding "None", "N/A", "TBD" or the like instead of content."""
    found = [text for text in _strings(value) if text.strip() and _plain(text) in _PLACEHOLDERS]
    if not found:
        return []
    return [
        f"`{field}` holds the placeholder {_quote(found[0], 20)} instead of content; write what "
        "a teacher needs there."
    ]


def with_placeholder_checks(
    model: type[BaseModel], checks: Mapping[str, Check]
) -> dict[str, Check]:
    """``checks`` plus, for every field of ``model``, the placeholder check."""

    def field_check(name: str, own: Check | None) -> Check:
        def check(plan: Any, params: Mapping[str, Any]) -> list[str]:
            problems = own(plan, params) if own else []
            return problems + placeholder_problems(name, plan.model_dump(mode="json")[name])

        return check

    return {name: field_check(name, checks.get(name)) for name in model.model_fields}


LESSON_PLAN_FIELD_CHECKS: dict[str, Check] = with_placeholder_checks(
    LessonPlan,
    {
        "objectives": _plan_objectives,
        "procedure": _plan_procedure,
        "standards": _plan_standards,
        "vocabulary": _plan_vocabulary,
        "differentiation": _plan_differentiation,
    },
)
"""A lesson plan's checks by the field each is about (a repair can ask for that field alone)."""


def _run(checks: Mapping[str, Check], plan: Any, params: Mapping[str, Any]) -> list[str]:
    return [problem for check in checks.values() for problem in check(plan, params)]


def check_lesson_plan(plan: LessonPlan, params: Mapping[str, Any]) -> list[str]:
    """Every domain problem of a lesson plan, for the request ``params``."""
    return _run(LESSON_PLAN_FIELD_CHECKS, plan, params)


def check_challenges(plan: MinecraftLessonPlan) -> list[str]:
    """Every objective has an in-game challenge, and every challenge names a real objective."""
    count = len(plan.objectives)
    problems = []
    covered = {challenge.objective for challenge in plan.challenges}
    for challenge in plan.challenges:
        if challenge.objective > count:
            problems.append(
                f"Challenge {_quote(challenge.title, 40)} refers to objective "
                f"{challenge.objective}, but the plan has {count} objectives; number the "
                "objective it shows (1 = the first)."
            )
    for number in range(1, count + 1):
        if number not in covered:
            problems.append(
                f"Objective {number} ({_quote(plan.objectives[number - 1])}) has no Minecraft "
                "challenge; add a build or exploration challenge through which students show it."
            )
    return problems


def _plan_challenges(plan: MinecraftLessonPlan, params: Mapping[str, Any]) -> list[str]:
    return check_challenges(plan)


MINECRAFT_LESSON_PLAN_FIELD_CHECKS: dict[str, Check] = with_placeholder_checks(
    MinecraftLessonPlan, {**LESSON_PLAN_FIELD_CHECKS, "challenges": _plan_challenges}
)


def check_minecraft_lesson_plan(plan: MinecraftLessonPlan, params: Mapping[str, Any]) -> list[str]:
    """The lesson plan checks plus the Minecraft ones."""
    return _run(MINECRAFT_LESSON_PLAN_FIELD_CHECKS, plan, params)


def check_lesson_count(unit: UnitPlan, params: Mapping[str, Any]) -> list[str]:
    """The unit has exactly the number of lessons the teacher asked for."""
    wanted = int(params["number_of_lessons"])
    if len(unit.lessons) == wanted:
        return []
    return [
        f"The unit has {len(unit.lessons)} lessons but the teacher asked for {wanted}; "
        f"give exactly {wanted} lessons."
    ]


def check_unit_pacing(unit: UnitPlan, params: Mapping[str, Any]) -> list[str]:
    """Each lesson fills one class period, and the weeks hold the lessons."""
    duration = _duration(params)
    problems = [
        f"Lesson {number} ({_quote(lesson.title, 40)}) lasts {lesson.minutes} minutes but each "
        f"lesson is {duration} minutes; set its minutes to {duration}."
        for number, lesson in enumerate(unit.lessons, start=1)
        if lesson.minutes != duration
    ]
    pacing = unit.pacing
    wanted_per_week = params.get("lessons_per_week")
    if wanted_per_week and pacing.lessons_per_week != int(wanted_per_week):
        problems.append(
            f"The pacing has {pacing.lessons_per_week} lessons a week but the teacher teaches "
            f"{wanted_per_week}; set lessons_per_week to {wanted_per_week}."
        )
    count = len(unit.lessons)
    weeks = math.ceil(count / pacing.lessons_per_week)
    if pacing.weeks != weeks:
        problems.append(
            f"{count} lessons at {pacing.lessons_per_week} a week take {weeks} weeks, but the "
            f"pacing says {pacing.weeks}; set weeks to {weeks}."
        )
    return problems


def check_essential_questions(questions: Iterable[str]) -> list[str]:
    """Essential questions are questions."""
    return [
        f"Essential question {number} ({_quote(question)}) is not a question; phrase it as an "
        "open question ending with a question mark."
        for number, question in enumerate(questions, start=1)
        if not question.rstrip().endswith(_QUESTION_MARKS)
    ]


def _unit_lessons(unit: UnitPlan, params: Mapping[str, Any]) -> list[str]:
    language = params.get("language", "English")
    problems = check_lesson_count(unit, params)
    for number, lesson in enumerate(unit.lessons, start=1):
        problems += check_objectives(lesson.objectives, language, where=f"Lesson {number}: ")
    return problems


def _unit_essential_questions(unit: UnitPlan, params: Mapping[str, Any]) -> list[str]:
    return check_essential_questions(unit.essential_questions)


UNIT_PLAN_FIELD_CHECKS: dict[str, Check] = with_placeholder_checks(
    UnitPlan,
    {
        "lessons": _unit_lessons,
        "essential_questions": _unit_essential_questions,
        "standards": _plan_standards,
    },
)
"""A unit plan's one-field checks; pacing spans lessons and pacing (see UNIT_PLAN_CHECKS)."""


def check_unit_plan(unit: UnitPlan, params: Mapping[str, Any]) -> list[str]:
    """Every domain problem of a unit plan, for the request ``params``."""
    return [*check_unit_pacing(unit, params), *_run(UNIT_PLAN_FIELD_CHECKS, unit, params)]


def fix_procedure_minutes(
    plan: LessonPlan, params: Mapping[str, Any]
) -> tuple[LessonPlan, list[str]]:
    """Rescale the step minutes to the lesson's length when they do not add up.

    The model chooses how the time is shared; it often gets the sum wrong by a few minutes.
    Keeping its proportions (largest remainder, at least one minute a step) fixes that
    without a repair round.
    """
    duration = _duration(params)
    steps = plan.procedure
    total = sum(step.minutes for step in steps)
    if total == duration or not steps or duration < len(steps):
        return plan, []
    shares = [step.minutes * duration / total for step in steps]
    minutes = [max(1, int(share)) for share in shares]
    order = sorted(range(len(steps)), key=lambda i: shares[i] - int(shares[i]), reverse=True)
    i = 0
    while sum(minutes) != duration:
        index = order[i % len(order)]
        if sum(minutes) < duration:
            minutes[index] += 1
        elif minutes[index] > 1:
            minutes[index] -= 1
        i += 1
    fixed = plan.model_copy(
        update={
            "procedure": [
                s.model_copy(update={"minutes": m}) for s, m in zip(steps, minutes, strict=True)
            ]
        }
    )
    note = (
        f"EduTeach adjusted the step minutes to add up to the lesson's {duration} minutes "
        f"(the draft's added up to {total}); check the timing."
    )
    return fixed, [note]
