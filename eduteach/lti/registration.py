"""LTI Dynamic Registration: an LMS admin pastes one URL and the LMS and the tool register.

pylti1p3's ``DynamicRegistration`` does the protocol; here it gets timeouts, checks that the
platform's configuration is served from its issuer's host, and stores the result as a
platform with its deployment. The registration URL carries a signed, expiring code made by
``eduteach platform registration-url``, so strangers cannot register platforms.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import requests
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from pylti1p3.dynamic_registration import DynamicRegistration
from pylti1p3.exception import LtiException
from sqlalchemy.orm import Session

from . import claims
from .http import TimeoutSession
from .platforms import PlatformValues, RegistrationError, add_platform, check_url

CODE_SALT = "eduteach-dynamic-registration"
PLATFORM_CONFIG = "https://purl.imsglobal.org/spec/lti-platform-configuration"
TOOL_CONFIG = "https://purl.imsglobal.org/spec/lti-tool-configuration"


def registration_code(secret_key: str) -> str:
    return URLSafeTimedSerializer(secret_key, salt=CODE_SALT).dumps("register")


def check_registration_code(secret_key: str, code: str, max_age_seconds: int) -> bool:
    try:
        URLSafeTimedSerializer(secret_key, salt=CODE_SALT).loads(code, max_age=max_age_seconds)
    except (SignatureExpired, BadSignature):
        return False
    return True


class ToolRegistration(DynamicRegistration):  # type: ignore[misc]
    client_name = "EduTeach"
    description = (
        "Lesson plans, learning activities and AI-use guidelines, reviewed by the teacher; "
        "activity scores go to the gradebook."
    )

    def __init__(
        self,
        *,
        base_url: str,
        openid_configuration_url: str,
        registration_token: str | None,
        session: Session,
        timeout: float,
    ) -> None:
        self._base = base_url.rstrip("/")
        self._config_url = openid_configuration_url
        self._token = registration_token
        self._db = session
        self._timeout = timeout

    def get_request_session(self) -> requests.Session:
        return TimeoutSession(self._timeout)

    def get_initiate_login_uri(self) -> str:
        return self._base + "/lti/login"

    def get_jwks_uri(self) -> str:
        return self._base + "/lti/jwks"

    def get_redirect_uris(self) -> list[str]:
        return [self._base + "/lti/launch"]

    def get_scopes(self) -> list[str]:
        return list(claims.TOOL_SCOPES)

    def get_domain(self) -> str:
        return urlsplit(self._base).netloc

    def get_target_link_uri(self) -> str:
        return self._base + "/lti/launch"

    def get_claims(self) -> list[str]:
        # The tool works on the opaque user id alone.
        return ["iss", "sub"]

    def get_messages(self) -> list[dict[str, Any]]:
        return [
            {
                "type": claims.DEEP_LINKING_REQUEST,
                "target_link_uri": self.get_target_link_uri(),
                "label": "EduTeach",
                "placements": [
                    "ContentArea",
                    "RichTextEditor",
                    "assignment_selection",
                    "link_selection",
                ],
            },
            {
                "type": claims.RESOURCE_LINK_REQUEST,
                "target_link_uri": self.get_target_link_uri(),
                "label": "EduTeach",
                "placements": ["course_navigation"],
            },
        ]

    def get_logo_uri(self) -> str:
        return self._base + "/static/eduteach-logo.svg"

    def get_openid_configuration(self) -> dict[str, Any]:
        """The platform's configuration, refused unless served from its issuer's own host
        (checked before anything is sent to its registration endpoint)."""
        config: dict[str, Any] = super().get_openid_configuration()
        issuer = str(config.get("issuer") or "") if isinstance(config, dict) else ""
        if not issuer or urlsplit(issuer).netloc != urlsplit(self._config_url).netloc:
            raise RegistrationError(
                "The platform's configuration does not come from its own address (issuer mismatch)."
            )
        return config

    def get_openid_configuration_endpoint(self) -> str:
        return self._config_url

    def get_registration_token(self) -> str | None:
        return self._token

    def complete_registration(
        self, openid_configuration: Mapping[str, Any], openid_registration: Mapping[str, Any]
    ) -> tuple[str, str, str]:
        issuer = str(openid_configuration["issuer"])
        tool = openid_registration.get(TOOL_CONFIG) or {}
        client_id = str(openid_registration.get("client_id") or "")
        deployment_id = str(tool.get("deployment_id") or "")
        if not client_id or not deployment_id:
            raise RegistrationError("The platform did not return a client id and a deployment id.")
        platform_conf = openid_configuration.get(PLATFORM_CONFIG) or {}
        values = PlatformValues(
            issuer=issuer,
            client_id=client_id,
            deployment_ids=[deployment_id],
            auth_login_url=str(openid_configuration.get("authorization_endpoint") or ""),
            auth_token_url=str(openid_configuration.get("token_endpoint") or ""),
            key_set_url=str(openid_configuration.get("jwks_uri") or ""),
            name=str(platform_conf.get("product_family_code") or issuer),
        )
        add_platform(self._db, values)
        return issuer, client_id, deployment_id


def register_platform(
    *,
    base_url: str,
    openid_configuration_url: str,
    registration_token: str | None,
    session: Session,
    timeout: float,
) -> tuple[str, str, str]:
    """Run the whole registration; (issuer, client_id, deployment_id) on success."""
    check_url("OpenID configuration URL", openid_configuration_url)
    registration = ToolRegistration(
        base_url=base_url,
        openid_configuration_url=openid_configuration_url,
        registration_token=registration_token,
        session=session,
        timeout=timeout,
    )
    try:
        result: tuple[str, str, str] = registration.register()
    except RegistrationError:
        raise
    except (LtiException, AssertionError, requests.RequestException, ValueError) as exc:
        raise RegistrationError(
            f"The platform's registration service did not work: {_short(exc)}"
        ) from None
    return result


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
