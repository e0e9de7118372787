"""Outbound HTTP to platforms: every call has a timeout and follows no redirects."""

from __future__ import annotations

from typing import Any

import requests


class TimeoutSession(requests.Session):
    """The library calls ``get``/``post`` without timeouts; every call here has one."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout
        self.headers["User-Agent"] = "EduTeach-LTI/1.0"

    def request(
        self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        kwargs.setdefault("timeout", self._timeout)
        kwargs.setdefault("allow_redirects", False)
        return super().request(method, url, *args, **kwargs)
