"""Lesson plans: the teacher's request and the model's output, plain and for Minecraft Education."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from eduteach.generation.schemas.common import OutputModel, PlanRequest, StandardRef, Text

Phase = Literal[
    "warm-up", "direct instruction", "guided practice", "independent practice", "closure"
]
PHASES: tuple[Phase, ...] = get_args(Phase)
"""The five phases of a lesson, in the order they happen."""


class VocabularyTerm(OutputModel):
    """A key word and what it means, for students."""

    term: Text = Field(description="The word or phrase, as students will meet it in the lesson.")
    definition: Text = Field(
        description="A short definition students of this grade can read on their own."
    )


class ProcedureStep(OutputModel):
    """One timed step of the lesson."""

    phase: Phase = Field(description="Which of the five lesson phases this step belongs to.")
    title: Text = Field(description="A short name for the step, e.g. 'Fraction wall sort'.")
    minutes: int = Field(ge=1, le=180, description="Whole minutes this step takes.")
    teacher_actions: list[Text] = Field(
        min_length=1, max_length=8, description="What the teacher does and says, one per item."
    )
    student_actions: list[Text] = Field(
        min_length=1, max_length=8, description="What students do, observable, one per item."
    )


class Differentiation(OutputModel):
    """How the lesson adapts to different learners."""

    support: list[Text] = Field(
        min_length=1,
        max_length=8,
        description=(
            "Scaffolds for students who need support: English learners, IEP accommodations, "
            "visuals, sentence frames, chunked tasks."
        ),
    )
    on_level: list[Text] = Field(
        min_length=1, max_length=8, description="How students working at grade level proceed."
    )
    extension: list[Text] = Field(
        min_length=1,
        max_length=8,
        description="Deeper or wider challenges for students ready to go further.",
    )


class LessonPlan(OutputModel):
    """A complete lesson plan a teacher can teach from."""

    title: Text = Field(description="A clear, specific title for the lesson.")
    overview: Text = Field(
        description="Two to four sentences: what students do and why it matters."
    )
    objectives: list[Text] = Field(
        min_length=1,
        max_length=6,
        description=(
            "Measurable objectives, each 'Students will be able to' followed by an observable "
            "verb (identify, explain, compare, solve, design...)."
        ),
    )
    standards: list[StandardRef] = Field(
        max_length=10,
        description="Only standards from the teacher's list; empty when the teacher gave none.",
    )
    materials: list[Text] = Field(
        min_length=1, max_length=20, description="Everything the teacher needs to prepare."
    )
    vocabulary: list[VocabularyTerm] = Field(
        max_length=15, description="Key vocabulary, each term once."
    )
    procedure: list[ProcedureStep] = Field(
        min_length=5,
        max_length=15,
        description=(
            "Steps in teaching order: warm-up, direct instruction, guided practice, independent "
            "practice, closure; minutes add up to the lesson length."
        ),
    )
    differentiation: Differentiation = Field(description="Support, on-level and extension.")
    formative_assessment: list[Text] = Field(
        min_length=1,
        max_length=6,
        description="How the teacher checks understanding during the lesson, tied to objectives.",
    )
    homework: Text = Field(description="Homework or an optional extension task, briefly.")
    teacher_notes: list[Text] = Field(
        max_length=8,
        description="Preparation tips, likely misconceptions, timing advice.",
    )


ChallengeKind = Literal["build", "exploration"]
EvidenceMethod = Literal["screenshots", "book_and_quill", "portfolio", "chalkboard", "presentation"]


class MinecraftChallenge(OutputModel):
    """An in-game task through which students show one objective."""

    objective: int = Field(
        ge=1,
        le=6,
        description="Number of the objective this challenge shows (1 = the first objective).",
    )
    kind: ChallengeKind = Field(description="A build challenge or an exploration challenge.")
    title: Text = Field(description="A short, motivating name for the challenge.")
    description: Text = Field(description="What students do in the world, step by step.")
    success_criteria: Text = Field(description="What a finished, successful challenge looks like.")


class MinecraftRole(OutputModel):
    """A role one student takes in a pair or group."""

    name: Text = Field(description="The role's name, e.g. Builder, Recorder, Navigator.")
    responsibilities: Text = Field(description="What this student does during the challenges.")


class ShowingWork(OutputModel):
    """One way students show and document their work."""

    method: EvidenceMethod = Field(description="The in-game or classroom tool students use.")
    description: Text = Field(description="What students capture or write, and when.")


class MinecraftLessonPlan(LessonPlan):
    """A lesson plan taught in Minecraft Education: the classroom structure plus the game."""

    in_game_setting: Text = Field(
        description="Where and how the lesson happens in the game: mode, place, world settings."
    )
    world_or_template: Text = Field(
        description=(
            "The world, library lesson or template to start from, and how the teacher prepares it."
        )
    )
    challenges: list[MinecraftChallenge] = Field(
        min_length=1,
        max_length=8,
        description="Build or exploration challenges; at least one for every objective.",
    )
    grouping: Text = Field(description="How students are paired or grouped, and why.")
    roles: list[MinecraftRole] = Field(
        min_length=2, max_length=6, description="Roles students rotate through in their group."
    )
    showing_work: list[ShowingWork] = Field(
        min_length=1, max_length=5, description="How students show their work."
    )


class LessonPlanRequest(PlanRequest):
    """A teacher's request for one lesson plan."""


def _in_game_setting(value: str) -> str:
    value = " ".join(value.split())
    if len(value) < 3:
        raise PydanticCustomError(
            "in_game_setting",
            "Describe the in-game setting, for example 'a flat creative world' or "
            "'the Ocean Explorer library world'.",
        )
    if len(value) > 500:
        raise PydanticCustomError(
            "in_game_setting", "Keep the in-game setting under 500 characters."
        )
    return value


class MinecraftLessonPlanRequest(PlanRequest):
    """A teacher's request for a lesson plan taught in Minecraft Education."""

    in_game_setting: Annotated[str, AfterValidator(_in_game_setting)] = Field(
        description="Where the lesson happens in Minecraft Education."
    )
