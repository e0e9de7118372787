"""SQLAlchemy 2 typed models.

Everything a teacher or student does is scoped by platform (issuer + client_id), deployment
and course. No table stores a user's name or email: users are the platform's opaque ``sub``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: DateTime(timezone=True), dict[str, Any]: JSON}


class Platform(Base):
    """An LMS registration: one (issuer, client_id) pair, with its deployments."""

    __tablename__ = "platforms"
    __table_args__ = (UniqueConstraint("issuer", "client_id", name="uq_platform_issuer_client"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    issuer: Mapped[str] = mapped_column(String(500))
    client_id: Mapped[str] = mapped_column(String(255))
    auth_login_url: Mapped[str] = mapped_column(String(1000))
    auth_token_url: Mapped[str] = mapped_column(String(1000))
    key_set_url: Mapped[str] = mapped_column(String(1000))
    # Origins allowed to frame the tool besides those derived from the URLs above
    # (a Canvas school serves its pages from its own domain, not from the issuer's).
    frame_origins: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    deployments: Mapped[list[Deployment]] = relationship(
        back_populates="platform", cascade="all, delete-orphan", order_by="Deployment.id"
    )


class Deployment(Base):
    __tablename__ = "deployments"
    __table_args__ = (
        UniqueConstraint("platform_id", "deployment_id", name="uq_deployment_platform"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"))
    deployment_id: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    platform: Mapped[Platform] = relationship(back_populates="deployments")


class ToolKey(Base):
    """The tool's own RSA signing keys, published at the JWKS URL until retired."""

    __tablename__ = "tool_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    private_pem: Mapped[str] = mapped_column(Text)
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JSON)
    # active: signs; previous: still published so tokens signed with it verify; retired: gone.
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(default=None)


class KeyValue(Base):
    """Short-lived shared state (OIDC state, used nonces, JWKS cache) for all workers."""

    __tablename__ = "kv_entries"
    __table_args__ = (Index("ix_kv_entries_expires_at", "expires_at"),)

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column()


