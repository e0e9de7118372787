"""The practice platform's LTI work, built on ``lti1p3platform``.

Login initiation, the OIDC authorization answer (a signed id_token in an auto-post form)
for resource link and deep linking launches, deep linking responses, the key set, the
OAuth 2 token endpoint and the AGS / NRPS services. Everything here takes and returns
plain data, so tests can drive a launch without a browser and the Flask views stay thin.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from importlib import metadata
from typing import Any
from urllib.parse import urlencode

import jwt
from lti1p3platform.exceptions import (
    InvalidKeySetUrl,
    LtiDeepLinkingResponseException,
    LtiException,
    MissingRequiredClaim,
    PreflightRequestValidationException,
    UnsupportedGrantType,
)
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request

from eduteach.practice_lms import claims as c
from eduteach.practice_lms.ags import AgsService
from eduteach.practice_lms.assignments import Assignment, course_assignment, course_assignments
from eduteach.practice_lms.config import (
    PLATFORM_NAME,
    PRODUCT_FAMILY_CODE,
    PracticeConfig,
    registration_values,
)
from eduteach.practice_lms.deep_linking import (
    ALL_TYPES,
    ASSIGNMENT_EDITOR,
    DEFAULT_PLACEMENT,
    PLACEMENTS,
    DeepLinkingAnswer,
    check_response_claims,
    read_items,
    settings_claim,
)
from eduteach.practice_lms.errors import (
    AuthRequestError,
    DeepLinkingError,
    NotAllowedError,
    TokenRequestError,
    UnknownUserError,
)
from eduteach.practice_lms.forms import LaunchForm
from eduteach.practice_lms.grades import GradeStore
from eduteach.practice_lms.keys import KeyStore, PlatformKey
from eduteach.practice_lms.nrps import NrpsService
from eduteach.practice_lms.services import TokenChecker
from eduteach.practice_lms.store import (
    DEMO_COURSE_ID,
    DeepLinkingRequest,
    PendingLaunch,
    PracticeStore,
    Presentation,
    ResourceLink,
)
from eduteach.practice_lms.switch import (
    GradeServiceSwitch,
    changed_switch,
    load_switch,
    save_switch,
    take_unauthorized_once,
)

log = logging.getLogger(__name__)

ID_TOKEN_LIFETIME = 300
STORAGE_TARGET = "_parent"

ToolClaimsCheck = Callable[[dict[str, Any]], None]


def _version() -> str:
    try:
        return metadata.version("eduteach")
    except metadata.PackageNotFoundError:
        return "dev"


class _ParamsRequest(Request):  # type: ignore[misc]
    """The library's request object, built from plain parameters instead of a web framework."""

    def build_metadata(self, request: tuple[str, Mapping[str, str]]) -> dict[str, Any]:
        method, params = request
        data = dict(params)
        posted = method.upper() == "POST"
        return {
            "method": method.upper(),
            "form_data": data if posted else {},
            "get_data": {} if posted else data,
            "headers": {},
            "content_type": None,
            "path": "",
            "json": None,
        }


class _Registration(Registration):  # type: ignore[misc]
    """The library's registration, publishing every key of the key store, signing with one."""

    def __init__(self, keys: KeyStore, signing_key: PlatformKey) -> None:
        self._keys = keys
        self._signing_key = signing_key
        self.set_platform_private_key(signing_key.private_pem)
        self.set_platform_public_key(signing_key.public_pem)

    def get_jwks(self) -> list[dict[str, Any]]:
        return self._keys.jwks()["keys"]

    def get_kid(self) -> str:
        return self._signing_key.kid


