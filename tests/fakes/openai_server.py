"""A local HTTP server speaking the OpenAI chat-completions wire format, for tests.

The openai SDK 3.x sends through ``httpx2``, so transport mocks for ``httpx`` do not see its
requests; this is a real server on 127.0.0.1 (pytest-httpserver, threaded).

Usage::

    with FakeOpenAI() as fake:                      # or the ``fake_model`` fixture
        fake.enqueue_json({"title": "Fractions"})  # next answer: this object as JSON text
        fake.enqueue(status=429, headers={"Retry-After": "1"})
        config = EndpointConfig(base_url=fake.base_url, model=fake.model)
        ...
        fake.requests[-1]["response_format"]       # what the client sent

Queued replies are served first, in order. With the queue empty, ``responder(request_json)``
answers; the default responder fills in a minimal object that fits the JSON Schema sent in
``response_format`` (``{}`` when none was sent), so a page that generates without queued
answers still gets a well-formed reply. A responder may return a dict (the answer object) or
a ``FakeReply`` (full control: status, delay, finish_reason ...).

Routes: ``POST /v1/chat/completions`` (non-streaming, and SSE when ``"stream": true``),
``GET /v1/models``, and Azure's ``POST /openai/deployments/<name>/chat/completions``.
"""

from __future__ import annotations

import collections
import itertools
import json
import math
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

LLAMA_CPP_JSON_SCHEMA_ERROR: dict[str, Any] = {
    "error": {
        "code": 500,
        "message": 'response_format type must be one of "text" or "json_object", '
        "but got: json_schema",
        "type": "server_error",
    }
}
"""What llama.cpp's server answers (HTTP 500) to ``response_format: {"type": "json_schema"}``."""

_STREAM_PIECE = 16


@dataclass
class FakeReply:
    """One scripted answer.

    ``content`` is the assistant text of a normal completion. ``body`` (dict, str or bytes)
    replaces the whole response body; with ``status`` >= 400 and no ``body`` an
    OpenAI-style error body is sent. ``delay`` seconds pass before answering (a "hang" when
    longer than the client's timeout; the server's ``stop()`` cuts it short).
    """

    content: str | None = ""
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    body: dict[str, Any] | str | bytes | None = None
    delay: float = 0.0
    finish_reason: str = "stop"
    refusal: str | None = None
    usage: Mapping[str, int] | None = None


Responder = Callable[[dict[str, Any]], "dict[str, Any] | FakeReply"]


def _response_format_kind(body: Mapping[str, Any]) -> str | None:
    fmt = body.get("response_format")
    if not isinstance(fmt, dict):
        return None
    kind = str(fmt.get("type", ""))
    if kind == "json_object" and "schema" in fmt:
        return "json_object_schema"
    return kind or None


def requested_schema(body: Mapping[str, Any]) -> dict[str, Any] | None:
    """The JSON Schema a chat request carries in ``response_format``, if any."""
    fmt = body.get("response_format")
    if not isinstance(fmt, dict):
        return None
    if fmt.get("type") == "json_schema":
        schema = fmt.get("json_schema", {}).get("schema")
    else:
        schema = fmt.get("schema")
    return schema if isinstance(schema, dict) else None


