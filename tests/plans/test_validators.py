"""Domain checks: what a schema cannot say about a plan, in words for the model and the teacher."""

from __future__ import annotations

import pytest

from eduteach.generation.schemas import LessonPlan, StandardRef, UnitPlan, VocabularyTerm
from eduteach.generation.validators import (
    PLAN_CHECKS,
    check_challenges,
    check_essential_questions,
    check_lesson_count,
    check_lesson_plan,
    check_minecraft_lesson_plan,
    check_objectives,
    check_phase_order,
    check_procedure_minutes,
    check_standards,
    check_unit_pacing,
    check_unit_plan,
    check_vocabulary,
    codes_match,
    standard_code,
)
from tests.plans import samples


def test_good_plans_have_no_problems() -> None:
    assert check_lesson_plan(samples.lesson_plan(), samples.lesson_params()) == []
    assert check_minecraft_lesson_plan(samples.minecraft_plan(), samples.lesson_params()) == []
    assert check_unit_plan(samples.unit_plan(), samples.unit_params()) == []


def test_every_plan_kind_has_its_checks() -> None:
    assert PLAN_CHECKS["lesson_plan"](samples.lesson_plan(), samples.lesson_params()) == []
    assert set(PLAN_CHECKS) == {"lesson_plan", "minecraft_lesson_plan", "unit_plan"}


# --- minutes and phases -------------------------------------------------------------------


def test_minutes_must_add_up_to_the_lesson_exactly() -> None:
    steps = samples.lesson_plan().procedure
    assert check_procedure_minutes(steps, 45) == []
    assert check_procedure_minutes(steps, 50) == [
        "The procedure adds up to 45 minutes but the lesson lasts 50 minutes (5 minutes "
        "shorter); change the step minutes so they total exactly 50."
    ]
    [problem] = check_procedure_minutes(steps, 44)
    assert "1 minutes longer" in problem


def test_a_plan_for_another_length_is_reported_with_the_requested_duration() -> None:
    problems = check_lesson_plan(samples.lesson_plan(), samples.lesson_params(duration_minutes=60))
    assert problems == [
        "The procedure adds up to 45 minutes but the lesson lasts 60 minutes (15 minutes "
        "shorter); change the step minutes so they total exactly 60."
    ]


def test_a_missing_phase_is_named() -> None:
    steps = samples.lesson_plan().procedure
    without_closure = [s for s in steps if s.phase != "closure"]
    [problem] = check_phase_order(without_closure)
    assert problem.startswith("The procedure has no closure step")


def test_phases_out_of_order_are_named_by_step() -> None:
    steps = samples.lesson_plan().procedure
    swapped = [steps[1], steps[0], *steps[2:]]
    assert check_phase_order(swapped) == [
        'Step 2 ("Fraction strip warm-up", warm-up) comes after a direct instruction step; '
        "put the steps in the order warm-up, direct instruction, guided practice, independent "
        "practice, closure."
    ]


def test_a_phase_may_have_several_steps() -> None:
    steps = samples.lesson_plan().procedure
    doubled = [*steps[:3], steps[2], *steps[3:]]
    assert check_phase_order(doubled) == []


# --- objectives ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "objective",
    [
        "Students will be able to compare two fractions using a number line.",
        "SWBAT accurately explain how rain forms.",
        "Students will be able to identify what they know about plants.",
        "I can describe the main character's motives.",
        "Students will be able to classifying animals by body covering.",
    ],
)
def test_measurable_objectives_pass(objective: str) -> None:
    assert check_objectives([objective]) == []


@pytest.mark.parametrize(
    ("objective", "verb"),
    [
        ("Students will understand fractions.", "understand"),
        ("Students will be able to know the parts of a cell.", "know"),
        ("Students will learn about volcanoes and draw one.", "learn about"),
        ("Students will appreciate poetry.", "appreciate"),
        ("Students will develop an understanding of ratios.", "develop an understanding of"),
    ],
)
def test_vague_verbs_are_flagged_by_name(objective: str, verb: str) -> None:
    [problem] = check_objectives(["Students will be able to solve x + 2 = 5.", objective])
    assert problem.startswith(f'Objective 2 ("{objective}") uses "{verb}"')
    assert "measurable verb" in problem


