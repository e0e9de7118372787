"""Which model EduTeach talks to, and a structured-mode memory shared by every worker."""

from __future__ import annotations

import logging

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from eduteach.config import Settings
from eduteach.generation import EndpointConfig, ModelClient, StructuredMode
from eduteach.storage.db import Database
from eduteach.storage.models import StructuredModeEntry, utcnow

log = logging.getLogger("eduteach.content")


class NoModelConfigured(Exception):
    """Neither an endpoint nor the embedded model is available."""

    user_message = (
        "No AI model is set up for EduTeach yet. Ask your administrator to configure a model "
        "endpoint (EDUTEACH_LLM_BASE_URL) or to set up the offline model."
    )
    code = "no_model"


def endpoint_config(settings: Settings) -> EndpointConfig | None:
    if not settings.llm_base_url or not settings.llm_model:
        return None
    extra = settings.extra
    return EndpointConfig(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key or "",
        api_version=settings.llm_api_version,
        connect_timeout=float(extra.get("EDUTEACH_LLM_CONNECT_TIMEOUT", "10")),
        total_timeout=float(extra.get("EDUTEACH_LLM_TIMEOUT", "300")),
        max_retries=int(extra.get("EDUTEACH_LLM_MAX_RETRIES", "3")),
        max_tokens=int(extra.get("EDUTEACH_LLM_MAX_TOKENS", "4096")),
        offline_draft=settings.llm_offline_draft,
    )


class DatabaseModeCache:
    """``StructuredModeCache`` in the ``structured_modes`` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, base_url: str, model: str) -> StructuredMode | None:
        with self._db.session() as s:
            mode = s.scalar(
                select(StructuredModeEntry.mode).where(
                    StructuredModeEntry.base_url == base_url.rstrip("/"),
                    StructuredModeEntry.model == model,
                )
            )
        return StructuredMode(mode) if mode else None

    def set(self, base_url: str, model: str, mode: StructuredMode) -> None:
        """Remember the mode; several workers learning it at once is fine (last one wins),
        and failing to remember it never fails a generation."""
        key = (base_url.rstrip("/"), model)
        try:
            with self._db.session() as s:
                s.add(StructuredModeEntry(base_url=key[0], model=key[1], mode=mode.value))
        except IntegrityError:
            try:
                with self._db.session() as s:
                    s.execute(
                        update(StructuredModeEntry)
                        .where(
                            StructuredModeEntry.base_url == key[0],
                            StructuredModeEntry.model == key[1],
                        )
                        .values(mode=mode.value, updated_at=utcnow())
                    )
            except SQLAlchemyError:
                log.warning("could not update the remembered structured-output mode")
        except SQLAlchemyError:
            log.warning("could not remember the structured-output mode")


def model_client(settings: Settings, db: Database) -> ModelClient:
    config = endpoint_config(settings)
    if config is None:
        raise NoModelConfigured
    return ModelClient(config, mode_cache=DatabaseModeCache(db))
