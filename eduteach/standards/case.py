"""Import a standards framework from a 1EdTech CASE package (CFPackage JSON).

A package holds one CFDocument (the framework), its CFItems (standards and the headings that
group them) and CFAssociations; ``isChildOf`` associations give each item its parent. The
whole file is checked before anything is written, then written in the caller's transaction,
so a bad file leaves the database as it was. Importing a package whose CFDocument identifier
is already stored replaces that framework's items (a newer version of the same framework).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from eduteach.storage.models import StandardItem, StandardsFramework, utcnow

MAX_BYTES = 20 * 1024 * 1024
MAX_ITEMS = 50_000
MAX_IDENTIFIER = 255  # the identifier and code columns' length
MAX_TITLE = 500
MAX_SUBJECT = 255
MAX_VERSION = 100
MAX_PROBLEMS = 10  # a broken file lists its first problems, not thousands


class StandardsError(ValueError):
    """A CASE file that cannot be imported; the message says what is wrong in plain words."""


@dataclass(frozen=True)
class CaseItem:
    identifier: str
    code: str
    statement: str
    item_type: str
    education_levels: tuple[str, ...]
    parent_identifier: str


@dataclass(frozen=True)
class CasePackage:
    """A checked package, ready to be written."""

    identifier: str
    title: str
    creator: str
    subject: str
    version: str
    items: tuple[CaseItem, ...]
    sha256: str


@dataclass(frozen=True)
class ImportResult:
    framework_id: int
    identifier: str
    title: str
    items: int
    replaced: bool


def parse_case(data: bytes) -> CasePackage:
    """Check a CASE package and return its framework and items; StandardsError if it is broken."""
    try:
        return _parse(data)
    except StandardsError as exc:
        raise StandardsError(f"{exc} Nothing was imported.") from None


def _parse(data: bytes) -> CasePackage:
    if len(data) > MAX_BYTES:
        raise StandardsError(
            f"The file is {len(data) / 1_048_576:.1f} MB; a CASE file can be at most "
            f"{MAX_BYTES // 1_048_576} MB."
        )
    try:
        root = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise StandardsError(
            "The file is not UTF-8 text; export the framework as CASE JSON."
        ) from None
    except json.JSONDecodeError as exc:
        raise StandardsError(
            f"The file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    package = _package_object(root)
    document = package.get("CFDocument")
    if not isinstance(document, dict):
        raise StandardsError("The file has no CFDocument: it does not look like a CASE package.")
    identifier = _text(document.get("identifier"))
    title = _text(document.get("title"))
    if not identifier:
        raise StandardsError("The CFDocument has no identifier.")
    if len(identifier) > MAX_IDENTIFIER:
        raise StandardsError(
            f"The CFDocument's identifier is longer than {MAX_IDENTIFIER} characters."
        )
    if not title:
        raise StandardsError("The CFDocument has no title.")
    raw_items = package.get("CFItems", [])
    if not isinstance(raw_items, list):
        raise StandardsError("CFItems must be a list of items.")
    if len(raw_items) > MAX_ITEMS:
        raise StandardsError(
            f"The file has {len(raw_items):,} items; at most {MAX_ITEMS:,} can be imported at once."
        )
    if not raw_items:
        raise StandardsError("The file has no CFItems: there are no standards to import.")
    raw_associations = package.get("CFAssociations", [])
    if not isinstance(raw_associations, list):
        raise StandardsError("CFAssociations must be a list of associations.")

    problems: list[str] = []
    items = _items(raw_items, identifier, problems)
    parents = _parents(raw_associations, identifier, {i.identifier for i in items}, problems)
    if not problems:
        problems += _cycles(parents)
    if problems:
        raise StandardsError(_summary(problems))
    return CasePackage(
        identifier=identifier,
        title=title[:MAX_TITLE],
        creator=_text(document.get("creator"))[:MAX_TITLE],
        subject=_subject(document.get("subject"))[:MAX_SUBJECT],
        version=_text(document.get("version"))[:MAX_VERSION],
        items=tuple(
            CaseItem(
                identifier=i.identifier,
                code=i.code,
                statement=i.statement,
                item_type=i.item_type,
                education_levels=i.education_levels,
                parent_identifier=parents.get(i.identifier, ""),
            )
            for i in items
        ),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def import_case(session: Session, data: bytes) -> ImportResult:
    """Check and store a CASE package in the session's transaction (the caller commits).

    Nothing is written unless the whole file is valid; a framework already imported under the
    same CFDocument identifier keeps its row and has all its items replaced.
    """
    package = parse_case(data)
    framework = session.scalar(
        select(StandardsFramework).where(StandardsFramework.identifier == package.identifier)
    )
    replaced = framework is not None
    if framework is None:
        framework = StandardsFramework(identifier=package.identifier)
        session.add(framework)
    else:
        session.execute(delete(StandardItem).where(StandardItem.framework_id == framework.id))
    framework.title = package.title
    framework.creator = package.creator
    framework.subject = package.subject
    framework.version = package.version
    framework.source_sha256 = package.sha256
    framework.imported_at = utcnow()
    session.flush()
    session.execute(
        insert(StandardItem),
        [
            {
                "framework_id": framework.id,
                "identifier": item.identifier,
                "code": item.code,
                "statement": item.statement,
                "item_type": item.item_type[:MAX_IDENTIFIER],
                "education_levels": list(item.education_levels),
                "parent_identifier": item.parent_identifier,
                "search_text": search_text(item.code, item.statement),
            }
            for item in package.items
        ],
    )
    return ImportResult(
        framework_id=framework.id,
        identifier=package.identifier,
        title=package.title,
        items=len(package.items),
        replaced=replaced,
    )


def search_text(code: str, statement: str) -> str:
    """The text words are searched in: code and statement, lower-cased, spaces collapsed."""
    return " ".join(f"{code} {statement}".casefold().split())


def education_level(raw: str) -> str:
    """A CASE educationLevel as CASE writes it: "K" and "KG" -> "KG", "4" -> "04"."""
    text = raw.strip().upper()
    if text in ("K", "KG", "KINDERGARTEN"):
        return "KG"
    if text.isdigit() and 1 <= int(text) <= 12:
        return f"{int(text):02d}"
    return text


# --- checking ---------------------------------------------------------------------------


def _package_object(root: object) -> Mapping[str, Any]:
    # A package may come bare (the CFPackages endpoint) or wrapped as {"CFPackage": {...}}.
    if isinstance(root, dict) and isinstance(root.get("CFPackage"), dict):
        root = root["CFPackage"]
    if not isinstance(root, dict):
        raise StandardsError("The file is JSON but not a CASE package (expected an object).")
    return root


def _text(value: object) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _subject(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(t for t in (_text(v) for v in value) if t)
    return _text(value)


def _item_name(number: int, identifier: str) -> str:
    short = identifier[:8] + "…" if len(identifier) > 8 else identifier
    return f"Item {number} ({short})" if short else f"Item {number}"


def _item_type(raw: Mapping[str, Any]) -> str:
    kind = _text(raw.get("CFItemType"))
    if not kind and isinstance(raw.get("CFItemTypeURI"), dict):
        kind = _text(raw["CFItemTypeURI"].get("title"))
    return kind


def _levels(raw: object) -> tuple[str, ...] | None:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        return None
    levels: list[str] = []
    for value in raw:
        level = education_level(value)
        if level and level not in levels:
            levels.append(level)
    return tuple(levels)


def _items(raw_items: Sequence[object], document_id: str, problems: list[str]) -> list[CaseItem]:
    items: list[CaseItem] = []
    seen: set[str] = {document_id}
    for number, raw in enumerate(raw_items, start=1):
        if not isinstance(raw, dict):
            problems.append(f"Item {number} is not an object.")
            continue
        identifier = _text(raw.get("identifier"))
        name = _item_name(number, identifier)
        statement = _text(raw.get("fullStatement"))
        code = _text(raw.get("humanCodingScheme"))
        levels = _levels(raw.get("educationLevel"))
        if not identifier:
            problems.append(f"{name} has no identifier.")
        elif len(identifier) > MAX_IDENTIFIER:
            problems.append(f"{name} has an identifier longer than {MAX_IDENTIFIER} characters.")
        elif identifier in seen:
            problems.append(f"{name} has the same identifier as another item or the CFDocument.")
        if not statement:
            problems.append(f"{name} has no fullStatement.")
        if len(code) > MAX_IDENTIFIER:
            problems.append(
                f"{name} has a humanCodingScheme longer than {MAX_IDENTIFIER} characters."
            )
        if levels is None:
            problems.append(f"{name} has an educationLevel that is not a list of grades.")
        seen.add(identifier)
        items.append(
            CaseItem(
                identifier, code, statement, _item_type(raw), levels or (), parent_identifier=""
            )
        )
    return items


def _node_id(raw: object) -> str:
    return _text(raw.get("identifier")) if isinstance(raw, dict) else ""


def _parents(
    raw_associations: Sequence[object],
    document_id: str,
    known: set[str],
    problems: list[str],
) -> dict[str, str]:
    """Each item's parent from isChildOf associations; items under the document get none."""
    parents: dict[str, str] = {}
    for number, raw in enumerate(raw_associations, start=1):
        if not isinstance(raw, dict):
            problems.append(f"Association {number} is not an object.")
            continue
        if _text(raw.get("associationType")) != "isChildOf":
            continue  # exactMatchOf, isRelatedTo …: links to other frameworks, not the tree
        child = _node_id(raw.get("originNodeURI"))
        parent = _node_id(raw.get("destinationNodeURI"))
        if child not in known:
            problems.append(
                f"Association {number} (isChildOf) starts at {child[:40] or 'no item'}, "
                "which is not an item in this file."
            )
            continue
        if parent != document_id and parent not in known:
            problems.append(
                f"Association {number} (isChildOf) points to {parent[:40] or 'no item'}, "
                "which is neither an item in this file nor its CFDocument."
            )
            continue
        # An item filed in two places keeps the first: one parent is enough to browse by.
        parents.setdefault(child, "" if parent == document_id else parent)
    return parents


def _cycles(parents: Mapping[str, str]) -> list[str]:
    checked: set[str] = set()
    for start in parents:
        path: list[str] = []
        node = start
        while node and node not in checked:
            if node in path:
                return [
                    f"Item {node[:8]}… is its own ancestor: its isChildOf associations form a loop."
                ]
            path.append(node)
            node = parents.get(node, "")
        checked.update(path)
    return []


def _summary(problems: Sequence[str]) -> str:
    shown = " ".join(problems[:MAX_PROBLEMS])
    more = len(problems) - MAX_PROBLEMS
    return (
        shown
        + (f" ({more} more problems not shown.)" if more > 0 else "")
        + " Nothing was imported."
    )
