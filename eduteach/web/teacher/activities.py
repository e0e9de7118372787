"""The activity editor (the review page of a quiz, deck, fill-in or matching) and its preview.

A teacher reviews an activity item by item (a quiz's questions, a deck's cards, a fill-in's
passages, a matching's pairs): each item is edited, moved, deleted, added or regenerated on
its own, and every change is a new version that the output model has validated, so Undo
always works and nothing saved is lost.

The preview renders the student player from ``player_view`` (eduteach.activities.player), a
view model with every part of the answer key removed; answers are scored on the server by the
activity's own ``score``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import abort, current_app, jsonify, redirect, request
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from eduteach.activities import fill_in, quiz
from eduteach.activities.base import ActivityType
from eduteach.activities.player import (
    Layout,
    check_answers,
    layout_of,
    player_view,
    read_responses,
)
from eduteach.activities.player import matching_order as matching_order  # tests import it here
from eduteach.content import artifacts
from eduteach.lti.roles import Audience
from eduteach.storage.models import Artifact, ArtifactVersion

from ..security import requires_launch, url_with_token
from . import bp
from .exports import activity_exports
from .jobs import describe, progress_url, sources_of, start_job, submit
from .scope import (
    MAX_INSTRUCTION,
    artifact_or_404,
    first_model,
    instruction_problem,
    kind_of,
    render_page,
    review_url,
    running_jobs,
    services,
)
from .shapes import FieldErrors, plain_message

# The inputs of the item forms, named as the error summary names them.
FIELD_LABELS: dict[str, str] = {
    "title": "Title",
    "instructions": "Instructions for students",
    "front": "Front",
    "back": "Back",
    "hint": "Hint",
    "term": "Term",
    "definition": "Definition",
    "text": "Passage",
    "type": "Question type",
    "question": "Question",
    "options": "Options",
    "accepted_answers": "Accepted answers",
    "explanation": "Explanation",
    "bloom": "Bloom's level",
    "dok": "Depth of Knowledge",
    "standard": "Standard",
}
ITEM_TYPE_LABELS: dict[str, str] = {
    "multiple_choice": "Multiple choice",
    "multiple_answer": "Multiple answer",
    "true_false": "True/false",
    "short_answer": "Short answer",
}
DOK_LABELS: dict[int, str] = {
    1: "1 · Recall",
    2: "2 · Skill or concept",
    3: "3 · Strategic thinking",
    4: "4 · Extended thinking",
}
MAX_OPTIONS = 6  # QuizItem.options holds at most six
EDITABLE_FIELDS = ("title", "instructions", "distractors")
DIRECTIONS = {"up": -1, "down": 1}


def _activity_type(kind_name: str) -> ActivityType:
    activity = kind_of(kind_name).activity
    if activity is None:
        abort(404)
    return activity


# --- reading the edit forms ---------------------------------------------------------------


def _line(raw: str) -> str:
    return " ".join(raw.split())


def _text(raw: str) -> str:
    return raw.replace("\r\n", "\n").replace("\r", "\n").strip()


def _lines(raw: str) -> list[str]:
    return [line.strip() for line in _text(raw).split("\n") if line.strip()]


def _read_card(form: MultiDict[str, str]) -> dict[str, Any]:
    return {
        "front": _line(form.get("front", "")),
        "back": _text(form.get("back", "")),
        "hint": _text(form.get("hint", "")),
    }


def _read_pair(form: MultiDict[str, str]) -> dict[str, Any]:
    return {"term": _line(form.get("term", "")), "definition": _text(form.get("definition", ""))}


def _read_passage(form: MultiDict[str, str]) -> dict[str, Any]:
    return {"text": _text(form.get("text", ""))}


def _read_question(form: MultiDict[str, str]) -> dict[str, Any]:
    """A question; a short answer keeps no options and a choice question no typed answers."""
    kind = form.get("type", "")
    options = []
    for n in range(MAX_OPTIONS):
        text = _line(form.get(f"options.{n}.text", ""))
        feedback = _text(form.get(f"options.{n}.feedback", ""))
        correct = f"options.{n}.correct" in form
        # A row left empty is dropped, so a teacher removes an option by clearing it.
        if text or feedback or correct:
            options.append({"text": text, "correct": correct, "feedback": feedback})
    accepted = _lines(form.get("accepted_answers", ""))
    if kind == "short_answer":
        options = []
    elif kind in quiz.ITEM_TYPES:
        accepted = []
    dok = form.get("dok", "").strip()
    return {
        "type": kind,
        "question": _text(form.get("question", "")),
        "options": options,
        "accepted_answers": accepted,
        "explanation": _text(form.get("explanation", "")),
        "bloom": form.get("bloom", ""),
        "dok": int(dok) if dok.isdigit() else dok,
        "standard": _line(form.get("standard", "")),
    }


_READERS = {
    "flashcards": _read_card,
    "matching": _read_pair,
    "fill_in": _read_passage,
    "quiz": _read_question,
}


def read_item(kind_name: str, form: MultiDict[str, str]) -> dict[str, Any]:
    """The item as the teacher typed it in its edit form, not yet validated."""
    return _READERS[layout_of(kind_name).templates](form)


def blank_item(kind_name: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """A new, empty item for the "Add" form; levels are left for the teacher to choose."""
    template = layout_of(kind_name).templates
    if template == "flashcards":
        return {"front": "", "back": "", "hint": "", "source_quote": ""}
    if template == "matching":
        return {"term": "", "definition": "", "source_quote": ""}
    if template == "fill_in":
        return {"text": "", "source_quote": ""}
    types = list(params.get("item_types") or quiz.DEFAULT_ITEM_TYPES)
    return {
        "type": types[0],
        "question": "",
        "options": [],
        "accepted_answers": [],
        "explanation": "",
        "bloom": "",
        "dok": "",
        "standard": "",
        "source_quote": "",
    }


def read_field(name: str, form: MultiDict[str, str]) -> Any:
    """A top-level field (title, instructions, extras) from its edit form."""
    raw = form.get(name, "")
    if name == "distractors":
        return _lines(raw)
    return _line(raw) if name == "title" else _text(raw)


# --- checks that keep an item usable --------------------------------------------------------


def _question_key_problems(item: quiz.QuizItem) -> dict[str, str]:
    correct = sum(1 for option in item.options if option.correct)
    if item.type == "short_answer":
        if not item.accepted_answers:
            return {"accepted_answers": "Type at least one answer students may give."}
        return {}
    if item.type == "true_false":
        if len(item.options) != 2 or correct != 1:
            return {
                "options": "A true/false question has two options, True and False, with one "
                "ticked as correct."
            }
        return {}
    if len(item.options) < 2:
        return {"options": "Give at least two options."}
    if item.type == "multiple_choice" and correct != 1:
        return {
            "options": f"Tick exactly one correct option (you ticked {correct}). If several "
            "are right, make it a multiple-answer question."
        }
    if item.type == "multiple_answer" and not correct:
        return {"options": "Tick at least one correct option."}
    return {}


def _passage_key_problems(passage: fill_in.FillInPassage) -> dict[str, str]:
    found = fill_in.blanks(passage.text, 0)
    stray = fill_in.BLANK.sub("", passage.text)
    if "[[" in stray or "]]" in stray:
        return {
            "text": "A blank is not written correctly. Write each one as [[answer]] or "
            "[[answer|another answer]], with no brackets inside."
        }
    if not found:
        return {
            "text": "Mark at least one blank: put its answer in double square brackets, "
            "like [[photosynthesis]]."
        }
    for number, blank in enumerate(found, start=1):
        if not blank.answers:
            return {"text": f"Blank {number} is empty: write its answer between [[ and ]]."}
    return {}


def key_problems(kind_name: str, item: BaseModel) -> dict[str, str]:
    """Problems that would make an item unanswerable or its marking wrong, by input.

    These stop a save; the activity's other checks (counts, duplicates, the cognitive mix)
    only warn, as they do for plans.
    """
    if isinstance(item, quiz.QuizItem):
        return _question_key_problems(item)
    if isinstance(item, fill_in.FillInPassage):
        return _passage_key_problems(item)
    return {}


def _count_message(error: ErrorDetails, layout: Layout) -> str:
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    if error.get("type") == "too_short":
        return f"Keep at least {ctx.get('min_length')} {layout.plural}."
    if error.get("type") == "too_long":
        return f"There is room for at most {ctx.get('max_length')} {layout.plural}."
    return plain_message(error)


def item_errors(exc: ValidationError, items_field: str, index: int, layout: Layout) -> FieldErrors:
    """The validation errors of an activity after item ``index`` changed, by input name."""
    by_input: dict[str, str] = {}
    general: list[str] = []
    for error in exc.errors(include_url=False):
        loc = list(error.get("loc", ()))
        if loc[:2] != [items_field, index] or len(loc) < 3:
            general.append(
                _count_message(error, layout) if loc == [items_field] else plain_message(error)
            )
            continue
        rest = loc[2:]
        if len(rest) >= 3 and isinstance(rest[1], int):
            name, prefix = f"{rest[0]}.{rest[1]}.{rest[2]}", ""
        else:
            name = str(rest[0])
            prefix = f"Line {rest[1] + 1}: " if len(rest) == 2 and isinstance(rest[1], int) else ""
        by_input.setdefault(name, prefix + plain_message(error))
    return FieldErrors(by_input, general)


def field_errors(exc: ValidationError, name: str) -> FieldErrors:
    """The validation errors after the title, instructions or extras changed, by input."""
    by_input: dict[str, str] = {}
    general: list[str] = []
    for error in exc.errors(include_url=False):
        loc = list(error.get("loc", ()))
        if not loc or loc[0] != name:
            general.append(plain_message(error))
            continue
        prefix = f"Line {int(loc[1]) + 1}: " if len(loc) > 1 and isinstance(loc[1], int) else ""
        by_input.setdefault(name, prefix + plain_message(error))
    return FieldErrors(by_input, general)


def input_label(name: str, layout: Layout) -> str:
    """Where an input sits, for the list of problems ("Option 2: feedback")."""
    match = re.fullmatch(r"options\.(\d+)\.(\w+)", name)
    if match:
        number, part = int(match.group(1)) + 1, match.group(2)
        return f"Option {number}" if part == "text" else f"Option {number}: {part}"
    if name == "distractors" and layout.extras:
        return layout.extras
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


# --- flags left by generation and by the checks --------------------------------------------


def flags_by_item(warnings: Sequence[str], noun: str) -> dict[int, list[str]]:
    """The warnings that name an item ("Question 3: ..."), by the item's index."""
    pattern = re.compile(rf"\b{noun.capitalize()} (\d+)\b")
    found: dict[int, list[str]] = {}
    for warning in warnings:
        for number in sorted({int(n) for n in pattern.findall(warning)}):
            if number >= 1:
                found.setdefault(number - 1, []).append(warning)
    return found


