"""Progress reporting shared by the model files and the runtime."""

from __future__ import annotations

from collections.abc import Callable

# progress(stage, done, total): bytes for download/assemble/verify, build steps for build;
# total 0 means "not known yet" (show a spinner, not a bar).
ProgressCallback = Callable[[str, int, int], None]

STAGE_DOWNLOAD = "download"
STAGE_ASSEMBLE = "assemble"
STAGE_VERIFY = "verify"
STAGE_BUILD = "build"
STAGE_INSTALL = "install"


def no_progress(stage: str, done: int, total: int) -> None:
    """A progress callback that shows nothing."""
