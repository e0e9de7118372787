"""Honour X-Forwarded-* only from proxies the admin listed in EDUTEACH_TRUSTED_PROXIES."""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import ip_address, ip_network
from typing import Any

from werkzeug.middleware.proxy_fix import ProxyFix


class TrustedProxyFix:
    def __init__(self, app: Any, trusted: Iterable[str]) -> None:
        self._app = app
        self._fixed = ProxyFix(app, x_for=1, x_proto=1, x_host=1, x_port=1, x_prefix=1)
        self._nets = [ip_network(n) for n in trusted]

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if self._nets and self._trusted(environ.get("REMOTE_ADDR", "")):
            return self._fixed(environ, start_response)
        return self._app(environ, start_response)

    def _trusted(self, addr: str) -> bool:
        try:
            ip = ip_address(addr)
        except ValueError:
            return False
        return any(ip in net for net in self._nets)
