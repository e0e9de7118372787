"""Publishing outside deep linking: the students' settings, the gradebook column made over AGS,
and plain words (with nothing lost) when the LMS offers no gradebook or refuses."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit

import requests
from sqlalchemy import select

from eduteach.lti import claims
from eduteach.storage.models import Platform, Publication
from tests.activities import samples
from tests.activities_web.conftest import make_activity
from tests.lti.conftest import Lti
from tests.results.conftest import FakePlatformServices, db_of, launch, texts
from tests.teacher.conftest import Teacher

QUIZ_FORM = {
    "graded": "yes",
    "score_maximum": "20",
    "attempts_allowed": "2",
    "feedback": "after_due",
    "due_at": "2030-05-30T15:00",
    "tz": "Europe/Paris",
    "shuffle": "yes",
}
LINE_ITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"


def publications(lti: Lti) -> list[Publication]:
    with db_of(lti).session() as s:
        return list(s.scalars(select(Publication).order_by(Publication.id)))


def publish(teacher: Teacher, artifact_id: int, form: dict[str, str]) -> requests.Response:
    """Open the publish form and send it with ``form``'s choices; the answer to the post."""
    page = teacher.get(f"/teacher/artifacts/{artifact_id}/publish")
    assert page.status_code == 200, page.text[:300]
    key = re.search(r'name="publish_key" value="([^"]+)"', page.text)
    assert key
    return teacher.post(
        f"/teacher/artifacts/{artifact_id}/publish", {**form, "publish_key": key.group(1)}
    )


def follow(teacher: Teacher, resp: requests.Response) -> requests.Response:
    assert resp.status_code == 303, resp.text[:500]
    page = teacher.browser.get(urljoin(teacher.url("/"), resp.headers["Location"]))
    assert page.status_code == 200, page.text[:500]
    return page


def notice(page: requests.Response) -> str:
    found = re.findall(r'data-notice="([^"]+)"', page.text)
    assert len(found) == 1, found
    return found[0]


def copy_fields(page: requests.Response) -> dict[str, str]:
    """What the teacher copies into the LMS: the values of the read-only fields."""
    return dict(re.findall(r'id="(copy-[\w-]+)" type="text" readonly value="([^"]*)"', page.text))


def test_a_graded_quiz_gets_its_gradebook_column_and_a_link_to_copy(
    lti: Lti, platform_services: FakePlatformServices, teacher_with_services: Teacher
) -> None:
    teacher = teacher_with_services
    artifact_id = make_activity(teacher, "quiz")
    resp = publish(teacher, artifact_id, QUIZ_FORM)
    [publication] = publications(lti)
    assert publication.graded
    assert publication.score_maximum == 20
    # 15:00 in Paris at the end of May is 13:00 UTC.
    assert publication.settings == {
        "attempts_allowed": 2,
        "feedback": "after_due",
        "due_at": "2030-05-30T13:00+00:00",
        "shuffle": True,
    }

    [post] = platform_services.posts()
    assert post.path == urlsplit(platform_services.line_items_url).path
    assert post.content_type == LINE_ITEM_TYPE
    assert post.body == {
        "scoreMaximum": 20.0,
        "label": samples.quiz_data()["title"],
        "resourceId": publication.token,
        "tag": "eduteach",
    }
    assert claims.SCOPE_LINEITEM in post.scopes  # a token from the platform's token endpoint
    assert publication.line_item_url == platform_services.line_items[0]["id"]

    page = follow(teacher, resp)
    assert notice(page) == "gradebook-made"
    assert copy_fields(page) == {
        "copy-launch-url": lti.tool_url + "/lti/launch",
        "copy-custom": f"eduteach_activity={publication.token}",
    }
    assert page.text.count("data-copy=") == 2


def test_a_double_click_publishes_once(
    lti: Lti, platform_services: FakePlatformServices, teacher_with_services: Teacher
) -> None:
    teacher = teacher_with_services
    artifact_id = make_activity(teacher, "quiz")
    page = teacher.get(f"/teacher/artifacts/{artifact_id}/publish")
    key = re.search(r'name="publish_key" value="([^"]+)"', page.text)
    assert key
    form = {**QUIZ_FORM, "publish_key": key.group(1)}
    first = teacher.post(f"/teacher/artifacts/{artifact_id}/publish", form)
    second = teacher.post(f"/teacher/artifacts/{artifact_id}/publish", form)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert len(publications(lti)) == 1
    assert len(platform_services.posts()) == 1


def test_without_ags_the_activity_works_ungraded_and_the_teacher_is_told(
    lti: Lti, platform_services: FakePlatformServices
) -> None:
    teacher = launch(lti, services=platform_services, ags=False)
    artifact_id = make_activity(teacher, "quiz")
    form = teacher.get(f"/teacher/artifacts/{artifact_id}/publish")
    assert 'data-notice="no-gradebook"' in form.text
    page = follow(teacher, publish(teacher, artifact_id, QUIZ_FORM))
    [publication] = publications(lti)
    assert publication.line_item_url == ""
    assert platform_services.requests == []
    assert notice(page) == "no-gradebook"
    assert "works ungraded" in " ".join(texts(page.text, '//*[@data-notice="no-gradebook"]'))
    assert copy_fields(page)["copy-custom"] == f"eduteach_activity={publication.token}"


