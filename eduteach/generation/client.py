"""One client for any OpenAI-compatible chat-completions endpoint.

Works with OpenAI, Azure OpenAI (``api_version`` set: deployments named by ``model``), Ollama,
vLLM, llama.cpp's server, llama-cpp-python, LM Studio and Foundry Local (all by ``base_url``).
Retries, backoff and ``Retry-After`` are the openai SDK's; the total deadline and the
structured-output fallback are added here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self, cast
from urllib.parse import urlsplit

import httpx2
import openai
from pydantic import BaseModel

from eduteach.generation import _http, errors
from eduteach.generation.prompts import PromptLibrary, default_library
from eduteach.generation.replies import looks_like_refusal, parse_json_object
from eduteach.generation.structured import (
    MODE_ORDER,
    StructuredMode,
    response_format,
    schema_text,
    strict_schema,
)

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletion, ChatCompletionMessageParam

ChatMessage = Mapping[str, str]

_CONTEXT_WORDS = ("context length", "context window", "context size", "maximum context")
# Some servers send a placeholder key; the SDK insists on a non-empty one.
_NO_KEY = "no-key"


@dataclass(frozen=True)
class EndpointConfig:
    """Where and how to reach the model. ``api_key`` never appears in repr or provenance."""

    base_url: str
    model: str
    api_key: str = field(default="", repr=False)
    api_version: str | None = None
    connect_timeout: float = 10.0
    total_timeout: float = 300.0
    max_retries: int = 3
    max_tokens: int = 4096
    offline_draft: bool = False

    def __post_init__(self) -> None:
        if urlsplit(self.base_url).scheme not in ("http", "https"):
            raise ValueError("base_url must start with http:// or https://")
        if not self.model:
            raise ValueError("model must be set (the deployment name for Azure)")
        if min(self.connect_timeout, self.total_timeout) <= 0:
            raise ValueError("timeouts must be positive")
        if self.max_retries < 0 or self.max_tokens < 1:
            raise ValueError("max_retries must be >= 0 and max_tokens >= 1")

    @property
    def host(self) -> str:
        """Host (and port) of the endpoint, without credentials or path."""
        parts = urlsplit(self.base_url)
        host = parts.hostname or ""
        return f"{host}:{parts.port}" if parts.port else host

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> EndpointConfig | None:
        """Read ``EDUTEACH_LLM_*`` variables; None when no endpoint is configured."""
        base_url = environ.get("EDUTEACH_LLM_BASE_URL", "").strip()
        if not base_url:
            return None
        model = environ.get("EDUTEACH_LLM_MODEL", "").strip()
        if not model:
            raise ValueError("EDUTEACH_LLM_MODEL must be set with EDUTEACH_LLM_BASE_URL")
        return cls(
            base_url=base_url,
            model=model,
            api_key=environ.get("EDUTEACH_LLM_API_KEY", ""),
            api_version=environ.get("EDUTEACH_LLM_API_VERSION") or None,
            connect_timeout=float(environ.get("EDUTEACH_LLM_CONNECT_TIMEOUT", "10")),
            total_timeout=float(environ.get("EDUTEACH_LLM_TIMEOUT", "300")),
            max_retries=int(environ.get("EDUTEACH_LLM_MAX_RETRIES", "3")),
            max_tokens=int(environ.get("EDUTEACH_LLM_MAX_TOKENS", "4096")),
        )


class StructuredModeCache(Protocol):
    """Remembers the structured-output mode that works per (base_url, model).

    The web layer can implement this over the database so every worker shares what one
    worker learned.
    """

    def get(self, base_url: str, model: str) -> StructuredMode | None:
        """The remembered mode, or None when not known yet."""
        ...

    def set(self, base_url: str, model: str, mode: StructuredMode) -> None:
        """Remember the mode that worked."""
        ...


class InMemoryModeCache:
    """Thread-safe in-process ``StructuredModeCache``."""

    def __init__(self) -> None:
        self._modes: dict[tuple[str, str], StructuredMode] = {}
        self._lock = threading.Lock()

    def get(self, base_url: str, model: str) -> StructuredMode | None:
        with self._lock:
            return self._modes.get((base_url.rstrip("/"), model))

    def set(self, base_url: str, model: str, mode: StructuredMode) -> None:
        with self._lock:
            self._modes[(base_url.rstrip("/"), model)] = mode


# Shared by clients that are not given a cache, so a process learns each endpoint once.
_PROCESS_MODE_CACHE = InMemoryModeCache()


@dataclass(frozen=True)
class ModelReply:
    """One successful model answer (it may still fail validation)."""

    text: str
    parsed: dict[str, Any] | None
    parse_error: str | None
    finish_reason: str
    prompt_tokens: int
    completion_tokens: int
    mode: StructuredMode
    duration_ms: int
    messages: tuple[dict[str, str], ...]
    """The messages exactly as sent (with the schema hint when the mode needed one)."""


class JsonModel(Protocol):
    """What the engine needs from a model client (``ModelClient`` or a test double)."""

    @property
    def config(self) -> EndpointConfig: ...

    def complete_json(
        self,
        messages: Sequence[ChatMessage],
        schema: type[BaseModel],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
        name: str | None = None,
        schema_hint: str | None = None,
    ) -> ModelReply: ...


class ModelClient:
    """Chat completions returning one JSON object, with structured-output fallback."""

    def __init__(
        self,
        config: EndpointConfig,
        *,
        mode_cache: StructuredModeCache | None = None,
        prompts: PromptLibrary | None = None,
    ) -> None:
        self._config = config
        self._cache: StructuredModeCache = mode_cache or _PROCESS_MODE_CACHE
        self._prompts = prompts
        self._http = _http.GuardedHttpClient()
        self._sdk = self._build_sdk(config, self._http)
        # Learned from 400 answers of reasoning models; per client, cheap to relearn.
        self._limit_param = "max_tokens"
        self._send_temperature = True

    @staticmethod
    def _build_sdk(config: EndpointConfig, http: httpx2.Client) -> openai.OpenAI:
        timeout = httpx2.Timeout(config.total_timeout, connect=config.connect_timeout)
        if config.api_version:
            return openai.AzureOpenAI(
                azure_endpoint=config.base_url,
                azure_deployment=config.model,
                api_version=config.api_version,
                api_key=config.api_key or _NO_KEY,
                timeout=timeout,
                max_retries=config.max_retries,
                http_client=http,
            )
        return openai.OpenAI(
            base_url=config.base_url,
            api_key=config.api_key or _NO_KEY,
            timeout=timeout,
            max_retries=config.max_retries,
            http_client=http,
        )

    @property
    def config(self) -> EndpointConfig:
        """The endpoint this client talks to."""
        return self._config

    def close(self) -> None:
        """Release pooled connections."""
        self._sdk.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def list_models(self) -> list[str]:
        """Model ids the endpoint offers (``GET /models``): a connection check for admins."""
        with _http.call_deadline(self._config.total_timeout) as state:
            try:
                page = self._sdk.models.list()
                return [model.id for model in page.data]
            except (openai.OpenAIError, _http.DeadlineExceeded) as exc:
                raise _map_error(exc, state) from None

    def complete_json(
        self,
        messages: Sequence[ChatMessage],
        schema: type[BaseModel],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
        name: str | None = None,
        schema_hint: str | None = None,
    ) -> ModelReply:
        """Ask for one JSON object shaped like ``schema``.

        Tries the remembered structured mode (or the strongest one) and falls back when the
        endpoint rejects it. In modes where the server does not see the schema, ``schema_hint``
        (default: the shared schema fragment; ``""``: none) is appended to the system message.
        Raises a ``GenerationError`` subclass for refusals, truncation, timeouts and endpoint
        failures; an unparseable answer is returned with ``parse_error`` so the caller can ask
        for a repair.
        """
        started = time.monotonic()
        tokens = max_tokens or self._config.max_tokens
        hint = schema_hint if schema_hint is not None else self._default_hint(schema)
        known = self._cache.get(self._config.base_url, self._config.model)
        modes = MODE_ORDER[MODE_ORDER.index(known) :] if known else MODE_ORDER
        can_be_strict = strict_schema(schema) is not None
        with _http.call_deadline(self._config.total_timeout) as state:
            for mode in modes:
                if mode is StructuredMode.JSON_SCHEMA:
                    sent = tuple(dict(m) for m in messages)
                    stricts = (True, False) if can_be_strict else (False,)
                else:
                    sent = _with_hint(messages, hint)
                    stricts = (False,)
                for strict in stricts:
                    fmt = response_format(mode, schema, name=name or schema.__name__, strict=strict)
                    try:
                        completion = self._create(sent, fmt, tokens, temperature)
                    except openai.APIStatusError as exc:
                        if fmt is None or not _is_format_rejection(exc):
                            raise _map_error(exc, state) from None
                        if strict and exc.status_code < 500:
                            continue  # a complaint about strict mode: same schema, not strict
                        break
                    except (openai.OpenAIError, _http.DeadlineExceeded) as exc:
                        raise _map_error(exc, state) from None
                    if mode is not known:
                        self._cache.set(self._config.base_url, self._config.model, mode)
                    return _reply(completion, sent, mode, tokens, started)
        raise errors.EndpointConfigError("every structured-output mode was rejected")

    def _default_hint(self, schema: type[BaseModel]) -> str:
        library = self._prompts or default_library()
        return library.schema_hint(schema_text(schema))

    def _create(
        self,
        messages: tuple[dict[str, str], ...],
        fmt: dict[str, Any] | None,
        max_tokens: int,
        temperature: float | None,
    ) -> ChatCompletion:
        # Reasoning models reject max_tokens and custom temperatures with a 400 that names
        # the parameter; adapt once each and keep going.
        for _ in range(3):
            body: dict[str, Any] = {self._limit_param: max_tokens}
            if fmt is not None:
                body["response_format"] = fmt
            if temperature is not None and self._send_temperature:
                body["temperature"] = temperature
            try:
                return self._sdk.chat.completions.create(
                    model=self._config.model,
                    messages=cast("list[ChatCompletionMessageParam]", list(messages)),
                    extra_body=body,
                )
            except openai.BadRequestError as exc:
                text = _error_text(exc)
                if self._limit_param == "max_tokens" and "max_completion_tokens" in text:
                    self._limit_param = "max_completion_tokens"
                elif self._send_temperature and "temperature" in text and temperature is not None:
                    self._send_temperature = False
                else:
                    raise
        raise errors.EndpointConfigError("the endpoint kept rejecting request parameters")


def _with_hint(messages: Sequence[ChatMessage], hint: str) -> tuple[dict[str, str], ...]:
    """Messages with the schema hint appended to the system message.

    Appended rather than sent as a second system message: several local chat templates
    accept only one system message, at the start.
    """
    sent = [dict(m) for m in messages]
    if not hint:
        return tuple(sent)
    if sent and sent[0].get("role") == "system":
        sent[0]["content"] = f"{sent[0].get('content', '')}\n\n{hint}"
    else:
        sent.insert(0, {"role": "system", "content": hint})
    return tuple(sent)


def _error_text(exc: openai.APIStatusError) -> str:
    return f"{exc.message} {exc.body!s}"


def _is_format_rejection(exc: openai.APIStatusError) -> bool:
    return exc.status_code in (400, 415, 422, 500, 501) and _http.mentions_response_format(
        _error_text(exc)
    )


def _map_error(exc: Exception, state: _http.CallState) -> errors.GenerationError:
    """Turn an SDK or deadline error into the teacher-facing error class."""
    if isinstance(exc, _http.DeadlineExceeded):
        if state.last_failure == 429:
            return errors.RateLimitedError("rate limited until the deadline")
        if state.last_failure is not None:
            return errors.EndpointUnreachableError(f"HTTP {state.last_failure} until the deadline")
        return errors.GenerationTimeoutError("no answer within the total timeout")
    if isinstance(exc, openai.APITimeoutError):
        return errors.GenerationTimeoutError("request timed out after retries")
    if isinstance(exc, openai.APIConnectionError):
        return errors.EndpointUnreachableError(f"connection failed: {type(exc.__cause__).__name__}")
    if isinstance(exc, openai.APIStatusError):
        return _map_status(exc)
    return errors.GenerationError(type(exc).__name__)


def _map_status(exc: openai.APIStatusError) -> errors.GenerationError:
    status = exc.status_code
    text = _error_text(exc)
    detail = f"HTTP {status}: {exc.message}"[:500]
    if status == 429:
        return errors.RateLimitedError(
            detail, retry_after=_http.retry_after_seconds(exc.response.headers)
        )
    if status >= 500:
        return errors.EndpointUnreachableError(detail)
    if "content_filter" in text or "content_policy" in text:
        return errors.RefusalError(detail)
    lowered = text.lower()
    if "context_length_exceeded" in lowered or any(w in lowered for w in _CONTEXT_WORDS):
        return errors.PromptTooLongError(detail)
    return errors.EndpointConfigError(detail)


def _reply(
    completion: ChatCompletion,
    messages: tuple[dict[str, str], ...],
    mode: StructuredMode,
    max_tokens: int,
    started: float,
) -> ModelReply:
    if not completion.choices:
        raise errors.GenerationError("the endpoint returned no choices")
    choice = completion.choices[0]
    message = choice.message
    finish_reason = str(choice.finish_reason or "")
    if message.refusal:
        raise errors.RefusalError("the model set the refusal field")
    if finish_reason == "content_filter":
        raise errors.RefusalError("the endpoint's content filter stopped the answer")
    if finish_reason == "length":
        raise errors.TruncatedOutputError(f"stopped at max_tokens={max_tokens}")
    text = message.content or ""
    parsed, problem = parse_json_object(text)
    if parsed is None and looks_like_refusal(text):
        raise errors.RefusalError("the model answered with a refusal instead of JSON")
    usage = completion.usage
    return ModelReply(
        text=text,
        parsed=parsed,
        parse_error=problem,
        finish_reason=finish_reason,
        prompt_tokens=int(usage.prompt_tokens or 0) if usage else 0,
        completion_tokens=int(usage.completion_tokens or 0) if usage else 0,
        mode=mode,
        duration_ms=round((time.monotonic() - started) * 1000),
        messages=messages,
    )
