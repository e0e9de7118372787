"""The typed launch context: what a validated id_token says, minus personal data.

Names and emails are never copied here: the tool works on the opaque ``sub`` alone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from . import claims
from .roles import Audience, audience_for, is_administrator


@dataclass(frozen=True)
class LaunchContext:
    issuer: str
    client_id: str
    deployment_id: str
    user_sub: str
    audience: Audience
    roles: tuple[str, ...]
    message_type: str
    target_link_uri: str
    context_id: str | None = None
    context_title: str = ""
    context_label: str = ""
    resource_link_id: str | None = None
    resource_link_title: str = ""
    locale: str = ""
    return_url: str | None = None
    document_target: str = ""
    platform_guid: str = ""
    platform_name: str = ""
    ags: dict[str, Any] = field(default_factory=dict)
    nrps: dict[str, Any] = field(default_factory=dict)
    deep_linking: dict[str, Any] = field(default_factory=dict)
    custom: dict[str, str] = field(default_factory=dict)

    @property
    def is_deep_link(self) -> bool:
        return self.message_type == claims.DEEP_LINKING_REQUEST

    @property
    def is_teacher(self) -> bool:
        return self.audience is Audience.TEACHER

    @property
    def is_admin(self) -> bool:
        """A launch by an LMS administrator (institution or system Administrator role).

        Administrators are teachers too (see ``audience_for``); this adds the school's
        settings. Computed from the signed roles, so a stored launch answers the same.
        """
        return is_administrator(self.roles)

    @property
    def presentation_origins(self) -> tuple[str, ...]:
        """Origins the platform told us it serves pages from (signed, so trusted)."""
        origins = []
        for url in (self.return_url, self.deep_linking.get("deep_link_return_url")):
            if isinstance(url, str):
                parts = urlsplit(url)
                if parts.scheme in ("http", "https") and parts.netloc:
                    origins.append(f"{parts.scheme}://{parts.netloc}")
        return tuple(dict.fromkeys(origins))

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["audience"] = self.audience.value
        data["roles"] = list(self.roles)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LaunchContext:
        data = dict(data)
        data["audience"] = Audience(data["audience"])
        data["roles"] = tuple(data.get("roles", ()))
        return cls(**data)

    @classmethod
    def from_claims(cls, body: dict[str, Any], client_id: str) -> LaunchContext:
        """Build from a validated id_token body (claims already checked for presence)."""
        context = _obj(body.get(claims.CONTEXT))
        link = _obj(body.get(claims.RESOURCE_LINK))
        presentation = _obj(body.get(claims.LAUNCH_PRESENTATION))
        platform = _obj(body.get(claims.TOOL_PLATFORM))
        roles = tuple(r for r in body.get(claims.ROLES) or () if isinstance(r, str))
        custom = {str(k): str(v) for k, v in _obj(body.get(claims.CUSTOM)).items()}
        return_url = presentation.get("return_url")
        return cls(
            issuer=body["iss"],
            client_id=client_id,
            deployment_id=body[claims.DEPLOYMENT_ID],
            user_sub=str(body["sub"]),
            audience=audience_for(roles),
            roles=roles,
            message_type=body[claims.MESSAGE_TYPE],
            target_link_uri=body.get(claims.TARGET_LINK_URI, ""),
            context_id=_str_or_none(context.get("id")),
            context_title=str(context.get("title") or ""),
            context_label=str(context.get("label") or ""),
            resource_link_id=_str_or_none(link.get("id")),
            resource_link_title=str(link.get("title") or ""),
            locale=str(presentation.get("locale") or ""),
            return_url=return_url if isinstance(return_url, str) else None,
            document_target=str(presentation.get("document_target") or ""),
            platform_guid=str(platform.get("guid") or ""),
            platform_name=str(platform.get("name") or ""),
            ags=_obj(body.get(claims.AGS_ENDPOINT)),
            nrps=_obj(body.get(claims.NRPS)),
            deep_linking=_obj(body.get(claims.DL_SETTINGS)),
            custom=custom,
        )


def _obj(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}


def _str_or_none(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)