def test_a_launch_without_the_line_item_scope_makes_no_column(
    lti: Lti, platform_services: FakePlatformServices
) -> None:
    teacher = launch(lti, services=platform_services, scopes=(claims.SCOPE_SCORE,))
    artifact_id = make_activity(teacher, "quiz")
    page = follow(teacher, publish(teacher, artifact_id, QUIZ_FORM))
    assert notice(page) == "no-gradebook"
    assert platform_services.requests == []


def test_a_refused_column_loses_nothing_and_try_again_makes_it(
    lti: Lti, platform_services: FakePlatformServices, teacher_with_services: Teacher
) -> None:
    teacher = teacher_with_services
    artifact_id = make_activity(teacher, "quiz")
    platform_services.post_replies.append(503)
    resp = publish(teacher, artifact_id, QUIZ_FORM)
    [publication] = publications(lti)
    assert publication.line_item_url == ""
    page = follow(teacher, resp)
    assert notice(page) == "gradebook-failed"
    [problem] = texts(page.text, '//*[@data-notice="gradebook-failed"]')
    assert "error 503" in problem
    assert "nothing is lost" in problem
    assert copy_fields(page)["copy-custom"] == f"eduteach_activity={publication.token}"

    # Coming back later, the page still offers to make the column.
    later = teacher.get(f"/teacher/publications/{publication.id}")
    assert notice(later) == "gradebook-missing"

    retry = teacher.post(f"/teacher/publications/{publication.id}/gradebook")
    page = follow(teacher, retry)
    assert notice(page) == "gradebook-made"
    # It looked for a column of this publication before making one.
    assert [(r.method, r.query.get("resource_id")) for r in platform_services.requests] == [
        ("POST", None),
        ("GET", [publication.token]),
        ("POST", None),
    ]
    [made] = platform_services.line_items
    assert publications(lti)[0].line_item_url == made["id"]


def test_a_column_made_by_an_answer_that_came_too_late_is_not_made_twice(
    lti: Lti, platform_services: FakePlatformServices, teacher_with_services: Teacher
) -> None:
    teacher = teacher_with_services
    artifact_id = make_activity(teacher, "quiz")
    platform_services.post_replies.append(504)
    platform_services.made_despite_failure = True
    publish(teacher, artifact_id, QUIZ_FORM)
    [publication] = publications(lti)
    assert publication.line_item_url == ""
    follow(teacher, teacher.post(f"/teacher/publications/{publication.id}/gradebook"))
    assert len(platform_services.posts()) == 1
    [made] = platform_services.line_items
    assert publications(lti)[0].line_item_url == made["id"]


def test_a_token_the_platform_refuses_is_explained(
    lti: Lti, platform_services: FakePlatformServices, teacher_with_services: Teacher
) -> None:
    teacher = teacher_with_services
    with db_of(lti).session() as s:
        platform = s.scalars(select(Platform)).one()
        platform.auth_token_url = lti.lms_url + "/no-such-token-endpoint"
    artifact_id = make_activity(teacher, "quiz")
    page = follow(teacher, publish(teacher, artifact_id, QUIZ_FORM))
    [problem] = texts(page.text, '//*[@data-notice="gradebook-failed"]')
    assert "did not give EduTeach access to its gradebook" in problem
    assert platform_services.requests == []
    assert len(publications(lti)) == 1


def test_form_problems_are_named_and_nothing_is_published(
    lti: Lti, platform_services: FakePlatformServices, teacher_with_services: Teacher
) -> None:
    teacher = teacher_with_services
    artifact_id = make_activity(teacher, "quiz")
    form = {**QUIZ_FORM, "score_maximum": "ten", "attempts_allowed": "-1", "due_at": ""}
    resp = publish(teacher, artifact_id, form)
    assert resp.status_code == 422
    problems = texts(resp.text, "//*[@data-error-summary]//li")
    assert [p.split(":")[0] for p in problems] == ["Points", "Attempts allowed", "Due date"]
    assert 'value="ten"' in resp.text  # what the teacher typed is kept
    assert publications(lti) == []
    assert platform_services.requests == []


def test_practice_is_published_ungraded_whatever_the_form_says(
    lti: Lti, platform_services: FakePlatformServices, teacher_with_services: Teacher
) -> None:
    teacher = teacher_with_services
    artifact_id = make_activity(teacher, "flashcards")
    form = teacher.get(f"/teacher/artifacts/{artifact_id}/publish")
    assert 'name="graded"' not in form.text
    page = follow(teacher, publish(teacher, artifact_id, {"graded": "yes", "shuffle": "yes"}))
    [publication] = publications(lti)
    assert not publication.graded
    assert publication.settings["shuffle"] is True
    assert notice(page) == "ungraded"
    assert platform_services.requests == []


def test_the_publication_page_names_its_course_only(
    lti: Lti, platform_services: FakePlatformServices, teacher_with_services: Teacher
) -> None:
    artifact_id = make_activity(teacher_with_services, "quiz")
    resp = publish(teacher_with_services, artifact_id, QUIZ_FORM)
    location = urlsplit(resp.headers["Location"]).path
    assert parse_qs(urlsplit(resp.headers["Location"]).query)["lt"]
    elsewhere = launch(lti, services=platform_services, context_id="another-course")
    assert elsewhere.get(location).status_code == 404
