"""Names and Role Provisioning: the course's members by name, fetched when a page needs them.

A name is personal data. It is fetched from the platform when a teacher's page is rendered,
kept in this process's memory for a few minutes (so reloading a page does not ask the LMS
again) and never written to the database, the shared store or a log. Without NRPS, or when
the platform does not answer, pages fall back to the platform's opaque user ids.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from pylti1p3.exception import LtiException, LtiServiceException

from . import claims
from .context import LaunchContext
from .roles import Audience, audience_for
from .services import CachedServiceConnector

MEDIA_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
CACHE_SECONDS = 300.0
"""How long a course's names stay in memory."""
FAILURE_SECONDS = 60.0
"""How long a failed fetch is remembered, so a slow LMS does not slow every page load."""
MAX_PAGES = 100
"""Pages of members followed at most: far beyond any class, short of a platform's loop."""
MAX_ROSTERS = 200
_GONE = frozenset({"Inactive", "Deleted"})


class RosterError(Exception):
    """The membership list could not be had; ``status`` is the platform's HTTP status, if any."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Roster:
    """A course's members: names by user id, and which of them are active students."""

    names: Mapping[str, str] = field(default_factory=dict)
    learners: frozenset[str] = frozenset()


def memberships_url(launch: LaunchContext) -> str:
    """The membership URL from the launch's NRPS claim; "" when the platform offers none."""
    url = (launch.nrps or {}).get("context_memberships_url")
    if isinstance(url, str) and urlsplit(url).scheme in ("http", "https"):
        return url
    return ""


def member_name(member: Mapping[str, Any]) -> str:
    """The name the LMS shows for a member ("" when the platform shares none)."""
    name = member.get("name")
    if isinstance(name, str) and name.strip():
        return " ".join(name.split())
    parts = [member.get(key) for key in ("given_name", "family_name")]
    return " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())


def roster_of(members: list[Mapping[str, Any]]) -> Roster:
    """Names by user id, and the active members with a student role."""
    names: dict[str, str] = {}
    learners: set[str] = set()
    for member in members:
        user_id = member.get("user_id")
        if not isinstance(user_id, str) or not user_id:
            continue
        name = member_name(member)
        if name:
            names[user_id] = name
        roles = [r for r in member.get("roles") or () if isinstance(r, str)]
        if member.get("status") not in _GONE and audience_for(roles) is Audience.STUDENT:
            learners.add(user_id)
    return Roster(names, frozenset(learners))


def _page(
    connector: CachedServiceConnector, url: str, *, refreshed: bool = False
) -> tuple[Any, str | None]:
    """One page of members and the next page's URL; the token is refreshed once on a 401."""
    scopes = [claims.SCOPE_NRPS]
    try:
        answer = connector.make_service_request(scopes, url, accept=MEDIA_TYPE)
    except LtiServiceException as exc:
        status = exc.response.status_code
        if status == 401 and not refreshed:
            connector.forget_token(scopes)
            return _page(connector, url, refreshed=True)
        raise RosterError("The LMS refused the membership request.", status) from exc
    except (LtiException, requests.RequestException, ValueError, KeyError) as exc:
        # No answer, a timeout, or an answer that is not JSON.
        raise RosterError("The LMS did not answer the membership request.") from exc
    return answer["body"], answer["next_page_url"]


def _same_origin(a: str, b: str) -> bool:
    one, two = urlsplit(a), urlsplit(b)
    return (one.scheme, one.netloc) == (two.scheme, two.netloc)


def fetch_roster(connector: CachedServiceConnector, url: str) -> Roster:
    """Every page of the course's membership list, as a roster; RosterError when it fails.

    A "next page" on another site is refused: the service token goes only to the platform
    the signed launch named.
    """
    members: list[Mapping[str, Any]] = []
    page_url: str | None = url
    for _ in range(MAX_PAGES):
        if page_url is None:
            break
        if not _same_origin(page_url, url):
            raise RosterError("The LMS sent the rest of the list to another site.")
        body, page_url = _page(connector, page_url)
        found = body.get("members") if isinstance(body, dict) else None
        if not isinstance(found, list):
            raise RosterError("The LMS answered without a membership list.")
        members.extend(m for m in found if isinstance(m, dict))
    return roster_of(members)


class RosterCache:
    """Rosters in this process's memory for a few minutes, failures for one.

    Thread-safe; the oldest rosters are dropped beyond ``max_entries``. Never persisted.
    """

    def __init__(
        self,
        *,
        ttl: float = CACHE_SECONDS,
        failure_ttl: float = FAILURE_SECONDS,
        max_entries: int = MAX_ROSTERS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl, self._failure_ttl = ttl, failure_ttl
        self._max = max_entries
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple[float, Roster | RosterError]] = OrderedDict()

    def _cached(self, key: str) -> Roster | RosterError | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] <= self._clock():
                del self._entries[key]
                return None
            return entry[1]

    def _keep(self, key: str, value: Roster | RosterError) -> None:
        ttl = self._failure_ttl if isinstance(value, RosterError) else self._ttl
        with self._lock:
            self._entries[key] = (self._clock() + ttl, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def get(self, key: str, fetch: Callable[[], Roster]) -> Roster:
        """The roster kept under ``key``, or fetched now; RosterError when fetching failed."""
        found = self._cached(key)
        if isinstance(found, RosterError):
            raise RosterError(str(found), found.status)
        if found is not None:
            return found
        try:
            roster = fetch()
        except RosterError as exc:
            self._keep(key, exc)
            raise
        self._keep(key, roster)
        return roster


def roster_key(issuer: str, client_id: str, url: str) -> str:
    """The cache key of one course's roster on one platform registration."""
    return "\n".join((issuer, client_id, url))
