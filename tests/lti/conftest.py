"""The tool and the practice LMS served over HTTP, registered with each other.

Browsers are played by ``requests`` sessions; the platform signs real id_tokens with
its own keys (lti1p3platform), and the tool validates them. Nothing is patched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
import requests
from flask import Flask

from eduteach.app import create_app
from eduteach.demo import register_practice_platform
from eduteach.practice_lms.app import create_practice_app
from eduteach.practice_lms.config import PracticeConfig
from eduteach.practice_lms.forms import parse_launch_form
from eduteach.practice_lms.platform import PracticePlatform
from eduteach.practice_lms.serving import listener_url, open_listener, serve_in_thread
from eduteach.web.security import requires_launch
from tests.conftest import empty_tables, make_settings


@dataclass
class Lti:
    tool_url: str
    lms_url: str
    config: PracticeConfig
    platform: PracticePlatform
    tool_app: Flask
    database_url: str

    def browser(self) -> Browser:
        return Browser(self)


@dataclass
class Browser:
    """One browser: keeps the tool's cookies (the Secure flag is honoured by real browsers
    on 127.0.0.1, not by requests, so cookies are replayed by hand)."""

    lti: Lti
    http: requests.Session = field(default_factory=requests.Session)
    cookies: dict[str, str] = field(default_factory=dict)

    def get(self, url: str, **kw: Any) -> requests.Response:
        resp = self.http.get(url, cookies=self.cookies, allow_redirects=False, timeout=15, **kw)
        self._keep(resp)
        return resp

    def post(self, url: str, data: dict[str, str], **kw: Any) -> requests.Response:
        resp = self.http.post(
            url, data=data, cookies=self.cookies, allow_redirects=False, timeout=15, **kw
        )
        self._keep(resp)
        return resp

    def _keep(self, resp: requests.Response) -> None:
        for cookie in resp.cookies:
            if cookie.value:
                self.cookies[cookie.name] = cookie.value

    def begin(self, user: str, login_url: str | None = None) -> dict[str, str]:
        """Click "Open EduTeach as <user>" and follow the tool's redirect to the platform;
        return the OIDC authorization request the tool made."""
        url = login_url or self.lti.platform.start_launch(user, presentation="window")
        resp = self.get(url)
        assert resp.status_code == 302, resp.text[:500]
        location = resp.headers["Location"]
        assert location.startswith(self.lti.config.auth_login_url)
        return dict(parse_qsl(urlsplit(location).query))

    def launch(self, user: str) -> requests.Response:
        """The whole launch: login initiation, platform auth, form post; the tool's answer."""
        auth = self.begin(user)
        resp = self.get(self.lti.config.auth_login_url, params=auth)
        assert resp.status_code == 200, resp.text[:300]
        form = parse_launch_form(resp.text)
        return self.post(form.action, form.fields)

    def forged_launch(
        self,
        user: str,
        mutate: Callable[[dict[str, Any]], None] = lambda c: None,
        *,
        kid: str | None = "current",
        key: str | None = None,
    ) -> requests.Response:
        """A launch whose claims a test altered before the platform key signed them."""
        auth = self.begin(user)
        claims = self.lti.platform.launch_claims(auth)
        mutate(claims)
        token = self.lti.platform.sign_id_token(claims, kid=kid, key=key)
        return self.post(
            self.lti.tool_url + "/lti/launch", {"id_token": token, "state": auth["state"]}
        )

    def follow(self, resp: requests.Response) -> requests.Response:
        assert resp.status_code in (302, 303), resp.text[:500]
        return self.get(urljoin(resp.url, resp.headers["Location"]))


def add_csrf_probe(app: Flask) -> None:
    """A state-changing endpoint for tests of the CSRF rule (real ones come with features)."""

    @app.post("/_csrf_probe")
    @requires_launch()
    def _csrf_probe() -> str:
        return "changed"


@contextmanager
def running_lti(database_url: str, root: Path, *, platform_storage: bool) -> Iterator[Lti]:
    """The tool and the practice LMS, each served in a thread on a free port."""
    tool_listener, lms_listener = open_listener(), open_listener()
    tool_url, lms_url = listener_url(tool_listener), listener_url(lms_listener)
    config = PracticeConfig(
        base_url=lms_url,
        tool_base_url=tool_url,
        instance_path=root / "lms",
        platform_storage=platform_storage,
    )
    settings = make_settings(root / "tool", database_url, tool_url)
    tool_app = create_app(settings, upgrade_db=False)
    add_csrf_probe(tool_app)
    tool = serve_in_thread(tool_app, tool_listener)
    lms = serve_in_thread(create_practice_app(config), lms_listener)
    try:
        yield Lti(tool_url, lms_url, config, PracticePlatform(config), tool_app, database_url)
    finally:
        tool.stop()
        lms.stop()
        tool_app.extensions["eduteach"].db.dispose()


def fresh(lti: Lti) -> Lti:
    """Empty the tool's tables and register the practice LMS again."""
    empty_tables(lti.database_url)
    lti.tool_app.extensions.pop("eduteach_origins", None)
    register_practice_platform(lti.tool_app.extensions["eduteach"].settings, lti.config)
    return lti


@pytest.fixture(scope="session")
def lti_servers(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lti]:
    with running_lti(database_url, tmp_path_factory.mktemp("lti"), platform_storage=False) as lti:
        yield lti


@pytest.fixture
def lti(lti_servers: Lti) -> Lti:
    """Both servers up, the tool's database empty but for the practice LMS registration."""
    return fresh(lti_servers)