def warning_targets(warnings: Sequence[str], noun: str) -> list[tuple[str, int | None]]:
    """Each warning with the index of the first item it names (None: the whole activity)."""
    flagged = flags_by_item(warnings, noun)
    first: dict[str, int] = {}
    for index in sorted(flagged):
        for warning in flagged[index]:
            first.setdefault(warning, index)
    return [(warning, first.get(warning)) for warning in warnings]


def passage_parts(text: str) -> list[dict[str, Any]]:
    """A fill-in passage for the teacher: words, and each blank with its accepted answers."""
    parts: list[dict[str, Any]] = []
    position = 0
    for number, match in enumerate(fill_in.BLANK.finditer(text), start=1):
        if match.start() > position:
            parts.append({"text": text[position : match.start()]})
        answers = [a.strip() for a in match.group(1).split("|") if a.strip()]
        parts.append({"number": number, "answers": answers})
        position = match.end()
    if position < len(text):
        parts.append({"text": text[position:]})
    return parts


# --- the editor page ----------------------------------------------------------------------


@dataclass(frozen=True)
class ItemCard:
    """One item as the editor lists it, open for editing or not."""

    index: int
    item: Mapping[str, Any]
    editing: bool = False
    new: bool = False
    flags: Sequence[str] = field(default_factory=tuple)

    @property
    def number(self) -> int:
        return self.index + 1


