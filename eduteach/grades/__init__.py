"""Grades on their way to the LMS: an outbox written with each attempt, delivered over AGS."""

from eduteach.grades.delivery import DeliverySummary, deliver_due, resend, waiting_scores
from eduteach.grades.outbox import enqueue_score
from eduteach.grades.runner import DeliveryRunner, wake

__all__ = [
    "DeliveryRunner",
    "DeliverySummary",
    "deliver_due",
    "enqueue_score",
    "resend",
    "waiting_scores",
    "wake",
]