class Course(Base):
    __tablename__ = "courses"
    __table_args__ = (
        UniqueConstraint("deployment_pk", "context_id", name="uq_course_deployment_context"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_pk: Mapped[int] = mapped_column(ForeignKey("deployments.id", ondelete="CASCADE"))
    context_id: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(500), default="")
    label: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LaunchRecord(Base):
    """A validated launch, kept server-side; the browser holds only a token naming it."""

    __tablename__ = "launches"
    __table_args__ = (Index("ix_launches_expires_at", "expires_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    context: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()


class Artifact(Base):
    """Something a teacher made in a course: a lesson plan, a unit plan, later activities.

    Drafts are private to the course's teachers until published. The content lives in
    versions, so an edit or a regenerated section can be undone.
    """

    __tablename__ = "artifacts"
    __table_args__ = (Index("ix_artifacts_course_updated", "course_id", "updated_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    owner_sub: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    offline_draft: Mapped[bool] = mapped_column(default=False)
    current_version: Mapped[int] = mapped_column(default=1)
    # A lesson plan expanded from lesson N of a unit plan points back at the unit.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("artifacts.id", ondelete="SET NULL"))
    parent_slot: Mapped[int | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[ArtifactVersion]] = relationship(
        back_populates="artifact", cascade="all, delete-orphan", order_by="ArtifactVersion.number"
    )


class ArtifactVersion(Base):
    __tablename__ = "artifact_versions"
    __table_args__ = (UniqueConstraint("artifact_id", "number", name="uq_artifact_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    artifact_id: Mapped[int] = mapped_column(ForeignKey("artifacts.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Model, endpoint, template and version, parameters, prompt hash, tokens, duration,
    # source hashes: for a teacher's edit, just who and what.
    provenance: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    artifact: Mapped[Artifact] = relationship(back_populates="versions")


class GenerationJob(Base):
    """Background work for a teacher, with its progress, visible from any worker."""

    __tablename__ = "generation_jobs"
    __table_args__ = (Index("ix_generation_jobs_status", "status", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    owner_sub: Mapped[str] = mapped_column(String(255))
    # create | regenerate_part | expand_lesson
    action: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Teacher-provided sources as extracted text (label, text, sha256); never student data.
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    target_artifact_id: Mapped[int | None] = mapped_column(
        ForeignKey("artifacts.id", ondelete="CASCADE")
    )
    target_path: Mapped[str] = mapped_column(String(255), default="")
    instruction: Mapped[str] = mapped_column(Text, default="")
    # queued | running | succeeded | failed
    status: Mapped[str] = mapped_column(String(16), default="queued")
    stage: Mapped[str] = mapped_column(String(200), default="Waiting to start")
    progress: Mapped[float] = mapped_column(default=0.0)
    error_code: Mapped[str] = mapped_column(String(64), default="")
    error_message: Mapped[str] = mapped_column(Text, default="")
    result_artifact_id: Mapped[int | None] = mapped_column(
        ForeignKey("artifacts.id", ondelete="SET NULL")
    )
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


class StructuredModeEntry(Base):
    """Which structured-output mode an endpoint accepted, shared by every worker."""

    __tablename__ = "structured_modes"

    base_url: Mapped[str] = mapped_column(String(500), primary_key=True)
    model: Mapped[str] = mapped_column(String(255), primary_key=True)
    mode: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Publication(Base):
    """An activity made available to students of its course, with the teacher's settings.

    The LMS link (deep linking content item, or a copied link) carries ``token`` in its custom
    parameters: it names this publication and nothing else, and is only honoured in launches
    from the publication's own course.
    """

    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    artifact_id: Mapped[int] = mapped_column(ForeignKey("artifacts.id", ondelete="CASCADE"))
    created_by: Mapped[str] = mapped_column(String(255))
    # Graded activities send scores to the LMS; practice ones (flashcards, self-quiz) do not.
    graded: Mapped[bool] = mapped_column(default=True)
    score_maximum: Mapped[float] = mapped_column(default=10.0)
    # attempts_allowed (int, 0 = unlimited), feedback ("after_submit" | "after_due"),
    # due_at (ISO time or ""), shuffle (bool)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The line item made through AGS when published outside deep linking (its URL).
    line_item_url: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    artifact: Mapped[Artifact] = relationship()


class Placement(Base):
    """A resource link in the LMS that opens a publication, learned at its first launch.

    ``line_item_url`` is the AGS line item the platform named for this resource link in that
    (signed) launch: scores go there and nowhere else.
    """

    __tablename__ = "placements"
    __table_args__ = (UniqueConstraint("course_id", "resource_link_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    resource_link_id: Mapped[str] = mapped_column(String(255))
    publication_id: Mapped[int] = mapped_column(ForeignKey("publications.id", ondelete="CASCADE"))
    line_item_url: Mapped[str] = mapped_column(String(1000), default="")
    # Scopes the platform granted in the launch's AGS claim.
    ags_scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    publication: Mapped[Publication] = relationship()


class Attempt(Base):
    """A student's submitted work on a placement, scored on the server.

    ``submit_key`` comes from the form the student submitted: a double click or a retried
    request carries the same key and finds this attempt instead of making a second one.
    """

    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("placement_id", "user_sub", "submit_key"),
        Index("ix_attempts_placement_user", "placement_id", "user_sub"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id", ondelete="CASCADE"))
    user_sub: Mapped[str] = mapped_column(String(255))
    submit_key: Mapped[str] = mapped_column(String(64))
    artifact_version: Mapped[int] = mapped_column()
    responses: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Per item: {"item": id, "points": p, "max_points": m}
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    points: Mapped[float] = mapped_column(default=0.0)
    max_points: Mapped[float] = mapped_column(default=0.0)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)


class ScoreDelivery(Base):
    """A score on its way to the LMS gradebook (the outbox), written with its attempt.

    status: pending (to send, at ``next_try_at``) | delivered | superseded (a newer attempt
    of the same student replaced it before it went) | needs_attention (the LMS refused it for
    good: 400/404/422; the teacher can resend).
    """

    __tablename__ = "score_deliveries"
    __table_args__ = (Index("ix_score_deliveries_due", "status", "next_try_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id", ondelete="CASCADE"))
    user_sub: Mapped[str] = mapped_column(String(255))
    line_item_url: Mapped[str] = mapped_column(String(1000))
    score_given: Mapped[float] = mapped_column()
    score_maximum: Mapped[float] = mapped_column()
    # The submission time: the LMS keeps the newest timestamp, so a late retry never
    # overwrites a newer grade.
    timestamp: Mapped[datetime] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), default="pending")
    tries: Mapped[int] = mapped_column(default=0)
    next_try_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_status: Mapped[int | None] = mapped_column(default=None)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(default=None)


class FlashcardState(Base):
    """One student's spaced-repetition state for one card of a placed deck (FSRS)."""

    __tablename__ = "flashcard_states"
    __table_args__ = (UniqueConstraint("placement_id", "user_sub", "card"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id", ondelete="CASCADE"))
    user_sub: Mapped[str] = mapped_column(String(255))
    card: Mapped[int] = mapped_column()
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    due_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviews: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class StandardsFramework(Base):
    """A standards framework imported from a 1EdTech CASE package (its CFDocument)."""

    __tablename__ = "standards_frameworks"

    id: Mapped[int] = mapped_column(primary_key=True)
    identifier: Mapped[str] = mapped_column(String(255), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    creator: Mapped[str] = mapped_column(String(500), default="")
    subject: Mapped[str] = mapped_column(String(255), default="")
    version: Mapped[str] = mapped_column(String(100), default="")
    # SHA-256 of the imported file, to tell a re-import of the same file.
    source_sha256: Mapped[str] = mapped_column(String(64), default="")
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


class StandardItem(Base):
    """One CFItem of a framework: a standard with its code, statement and grades."""

    __tablename__ = "standard_items"
    __table_args__ = (
        UniqueConstraint("framework_id", "identifier"),
        Index("ix_standard_items_code", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(
        ForeignKey("standards_frameworks.id", ondelete="CASCADE")
    )
    identifier: Mapped[str] = mapped_column(String(255))
    # humanCodingScheme; empty for grouping items that have none
    code: Mapped[str] = mapped_column(String(255), default="")
    statement: Mapped[str] = mapped_column(Text)
    item_type: Mapped[str] = mapped_column(String(255), default="")
    # educationLevel: ["KG", "01", ...] as CASE writes them
    education_levels: Mapped[list[str]] = mapped_column(JSON, default=list)
    parent_identifier: Mapped[str] = mapped_column(String(255), default="")
    # Lower-cased code and statement, for searching by words on any database.
    search_text: Mapped[str] = mapped_column(Text, default="")


class AiUseScale(Base):
    """The school's AI-use levels ("No AI" ... "AI fully allowed"), edited by an admin."""

    __tablename__ = "ai_use_scales"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # [{"name": ..., "description": ..., "colour": "#RRGGBB"}], in order from least to most AI
    levels: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    is_default: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