def _item_cards(
    items: Sequence[Mapping[str, Any]],
    flags: Mapping[int, list[str]],
    edit: str,
    draft: Mapping[str, Any] | None,
    blank: Mapping[str, Any],
) -> list[ItemCard]:
    cards = []
    for index, item in enumerate(items):
        editing = edit == str(index)
        shown = draft if editing and draft is not None else item
        cards.append(ItemCard(index, shown, editing, flags=flags.get(index, [])))
    if edit == "new":
        cards.append(ItemCard(len(items), draft if draft is not None else blank, True, True))
    return cards


def activity_page(
    session: Session,
    artifact: Artifact,
    *,
    edit: str = "",
    draft: Any = None,
    errors: FieldErrors | None = None,
    regen: str = "",
    regen_error: str = "",
    instruction: str = "",
) -> str:
    """The review page of an activity: its items as cards, each editable on its own."""
    kind = kind_of(artifact.kind)
    activity = _activity_type(artifact.kind)
    layout = layout_of(artifact.kind)
    data = artifacts.current_data(artifact)
    items = list(data.get(activity.items_field) or [])
    version = artifacts.current_version(artifact)
    valid = {*EDITABLE_FIELDS, "new", *(str(i) for i in range(len(items)))}
    edit = edit if edit in valid and (edit != "distractors" or "distractors" in data) else ""
    problems = errors or FieldErrors({}, [])
    blank = blank_item(artifact.kind, artifact.params)
    cards = _item_cards(
        items,
        flags_by_item(version.warnings, layout.noun),
        edit,
        draft if edit not in EDITABLE_FIELDS else None,
        blank,
    )
    return render_page(
        f"activities/{layout.templates}/editor.html",
        artifact=artifact,
        kind=kind,
        activity=activity,
        layout=layout,
        data=data,
        cards=cards,
        edit=edit,
        field_draft=draft if edit in EDITABLE_FIELDS and draft is not None else data.get(edit),
        errors=problems,
        where={name: input_label(name, layout) for name in problems.by_input},
        regen=regen,
        regen_error=regen_error,
        instruction=instruction,
        version=version,
        warnings=warning_targets(version.warnings, layout.noun),
        versions=sorted(artifact.versions, key=lambda v: v.number, reverse=True),
        made_by=first_model(artifact),
        sources=len(sources_of(session, artifact)),
        running=[(job, describe(session, job)) for job in running_jobs(session, artifact)],
        done=request.args.get("done", ""),
        done_item=request.args.get("item", ""),
        done_section=request.args.get("section", ""),
        max_instruction=MAX_INSTRUCTION,
        max_options=MAX_OPTIONS,
        item_type_labels=ITEM_TYPE_LABELS,
        bloom_levels=quiz.BLOOM_LEVELS,
        dok_labels=DOK_LABELS,
        passage_parts=passage_parts,
        preview_url=url_with_token("teacher.preview_activity", artifact_id=artifact.id),
        exports=activity_exports(artifact.id, artifact.kind),
    )


