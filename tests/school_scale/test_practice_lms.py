"""The practice LMS's administrator: a button on Platform settings, a launch with admin roles."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import requests

from eduteach.practice_lms import claims as c
from eduteach.practice_lms.forms import parse_launch_form
from eduteach.practice_lms.store import DEMO_ADMIN, DEMO_TEACHER
from tests.lti.conftest import Lti
from tests.school_scale.forms import PAGE

CONTEXT_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#"


def _settings(lms: requests.Session, lti: Lti) -> tuple[str, str]:
    page = lms.get(lti.lms_url + "/admin", timeout=10)
    assert page.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    return page.text, token.group(1)


def test_platform_settings_open_eduteach_as_the_school_administrator(lti: Lti) -> None:
    lms = requests.Session()
    page, token = _settings(lms, lti)
    assert "Open EduTeach as the school administrator (Mr. Okafor)" in unescape(page)

    refused = lms.post(
        lti.lms_url + "/admin/launches",
        data={"csrf_token": token, "user": DEMO_TEACHER},
        allow_redirects=False,
        timeout=10,
    )
    assert refused.status_code == 400
    pressed = lms.post(
        lti.lms_url + "/admin/launches",
        data={"csrf_token": token, "user": DEMO_ADMIN.id},
        allow_redirects=False,
        timeout=10,
    )
    assert pressed.status_code == 303
    login = pressed.headers["Location"]
    assert login.startswith(lti.config.tool_login_url)

    # The rest of the launch, as the browser goes on: the tool, the LMS, the tool again.
    browser = lti.browser()
    auth = browser.begin(DEMO_ADMIN.id, login_url=login)
    form = parse_launch_form(browser.get(lti.config.auth_login_url, params=auth).text)
    home = browser.follow(browser.post(form.action, form.fields))
    assert home.status_code == 200
    assert "School settings: AI-use scale" in home.text
    token = parse_qs(urlsplit(home.url).query)["lt"][0]
    scale_page = browser.get(lti.tool_url + PAGE, params={"lt": token})
    assert scale_page.status_code == 200


def test_the_administrators_launch_carries_admin_roles_and_no_course_role(lti: Lti) -> None:
    browser = lti.browser()
    claims = lti.platform.launch_claims(browser.begin(DEMO_ADMIN.id))
    roles = claims[c.ROLES]
    assert roles == c.ADMINISTRATOR_ROLE_URIS
    assert "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator" in roles
    assert not [role for role in roles if role.startswith(CONTEXT_ROLE)]
    assert claims[c.CONTEXT]["id"] == "science-7"


def test_the_administrator_is_in_no_course_roll(lti: Lti) -> None:
    store = lti.platform.store
    assert [user.name for user in store.administrators()] == ["Mr. Okafor"]
    assert store.role_in("science-7", DEMO_ADMIN.id) is None
    assert DEMO_ADMIN.id not in {member.user.id for member in store.members("science-7")}
    assert not store.is_administrator(DEMO_TEACHER)
