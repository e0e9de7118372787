"""EduTeach: an LTI 1.3 Advantage tool for AI-assisted, teacher-reviewed teaching material."""