def test_an_objective_without_an_action_is_flagged() -> None:
    [problem] = check_objectives(["Students will be able to have fun with maths."])
    assert "has no observable action verb" in problem


def test_objectives_must_exist() -> None:
    assert check_objectives([]) == [
        "There are no learning objectives; add at least one measurable objective."
    ]


def test_plans_in_other_languages_are_not_held_to_english_verbs() -> None:
    spanish = ["Los estudiantes podrán comparar fracciones."]
    assert check_objectives(spanish, "Español") == []
    assert check_objectives(["Students will understand."], "en-GB") != []


# --- standards ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("RL.5.2 Determine a theme of a story", "RL.5.2"),
        ("5.NF.A.1: Add fractions with unlike denominators", "5.NF.A.1"),
        ("MS-LS1-6 Construct a scientific explanation", "MS-LS1-6"),
        ("TEKS 5.3(A) estimate sums", "TEKS 5.3(A)"),
        ("Fractions with unlike denominators", None),
        ("5th grade fraction fluency", None),
        ("3 digit addition", None),
    ],
)
def test_codes_are_read_from_the_start_of_a_standard(line: str, code: str | None) -> None:
    assert standard_code(line) == code


@pytest.mark.parametrize(
    ("cited", "selected", "match"),
    [
        ("CCSS.Math.Content.5.NF.A.1", "CCSS.MATH.CONTENT.5.NF.A.1", True),
        ("5.NF.A.1", "CCSS.MATH.CONTENT.5.NF.A.1", True),
        ("CCSS.MATH.CONTENT.5.NF.A.1", "5.NF.A.1", True),
        ("ms ls1 6", "MS-LS1-6", True),
        ("5.NF.A.2", "5.NF.A.1", False),
        ("1", "5.NF.A.1", False),
        ("NF.A.1", "4.NF.A.1x", False),
    ],
)
def test_codes_compare_after_normalising(cited: str, selected: str, match: bool) -> None:
    assert codes_match(cited, selected) is match


def test_only_the_teachers_standards_may_be_cited() -> None:
    selected = [samples.STANDARD]
    good = [StandardRef(code="5.NF.A.1", description="Add fractions.")]
    assert check_standards(good, selected) == []
    invented = [*good, StandardRef(code="5.NF.B.3", description="Interpret fractions.")]
    [problem] = check_standards(invented, selected)
    assert problem.startswith('Standard "5.NF.B.3" is not one the teacher selected')
    assert samples.STANDARD in problem


def test_every_selected_standard_is_cited() -> None:
    selected = [samples.STANDARD, "5.NF.A.2 Solve word problems"]
    [problem] = check_standards([StandardRef(code="5.NF.A.1", description="Add.")], selected)
    assert problem == (
        'The plan does not cite the teacher\'s standard "5.NF.A.2 Solve word problems"; '
        "include it in the standards list."
    )


def test_no_selection_means_no_standards() -> None:
    assert check_standards([], []) == []
    [problem] = check_standards([StandardRef(code="RL.5.2", description="Theme.")], [])
    assert "selected no standards" in problem


def test_standards_without_codes_match_by_their_words() -> None:
    selected = ["Use place value to round whole numbers"]
    cited = [StandardRef(code="", description="use place value to round whole numbers.")]
    assert check_standards(cited, selected) == []
    other = [StandardRef(code="", description="Multiply two-digit numbers.")]
    assert len(check_standards(other, selected)) == 2


def test_a_code_inside_a_standard_without_a_leading_code_counts() -> None:
    selected = ["Common Core 5.NF.A.1 adding fractions"]
    assert check_standards([StandardRef(code="5.NF.A.1", description="Add.")], selected) == []


# --- vocabulary, unit, minecraft ------------------------------------------------------------


def test_vocabulary_terms_are_unique() -> None:
    terms = [
        VocabularyTerm(term="Denominator", definition="Bottom number."),
        VocabularyTerm(term="numerator", definition="Top number."),
        VocabularyTerm(term=" denominator. ", definition="Again."),
    ]
    assert check_vocabulary(terms) == [
        'The vocabulary lists "denominator." more than once; keep each term once.'
    ]
    assert check_vocabulary(terms[:2]) == []