class _PlatformConf(LTI1P3PlatformConfAbstract):  # type: ignore[misc]
    """Library platform config around one registration; tool JWTs get extra claim checks."""

    def init_platform_config(self, **kwargs: Any) -> None:
        self._registration = kwargs["registration"]
        self._check_tool_claims: ToolClaimsCheck | None = kwargs.get("check_tool_claims")
        # the library checks signature and kid only; a tool JWT must also expire
        self._jwt_verify_options = {"verify_aud": False, "require": ["exp", "iat"]}

    def get_registration_by_params(self, **kwargs: Any) -> Registration:
        return self._registration

    def tool_validate_and_decode(self, jwt_token_string: str) -> dict[str, Any]:
        decoded: dict[str, Any] = super().tool_validate_and_decode(jwt_token_string)
        if self._check_tool_claims is not None:
            self._check_tool_claims(decoded)
        return decoded


class _OIDCLogin(OIDCLoginAbstract):  # type: ignore[misc]
    """Builds the tool's login initiation URL (the library redirects; we return the URL)."""

    def set_lti_message_hint(self, **kwargs: Any) -> None:
        self._lti_message_hint = str(kwargs["lti_message_hint"])

    def get_redirect(self, url: str) -> str:
        return url


class _MessageLaunch(LTIAdvantageMessageLaunchAbstract):  # type: ignore[misc]
    """One answer to an authorization request: checks it, fills the claims, signs."""

    def __init__(
        self, request: _ParamsRequest, platform_config: _PlatformConf, platform: PracticePlatform
    ) -> None:
        super().__init__(request, platform_config)
        self.set_id_token_expiration(ID_TOKEN_LIFETIME)
        self._platform = platform
        self._pending: PendingLaunch | None = None

    def validate_preflight_response(self, preflight_response: dict[str, Any]) -> None:
        self._pending = self._platform.check_auth_request(preflight_response)
        try:
            super().validate_preflight_response(preflight_response)
        except PreflightRequestValidationException as exc:
            raise AuthRequestError(
                "The tool's sign-in request is incomplete.", "library preflight check failed"
            ) from exc

    def prepare_launch(self, preflight_response: dict[str, Any]) -> None:
        assert self._pending is not None, "validate_preflight_response runs first"
        self._platform.fill_launch_claims(self, self._pending)

    def render_launch_form(self, launch_data: dict[str, Any], **kwargs: Any) -> LaunchForm:
        return LaunchForm(
            action=str(launch_data["launch_url"]),
            fields={"id_token": str(launch_data["id_token"]), "state": str(launch_data["state"])},
        )

    def unsigned_claims(self) -> dict[str, Any]:
        """The claims ``lti_launch`` would sign, with their ``iat`` and ``exp``."""
        self._registration = self._platform_config.get_registration()
        preflight = self.get_preflight_response()
        self.validate_preflight_response(preflight)
        self.prepare_launch(preflight)
        message, _state = self.get_launch_data()
        now = int(time.time())
        message.update({"iat": now, "exp": now + self.id_token_expiration})
        return dict(message)


