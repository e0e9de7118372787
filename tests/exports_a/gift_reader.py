"""A small GIFT reader, written from Moodle's own (question/format/gift/format.php), to read
our exports back the way Moodle will.

It follows Moodle's steps: questions are separated by blank lines, ``//`` lines are skipped,
escapes are set aside before anything is split and put back at the end, the first ``{`` and
``}`` hold the answers, ``####`` starts the general feedback, and the question type is
decided from the answer block as Moodle decides it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ESCAPABLE = ":#={}~n"
# Escaped characters stand in the text as private-use characters while it is split.
_HOLD = {c: chr(0xE000 + i) for i, c in enumerate(ESCAPABLE + "\\")}
_PUT_BACK = {held: ("\n" if c == "n" else c) for c, held in _HOLD.items()}
# Moodle's pattern for a weight, e.g. %50% or %-33.33333%.
_WEIGHT = re.compile(r"^%(\-*[0-9]{1,2}\.?[0-9]*)%")
_FORMATS = {"moodle", "html", "plain", "markdown"}


@dataclass
class Answer:
    text: str
    weight: float  # percent of the mark: 100 for "=", 0 for a bare "~"
    feedback: str = ""


@dataclass
class Question:
    name: str
    kind: str  # multichoice, truefalse, shortanswer, match
    text: str  # "_____" marks where a mid-text answer block stood (a missing-word question)
    text_format: str = "moodle"
    answers: list[Answer] = field(default_factory=list)
    single: bool = True  # multichoice: one right answer ("=") rather than weights
    pairs: list[tuple[str, str]] = field(default_factory=list)
    truth: bool | None = None
    feedback_wrong: str = ""
    feedback_right: str = ""
    general_feedback: str = ""


def _hold(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair[:1] == "\\" and len(pair) == 2 and pair[1] in _HOLD:
            out.append(_HOLD[pair[1]])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _put_back(text: str) -> str:
    return "".join(_PUT_BACK.get(c, c) for c in text).strip()


def _with_format(text: str) -> tuple[str, str]:
    match = re.match(r"\[(\w+)\]", text)
    if match and match.group(1) in _FORMATS:
        return match.group(1), text[match.end() :]
    return "moodle", text


def _split(answer_block: str, marker: str) -> list[str]:
    parts = [p.strip() for p in answer_block.split(marker)]
    return parts[1:] if parts and not parts[0] else parts


def _feedback(answer: str, parts: int = 2) -> list[str]:
    bits = [_put_back(b) for b in answer.split("#", parts - 1)]
    return bits + [""] * (parts - len(bits))


def _answers(block: str, marker: str, default_weight: float) -> list[Answer]:
    answers = []
    for raw in _split(block, marker):
        weight = default_weight
        if raw.startswith("="):
            weight, raw = 100.0, raw[1:]
        elif match := _WEIGHT.match(raw):
            weight, raw = float(match.group(1)), raw[match.end() :]
        text, feedback = _feedback(raw)
        answers.append(Answer(text, weight, feedback))
    return answers


def read_question(lines: list[str]) -> Question | None:
    """One question from its lines, or None for a block of comments."""
    text = _hold("\n".join(line for line in lines if not line.strip().startswith("//")).strip())
    if not text:
        return None
    name = ""
    if text.startswith("::"):
        name, _, text = text[2:].partition("::")
        text = text.strip()
    start, end = text.index("{"), text.index("}")
    block = text[start + 1 : end].strip()
    # Answers after the text, or a missing word: Moodle shows a blank where the block was.
    after = "" if text.endswith("}") else "_____" + text[end + 1 :]
    question_text = text[:start] + after
    general = ""
    if "####" in block:
        block, general = block[: block.rindex("####")].strip(), block[block.rindex("####") + 4 :]
    text_format, question_text = _with_format(question_text.strip())
    question = Question(
        name=_put_back(name),
        kind="",
        text=_put_back(question_text),
        text_format=text_format,
        general_feedback=_put_back(general),
    )
    if "~" in block:
        question.kind = "multichoice"
        question.single = "=" in block
        question.answers = _answers(block.replace("=", "~="), "~", 0.0)
    elif "=" in block and "->" in block:
        question.kind = "match"
        for pair in _split(block, "="):
            term, _, definition = pair.partition("->")
            question.pairs.append((_put_back(term), _put_back(definition)))
    elif block.split("#")[0].strip() in ("T", "TRUE", "F", "FALSE"):
        question.kind = "truefalse"
        answer, question.feedback_wrong, question.feedback_right = _feedback(block, 3)
        question.truth = answer in ("T", "TRUE")
    else:
        question.kind = "shortanswer"
        question.answers = _answers(block, "=", 100.0)
    return question


def read_gift(text: str) -> tuple[list[Question], list[str]]:
    """The questions of a GIFT file, and its comment lines (without the ``//``)."""
    comments = [
        line.strip()[2:].strip() for line in text.splitlines() if line.strip().startswith("//")
    ]
    blocks: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    questions = [q for q in (read_question(b) for b in blocks if b) if q is not None]
    return questions, comments
