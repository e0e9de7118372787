"""The signed answer to a deep linking request: the content the teacher chose, for the LMS.

Written here rather than with pylti1p3's ``DeepLink``: that class only writes resource links
and always sends a ``data`` claim (null when the platform sent none), while platforms expect
``html`` and ``link`` items too and ``data`` echoed exactly, or not at all.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jwt

from . import claims
from .context import LaunchContext
from .keys import SigningKey

RESOURCE_LINK = "ltiResourceLink"
HTML = "html"
LINK = "link"
RESPONSE_TTL = 600


@dataclass(frozen=True)
class ContentItem:
    """One item of the response; only the fields of its type are written."""

    type: str
    title: str
    text: str = ""
    url: str = ""
    html: str = ""
    custom: Mapping[str, str] = field(default_factory=dict)
    # AGS line item for a graded resource link: scoreMaximum, label, resourceId, tag
    line_item: Mapping[str, Any] | None = None

    def to_claim(self) -> dict[str, Any]:
        item: dict[str, Any] = {"type": self.type, "title": self.title}
        if self.text:
            item["text"] = self.text
        if self.type in (RESOURCE_LINK, LINK) and self.url:
            item["url"] = self.url
        if self.type == HTML:
            item["html"] = self.html
        if self.type == RESOURCE_LINK:
            if self.custom:
                # Per-item data goes in custom, never in the URL's query (Moodle refuses that).
                item["custom"] = dict(self.custom)
            if self.line_item:
                item["lineItem"] = dict(self.line_item)
        return item


@dataclass(frozen=True)
class Settings:
    """What the platform accepts, from the request's deep_linking_settings claim."""

    return_url: str
    accept_types: tuple[str, ...]
    accept_multiple: bool
    accept_lineitem: bool
    data: str | None

    @classmethod
    def from_launch(cls, launch: LaunchContext) -> Settings:
        raw = launch.deep_linking or {}
        types = tuple(t for t in raw.get("accept_types") or () if isinstance(t, str))
        data = raw.get("data")
        return cls(
            return_url=str(raw.get("deep_link_return_url") or ""),
            accept_types=types,
            accept_multiple=bool(raw.get("accept_multiple", True)),
            # Absent means the platform did not say it refuses line items.
            accept_lineitem=bool(raw.get("accept_lineitem", RESOURCE_LINK in types)),
            data=data if isinstance(data, str) else None,
        )

    def accepts(self, item_type: str) -> bool:
        return item_type in self.accept_types


def response_jwt(
    launch: LaunchContext,
    items: Sequence[ContentItem],
    key: SigningKey,
    *,
    message: str = "",
    now: float | None = None,
) -> str:
    """The LtiDeepLinkingResponse, signed with the tool's key (``kid`` in the header)."""
    settings = Settings.from_launch(launch)
    issued = int(now if now is not None else time.time())
    body: dict[str, Any] = {
        "iss": launch.client_id,
        "aud": launch.issuer,
        "iat": issued,
        "exp": issued + RESPONSE_TTL,
        "nonce": secrets.token_urlsafe(24),
        claims.DEPLOYMENT_ID: launch.deployment_id,
        claims.MESSAGE_TYPE: "LtiDeepLinkingResponse",
        claims.VERSION: "1.3.0",
        claims.DL_CONTENT_ITEMS: [item.to_claim() for item in items],
    }
    if settings.data is not None:
        body[claims.DL_DATA] = settings.data
    if message:
        body["https://purl.imsglobal.org/spec/lti-dl/claim/msg"] = message
    return jwt.encode(body, key.private_pem, algorithm="RS256", headers={"kid": key.kid})