def test_a_unit_has_exactly_the_requested_lessons() -> None:
    unit = samples.unit_plan(lessons=3, pacing={"lessons_per_week": 2, "weeks": 2, "notes": "x"})
    assert check_lesson_count(unit, samples.unit_params()) == [
        "The unit has 3 lessons but the teacher asked for 4; give exactly 4 lessons."
    ]
    assert check_lesson_count(unit, samples.unit_params(number_of_lessons=3)) == []


def test_each_lesson_fills_one_period() -> None:
    data = samples.unit_plan_data()
    data["lessons"][2]["minutes"] = 45
    assert check_unit_pacing(UnitPlan.model_validate(data), samples.unit_params()) == [
        'Lesson 3 ("Wetland lesson 3") lasts 45 minutes but each lesson is 50 minutes; set its '
        "minutes to 50."
    ]


def test_the_weeks_must_hold_the_lessons() -> None:
    unit = samples.unit_plan(pacing={"lessons_per_week": 2, "weeks": 3, "notes": "x"})
    assert check_unit_pacing(unit, samples.unit_params()) == [
        "4 lessons at 2 a week take 2 weeks, but the pacing says 3; set weeks to 2."
    ]
    weekly = samples.unit_plan(pacing={"lessons_per_week": 3, "weeks": 2, "notes": "x"})
    assert check_unit_pacing(weekly, samples.unit_params()) == [
        "The pacing has 3 lessons a week but the teacher teaches 2; set lessons_per_week to 2."
    ]
    assert check_unit_pacing(weekly, samples.unit_params(lessons_per_week=None)) == []


def test_essential_questions_are_questions() -> None:
    assert check_essential_questions(["Why do species depend on each other?", "¿Por qué?"]) == []
    [problem] = check_essential_questions(["Energy flows through ecosystems."])
    assert "is not a question" in problem


def test_unit_lesson_objectives_are_checked_per_lesson() -> None:
    data = samples.unit_plan_data()
    data["lessons"][1]["objectives"] = ["Students will understand food webs."]
    problems = check_unit_plan(UnitPlan.model_validate(data), samples.unit_params())
    assert len(problems) == 1
    assert problems[0].startswith('Lesson 2: Objective 1 ("Students will understand food webs.")')


def test_every_objective_has_a_minecraft_challenge() -> None:
    data = samples.minecraft_plan_data()
    data["challenges"] = data["challenges"][:2]
    [problem] = check_challenges(samples.minecraft_plan(**data))
    assert problem.startswith('Objective 3 ("Students will be able to explain why')
    assert "has no Minecraft challenge" in problem


def test_a_challenge_must_point_at_a_real_objective() -> None:
    data = samples.minecraft_plan_data()
    data["challenges"][2]["objective"] = 5
    problems = check_challenges(samples.minecraft_plan(**data))
    assert problems[0] == (
        'Challenge "Explain the walls" refers to objective 5, but the plan has 3 objectives; '
        "number the objective it shows (1 = the first)."
    )
    assert "Objective 3" in problems[1]


@pytest.mark.parametrize("filler", ["None", "N/A", "tbd", "-", "..."])
def test_a_placeholder_instead_of_content_is_sent_back(filler: str) -> None:
    plan = samples.lesson_plan(homework=filler)
    problems = check_lesson_plan(plan, samples.lesson_params())
    assert len(problems) == 1
    assert problems[0].startswith("`homework` holds the placeholder")


def test_a_real_answer_of_none_inside_a_sentence_is_fine() -> None:
    plan = samples.lesson_plan(homework="None of the problems need a calculator: solve 5 by hand.")
    assert check_lesson_plan(plan, samples.lesson_params()) == []


def test_differentiation_must_differ_for_each_group() -> None:
    data = samples.lesson_plan_data()
    same = ["Fraction strips for every pair"]
    data["differentiation"] = {"support": same, "on_level": same, "extension": data["materials"]}
    problems = check_lesson_plan(LessonPlan.model_validate(data), samples.lesson_params())
    assert "Differentiation: support and on_level are the same list" in problems[0]
    assert problems[1].startswith("Differentiation: extension repeats the materials list")
