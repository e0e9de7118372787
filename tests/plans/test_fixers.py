import pytest

from eduteach.generation.validators import fix_procedure_minutes
from eduteach.generation.validators.plans import check_procedure_minutes
from tests.plans.samples import lesson_params, lesson_plan


@pytest.mark.parametrize(
    "minutes", [[5, 10, 12, 13, 5], [9, 9, 9, 9, 9], [10, 12, 15, 15, 8], [1, 1, 1, 1, 60]]
)
def test_step_minutes_are_rescaled_to_the_lesson_length(minutes: list[int]) -> None:
    plan = lesson_plan()
    steps = [
        s.model_copy(update={"minutes": m}) for s, m in zip(plan.procedure, minutes, strict=True)
    ]
    plan = plan.model_copy(update={"procedure": steps})
    fixed, notes = fix_procedure_minutes(plan, lesson_params(duration_minutes=45))
    new = [s.minutes for s in fixed.procedure]
    assert sum(new) == 45
    assert check_procedure_minutes(fixed.procedure, 45) == []
    assert all(m >= 1 for m in new)
    # The model's proportions are kept: the longest step stays the longest.
    assert new.index(max(new)) == minutes.index(max(minutes))
    if sum(minutes) != 45:
        assert "adjusted the step minutes" in notes[0]
        assert f"added up to {sum(minutes)}" in notes[0]
    else:
        assert notes == []
        assert fixed is plan


def test_everything_but_the_minutes_is_untouched() -> None:
    plan = lesson_plan()
    steps = [s.model_copy(update={"minutes": 20}) for s in plan.procedure]
    plan = plan.model_copy(update={"procedure": steps})
    fixed, _ = fix_procedure_minutes(plan, lesson_params(duration_minutes=45))
    assert [s.title for s in fixed.procedure] == [s.title for s in plan.procedure]
    assert fixed.model_dump(exclude={"procedure"}) == plan.model_dump(exclude={"procedure"})
