"""Grades on their way to the LMS: an outbox written with each attempt, delivered over AGS."""

from eduteach.grades.outbox import enqueue_score

__all__ = ["enqueue_score"]
