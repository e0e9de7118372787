"""Serving a WSGI app on a free port in a thread, as the demo command and tests do."""

from __future__ import annotations

import pytest
import requests
from flask import Flask

from eduteach.practice_lms import listener_url, open_listener, serve_in_thread


def hello_app() -> Flask:
    app = Flask("hello")
    app.add_url_rule("/", "hello", lambda: "hello")
    return app


def test_listener_url_is_known_before_the_app_exists() -> None:
    listener = open_listener()
    url = listener_url(listener)

    with serve_in_thread(hello_app(), listener) as served:
        assert served.url == url
        assert requests.get(url, timeout=5).text == "hello"


def test_stopping_releases_the_port() -> None:
    served = serve_in_thread(hello_app())
    assert requests.get(served.url, timeout=5).status_code == 200

    served.stop()

    with pytest.raises(requests.ConnectionError):
        requests.get(served.url, timeout=5)
