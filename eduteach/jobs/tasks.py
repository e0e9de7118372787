"""Entry points RQ workers import by name."""

from __future__ import annotations

from functools import cache

from eduteach.config import load_settings
from eduteach.services import Services

from .generation import run_job


@cache
def _services() -> Services:
    return Services.build(load_settings())


def run_generation_job(job_id: str) -> None:
    run_job(_services(), job_id)
