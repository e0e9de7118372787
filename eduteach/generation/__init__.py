"""Generation engine: model client, prompts, validation and repair.

Typical use::

    client = ModelClient(EndpointConfig(base_url=..., model=..., api_key=...))
    spec = GenerationSpec(kind="lesson_plan", output=LessonPlan, validators=[...])
    result = generate(client, spec, params, sources, progress=callback)
    result.output, result.provenance, result.warnings
"""

from eduteach.generation.client import (
    EndpointConfig,
    InMemoryModeCache,
    JsonModel,
    ModelClient,
    ModelReply,
    StructuredModeCache,
)
from eduteach.generation.engine import (
    Fixer,
    GenerationResult,
    GenerationSpec,
    ProgressCallback,
    Validator,
    generate,
    messages_sha256,
    regenerate_part,
)
from eduteach.generation.errors import (
    EndpointConfigError,
    EndpointUnreachableError,
    GenerationError,
    GenerationTimeoutError,
    InvalidOutputError,
    PromptTooLongError,
    RateLimitedError,
    RefusalError,
    TruncatedOutputError,
)
from eduteach.generation.parts import PartPathError
from eduteach.generation.prompts import (
    PromptLibrary,
    PromptTemplateError,
    SourceText,
    cap_sources,
    default_library,
    frame_sources,
    new_boundary,
)
from eduteach.generation.structured import StructuredMode

__all__ = [
    "EndpointConfig",
    "EndpointConfigError",
    "EndpointUnreachableError",
    "Fixer",
    "GenerationError",
    "GenerationResult",
    "GenerationSpec",
    "GenerationTimeoutError",
    "InMemoryModeCache",
    "InvalidOutputError",
    "JsonModel",
    "ModelClient",
    "ModelReply",
    "PartPathError",
    "ProgressCallback",
    "PromptLibrary",
    "PromptTemplateError",
    "PromptTooLongError",
    "RateLimitedError",
    "RefusalError",
    "SourceText",
    "StructuredMode",
    "StructuredModeCache",
    "TruncatedOutputError",
    "Validator",
    "cap_sources",
    "default_library",
    "frame_sources",
    "generate",
    "messages_sha256",
    "new_boundary",
    "regenerate_part",
]
