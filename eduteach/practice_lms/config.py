"""Settings of the practice LMS and the URLs derived from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from eduteach.practice_lms.errors import PracticeConfigError

PLATFORM_NAME = "EduTeach practice LMS"
PRODUCT_FAMILY_CODE = "eduteach-practice-lms"


def _clean_base_url(name: str, value: str) -> str:
    """Return ``value`` without a trailing slash, or refuse anything but an http(s) origin."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PracticeConfigError(f"{name} must be an http:// or https:// URL, not {value!r}.")
    if parts.query or parts.fragment:
        raise PracticeConfigError(f"{name} must not carry a query or fragment: {value!r}.")
    return value.rstrip("/")


def origin_of(url: str) -> str:
    """Scheme, host and port of ``url``: what the browser calls its origin."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class PracticeConfig:
    """Where the practice LMS runs, which tool it launches, and where it keeps its data.

    The issuer is ``base_url``. Keys, the secret and the sqlite store live in
    ``instance_path``.
    """

    base_url: str = "http://127.0.0.1:5001"
    tool_base_url: str = "http://127.0.0.1:5000"
    client_id: str = "eduteach-practice"
    deployment_id: str = "practice-deployment-1"
    instance_path: Path = field(default_factory=lambda: Path("instance/practice_lms"))
    platform_storage: bool = True
    launch_ttl_seconds: int = 600

    def __post_init__(self) -> None:
        # frozen: normalise through object.__setattr__ so every URL below is predictable
        object.__setattr__(self, "base_url", _clean_base_url("base_url", self.base_url))
        object.__setattr__(
            self, "tool_base_url", _clean_base_url("tool_base_url", self.tool_base_url)
        )
        object.__setattr__(self, "instance_path", Path(self.instance_path))
        if not self.client_id or not self.deployment_id:
            raise PracticeConfigError("client_id and deployment_id must not be empty.")
        if self.launch_ttl_seconds <= 0:
            raise PracticeConfigError("launch_ttl_seconds must be a positive number.")

    # --- the platform's own endpoints -------------------------------------------------
    @property
    def issuer(self) -> str:
        """The ``iss`` of every id_token this platform signs."""
        return self.base_url

    @property
    def origin(self) -> str:
        """The browser origin of the practice LMS (target of the tool's postMessages)."""
        return origin_of(self.base_url)

    @property
    def auth_login_url(self) -> str:
        """OIDC authorization endpoint the tool redirects the browser to."""
        return f"{self.base_url}/auth"

    @property
    def auth_token_url(self) -> str:
        """OAuth 2 token endpoint (client_credentials with a JWT client assertion)."""
        return f"{self.base_url}/token"

    @property
    def key_set_url(self) -> str:
        """The platform's public keys (JWKS)."""
        return f"{self.base_url}/jwks"

    def course_url(self, course_id: str) -> str:
        """The course home page."""
        return f"{self.base_url}/courses/{course_id}"

    def return_url(self, course_id: str) -> str:
        """``launch_presentation.return_url``: where the tool sends the user back."""
        return f"{self.base_url}/courses/{course_id}/return"

    def gradebook_url(self, course_id: str) -> str:
        """The course's gradebook page."""
        return f"{self.base_url}/courses/{course_id}/gradebook"

    # --- service URLs of deep linking, AGS and NRPS -----------------------------------
    def line_items_url(self, course_id: str) -> str:
        """AGS line item container of a course."""
        return f"{self.base_url}/api/lti/courses/{course_id}/line_items"

    def line_item_url(self, course_id: str, line_item_id: str) -> str:
        """One AGS line item; its scores and results services are sub-paths of it."""
        return f"{self.line_items_url(course_id)}/{line_item_id}"

    def memberships_url(self, course_id: str) -> str:
        """NRPS context membership URL of a course."""
        return f"{self.base_url}/api/lti/courses/{course_id}/names_and_roles"

    def deep_linking_return_url(self, course_id: str) -> str:
        """Where a deep linking response is posted back."""
        return f"{self.base_url}/courses/{course_id}/deep_linking/return"

    # --- the tool's contract -----------------------------------------------------------
    @property
    def tool_origin(self) -> str:
        """The browser origin of the tool: the only origin platform storage answers."""
        return origin_of(self.tool_base_url)

    @property
    def tool_login_url(self) -> str:
        """The tool's OIDC login initiation URL."""
        return f"{self.tool_base_url}/lti/login"

    @property
    def tool_launch_url(self) -> str:
        """The tool's launch URL; also the one registered redirect_uri."""
        return f"{self.tool_base_url}/lti/launch"

    @property
    def tool_jwks_url(self) -> str:
        """The tool's public keys, used to check its client assertions."""
        return f"{self.tool_base_url}/lti/jwks"

    @property
    def redirect_uris(self) -> frozenset[str]:
        """Every redirect_uri the platform accepts in an authorization request."""
        return frozenset({self.tool_launch_url})

    # --- files in the instance folder ---------------------------------------------------
    @property
    def keys_path(self) -> Path:
        """JSON file holding the platform's signing keys."""
        return self.instance_path / "keys.json"

    @property
    def store_path(self) -> Path:
        """The sqlite database of courses, people, links and launches."""
        return self.instance_path / "practice_lms.sqlite3"

    @property
    def secret_key_path(self) -> Path:
        """Secret for the practice LMS's own session cookie (CSRF tokens)."""
        return self.instance_path / "secret_key"


def registration_values(config: PracticeConfig) -> dict[str, str]:
    """The values an LMS admin gives the tool to register this platform."""
    return {
        "issuer": config.issuer,
        "client_id": config.client_id,
        "deployment_id": config.deployment_id,
        "auth_login_url": config.auth_login_url,
        "auth_token_url": config.auth_token_url,
        "key_set_url": config.key_set_url,
        "name": PLATFORM_NAME,
    }
