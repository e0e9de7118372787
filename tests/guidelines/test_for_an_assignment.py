"""Guidelines for the assignment the LMS opened EduTeach from: in one deep linking launch the
teacher goes from the picker to a form filled with the assignment, then adds the guidelines."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from eduteach.practice_lms.store import (
    DEMO_ASSIGNMENT_DESCRIPTION,
    DEMO_ASSIGNMENT_ID,
    DEMO_ASSIGNMENT_TITLE,
    DEMO_COURSE_ID,
    DEMO_TEACHER,
)
from tests.deep_linking.test_round_trip import open_picker, respond, returned
from tests.fakes.openai_server import FakeOpenAI
from tests.guidelines import samples
from tests.lti.conftest import Lti
from tests.teacher.conftest import Teacher, artifact_id_of, job_id_of

OFFER = f"Write AI-use guidelines for “{DEMO_ASSIGNMENT_TITLE}”"


def from_assignment(lti: Lti) -> tuple[Teacher, str]:
    """The teacher in the picker the assignment's "Add EduTeach content" opened; its page."""
    pending, _ = lti.platform.record_assignment_deep_linking(
        DEMO_TEACHER, assignment_id=DEMO_ASSIGNMENT_ID
    )
    browser, picker, token, csrf = open_picker(
        lti, "", login_url=lti.platform.login_initiation_url(pending)
    )
    return Teacher(lti, browser, token, csrf), html.unescape(picker.text)


def test_the_picker_offers_guidelines_for_the_assignment_and_fills_the_form(
    lti: Lti, model: FakeOpenAI
) -> None:
    teacher, picker = from_assignment(lti)
    link = re.search(rf'<a class="button" href="([^"]+)">{OFFER}</a>', picker)
    assert link, picker[:3000]
    assert urlsplit(link.group(1)).path == "/teacher/guidelines/new"

    form = html.unescape(teacher.get("/teacher/guidelines/new").text)
    assert f'value="{DEMO_ASSIGNMENT_TITLE}"' in form
    assert f">{DEMO_ASSIGNMENT_DESCRIPTION}</textarea>" in form
    assert "Back to choosing what to add" in form  # the way back, in the same launch


def test_a_course_wide_picker_names_no_assignment(lti: Lti, model: FakeOpenAI) -> None:
    _browser, picker, _token, _csrf = open_picker(lti, "editor_button")
    assert "Write AI-use guidelines for" not in picker.text


def test_guidelines_written_from_the_assignment_go_into_its_description(
    lti: Lti, model: FakeOpenAI
) -> None:
    teacher, _picker = from_assignment(lti)
    model.enqueue_json(samples.with_ai())
    # What the form sends, as filled from the launch plus the teacher's choices.
    sent = teacher.post(
        "/teacher/guidelines/new",
        {
            "assignment_title": DEMO_ASSIGNMENT_TITLE,
            "assignment_description": DEMO_ASSIGNMENT_DESCRIPTION,
            "level": "3",
            "subject": "Science",
            "grade": "7",
            "language": "English",
        },
    )
    assert sent.status_code == 303, sent.text[:2000]
    done = teacher.wait(job_id_of(sent))
    assert done["status"] == "succeeded", done
    artifact_id = artifact_id_of(done["done_url"])

    draft = html.unescape(teacher.get(f"/teacher/artifacts/{artifact_id}").text)
    assert f"Add it next to “{DEMO_ASSIGNMENT_TITLE}”" in draft
    assert "mark it as ready" in draft
    assert "Add to the course</button>" not in draft
    assert (
        teacher.post(f"/teacher/artifacts/{artifact_id}/status", {"status": "ready"}).status_code
        == 303
    )
    ready = teacher.get(f"/teacher/artifacts/{artifact_id}").text
    add = ready.split('id="add-to-course"')[1].split("</section>")[0]
    assert 'action="/deep-linking"' in add
    assert f'name="artifact" value="{artifact_id}"' in add
    assert 'value="add" class="button primary">Add to the course</button>' in add

    before = len(lti.platform.store.content_items(DEMO_COURSE_ID))
    answer = respond(
        teacher.browser,
        lti,
        teacher.token,
        teacher.csrf,
        [("artifact", str(artifact_id)), ("action", "add")],
    )
    assert answer.status_code == 200, answer.text[:1000]
    placed = returned(teacher.browser, answer.text)
    assert placed.status_code == 303, placed.text[:500]
    assert urlsplit(placed.headers["Location"]).path.endswith(f"/assignments/{DEMO_ASSIGNMENT_ID}")
    (item,) = lti.platform.store.content_items(DEMO_COURSE_ID)[before:]
    assert (item.type, item.assignment_id) == ("html", DEMO_ASSIGNMENT_ID)
    assert samples.with_ai()["disclosure_statement"] in html.unescape(item.html)


def test_outside_deep_linking_the_review_page_has_no_add_button(
    teacher: Teacher, model: FakeOpenAI
) -> None:
    model.enqueue_json(samples.with_ai())
    sent = teacher.post("/teacher/guidelines/new", {**samples.ASSIGNMENT, "level": "3"})
    assert sent.status_code == 303, sent.text[:2000]
    done = teacher.wait(job_id_of(sent))
    page = teacher.get(f"/teacher/artifacts/{artifact_id_of(done['done_url'])}").text
    assert 'id="add-to-course"' not in page
    assert "Back to choosing what to add" not in page


def test_a_course_wide_launch_does_not_offer_its_placement_title_as_the_assignment(
    teacher: Teacher,
) -> None:
    # Opened from the course navigation: the link's title is "EduTeach", not an assignment.
    form = teacher.get("/teacher/guidelines/new")
    assert form.status_code == 200
    title = re.search(r'<input[^>]*id="f-assignment_title"[^>]*>', form.text)
    assert title is not None
    assert 'value=""' in title.group(0) or "value=" not in title.group(0)
