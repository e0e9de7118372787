"""The embedded offline model: Qwen2.5-Coder-1.5B run locally with llama-cpp-python.

Used when no model endpoint is configured. Set-up happens once per machine::

    ensure_runtime(progress)
    path = ensure_model(default_models_dir(), progress)
    with EmbeddedServer(path) as server:
        ...  # any OpenAI-compatible client at server.base_url, model server.model_name

Library code only: no Flask, no other EduTeach package.
"""

from eduteach.embedded.errors import EmbeddedModelError
from eduteach.embedded.model_files import (
    default_cache_dir,
    default_models_dir,
    ensure_model,
    is_verified,
)
from eduteach.embedded.pins import QWEN_MODEL, SMOLLM2_FIXTURE, ModelSpec
from eduteach.embedded.progress import (
    STAGE_ASSEMBLE,
    STAGE_BUILD,
    STAGE_DOWNLOAD,
    STAGE_INSTALL,
    STAGE_VERIFY,
    ProgressCallback,
    no_progress,
)
from eduteach.embedded.runtime import (
    EmbeddedServer,
    RuntimeState,
    default_wheel_cache,
    ensure_runtime,
    runtime_state,
)

__all__ = [
    "QWEN_MODEL",
    "SMOLLM2_FIXTURE",
    "STAGE_ASSEMBLE",
    "STAGE_BUILD",
    "STAGE_DOWNLOAD",
    "STAGE_INSTALL",
    "STAGE_VERIFY",
    "EmbeddedModelError",
    "EmbeddedServer",
    "ModelSpec",
    "ProgressCallback",
    "RuntimeState",
    "default_cache_dir",
    "default_models_dir",
    "default_wheel_cache",
    "ensure_model",
    "ensure_runtime",
    "is_verified",
    "no_progress",
    "runtime_state",
]
