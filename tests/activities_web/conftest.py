"""A teacher of the practice LMS course with activities made straight in the database.

The activities are the samples (tests/activities/samples.py) stored as a generation would
store them, so the editor and the player are tested without a model; the fake model is there
only for the regenerate jobs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eduteach.activities import ACTIVITIES
from eduteach.content import artifacts
from eduteach.generation import GenerationResult
from eduteach.lti import sessions
from eduteach.storage.models import Artifact
from tests.activities import samples
from tests.teacher.conftest import Teacher, lti, lti_servers, model, model_server, teacher

__all__ = ["lti", "lti_servers", "model", "model_server", "teacher"]  # fixtures used here


def make_activity(
    teacher: Teacher,
    kind: str,
    *,
    data: dict[str, Any] | None = None,
    warnings: Sequence[str] = (),
    **params: Any,
) -> int:
    """Store an activity of ``kind`` in the teacher's course, as a generation would; its id."""
    output = ACTIVITIES[kind].output.model_validate(data or samples.DATA[kind]())
    db = teacher.lti.tool_app.extensions["eduteach"].db
    with db.session() as s:
        found = sessions.load_session(s, teacher.token)
        assert found is not None
        record, launch = found
        assert record.course_id is not None
        artifact = artifacts.create_artifact(
            s,
            course_id=record.course_id,
            owner_sub=launch.user_sub,
            kind_name=kind,
            params=samples.params(kind, **params),
            result=GenerationResult(
                output=output, provenance={"model": "fake-model"}, warnings=tuple(warnings)
            ),
        )
        return artifact.id


def stored(teacher: Teacher, artifact_id: int) -> tuple[dict[str, Any], list[str], int]:
    """The current data, its warnings and the current version number."""
    db = teacher.lti.tool_app.extensions["eduteach"].db
    with db.session() as s:
        artifact = s.get(Artifact, artifact_id)
        assert artifact is not None
        version = artifacts.current_version(artifact)
        return artifacts.current_data(artifact), list(version.warnings), version.number