def _activity_or_404(session: Session, artifact_id: int) -> tuple[Artifact, ActivityType]:
    artifact = artifact_or_404(session, artifact_id)
    activity = kind_of(artifact.kind).activity
    if activity is None:
        abort(404)
    return artifact, activity


def _stale(artifact: Artifact) -> bool:
    """The form was made from an older version (another tab changed the activity since)."""
    posted = request.form.get("version", "")
    return posted != str(artifact.current_version)


def _redirect(artifact: Artifact, done: str, *, item: int | None = None) -> ResponseReturnValue:
    query: dict[str, Any] = {"done": done}
    anchor = f"item-{item}" if item is not None else ""
    if item is not None:
        query["item"] = item
    return redirect(review_url(artifact.id, anchor=anchor, **query), code=303)


def _save(
    session: Session, artifact: Artifact, path: str, value: Any, note: str
) -> ArtifactVersion:
    """A new version with the changed part; the note says what the teacher did."""
    version = artifacts.edit_section(session, artifact, path, value)
    version.note = note[:500]
    return version


STALE_MESSAGE = (
    "This activity was changed in another window since you opened this form (it is now "
    "version {version}). Nothing was saved: check that this is still the {noun} you meant, "
    "then save again."
)


@bp.post("/artifacts/<int:artifact_id>/items/<int:index>")
@requires_launch(Audience.TEACHER)
def save_item(artifact_id: int, index: int) -> ResponseReturnValue:
    """Save one edited item as a new version; problems come back next to the inputs."""
    return _save_item(artifact_id, index)


@bp.post("/artifacts/<int:artifact_id>/items/new")
@requires_launch(Audience.TEACHER)
def add_item(artifact_id: int) -> ResponseReturnValue:
    """Add the item typed into the "Add" form at the end of the list."""
    return _save_item(artifact_id, None)


def _checked_item(
    kind_name: str,
    activity: ActivityType,
    data: Mapping[str, Any],
    position: int,
    typed: dict[str, Any],
) -> tuple[dict[str, Any] | None, FieldErrors]:
    """The item at ``position`` as the model stores it, or the problems that stop its save."""
    items = list(data[activity.items_field])
    items[position : position + 1] = [typed]
    try:
        model = activity.output.model_validate({**data, activity.items_field: items})
    except ValidationError as exc:
        return None, item_errors(exc, activity.items_field, position, layout_of(kind_name))
    problems = key_problems(kind_name, getattr(model, activity.items_field)[position])
    if problems:
        return None, FieldErrors(problems, [])
    return model.model_dump(mode="json")[activity.items_field][position], FieldErrors({}, [])


