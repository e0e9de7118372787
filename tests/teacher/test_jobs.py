"""Progress, failures and "Try again", as the teacher meets them."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from tests.fakes.openai_server import FakeOpenAI
from tests.plans.samples import lesson_plan_data
from tests.teacher.conftest import LESSON_FORM, Teacher, point_tool_at


def test_progress_json_reports_stage_and_fraction_while_the_model_works(
    teacher: Teacher, model: FakeOpenAI
) -> None:
    model.enqueue_json(lesson_plan_data(), delay=1.5)
    job_id = teacher.create()
    deadline = time.monotonic() + 10
    seen = teacher.status(job_id)
    while seen["stage"] != "Waiting for the model" and time.monotonic() < deadline:
        time.sleep(0.05)
        seen = teacher.status(job_id)
    assert seen["status"] == "running"
    assert 0.0 < seen["progress"] < 1.0
    assert seen["stage"] == "Waiting for the model"
    assert seen["done_url"] is None

    page = teacher.get(f"/teacher/jobs/{job_id}")
    assert page.status_code == 200
    assert '<progress id="job-progress" max="100"' in page.text
    assert "You can leave this page" in page.text
    home = teacher.get("/teacher")
    assert job_id in home.text
    assert "Being written" in home.text

    done = teacher.wait(job_id)
    assert (done["status"], done["progress"], done["error_message"]) == ("succeeded", 1.0, None)
    assert "/teacher/artifacts/" in done["done_url"]
    assert "lt=" in done["done_url"]
    # Coming back to a finished job's page opens the plan.
    again = teacher.get(f"/teacher/jobs/{job_id}")
    assert again.status_code == 303
    assert "/teacher/artifacts/" in again.headers["Location"]


def _refusal(fake: FakeOpenAI) -> None:
    fake.enqueue(None, refusal="I can't help with that.")


def _truncated(fake: FakeOpenAI) -> None:
    fake.enqueue_json(lesson_plan_data(), finish_reason="length")


def _server_down(fake: FakeOpenAI) -> None:
    fake.enqueue_error(500, "upstream exploded", times=10)


def _invalid(fake: FakeOpenAI) -> None:
    fake.enqueue_text("Here is your lesson plan: it is about fractions.", times=3)


def _hang(fake: FakeOpenAI) -> None:
    fake.enqueue_json(lesson_plan_data(), delay=4)


FAILURES: list[tuple[str, Callable[[FakeOpenAI], None], str, str]] = [
    ("refusal", _refusal, "refusal", "The model declined to write this."),
    ("truncated", _truncated, "truncated", "The answer was too long and got cut off."),
    ("500 forever", _server_down, "unreachable", "The AI service is not reachable right now."),
    ("invalid", _invalid, "invalid_output", "did not pass the quality checks"),
    ("timeout", _hang, "timeout", "The model took too long to answer."),
]


@pytest.mark.parametrize(
    ("script", "code", "message"),
    [pytest.param(s, c, m, id=name) for name, s, c, m in FAILURES],
)
def test_each_failure_is_a_clear_message_with_a_way_to_try_again(
    teacher: Teacher,
    model: FakeOpenAI,
    script: Callable[[FakeOpenAI], None],
    code: str,
    message: str,
) -> None:
    if code == "timeout":
        point_tool_at(teacher.lti, model, EDUTEACH_LLM_TIMEOUT="1", EDUTEACH_LLM_MAX_RETRIES="0")
    script(model)
    job_id = teacher.create()
    failed = teacher.wait(job_id)
    assert (failed["status"], failed["error_code"]) == ("failed", code)
    assert message in failed["error_message"]

    page = teacher.get(f"/teacher/jobs/{job_id}")
    assert page.status_code == 200
    assert message in page.text
    assert f'action="/teacher/jobs/{job_id}/retry"' in page.text
    assert "Nothing you typed was lost." in page.text
    home = teacher.get("/teacher")
    assert message in home.text
    assert "Could not be made" in home.text


def test_no_model_configured_says_who_can_fix_it(teacher: Teacher) -> None:
    point_tool_at(teacher.lti, None)
    failed = teacher.wait(teacher.create())
    assert failed["error_code"] == "no_model"
    assert "Ask your administrator" in failed["error_message"]


def test_try_again_makes_a_new_job_with_the_same_inputs(
    teacher: Teacher, model: FakeOpenAI
) -> None:
    _truncated(model)
    files = [("sources", ("notes.txt", b"Fraction strips in thirds and fourths.", "text/plain"))]
    resp = teacher.post("/teacher/new/lesson_plan", LESSON_FORM, files=files)
    first = resp.headers["Location"].split("/jobs/")[1].split("?")[0]
    assert teacher.wait(first)["status"] == "failed"

    retry = teacher.post(f"/teacher/jobs/{first}/retry")
    assert retry.status_code == 303
    second = retry.headers["Location"].split("/jobs/")[1].split("?")[0]
    assert second != first
    assert teacher.wait(second)["status"] == "succeeded"
    old, new = teacher.jobs()
    assert (new.params, new.sources, new.kind, new.action) == (
        old.params,
        old.sources,
        old.kind,
        old.action,
    )
    # The failure that was tried again no longer clutters the library.
    assert "Could not be made" not in teacher.get("/teacher").text


def test_change_the_request_starts_from_what_was_sent(teacher: Teacher, model: FakeOpenAI) -> None:
    _refusal(model)
    job_id = teacher.create()
    teacher.wait(job_id)
    form = teacher.get("/teacher/new/lesson_plan", from_job=job_id)
    assert form.status_code == 200
    assert LESSON_FORM["description"] in form.text
    assert 'value="Mathematics"' in form.text
    assert '<option value="5" selected>' in form.text


def test_a_failure_can_be_dismissed_from_the_library(teacher: Teacher, model: FakeOpenAI) -> None:
    _refusal(model)
    job_id = teacher.create()
    teacher.wait(job_id)
    assert job_id in teacher.get("/teacher").text
    resp = teacher.post(f"/teacher/jobs/{job_id}/dismiss")
    assert resp.status_code == 303
    assert job_id not in teacher.get("/teacher").text
    assert teacher.jobs() == []
