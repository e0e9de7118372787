"""A small, scriptable LMS gradebook on 127.0.0.1: an OAuth 2 token endpoint and AGS scores.

The token endpoint does what Canvas and Moodle do: a client_credentials grant whose JWT
client assertion is verified against the tool's published JWKS (kid, RS256, iss = sub =
client id, aud = token URL, a jti used once). Score posts need a bearer token it issued.

Scripting::

    ags.queue(Reply(503, retry_after="120"), Reply(401))  # the next score posts, in order
    ags.go_down(Reply(503))                              # every post until ags.come_back()
    ags.revoke_tokens()                                  # issued tokens stop working
    ags.latency = 0.05                                   # every score answer waits a little

What arrived: ``ags.posts`` (every authorised score post), ``ags.scores`` (those accepted)
and ``ags.gradebook`` (what a teacher sees: per line item and user, the score with the
newest timestamp, as LMSs keep it).
"""

from __future__ import annotations

import collections
import json
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlencode

import jwt
from werkzeug import Request, Response

from eduteach.lti.claims import SCOPE_SCORE
from eduteach.practice_lms.serving import serve_in_thread

CLIENT_ID = "grades-test-tool"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


@dataclass(frozen=True)
class Reply:
    """One scripted answer to a score post (2xx: the score is accepted, after ``delay``)."""

    status: int
    retry_after: str | None = None
    delay: float = 0.0


@dataclass(frozen=True)
class ScorePost:
    line_item: str  # the path before /scores
    query: str
    content_type: str
    body: dict[str, Any]


class AgsServer:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._served = serve_in_thread(self._wsgi)
        self.url = self._served.url
        self.token_url = self.url + "/token"
        self.reset({"keys": []})

    # -- scripting ---------------------------------------------------------------------
    def reset(self, jwks: dict[str, Any]) -> None:
        """Trust these tool keys; forget every token, script and score."""
        with self._lock:
            self.jwks = jwks
            self.tokens: set[str] = set()
            self.used_jtis: set[str] = set()
            self.token_requests = 0
            self.replies: collections.deque[Reply] = collections.deque()
            self.outage: Reply | None = None
            self.latency = 0.0
            self.posts: list[ScorePost] = []
            self.scores: list[ScorePost] = []
            self.gradebook: dict[tuple[str, str], dict[str, Any]] = {}

    def line_item(self, name: str, **query: str) -> str:
        """A line item URL (Moodle puts part of its identity in the query)."""
        return f"{self.url}/lineitems/{name}" + (f"?{urlencode(query)}" if query else "")

    def queue(self, *replies: Reply) -> None:
        with self._lock:
            self.replies.extend(replies)

    def go_down(self, reply: Reply) -> None:
        with self._lock:
            self.outage = reply

    def come_back(self) -> None:
        with self._lock:
            self.outage = None

    def revoke_tokens(self) -> None:
        with self._lock:
            self.tokens.clear()

    def wait_for_scores(self, count: int, timeout: float = 15.0) -> bool:
        """Block until ``count`` scores were accepted (False if the timeout passed first)."""
        with self._arrived:
            return self._arrived.wait_for(lambda: len(self.scores) >= count, timeout)

    # -- HTTP --------------------------------------------------------------------------
    def _wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        if request.method == "POST" and request.path == "/token":
            response = self._token(request)
        elif request.method == "POST" and request.path.endswith("/scores"):
            response = self._score(request)
        else:
            response = Response(status=404)
        return response(environ, start_response)

    def _token(self, request: Request) -> Response:
        form = request.form
        with self._lock:
            self.token_requests += 1
        if form.get("grant_type") != "client_credentials":
            return _oauth_error("unsupported_grant_type", 400)
        if form.get("client_assertion_type") != ASSERTION_TYPE:
            return _oauth_error("invalid_client", 401)
        try:
            claims = self._verified_assertion(form.get("client_assertion", ""))
        except (jwt.PyJWTError, KeyError, StopIteration):
            return _oauth_error("invalid_client", 401)
        if SCOPE_SCORE not in form.get("scope", "").split():
            return _oauth_error("invalid_scope", 400)
        token = secrets.token_urlsafe(24)
        with self._lock:
            if claims["jti"] in self.used_jtis:
                return _oauth_error("invalid_client", 401)
            self.used_jtis.add(claims["jti"])
            self.tokens.add(token)
        body = {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": 3600,
            "scope": SCOPE_SCORE,
        }
        return Response(json.dumps(body), content_type="application/json")

    def _verified_assertion(self, assertion: str) -> dict[str, Any]:
        kid = jwt.get_unverified_header(assertion)["kid"]
        key = next(k for k in self.jwks["keys"] if k["kid"] == kid)
        claims: dict[str, Any] = jwt.decode(
            assertion,
            jwt.PyJWK(key).key,
            algorithms=["RS256"],
            audience=self.token_url,
            issuer=CLIENT_ID,
            options={"require": ["exp", "iat", "jti", "sub"]},
        )
        if claims["sub"] != CLIENT_ID:
            raise jwt.InvalidTokenError("sub is not the client id")
        return claims

    def _score(self, request: Request) -> Response:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        with self._lock:
            if token not in self.tokens:
                return Response(status=401)
            post = ScorePost(
                line_item=request.path.removesuffix("/scores"),
                query=request.query_string.decode(),
                content_type=request.headers.get("Content-Type", ""),
                body=json.loads(request.get_data()),
            )
            self.posts.append(post)
            reply = self.replies.popleft() if self.replies else self.outage or Reply(200)
            delay = reply.delay + self.latency
        if delay:
            time.sleep(delay)
        if not 200 <= reply.status < 300:
            headers = {"Retry-After": reply.retry_after} if reply.retry_after else {}
            return Response(status=reply.status, headers=headers)
        self._accept(post)
        return Response(json.dumps({"resultUrl": f"{self.url}{post.line_item}/results"}))

    def _accept(self, post: ScorePost) -> None:
        key = (post.line_item, post.body["userId"])
        with self._arrived:
            self.scores.append(post)
            kept = self.gradebook.get(key)
            if kept is None or _when(kept) <= _when(post.body):
                self.gradebook[key] = post.body
            self._arrived.notify_all()

    # -- lifetime ----------------------------------------------------------------------
    def stop(self) -> None:
        self._served.stop()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def _when(body: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(body["timestamp"])


def _oauth_error(code: str, status: int) -> Response:
    return Response(json.dumps({"error": code}), status=status, content_type="application/json")
