"""Serve a WSGI app on a local port in a background thread (demo command and tests).

Bind the listening socket first (``open_listener``) when two apps must know each other's
URL before either is built, then hand it to ``serve_in_thread``.
"""

from __future__ import annotations

import logging
import socket
import threading
from types import TracebackType
from typing import TYPE_CHECKING

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

log = logging.getLogger(__name__)


class QuietRequestHandler(WSGIRequestHandler):
    """Logs method, path and status only: query strings carry login hints and state."""

    protocol_version = "HTTP/1.1"

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        path = getattr(self, "path", "").split("?", 1)[0]
        log.debug("%s %s %s", getattr(self, "command", "-"), path, code)


def open_listener(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A bound, listening TCP socket; port 0 picks a free one."""
    return socket.create_server((host, port))


def listener_url(listener: socket.socket) -> str:
    """``http://host:port`` of a listening socket."""
    host, port = listener.getsockname()[:2]
    return f"http://{host}:{port}"


class ServedApp:
    """A WSGI app being served in a daemon thread; stop it with ``stop()`` or ``with``."""

    def __init__(self, server: BaseWSGIServer, thread: threading.Thread) -> None:
        self.server = server
        self.thread = thread

    @property
    def host(self) -> str:
        """The host the server listens on."""
        return str(self.server.host)

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self.server.port)

    @property
    def url(self) -> str:
        """Base URL of the served app."""
        return f"http://{self.host}:{self.port}"

    def stop(self) -> None:
        """Stop serving and release the port."""
        self.server.shutdown()
        self.thread.join(timeout=10)
        self.server.server_close()

    def __enter__(self) -> ServedApp:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def serve_in_thread(
    app: WSGIApplication,
    listener: socket.socket | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
) -> ServedApp:
    """Serve ``app`` (threaded) in the background on ``listener``, or on host:port if none.

    The listener is taken over: the caller must not use or close it afterwards.
    """
    if listener is None:
        listener = open_listener(host, port)
    with listener:
        bound_host = str(listener.getsockname()[0])
        # werkzeug duplicates the descriptor, so ours is closed when this block ends
        server = make_server(
            bound_host,
            0,
            app,
            threaded=True,
            request_handler=QuietRequestHandler,
            fd=listener.fileno(),
        )
    thread = threading.Thread(
        # a short poll keeps stop() quick; the loop is idle otherwise
        target=lambda: server.serve_forever(poll_interval=0.05),
        name=f"wsgi-{server.port}",
        daemon=True,
    )
    thread.start()
    return ServedApp(server, thread)