def _save_item(artifact_id: int, index: int | None) -> ResponseReturnValue:
    """Save item ``index``, or a new item at the end (None), after the model validated it."""
    with services().db.session() as s:
        artifact, activity = _activity_or_404(s, artifact_id)
        noun = layout_of(artifact.kind).noun
        data = artifacts.current_data(artifact)
        items = list(data.get(activity.items_field) or [])
        if index is not None and index >= len(items):
            return _redirect(artifact, "stale")
        edit = "new" if index is None else str(index)
        base = blank_item(artifact.kind, artifact.params) if index is None else items[index]
        typed = {**base, **read_item(artifact.kind, request.form)}
        # An edit of item 3 made on an older page could land on another item; an addition
        # goes at the end whatever changed.
        if index is not None and _stale(artifact):
            message = STALE_MESSAGE.format(version=artifact.current_version, noun=noun)
            page = activity_page(
                s, artifact, edit=edit, draft=typed, errors=FieldErrors({}, [message])
            )
            return page, 409
        position = len(items) if index is None else index
        item, errors = _checked_item(artifact.kind, activity, data, position, typed)
        if item is None:
            return activity_page(s, artifact, edit=edit, draft=typed, errors=errors), 422
        if index is None:
            note = f"Added {noun} {position + 1}"
            _save(s, artifact, activity.items_field, [*items, item], note)
            return _redirect(artifact, "added", item=position)
        if item == items[index]:
            return _redirect(artifact, "unchanged", item=index)
        _save(s, artifact, f"{activity.items_field}.{index}", item, f"Edited {noun} {index + 1}")
        return _redirect(artifact, "saved", item=index)


@bp.post("/artifacts/<int:artifact_id>/items/<int:index>/move")
@requires_launch(Audience.TEACHER)
def move_item(artifact_id: int, index: int) -> ResponseReturnValue:
    """Move one item up or down the list."""
    step = DIRECTIONS.get(request.form.get("direction", ""))
    if step is None:
        abort(400)
    with services().db.session() as s:
        artifact, activity = _activity_or_404(s, artifact_id)
        items = list(artifacts.current_data(artifact).get(activity.items_field) or [])
        target = index + step
        if _stale(artifact) or not (0 <= index < len(items) and 0 <= target < len(items)):
            return _redirect(artifact, "stale")
        items[index], items[target] = items[target], items[index]
        noun = layout_of(artifact.kind).noun
        way = "up" if step < 0 else "down"
        _save(s, artifact, activity.items_field, items, f"Moved {noun} {index + 1} {way}")
        return _redirect(artifact, "moved", item=target)


@bp.post("/artifacts/<int:artifact_id>/items/<int:index>/delete")
@requires_launch(Audience.TEACHER)
def delete_item(artifact_id: int, index: int) -> ResponseReturnValue:
    """Delete one item (Undo brings it back)."""
    with services().db.session() as s:
        artifact, activity = _activity_or_404(s, artifact_id)
        layout = layout_of(artifact.kind)
        data = artifacts.current_data(artifact)
        items = list(data.get(activity.items_field) or [])
        if _stale(artifact) or not 0 <= index < len(items):
            return _redirect(artifact, "stale")
        remaining = items[:index] + items[index + 1 :]
        try:
            activity.output.model_validate({**data, activity.items_field: remaining})
        except ValidationError as exc:
            errors = item_errors(exc, activity.items_field, index, layout)
            problems = [f"The {layout.noun} was not deleted. {p}" for p in errors.general]
            page = activity_page(s, artifact, errors=FieldErrors({}, problems))
            return page, 422
        _save(s, artifact, activity.items_field, remaining, f"Deleted {layout.noun} {index + 1}")
        return redirect(
            review_url(
                artifact.id, anchor=f"sec-{activity.items_field}", done="deleted", item=index
            ),
            code=303,
        )


