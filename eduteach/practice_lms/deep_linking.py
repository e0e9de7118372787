"""Deep Linking 2.0, platform side: what a request offers and what a response may place.

Placements follow Canvas: an assignment takes exactly one ``ltiResourceLink`` (with its
gradebook line item); a module link or the rich content editor take several items of
any offered type. The editor of an assignment's description (``ASSIGNMENT_EDITOR``) takes
pages and links, and its request names the assignment in the settings' ``title`` and
``text``, so the tool can write content for it. The response's signature is checked by ``PracticePlatform``; the
functions here check its claims and read its content items, refusing the whole response
(``DeepLinkingError``) at the first problem, so a response places everything or nothing.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import nh3

from eduteach.practice_lms import claims as c
from eduteach.practice_lms.ags_json import line_item_from, timestamp_us
from eduteach.practice_lms.config import PracticeConfig, origin_of
from eduteach.practice_lms.errors import DeepLinkingError, InvalidBodyError
from eduteach.practice_lms.store import (
    DeepLinkingRequest,
    NewContentItem,
    NewLineItem,
    NewResourceLink,
    Presentation,
)

# A teacher may take a while to pick content; after this the answer is refused.
REQUEST_LIFETIME = 3600
DOCUMENT_TARGETS: tuple[Presentation, ...] = ("iframe", "window")
ALL_TYPES = ("ltiResourceLink", "link", "html")


@dataclass(frozen=True)
class Placement:
    """Where in the course the teacher adds content, and what that place accepts."""

    label: str
    accept_types: tuple[str, ...]
    accept_multiple: bool
    accept_lineitem: bool
    title: str


PLACEMENTS: dict[str, Placement] = {
    "assignment_selection": Placement(
        label="Assignment (one graded activity)",
        accept_types=("ltiResourceLink",),
        accept_multiple=False,
        accept_lineitem=True,
        title="New assignment",
    ),
    "link_selection": Placement(
        label="Module item (activities, links or content)",
        accept_types=ALL_TYPES,
        accept_multiple=True,
        accept_lineitem=True,
        title="EduTeach content",
    ),
    "editor_button": Placement(
        label="Page content (rich content editor, no grades)",
        accept_types=ALL_TYPES,
        accept_multiple=True,
        accept_lineitem=False,
        title="EduTeach content",
    ),
}
DEFAULT_PLACEMENT = "link_selection"
# Not one of the course-wide choices: it is offered on each assignment.
ASSIGNMENT_EDITOR = "assignment_editor"
ASSIGNMENT_PLACEMENT = Placement(
    label="Assignment description (rich content editor, no grades)",
    accept_types=("link", "html"),
    accept_multiple=True,
    accept_lineitem=False,
    title="",
)


def placement_offer(placement: str) -> Placement:
    """What a placement accepts; ``KeyError`` for a placement the LMS does not have."""
    if placement == ASSIGNMENT_EDITOR:
        return ASSIGNMENT_PLACEMENT
    return PLACEMENTS[placement]


@dataclass(frozen=True)
class DeepLinkingAnswer:
    """What a valid response places, and the messages the tool sent for the teacher."""

    links: list[NewResourceLink]
    contents: list[NewContentItem]
    msg: str
    errormsg: str
    # the assignment whose description the items went into (set once placed)
    assignment_id: str | None = None

    @property
    def count(self) -> int:
        """How many items the response places."""
        return len(self.links) + len(self.contents)


def settings_claim(
    placement: str, return_url: str, *, title: str = "", text: str = ""
) -> dict[str, Any]:
    """The ``deep_linking_settings`` claim of a new request, with a fresh ``data`` value.

    ``title`` and ``text`` (the claim's optional defaults for the content) carry the
    assignment's title and description where the request comes from an assignment.
    """
    offer = placement_offer(placement)
    claim: dict[str, Any] = {
        "deep_link_return_url": return_url,
        "accept_types": list(offer.accept_types),
        "accept_presentation_document_targets": list(DOCUMENT_TARGETS),
        "accept_multiple": offer.accept_multiple,
        "accept_lineitem": offer.accept_lineitem,
        "auto_create": True,
        "title": title or offer.title,
        "data": secrets.token_urlsafe(24),
    }
    if not claim["title"]:
        del claim["title"]
    if text:
        claim["text"] = text
    return claim


def check_response_claims(
    claims: Mapping[str, Any], config: PracticeConfig, request: DeepLinkingRequest | None
) -> DeepLinkingRequest:
    """Check a signed response's claims against the registration and the request it answers.

    ``request`` is the one whose ``data`` the response carries (None: no such request).
    Returns it once every check passed.
    """
    if claims.get("iss") != config.client_id:
        raise DeepLinkingError("wrong_issuer", "The answer does not come from EduTeach's client.")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if config.issuer not in audiences:
        raise DeepLinkingError("wrong_audience", "The answer was meant for another LMS.")
    if claims.get(c.DEPLOYMENT_ID) != config.deployment_id:
        raise DeepLinkingError("wrong_deployment", "The answer names another deployment.")
    if claims.get(c.MESSAGE_TYPE) != c.DEEP_LINKING_RESPONSE:
        raise DeepLinkingError("wrong_message_type", "The answer is not a deep linking response.")
    if claims.get(c.VERSION) != c.LTI_VERSION:
        raise DeepLinkingError("wrong_version", "The answer is not an LTI 1.3 message.")
    nonce = claims.get("nonce")
    if not isinstance(nonce, str) or not nonce:
        raise DeepLinkingError("missing_nonce", "The answer carries no nonce.")
    data = claims.get(c.DL_DATA)
    if request is None or not isinstance(data, str) or data != request.data:
        raise DeepLinkingError(
            "data_not_echoed", "The answer does not return the request's data value."
        )
    if request.answered_at is not None:
        raise DeepLinkingError("already_answered", "This request was already answered.")
    if request.created_at + REQUEST_LIFETIME < time.time():
        raise DeepLinkingError("request_expired", "The request is too old; start again.")
    return request


def _text(item: Mapping[str, Any], name: str, default: str = "") -> str:
    value = item.get(name, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise DeepLinkingError("bad_item", f"A content item's {name} must be text.")
    return value.strip() or default


def _web_url(value: object) -> str:
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise DeepLinkingError("bad_item", "A content item's url must be an http(s) address.")
    return str(value)


def _message(claims: Mapping[str, Any], name: str) -> str:
    """A ``msg`` or ``errormsg`` the tool sent for the teacher; anything else is ignored."""
    value = claims.get(name)
    return value.strip() if isinstance(value, str) else ""


def _custom(value: object) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise DeepLinkingError("bad_item", "custom must map names to text values.")
    return dict(value)


def _line_item(item: Mapping[str, Any], title: str) -> NewLineItem | None:
    spec = item.get("lineItem")
    if spec is None:
        return None
    if not isinstance(spec, dict):
        raise DeepLinkingError("bad_item", "lineItem must be an object.")
    dates: dict[str, str] = {}
    submission = item.get("submission")
    # the submission window is the line item's; Canvas shows its end as the due date
    if isinstance(submission, dict):
        for name in ("startDateTime", "endDateTime"):
            if isinstance(submission.get(name), str):
                dates[name] = submission[name]
    try:
        for name, value in dates.items():
            timestamp_us(value, name)
        return line_item_from({**dates, **spec}, default_label=title)
    except InvalidBodyError as exc:
        raise DeepLinkingError("bad_item", f"lineItem: {exc.message}") from exc


def _resource_link(
    item: Mapping[str, Any], settings: Mapping[str, Any], config: PracticeConfig
) -> NewResourceLink:
    url = item.get("url")
    if url is None:
        url = config.tool_launch_url
    elif origin_of(_web_url(url)) != config.tool_origin:
        raise DeepLinkingError(
            "foreign_url", "A link points outside EduTeach's address; it was not added."
        )
    title = _text(item, "title", str(settings.get("title") or "EduTeach"))
    wants_window = "window" in item and "iframe" not in item
    line_item = _line_item(item, title) if settings.get("accept_lineitem") else None
    return NewResourceLink(
        title=title,
        text=_text(item, "text"),
        url=str(url),
        custom=_custom(item.get("custom")),
        presentation="window" if wants_window else "iframe",
        line_item=line_item,
    )


def _content(item: Mapping[str, Any], kind: str) -> NewContentItem:
    if kind == "link":
        url = _web_url(item.get("url"))
        return NewContentItem("link", _text(item, "title", url), _text(item, "text"), url, "")
    html = item.get("html")
    if not isinstance(html, str) or not html.strip():
        raise DeepLinkingError("bad_item", "An html item must carry its html.")
    # shown on the course page: only the harmless part of the markup is kept
    cleaned = nh3.clean(html, link_rel="noopener noreferrer")
    return NewContentItem(
        "html", _text(item, "title", "EduTeach content"), _text(item, "text"), "", cleaned
    )


def read_items(
    claims: Mapping[str, Any], settings: Mapping[str, Any], config: PracticeConfig
) -> DeepLinkingAnswer:
    """The content items of a checked response, held to the request's ``settings``."""
    items = claims.get(c.DL_CONTENT_ITEMS, [])
    if items is None:
        items = []
    if not isinstance(items, list):
        raise DeepLinkingError("bad_item", "content_items must be a list.")
    if len(items) > 1 and not settings.get("accept_multiple"):
        raise DeepLinkingError(
            "too_many_items", "This place takes one item, and the answer carries several."
        )
    accepted = settings.get("accept_types", [])
    links: list[NewResourceLink] = []
    contents: list[NewContentItem] = []
    for item in items:
        kind = item.get("type") if isinstance(item, dict) else None
        if not isinstance(kind, str):
            raise DeepLinkingError("bad_item", "Every content item must name its type.")
        if kind not in accepted:
            raise DeepLinkingError("unaccepted_type", f"This place does not take {kind} items.")
        if kind == "ltiResourceLink":
            links.append(_resource_link(item, settings, config))
        else:
            contents.append(_content(item, kind))
    return DeepLinkingAnswer(
        links=links,
        contents=contents,
        msg=_message(claims, c.DL_MSG),
        errormsg=_message(claims, c.DL_ERRORMSG),
    )
