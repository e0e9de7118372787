"""The tool and the practice LMS running over HTTP, as for the launch and browser tests."""

from tests.browser.conftest import live, lms_with_storage
from tests.lti.conftest import lti, lti_servers

__all__ = ["live", "lms_with_storage", "lti", "lti_servers"]