@bp.post("/artifacts/<int:artifact_id>/items/<int:index>/regenerate")
@requires_launch(Audience.TEACHER)
def regenerate_item(artifact_id: int, index: int) -> ResponseReturnValue:
    """Ask the model to rewrite one item, following the teacher's optional instruction."""
    instruction = " ".join(request.form.get("instruction", "").split())
    with services().db.session() as s:
        artifact, activity = _activity_or_404(s, artifact_id)
        items = artifacts.current_data(artifact).get(activity.items_field) or []
        if _stale(artifact) or not 0 <= index < len(items):
            return _redirect(artifact, "stale")
        problem = instruction_problem(instruction)
        if problem:
            page = activity_page(
                s, artifact, regen=str(index), regen_error=problem, instruction=instruction
            )
            return page, 422
        job = start_job(
            s,
            action="regenerate_part",
            kind_name=artifact.kind,
            params=artifact.params,
            sources=sources_of(s, artifact),
            target=artifact,
            target_path=f"{activity.items_field}.{index}",
            instruction=instruction,
        )
        job_id = job.id
    submit(job_id)
    return redirect(progress_url(job_id), code=303)


@bp.post("/artifacts/<int:artifact_id>/activity/<name>")
@requires_launch(Audience.TEACHER)
def save_activity_field(artifact_id: int, name: str) -> ResponseReturnValue:
    """Save the title, the instructions or the extras list as a new version."""
    with services().db.session() as s:
        artifact, activity = _activity_or_404(s, artifact_id)
        data = artifacts.current_data(artifact)
        if name not in EDITABLE_FIELDS or name not in data:
            abort(404)
        value = read_field(name, request.form)
        try:
            checked = activity.output.model_validate({**data, name: value}).model_dump(mode="json")
        except ValidationError as exc:
            page = activity_page(
                s, artifact, edit=name, draft=value, errors=field_errors(exc, name)
            )
            return page, 422
        anchor = "sec-title" if name == "title" else f"sec-{name}"
        if checked[name] == data[name]:
            return redirect(
                review_url(artifact.id, anchor=anchor, done="unchanged", section=name), code=303
            )
        label = input_label(name, layout_of(artifact.kind)).lower()
        _save(s, artifact, name, checked[name], f"Edited {label}")
        return redirect(
            review_url(artifact.id, anchor=anchor, done="edited", section=name), code=303
        )


# --- the preview --------------------------------------------------------------------------


def _salt() -> str:
    return str(current_app.config["SECRET_KEY"])


def _version_data(artifact: Artifact, number: str) -> dict[str, Any]:
    """The data of the version the player showed (the current one if it is unknown)."""
    for version in artifact.versions:
        if str(version.number) == number:
            return dict(version.data)
    return artifacts.current_data(artifact)


def _player_page(
    artifact: Artifact,
    activity_model: BaseModel,
    version: int,
    *,
    results: Mapping[str, Any] | None = None,
    answers: Mapping[str, list[str]] | None = None,
) -> str:
    view = player_view(artifact.kind, activity_model, artifact.params, salt=_salt())
    return render_page(
        f"activities/{view['template']}/player.html",
        view=view,
        preview=True,
        version=version,
        check_url=url_with_token("teacher.check_preview", artifact_id=artifact.id),
        back_url=review_url(artifact.id),
        results=results,
        results_by_id={item["id"]: item for item in (results or {}).get("items", [])},
        answers=answers or {},
    )


@bp.get("/artifacts/<int:artifact_id>/preview")
@requires_launch(Audience.TEACHER)
def preview_activity(artifact_id: int) -> ResponseReturnValue:
    """The activity exactly as a student will see it, for the teacher to try."""
    with services().db.session() as s:
        artifact, activity = _activity_or_404(s, artifact_id)
        model = activity.output.model_validate(artifacts.current_data(artifact))
        return _player_page(artifact, model, artifact.current_version)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


@bp.post("/artifacts/<int:artifact_id>/preview/check")
@requires_launch(Audience.TEACHER)
def check_preview(artifact_id: int) -> ResponseReturnValue:
    """Score the teacher's try on the server: JSON for the player's script, else the page."""
    with services().db.session() as s:
        artifact, activity = _activity_or_404(s, artifact_id)
        number = request.form.get("version", "")
        model = activity.output.model_validate(_version_data(artifact, number))
        responses = read_responses(artifact.kind, model, request.form, salt=_salt())
        # A self-quiz checks one question ("only"), or shows its answer when asked ("reveal");
        # a submitted activity is checked whole, with every answer shown.
        asked = request.form.get("reveal") or None
        only = request.form.get("only") or asked
        reveal = only is None or asked is not None
        results = check_answers(
            artifact.kind, model, artifact.params, responses, only=only, reveal=reveal
        )
        if _wants_json():
            return jsonify(results)
        answers = {key: request.form.getlist(key) for key in request.form}
        shown = int(number) if number.isdigit() else artifact.current_version
        return _player_page(artifact, model, shown, results=results, answers=answers)
