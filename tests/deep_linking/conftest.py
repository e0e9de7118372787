"""The tool and the practice LMS running over HTTP, as for the launch tests."""

from tests.lti.conftest import lti, lti_servers

__all__ = ["lti", "lti_servers"]
