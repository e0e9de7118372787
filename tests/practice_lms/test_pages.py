"""The practice LMS's pages, through Flask's test client."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from flask.testing import FlaskClient

from eduteach.practice_lms import PracticeConfig, registration_values
from tests.practice_lms.conftest import csrf_from

COURSE = "/courses/science-7"


def launch(client: FlaskClient, user: str, presentation: str = "iframe") -> str:
    """Press "Open EduTeach as …"; the Location the LMS answers with."""
    token = csrf_from(client, COURSE)
    response = client.post(
        f"{COURSE}/launches",
        data={"csrf_token": token, "user": user, "presentation": presentation},
    )
    assert response.status_code == 303
    return response.headers["Location"]


def iframe_src(page: str) -> str:
    match = re.search(r'<iframe[^>]*\ssrc="([^"]+)"', page)
    assert match, "no tool iframe on the page"
    return unescape(match.group(1))


def test_home_opens_the_demo_course(practice_client: FlaskClient) -> None:
    response = practice_client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(COURSE)


def test_course_page_lists_people_with_launch_buttons(practice_client: FlaskClient) -> None:
    page = practice_client.get(COURSE).get_data(as_text=True)

    assert '<html lang="en">' in page
    assert "<h1>Grade 7 Science (demo)</h1>" in page
    assert '<a class="plms-skip" href="#main">' in page
    assert "<caption>People enrolled in Grade 7 Science (demo)</caption>" in page
    for name in ("Ms. Rivera", "Alex Kim", "Sam Patel"):
        assert f"Open EduTeach as {name}</button>" in page
    assert page.index("Ms. Rivera") < page.index("Alex Kim")
    assert "<iframe" not in page


def test_launch_button_shows_tool_in_iframe(
    practice_client: FlaskClient, practice_config: PracticeConfig
) -> None:
    location = launch(practice_client, "rivera")
    page = practice_client.get(location).get_data(as_text=True)

    src = iframe_src(page)
    assert src.startswith(practice_config.tool_login_url + "?")
    query = parse_qs(urlsplit(src).query)
    assert query["lti_message_hint"] == [location.rsplit("/", 1)[1]]
    assert query["lti_storage_target"] == ["_parent"]
    assert 'title="EduTeach (external tool)"' in page
    assert "clipboard-write *" in page
    assert f'data-tool-origin="{practice_config.tool_origin}"' in page
    assert "platform_storage.js" in page
    assert "open as Ms. Rivera (Teacher)" in page
    assert 'target="_blank"' in page
    assert "Open EduTeach in a new window" in page


def test_each_click_is_a_new_launch(practice_client: FlaskClient) -> None:
    assert launch(practice_client, "alex") != launch(practice_client, "alex")


def test_used_launch_page_offers_a_new_launch(
    practice_client: FlaskClient, practice_config: PracticeConfig
) -> None:
    from eduteach.practice_lms import PracticePlatform

    location = launch(practice_client, "sam")
    PracticePlatform(practice_config).store.redeem_launch(location.rsplit("/", 1)[1])

    page = practice_client.get(location).get_data(as_text=True)

    assert "<iframe" not in page
    assert "already been used or has expired" in page


def test_new_window_launch_goes_straight_to_the_tool(
    practice_client: FlaskClient, practice_config: PracticeConfig
) -> None:
    location = launch(practice_client, "rivera", presentation="window")

    assert location.startswith(practice_config.tool_login_url + "?")
    assert "lti_storage_target" not in parse_qs(urlsplit(location).query)


def test_launch_needs_csrf_token_and_a_member(practice_client: FlaskClient) -> None:
    practice_client.get(COURSE)
    forged = practice_client.post(f"{COURSE}/launches", data={"user": "rivera"})
    token = csrf_from(practice_client, COURSE)
    stranger = practice_client.post(
        f"{COURSE}/launches", data={"csrf_token": token, "user": "mallory"}
    )

    assert forged.status_code == 400
    assert stranger.status_code == 400
    assert "not in this course" in stranger.get_data(as_text=True)


def test_settings_page_shows_registration_values(
    practice_client: FlaskClient, practice_config: PracticeConfig
) -> None:
    page = practice_client.get("/admin").get_data(as_text=True)

    for value in registration_values(practice_config).values():
        assert f"<code>{value}</code>" in page
    assert "Rotate signing key" in page


def test_registration_values_are_exactly_what_the_tool_needs() -> None:
    config = PracticeConfig(base_url="http://127.0.0.1:7001/", tool_base_url="http://t:7000")
    assert registration_values(config) == {
        "issuer": "http://127.0.0.1:7001",
        "client_id": "eduteach-practice",
        "deployment_id": "practice-deployment-1",
        "auth_login_url": "http://127.0.0.1:7001/auth",
        "auth_token_url": "http://127.0.0.1:7001/token",
        "key_set_url": "http://127.0.0.1:7001/jwks",
        "name": "EduTeach practice LMS",
    }


def test_pages_restrict_framing_and_scripts(
    practice_client: FlaskClient, practice_config: PracticeConfig
) -> None:
    csp = practice_client.get(COURSE).headers["Content-Security-Policy"]

    assert f"frame-src 'self' {practice_config.tool_origin};" in csp
    assert "frame-ancestors 'self'" in csp
    assert "script-src 'self';" in csp


def test_session_cookie_does_not_clash_with_the_tools(practice_client: FlaskClient) -> None:
    response = practice_client.get(COURSE)
    assert response.headers["Set-Cookie"].startswith("practice_lms_session=")


def test_return_url_shows_the_tools_message_escaped(practice_client: FlaskClient) -> None:
    page = practice_client.get(
        f"{COURSE}/return", query_string={"lti_msg": "Saved <b>3</b> drafts"}
    ).get_data(as_text=True)
    assert "Message from EduTeach: Saved &lt;b&gt;3&lt;/b&gt; drafts" in page


def test_unknown_course_is_a_plain_404(practice_client: FlaskClient) -> None:
    response = practice_client.get("/courses/nope")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
