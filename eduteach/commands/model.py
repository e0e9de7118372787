"""Which model a command-line generation uses: the configured endpoint, else the offline one.

Nothing here needs the database: the structured-output mode an endpoint accepts is learnt
once per run and kept in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from eduteach.config import Settings
from eduteach.content.endpoint import endpoint_config
from eduteach.generation import EndpointConfig

# The offline model writes about 20 tokens a second on two cores: a long plan plus one
# repair round takes minutes, not the seconds a hosted endpoint needs.
EMBEDDED_TIMEOUT = 1800.0
# Room for the prompt (instructions and schema, about 2,500 tokens), the capped sources, a
# previous answer in a repair round, and the longest answer (4,000 tokens).
EMBEDDED_CONTEXT = 12288
EMBEDDED_SOURCE_CHARS = 12_000
"""Source text the offline model gets, at most (about 3,000 tokens): its context is small."""

NO_MODEL_MESSAGE = (
    "No AI model is set up. Either point EduTeach at an OpenAI-compatible endpoint:\n"
    "  export EDUTEACH_LLM_BASE_URL=https://api.openai.com/v1   (or Ollama, vLLM, LM Studio ...)\n"
    "  export EDUTEACH_LLM_MODEL=gpt-4o-mini\n"
    "  export EDUTEACH_LLM_API_KEY=...\n"
    "or set up the offline model once on this machine (about 1 GB, 5 to 10 minutes):\n"
    "  scripts/setup_embedded_model.sh   (same as: python -m eduteach.embedded setup)"
)


class ModelUnavailableError(Exception):
    """No model can be used for this run; the message says what to do."""


def embedded_model_path() -> Path | None:
    """The verified offline model file when the offline model is set up, else None.

    Cheap: it checks the runtime is installed and the model file's verification stamp; it
    never downloads or builds anything.
    """
    from eduteach.embedded import QWEN_MODEL, RuntimeState, default_models_dir, is_verified
    from eduteach.embedded import runtime_state as embedded_runtime_state

    if embedded_runtime_state() is not RuntimeState.READY:
        return None
    path = default_models_dir() / QWEN_MODEL.filename
    return path if is_verified(path, QWEN_MODEL) else None


@contextmanager
def embedded_endpoint(notify: Callable[[str], None]) -> Iterator[EndpointConfig]:
    """Start the offline model's server for one run and stop it afterwards."""
    from eduteach.embedded import QWEN_MODEL, EmbeddedModelError, EmbeddedServer

    path = embedded_model_path()
    if path is None:
        raise ModelUnavailableError(NO_MODEL_MESSAGE)
    notify(f"No endpoint is configured: starting the offline model ({QWEN_MODEL.alias}).")
    server = EmbeddedServer(path, QWEN_MODEL, n_ctx=EMBEDDED_CONTEXT)
    try:
        server.start()
    except EmbeddedModelError as exc:
        raise ModelUnavailableError(f"The offline model could not be started: {exc}") from None
    try:
        yield EndpointConfig(
            base_url=server.base_url,
            model=server.model_name,
            total_timeout=EMBEDDED_TIMEOUT,
            # One generation at a time on a local CPU: a retry would only queue behind itself.
            max_retries=0,
            offline_draft=True,
        )
    finally:
        server.stop()


@contextmanager
def model_endpoint(settings: Settings, notify: Callable[[str], None]) -> Iterator[EndpointConfig]:
    """The configured endpoint, or the offline model (started for this run) when none is."""
    try:
        config = endpoint_config(settings)
    except ValueError as exc:
        raise ModelUnavailableError(f"The EDUTEACH_LLM_* settings are not valid: {exc}.") from None
    if config is not None:
        yield config
        return
    with embedded_endpoint(notify) as offline:
        yield offline