def example_for_schema(schema: Mapping[str, Any]) -> Any:
    """A small value that satisfies ``schema`` (objects, arrays, strings, numbers, enums)."""
    root = dict(schema)

    def build(node: Mapping[str, Any], depth: int) -> Any:
        if "$ref" in node:
            target: Any = root
            for part in str(node["$ref"]).removeprefix("#/").split("/"):
                target = target[part]
            return build(target, depth + 1)
        if "const" in node:
            return node["const"]
        if node.get("enum"):
            return node["enum"][0]
        for union in ("anyOf", "oneOf"):
            if union in node:
                arms = [a for a in node[union] if a.get("type") != "null"] or node[union]
                return build(arms[0], depth + 1)
        if "allOf" in node:
            return build(node["allOf"][0], depth + 1)
        kind = node.get("type", "object")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind == "object":
            props = node.get("properties", {})
            return {name: build(sub, depth + 1) for name, sub in props.items()}
        if kind == "array":
            count = max(int(node.get("minItems", 1)), 1) if depth < 8 else 0
            return [build(node.get("items", {}), depth + 1) for _ in range(count)]
        if kind == "string":
            text = "Example text"
            minimum = int(node.get("minLength", 0))
            maximum = int(node.get("maxLength", len(text)))
            return (text * (minimum // len(text) + 1))[: max(minimum, min(len(text), maximum))]
        if kind in ("integer", "number"):
            low = node.get("minimum", node.get("exclusiveMinimum", 0))
            if "exclusiveMinimum" in node and "minimum" not in node:
                low += 1
            value = max(low, 1) if "maximum" not in node else min(max(low, 1), node["maximum"])
            return math.ceil(value) if kind == "integer" else value
        if kind == "boolean":
            return True
        return None

    return build(root, 0)


def default_responder(body: dict[str, Any]) -> dict[str, Any]:
    """Answers with an example of the requested schema, or ``{}`` without one."""
    schema = requested_schema(body)
    if schema is None:
        return {}
    value = example_for_schema(schema)
    return value if isinstance(value, dict) else {}


class _QuickStopServer(HTTPServer):
    """pytest-httpserver polls for shutdown every 0.5 s by default; tests stop many servers."""

    def thread_target(self) -> None:
        assert self.server is not None
        self.server.serve_forever(poll_interval=0.02)


class FakeOpenAI:
    """An OpenAI-compatible endpoint on 127.0.0.1 with scripted answers.

    ``reject_json_schema=True`` behaves like llama.cpp: HTTP 500 for ``json_schema``.
    ``rejected_formats`` maps a format (``"json_schema"``, ``"json_object_schema"`` for
    ``json_object`` with a ``schema``, ``"json_object"``) to the status that rejects it.
    ``api_key`` makes requests without ``Authorization: Bearer <api_key>`` fail with 401.
    ``latency`` and ``tokens_per_second`` add a model-like delay to every answer.
    """

    def __init__(
        self,
        *,
        model: str = "fake-model",
        reject_json_schema: bool = False,
        rejected_formats: Mapping[str, int] | None = None,
        responder: Responder | None = None,
        api_key: str | None = None,
        latency: float = 0.0,
        tokens_per_second: float | None = None,
    ) -> None:
        self.model = model
        self.rejected_formats: dict[str, int] = dict(rejected_formats or {})
        if reject_json_schema:
            self.rejected_formats.setdefault("json_schema", 500)
        self.responder: Responder = responder or default_responder
        self.api_key = api_key
        self.latency = latency
        self.tokens_per_second = tokens_per_second
        self.requests: list[dict[str, Any]] = []
        """Parsed JSON bodies of every chat request received, rejected ones included."""
        self.request_headers: list[dict[str, str]] = []
        self.server: HTTPServer = _QuickStopServer(host="127.0.0.1", threaded=True)
        self._queue: collections.deque[FakeReply] = collections.deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._ids = itertools.count(1)
        self.server.expect_request("/v1/chat/completions", method="POST").respond_with_handler(
            self._chat
        )
        self.server.expect_request(
            re.compile(r"^/openai/deployments/[^/]+/chat/completions$"), method="POST"
        ).respond_with_handler(self._chat)
        self.server.expect_request("/v1/models", method="GET").respond_with_handler(self._models)

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Start serving on a free port."""
        self._stopping.clear()
        self.server.start()

    def stop(self) -> None:
        """Stop serving; replies still sleeping in a ``delay`` return at once."""
        self._stopping.set()
        if self.server.is_running():
            self.server.stop()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """The OpenAI-style base URL, ending in ``/v1``."""
        return self.server.url_for("/v1")

    @property
    def root_url(self) -> str:
        """The server root, e.g. for an Azure ``azure_endpoint``."""
        return self.server.url_for("/").rstrip("/")

    # -- scripting -------------------------------------------------------------------------

    def enqueue(
        self,
        content: str | None = "",
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        body: dict[str, Any] | str | bytes | None = None,
        delay: float = 0.0,
        finish_reason: str = "stop",
        refusal: str | None = None,
        usage: Mapping[str, int] | None = None,
        times: int = 1,
    ) -> None:
        """Queue ``times`` identical answers (see ``FakeReply`` for the fields)."""
        reply = FakeReply(
            content=content,
            status=status,
            headers=dict(headers or {}),
            body=body,
            delay=delay,
            finish_reason=finish_reason,
            refusal=refusal,
            usage=usage,
        )
        with self._lock:
            self._queue.extend(reply for _ in range(times))

    def enqueue_json(self, obj: Any, **options: Any) -> None:
        """Queue an answer whose content is ``obj`` as JSON text."""
        self.enqueue(json.dumps(obj), **options)

    def enqueue_text(self, text: str, **options: Any) -> None:
        """Queue an answer with this exact content (e.g. broken JSON or prose)."""
        self.enqueue(text, **options)

    def enqueue_error(
        self,
        status: int,
        message: str = "fake error",
        *,
        headers: Mapping[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Queue an HTTP error with an OpenAI-style error body."""
        body = {"error": {"message": message, "type": "fake_error", "code": status}}
        self.enqueue(None, status=status, headers=headers, body=body, times=times)

    @property
    def pending(self) -> int:
        """How many queued answers are left."""
        with self._lock:
            return len(self._queue)

    def clear(self) -> None:
        """Forget queued answers and recorded requests."""
        with self._lock:
            self._queue.clear()
            self.requests.clear()
            self.request_headers.clear()

    # -- handlers --------------------------------------------------------------------------

    def _authorized(self, request: Request) -> bool:
        if self.api_key is None:
            return True
        bearer = request.headers.get("Authorization", "")
        return bearer == f"Bearer {self.api_key}" or request.headers.get("api-key") == self.api_key

    def _models(self, request: Request) -> Response:
        if not self._authorized(request):
            return _error_response(401, "invalid api key")
        data = {
            "object": "list",
            "data": [{"id": self.model, "object": "model", "owned_by": "fake"}],
        }
        return Response(json.dumps(data), status=200, content_type="application/json")

    def _chat(self, request: Request) -> Response:
        body = request.get_json(silent=True)
        body = body if isinstance(body, dict) else {}
        with self._lock:
            self.requests.append(body)
            self.request_headers.append(dict(request.headers))
        if not self._authorized(request):
            return _error_response(401, "invalid api key")
        kind = _response_format_kind(body)
        if kind in self.rejected_formats:
            status = self.rejected_formats[kind]
            if kind == "json_schema" and status == 500:
                return Response(
                    json.dumps(LLAMA_CPP_JSON_SCHEMA_ERROR),
                    status=500,
                    content_type="application/json",
                )
            return _error_response(status, f"response_format type {kind} is not supported")
        with self._lock:
            queued = self._queue.popleft() if self._queue else None
        reply = queued if queued is not None else self._from_responder(body)
        return self._answer(body, reply)

    def _from_responder(self, body: dict[str, Any]) -> FakeReply:
        answer = self.responder(body)
        if isinstance(answer, FakeReply):
            return answer
        return FakeReply(content=json.dumps(answer))

    def _answer(self, body: dict[str, Any], reply: FakeReply) -> Response:
        content = reply.content or ""
        completion_tokens = max(1, len(content) // 4)
        delay = reply.delay + self.latency
        if self.tokens_per_second and reply.status == 200:
            delay += completion_tokens / self.tokens_per_second
        if delay > 0:
            self._stopping.wait(delay)
        if reply.body is not None or reply.status >= 400:
            raw = reply.body if reply.body is not None else _error_body(reply.status)
            payload = json.dumps(raw) if isinstance(raw, dict) else raw
            return Response(
                payload,
                status=reply.status,
                headers=dict(reply.headers),
                content_type="application/json",
            )
        usage = dict(reply.usage) if reply.usage is not None else _usage(body, completion_tokens)
        if body.get("stream"):
            return self._stream(body, reply, usage)
        completion = {
            "id": f"chatcmpl-fake-{next(self._ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": str(body.get("model", self.model)),
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": reply.content,
                        "refusal": reply.refusal,
                    },
                    "finish_reason": reply.finish_reason,
                    "logprobs": None,
                }
            ],
            "usage": usage,
        }
        return Response(
            json.dumps(completion),
            status=reply.status,
            headers=dict(reply.headers),
            content_type="application/json",
        )

    def _stream(self, body: dict[str, Any], reply: FakeReply, usage: dict[str, int]) -> Response:
        ident = f"chatcmpl-fake-{next(self._ids)}"
        model = str(body.get("model", self.model))
        content = reply.content or ""
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))

        def chunk(delta: dict[str, Any], finish: str | None) -> str:
            data = {
                "id": ident,
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            return f"data: {json.dumps(data)}\n\n"

        def events() -> Iterator[str]:
            yield chunk({"role": "assistant", "content": ""}, None)
            for start in range(0, len(content), _STREAM_PIECE):
                yield chunk({"content": content[start : start + _STREAM_PIECE]}, None)
            if reply.refusal:
                yield chunk({"refusal": reply.refusal}, None)
            yield chunk({}, reply.finish_reason)
            if include_usage:
                tail = {
                    "id": ident,
                    "object": "chat.completion.chunk",
                    "created": int(time.time()),
                    "model": model,
                    "choices": [],
                    "usage": usage,
                }
                yield f"data: {json.dumps(tail)}\n\n"
            yield "data: [DONE]\n\n"

        return Response(events(), status=200, content_type="text/event-stream")


def _usage(body: Mapping[str, Any], completion_tokens: int) -> dict[str, int]:
    messages = body.get("messages") or []
    chars = sum(len(str(m.get("content", ""))) for m in messages if isinstance(m, dict))
    prompt_tokens = max(1, chars // 4)
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def _error_body(status: int) -> dict[str, Any]:
    return {"error": {"message": f"fake HTTP {status}", "type": "fake_error", "code": status}}


def _error_response(status: int, message: str) -> Response:
    body = {"error": {"message": message, "type": "invalid_request_error", "code": status}}
    return Response(json.dumps(body), status=status, content_type="application/json")
