"""Learning activities: flashcards, fill-in-the-blanks, matching, quizzes and self-quizzes.

Each type is one module (output schema, checks, pure scoring function) registered in
``registry.ACTIVITIES``; the generation engine makes them, the exports write them out, and
the teacher's editor and the student's player render them from ``templates/activities/``.
"""

from eduteach.activities.base import ActivityType, ItemResult, Score
from eduteach.activities.registry import ACTIVITIES, BY_CLI_NAME, activity

__all__ = ["ACTIVITIES", "BY_CLI_NAME", "ActivityType", "ItemResult", "Score", "activity"]