class PracticePlatform:
    """The practice LMS as an LTI 1.3 platform: launches, deep linking, keys, tokens, services.

    Several instances (the web app, a test) may share one instance folder; keys, launches,
    line items and scores live there, not in memory.
    """

    def __init__(self, config: PracticeConfig) -> None:
        self.config = config
        self.keys = KeyStore(config.keys_path)
        self.store = PracticeStore(config.store_path)
        self.store.migrate()
        self.store.seed_demo()
        self.keys.current()
        self.grades = GradeStore(config.store_path)
        tokens = TokenChecker(config, self.keys, lambda: take_unauthorized_once(self.store))
        self.ags = AgsService(config, self.store, self.grades, tokens)
        self.nrps = NrpsService(config, self.store, tokens)

    # --- registration and keys ---------------------------------------------------------
    def registration(self) -> Registration:
        """The library registration of the one tool this platform knows."""
        registration = _Registration(self.keys, self.keys.current())
        registration.set_iss(self.config.issuer)
        registration.set_client_id(self.config.client_id)
        registration.set_deployment_id(self.config.deployment_id)
        registration.set_launch_url(self.config.tool_launch_url)
        registration.set_oidc_login_url(self.config.tool_login_url)
        registration.set_tool_key_set_url(self.config.tool_jwks_url)
        return registration

    def registration_values(self) -> dict[str, str]:
        """What an admin gives the tool (see :func:`registration_values`)."""
        return registration_values(self.config)

    def jwks(self) -> dict[str, list[dict[str, Any]]]:
        """The platform's public key set."""
        return {"keys": self.registration().get_jwks()}

    def current_kid(self) -> str:
        """The ``kid`` new id_tokens carry."""
        return self.keys.current().kid

    def rotate_key(self) -> str:
        """Make a new current signing key (the old one stays published); its kid."""
        kid = self.keys.rotate().kid
        log.info("practice LMS signing key rotated; new kid %s", kid)
        return kid

    def retire_key(self, kid: str) -> None:
        """Stop publishing an old key."""
        self.keys.retire(kid)
        log.info("practice LMS signing key %s retired", kid)

    def _conf(self, check_tool_claims: ToolClaimsCheck | None = None) -> _PlatformConf:
        return _PlatformConf(registration=self.registration(), check_tool_claims=check_tool_claims)

    # --- launches ----------------------------------------------------------------------
    def start_launch(
        self,
        user_key: str,
        *,
        course_id: str = DEMO_COURSE_ID,
        presentation: Presentation = "iframe",
        link_id: str | None = None,
    ) -> str:
        """Record a click on "Open EduTeach as <user>"; the URL of the tool's login initiation."""
        return self.login_initiation_url(
            self.record_launch(
                user_key, course_id=course_id, presentation=presentation, link_id=link_id
            )
        )

    def record_launch(
        self,
        user_key: str,
        *,
        course_id: str = DEMO_COURSE_ID,
        presentation: Presentation = "iframe",
        link_id: str | None = None,
    ) -> PendingLaunch:
        """Record one click on a resource link (the course navigation link by default).

        Raises ``UnknownUserError`` for someone outside the course or a link of another.
        An LMS administrator opens any course's links without being enrolled.
        """
        user = self.store.user(user_key)
        link = (
            self.store.course_navigation_link(course_id)
            if link_id is None
            else self.store.resource_link(link_id)
        )
        if link is None or link.course_id != course_id:
            raise UnknownUserError(f"No such link in course {course_id!r}.")
        if user is None or (
            self.store.role_in(course_id, user.id) is None
            and not self.store.is_administrator(user.id)
        ):
            raise UnknownUserError(f"{user_key!r} is not a member of course {course_id!r}.")
        return self.store.create_launch(course_id, user.id, link.id, presentation)

    def start_deep_linking(
        self,
        user_key: str,
        *,
        course_id: str = DEMO_COURSE_ID,
        placement: str = DEFAULT_PLACEMENT,
    ) -> str:
        """Record a click on "Add EduTeach content"; the URL of the tool's login initiation."""
        pending, _ = self.record_deep_linking(user_key, course_id=course_id, placement=placement)
        return self.login_initiation_url(pending)

    def record_deep_linking(
        self,
        user_key: str,
        *,
        course_id: str = DEMO_COURSE_ID,
        placement: str = DEFAULT_PLACEMENT,
    ) -> tuple[PendingLaunch, DeepLinkingRequest]:
        """Record a teacher's "Add EduTeach content" click: a deep linking launch in the page.

        Raises ``UnknownUserError`` for someone outside the course, ``NotAllowedError`` for
        a student, ``ValueError`` for a placement the LMS does not have.
        """
        if placement not in PLACEMENTS:
            raise ValueError(f"Unknown placement {placement!r}.")
        pending = self._teacher_deep_linking_launch(user_key, course_id)
        settings = settings_claim(placement, self.config.deep_linking_return_url(course_id))
        return pending, self.store.create_deep_linking_request(pending, placement, settings)

    def record_assignment_deep_linking(
        self, user_key: str, *, assignment_id: str, course_id: str = DEMO_COURSE_ID
    ) -> tuple[PendingLaunch, DeepLinkingRequest]:
        """Record a teacher's "Add content from EduTeach to this assignment" click.

        A deep linking launch from the assignment description's editor: its settings carry
        the assignment's title and description, and the answer goes into that description.
        Raises ``UnknownUserError`` for someone outside the course or an assignment of
        another, ``NotAllowedError`` for a student.
        """
        assignment = self.assignment(course_id, assignment_id)
        if assignment is None:
            raise UnknownUserError(f"No assignment {assignment_id!r} in course {course_id!r}.")
        pending = self._teacher_deep_linking_launch(user_key, course_id)
        settings = settings_claim(
            ASSIGNMENT_EDITOR,
            self.config.deep_linking_return_url(course_id),
            title=assignment.title,
            text=assignment.description,
        )
        request = self.store.create_deep_linking_request(
            pending, ASSIGNMENT_EDITOR, settings, assignment_id=assignment.id
        )
        return pending, request

    def _teacher_deep_linking_launch(self, user_key: str, course_id: str) -> PendingLaunch:
        user = self.store.user(user_key)
        link = self.store.course_navigation_link(course_id)
        role = self.store.role_in(course_id, user.id) if user else None
        if user is None or link is None or role is None:
            raise UnknownUserError(f"{user_key!r} is not a member of course {course_id!r}.")
        if role != "Instructor":
            raise NotAllowedError("Only a teacher of the course can add content to it.")
        # a deep linking launch has no resource link; the course's tool link stands in
        return self.store.create_launch(
            course_id, user.id, link.id, "iframe", message_type=c.DEEP_LINKING_REQUEST
        )

    # --- assignments ---------------------------------------------------------------------
    def assignments(self, course_id: str) -> list[Assignment]:
        """The course's assignments (see ``assignments.course_assignments``)."""
        return course_assignments(self.store, self.grades, course_id)

    def assignment(self, course_id: str, assignment_id: str) -> Assignment | None:
        """One assignment of the course, None when it has no such assignment."""
        return course_assignment(self.store, self.grades, course_id, assignment_id)

    def login_initiation_url(self, pending: PendingLaunch) -> str:
        """The tool's login initiation URL for a recorded launch (login_hint is the user's sub)."""
        user = self.store.user(pending.user_id)
        if user is None:
            raise UnknownUserError("The person of this launch no longer exists.")
        login = _OIDCLogin(None, self._conf())
        login.set_lti_message_hint(lti_message_hint=pending.hint)
        login.set_launch_url(self._target_link_uri(pending))
        url = str(login.initiate_login(user.sub))
        # the platform page hosting an iframe answers storage messages; a new window has none
        if self.config.platform_storage and pending.presentation == "iframe":
            url += "&" + urlencode({"lti_storage_target": STORAGE_TARGET})
        return url

    def launch_is_open(self, pending: PendingLaunch) -> bool:
        """Whether the tool may still redeem this launch (not used, not expired)."""
        return pending.used_at is None and not self._expired(pending)

    def _expired(self, pending: PendingLaunch) -> bool:
        return pending.created_at + self.config.launch_ttl_seconds < time.time()

    def authorize(self, auth_params: Mapping[str, str], method: str = "GET") -> LaunchForm:
        """Answer the tool's OIDC authorization request with the signed id_token form.

        Raises ``AuthRequestError`` (never redirecting) when the request is refused.
        """
        launch = self._message_launch(auth_params, method)
        form: LaunchForm = launch.lti_launch()
        return form

    def launch_claims(self, auth_params: Mapping[str, str], method: str = "GET") -> dict[str, Any]:
        """The claims ``authorize`` would sign, unsigned: tests alter them, then sign them.

        Redeems the launch exactly as ``authorize`` does.
        """
        return self._message_launch(auth_params, method).unsigned_claims()

    def sign_id_token(
        self, claims: Mapping[str, Any], kid: str | None = "current", key: str | None = None
    ) -> str:
        """Sign ``claims`` as they are (RS256) to craft valid or invalid launches in tests.

        ``kid``: "current" puts the current key's kid in the header, None leaves it out,
        any other string is used as is. ``key``: a private PEM to sign with instead of
        the platform's current key.
        """
        current = self.keys.current()
        headers: dict[str, str] | None = None
        if kid == "current":
            headers = {"kid": current.kid}
        elif kid is not None:
            headers = {"kid": kid}
        return jwt.encode(
            dict(claims), key or current.private_pem, algorithm="RS256", headers=headers
        )

    def _message_launch(self, auth_params: Mapping[str, str], method: str) -> _MessageLaunch:
        return _MessageLaunch(_ParamsRequest((method, auth_params)), self._conf(), self)

    def _target_link_uri(self, pending: PendingLaunch) -> str:
        link = self.store.resource_link(pending.resource_link_id)
        return (link.target_link_uri if link else None) or self.config.tool_launch_url

    def check_auth_request(self, params: Mapping[str, Any]) -> PendingLaunch:
        """Check an OIDC authorization request and redeem the launch it names.

        One recorded launch answers one request: a second request for it is refused.
        """

        def refuse(message: str, reason: str) -> AuthRequestError:
            log.warning("practice LMS refused an authorization request: %s", reason)
            return AuthRequestError(message, reason)

        config = self.config
        if params.get("client_id") != config.client_id:
            raise refuse("This tool is not registered here.", "unknown client_id")
        if params.get("redirect_uri") not in config.redirect_uris:
            raise refuse(
                "The tool asked to return to an address this LMS does not know.",
                "redirect_uri is not registered",
            )
        expected = {
            "response_type": "id_token",
            "scope": "openid",
            "response_mode": "form_post",
            "prompt": "none",
        }
        for name, value in expected.items():
            if params.get(name) != value:
                raise refuse("The tool's sign-in request is not valid.", f"{name} is not {value}")
        for name in ("nonce", "state"):
            if not params.get(name):
                raise refuse("The tool's sign-in request is not valid.", f"{name} is missing")
        user = self.store.user_by_sub(str(params.get("login_hint") or ""))
        if user is None:
            raise refuse("This LMS does not know who is signing in.", "login_hint is unknown")
        pending = self.store.launch(str(params.get("lti_message_hint") or ""))
        if pending is None or pending.user_id != user.id:
            raise refuse(
                "This launch link is not valid. Go back to the course and open the tool again.",
                "lti_message_hint names no launch of this user",
            )
        if self._expired(pending):
            raise refuse(
                "This launch link has expired. Go back to the course and open the tool again.",
                "launch expired",
            )
        if not self.store.redeem_launch(pending.hint):
            raise refuse(
                "This launch link was already used. Go back to the course and open the tool again.",
                "launch already redeemed",
            )
        return pending

    def fill_launch_claims(self, launch: _MessageLaunch, pending: PendingLaunch) -> None:
        """Set every claim of a resource link or deep linking launch through the library."""
        config = self.config
        user = self.store.user(pending.user_id)
        course = self.store.course(pending.course_id)
        link = self.store.resource_link(pending.resource_link_id)
        role = self.store.role_in(pending.course_id, pending.user_id)
        roles: list[str] | None = None
        if role is not None:
            roles = c.ROLE_URIS[role]
        elif self.store.is_administrator(pending.user_id):
            roles = c.ADMINISTRATOR_ROLE_URIS
        if user is None or course is None or link is None or roles is None:
            raise AuthRequestError(
                "This launch no longer matches a person in the course.",
                "launch refers to a removed user, course or link",
            )
        launch.set_launch_url(self._target_link_uri(pending))
        launch.set_user_data(user.sub, list(roles), full_name=user.name, email_address=user.email)
        launch.set_launch_context_claim(
            course.id,
            context_types=[course.context_type],
            context_title=course.title,
            context_label=course.label,
        )
        launch.set_launch_presentation_claim(
            document_target=pending.presentation, return_url=config.return_url(course.id)
        )
        launch.lti_claim_launch_presentation[c.LAUNCH_PRESENTATION]["locale"] = user.locale
        if pending.message_type == c.DEEP_LINKING_REQUEST:
            self._fill_deep_linking_claims(launch, pending)
        else:
            self._fill_resource_link_claims(launch, link)
        launch.set_nrps(config.memberships_url(course.id))
        launch.set_extra_claims(
            {
                "given_name": user.given_name,
                "family_name": user.family_name,
                c.TOOL_PLATFORM: {
                    "guid": self.store.platform_guid(),
                    "name": PLATFORM_NAME,
                    "product_family_code": PRODUCT_FAMILY_CODE,
                    "version": _version(),
                },
            }
        )

    def _fill_resource_link_claims(self, launch: _MessageLaunch, link: ResourceLink) -> None:
        """Resource link, custom parameters, and AGS with the link's own line item if it has one."""
        launch.set_resource_link_claim(link.id, title=link.title, description=link.text or None)
        launch.set_custom_parameters_claim(dict(link.custom))
        line_items_url = self.config.line_items_url(link.course_id)
        line_items = self.grades.line_items(link.course_id, resource_link_id=link.id)
        # AGS: "lineitem" only when exactly one line item belongs to the link
        line_item_url = (
            self.config.line_item_url(link.course_id, line_items[0].id)
            if len(line_items) == 1
            else None
        )
        launch.set_ags(line_items_url, line_item_url, allow_creating_lineitems=True)

    def _fill_deep_linking_claims(self, launch: _MessageLaunch, pending: PendingLaunch) -> None:
        """Message type and the deep linking settings recorded with the click; no resource link."""
        request = self.store.deep_linking_request(hint=pending.hint)
        if request is None:
            raise AuthRequestError(
                "This request to add content is no longer known. Start again from the course.",
                "deep linking launch without its request",
            )
        launch.set_ags(self.config.line_items_url(pending.course_id), allow_creating_lineitems=True)
        launch.set_extra_claims(
            {c.MESSAGE_TYPE: c.DEEP_LINKING_REQUEST, c.DL_SETTINGS: dict(request.settings)}
        )

    # --- deep linking responses ----------------------------------------------------------
    def accept_deep_linking_response(self, course_id: str, token: str) -> DeepLinkingAnswer:
        """Check a deep linking response (the form's ``JWT``) fully, then place its items.

        The signature is checked with the tool's key set from its registered URL; then
        issuer, audience, deployment, message type, version, nonce (once only), the echoed
        ``data`` of a request of this course, and every content item against what that
        request accepted. Raises ``DeepLinkingError`` (placing nothing) at the first problem.
        """
        try:
            answer = self._checked_deep_linking_response(course_id, token)
        except DeepLinkingError as exc:
            log.warning("practice LMS refused a deep linking response: %s", exc.reason)
            raise
        return answer

    def _checked_deep_linking_response(self, course_id: str, token: str) -> DeepLinkingAnswer:
        if not token:
            raise DeepLinkingError("missing_jwt", "EduTeach's answer did not arrive (no JWT).")
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError as exc:
            raise DeepLinkingError("malformed", "EduTeach's answer is not a readable JWT.") from exc
        checked: list[tuple[DeepLinkingRequest, DeepLinkingAnswer]] = []

        def check_claims(claims: dict[str, Any]) -> None:
            data = claims.get(c.DL_DATA)
            request = self.store.deep_linking_request(data=data) if isinstance(data, str) else None
            if request is not None and request.course_id != course_id:
                request = None
            request = check_response_claims(claims, self.config, request)
            answer = read_items(claims, request.settings, self.config)
            if not self.store.use_tool_nonce(str(claims["nonce"]), int(claims["exp"])):
                raise DeepLinkingError("replayed", "This answer was already received once.")
            checked.append((request, answer))

        conf = self._conf(check_tool_claims=check_claims)
        conf.get_registration()
        try:
            tool_keys = conf.get_tool_key_set()
        except (LtiException, InvalidKeySetUrl) as exc:
            raise DeepLinkingError(
                "tool_keys_unavailable", "The LMS could not fetch EduTeach's public keys."
            ) from exc
        if not kid or not any(key.get("kid") == kid for key in tool_keys.get("keys", [])):
            raise DeepLinkingError(
                "unknown_key", "EduTeach's answer was signed with a key it does not publish."
            )
        conf.set_accepted_deeplinking_types(list(ALL_TYPES))
        try:
            conf.validate_deeplinking_resp({"JWT": token})
        except jwt.ExpiredSignatureError as exc:
            raise DeepLinkingError("expired", "EduTeach's answer has expired.") from exc
        except jwt.ImmatureSignatureError as exc:
            raise DeepLinkingError(
                "not_yet_valid", "EduTeach's answer is dated in the future."
            ) from exc
        except jwt.MissingRequiredClaimError as exc:
            raise DeepLinkingError(
                "missing_claim", f"EduTeach's answer has no {exc.claim}."
            ) from exc
        except jwt.InvalidSignatureError as exc:
            raise DeepLinkingError(
                "bad_signature", "EduTeach's answer does not carry a valid signature."
            ) from exc
        except (jwt.PyJWTError, LtiException, LtiDeepLinkingResponseException) as exc:
            raise DeepLinkingError("malformed", "EduTeach's answer could not be read.") from exc
        request, answer = checked[0]
        if not self.store.place_items(request, answer.links, answer.contents):
            raise DeepLinkingError("already_answered", "This request was already answered.")
        return replace(answer, assignment_id=request.assignment_id)

    # --- the grade service switch ----------------------------------------------------------
    def grade_service_switch(self) -> GradeServiceSwitch:
        """How the grade endpoints behave now."""
        return load_switch(self.store)

    def set_grade_service_switch(self, changes: Mapping[str, Any]) -> GradeServiceSwitch:
        """Change the switch (only the settings given); raises ``SwitchError`` on bad values."""
        switch = changed_switch(load_switch(self.store), changes)
        save_switch(self.store, switch)
        log.info("practice LMS grade service switch: %s", switch.as_json())
        return switch

    # --- token endpoint ----------------------------------------------------------------
    def issue_access_token(self, form: Mapping[str, str]) -> dict[str, Any]:
        """OAuth 2 client_credentials grant with a JWT client assertion (LTI security framework).

        Raises ``TokenRequestError`` with the RFC 6749 error code when refused.
        """
        assertion_type = form.get("client_assertion_type")
        if assertion_type is not None and assertion_type != c.CLIENT_ASSERTION_TYPE:
            raise TokenRequestError("invalid_client", "Unsupported client_assertion_type.", 401)
        conf = self._conf(check_tool_claims=self._check_client_assertion)
        try:
            response: dict[str, Any] = dict(conf.get_access_token(dict(form)))
        except MissingRequiredClaim as exc:
            raise TokenRequestError("invalid_request", str(exc)) from exc
        except UnsupportedGrantType as exc:
            raise TokenRequestError(
                "unsupported_grant_type", "Only client_credentials is supported."
            ) from exc
        except (LtiException, InvalidKeySetUrl, jwt.PyJWTError, KeyError, TypeError) as exc:
            log.warning("practice LMS refused a client assertion: %s", exc)
            raise TokenRequestError(
                "invalid_client", "The client assertion could not be verified.", 401
            ) from exc
        if not response["scope"]:
            raise TokenRequestError("invalid_scope", "None of the requested scopes is offered.")
        return response

    def _check_client_assertion(self, assertion: dict[str, Any]) -> None:
        """Claims of a client assertion the library leaves unchecked: iss, sub, aud, jti."""
        client_id = self.config.client_id
        audience = assertion.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if assertion.get("iss") != client_id or assertion.get("sub") != client_id:
            raise TokenRequestError("invalid_client", "iss and sub must be the client_id.", 401)
        if self.config.auth_token_url not in audiences:
            raise TokenRequestError("invalid_client", "aud must be the token endpoint.", 401)
        jti = assertion.get("jti")
        if not isinstance(jti, str) or not jti:
            raise TokenRequestError("invalid_client", "The client assertion has no jti.", 401)
        if not self.store.use_client_assertion(jti, int(assertion["exp"])):
            raise TokenRequestError("invalid_client", "This client assertion was used before.", 401)
