"""Read the question-bank exports back into plain data, the way the LMS importers read them.

Nothing here knows how the exporters built their files: the QTI reader follows the QTI 1.2
structure (response labels, respconditions, itemfeedback links), the cloze reader is a port of
Moodle's own embedded-answer parser (``qtype_multianswer_extract_question``), and HTML is turned
back into the text a student would see.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from lxml import etree

QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
CANVAS = "{http://canvas.instructure.com/xsd/cccv1p0}"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def parse(data: bytes) -> Any:
    """A well-formed XML document, or an error."""
    return etree.fromstring(data, _PARSER)


def html_to_text(fragment: str) -> str:
    """What a student reads: paragraphs separated by a blank line, <br> as a line break."""
    if not fragment.strip():
        return ""
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    paragraphs = root.findall("p")
    if not paragraphs:
        return str(root.text_content()).strip()
    return "\n\n".join(str(p.text_content()).strip() for p in paragraphs)


def unzip(data: bytes) -> dict[str, bytes]:
    """Every member of a zip, by path."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


# --- QTI 1.2 items ----------------------------------------------------------------------------


@dataclass
class Response:
    """A response_lid (choices) or response_str (typed) with its labels."""

    ident: str
    typed: bool
    cardinality: str
    prompt: str
    labels: dict[str, str]  # ident -> text


@dataclass
class Rule:
    """One respcondition: what it tests, what it does to the score, what feedback it shows."""

    other: bool
    equals: list[tuple[str, str]]  # (respident, value) that must hold
    excluded: list[tuple[str, str]]  # inside <not>
    score: tuple[str, float] | None  # (action, value)
    shows: list[str]
    continues: bool


@dataclass
class QtiItem:
    ident: str
    title: str
    fields: dict[str, str]
    html: str
    responses: list[Response]
    rules: list[Rule]
    feedback: dict[str, str]
    element: Any = field(repr=False)

    @property
    def text(self) -> str:
        return html_to_text(self.html)

    def response(self, ident: str = "response1") -> Response:
        return next(r for r in self.responses if r.ident == ident)

    def right_values(self, respident: str = "response1") -> list[str]:
        """Values that earn points for ``respident`` (labels or typed answers)."""
        return [
            value
            for rule in self.rules
            if rule.score and rule.score[1] > 0
            for ident, value in rule.equals
            if ident == respident
        ]

    def general_feedback(self) -> str:
        shown = [link for rule in self.rules if rule.other for link in rule.shows]
        return " ".join(self.feedback[link] for link in shown)

    def label_feedback(self, respident: str = "response1") -> dict[str, str]:
        """label ident -> feedback shown when that label is chosen."""
        return {
            value: self.feedback[link]
            for rule in self.rules
            if not rule.score and len(rule.equals) == 1
            for ident, value in rule.equals
            if ident == respident
            for link in rule.shows
        }

    def choices(self) -> list[tuple[str, bool, str]]:
        """(text, correct, feedback) of each option of a choice item."""
        response = self.response()
        right = set(self.right_values())
        feedback = self.label_feedback()
        return [
            (text, ident in right, feedback.get(ident, ""))
            for ident, text in response.labels.items()
        ]


def _mattext(parent: Any) -> str:
    node = parent.find(f"{QTI}material/{QTI}mattext")
    if node is None:
        return ""
    text = node.text or ""
    return text if node.get("texttype") == "text/html" else html.escape(text, quote=False)


def _plain(parent: Any) -> str:
    node = parent.find(f"{QTI}material/{QTI}mattext")
    text = node.text or "" if node is not None else ""
    return html_to_text(text) if node is not None and node.get("texttype") == "text/html" else text


def _conditions(test: Any) -> tuple[bool, list[tuple[str, str]], list[tuple[str, str]]]:
    other = test.find(f"{QTI}other") is not None
    equals: list[tuple[str, str]] = []
    excluded: list[tuple[str, str]] = []
    for node in test.iter(f"{QTI}varequal"):
        pair = (node.get("respident"), node.text or "")
        negated = any(a.tag == f"{QTI}not" for a in node.iterancestors())
        (excluded if negated else equals).append(pair)
    return other, equals, excluded


def read_item(element: Any) -> QtiItem:
    fields = {
        f.findtext(f"{QTI}fieldlabel"): f.findtext(f"{QTI}fieldentry") or ""
        for f in element.iterfind(f"{QTI}itemmetadata/{QTI}qtimetadata/{QTI}qtimetadatafield")
    }
    presentation = element.find(f"{QTI}presentation")
    responses = []
    for node in presentation:
        if node.tag in (f"{QTI}response_lid", f"{QTI}response_str"):
            labels = {
                label.get("ident"): _plain(label) for label in node.iter(f"{QTI}response_label")
            }
            responses.append(
                Response(
                    node.get("ident"),
                    node.tag == f"{QTI}response_str",
                    node.get("rcardinality", "Single"),
                    _plain(node),
                    labels,
                )
            )
    rules = []
    for condition in element.iterfind(f"{QTI}resprocessing/{QTI}respcondition"):
        other, equals, excluded = _conditions(condition.find(f"{QTI}conditionvar"))
        setvar = condition.find(f"{QTI}setvar")
        score = (setvar.get("action", "Set"), float(setvar.text)) if setvar is not None else None
        shows = [d.get("linkrefid") for d in condition.iterfind(f"{QTI}displayfeedback")]
        rules.append(
            Rule(other, equals, excluded, score, shows, condition.get("continue", "No") == "Yes")
        )
    feedback = {
        node.get("ident"): _plain(node.find(f"{QTI}flow_mat"))
        for node in element.iterfind(f"{QTI}itemfeedback")
    }
    return QtiItem(
        element.get("ident"),
        element.get("title", ""),
        fields,
        _mattext(presentation),
        responses,
        rules,
        feedback,
        element,
    )


# --- Canvas QTI package -----------------------------------------------------------------------


@dataclass
class CanvasPackage:
    files: dict[str, bytes]
    manifest: Any
    assessment: Any
    settings: Any
    items: list[QtiItem]

    @property
    def title(self) -> str:
        return str(self.assessment.find(f"{QTI}assessment").get("title"))

    def setting(self, name: str) -> str:
        return str(self.settings.findtext(f"{CANVAS}{name}"))


def read_canvas_qti(data: bytes) -> CanvasPackage:
    """The package as Canvas's importer walks it: manifest -> QTI resource -> its settings."""
    files = unzip(data)
    manifest = parse(files["imsmanifest.xml"])
    resources = {r.get("identifier"): r for r in manifest.iter(f"{CP}resource")}
    [qti] = [r for r in resources.values() if r.get("type") == "imsqti_xmlv1p2"]
    assessment = parse(files[qti.find(f"{CP}file").get("href")])
    [dependency] = qti.iterfind(f"{CP}dependency")
    settings_resource = resources[dependency.get("identifierref")]
    settings = parse(files[settings_resource.get("href")])
    items = [read_item(item) for item in assessment.iter(f"{QTI}item")]
    return CanvasPackage(files, manifest, assessment, settings, items)


# --- Common Cartridge -------------------------------------------------------------------------


@dataclass
class Cartridge:
    files: dict[str, bytes]
    manifest: Any
    resource: Any
    qti: Any
    items: list[QtiItem]

    @property
    def resource_type(self) -> str:
        return str(self.resource.get("type"))


def read_imscc(data: bytes) -> Cartridge:
    """The cartridge's one QTI resource (assessment or question bank) and its items."""
    files = unzip(data)
    manifest = parse(files["imsmanifest.xml"])
    [resource] = [
        r for r in manifest.iter(f"{CP}resource") if r.get("type").startswith("imsqti_xmlv1p2/")
    ]
    qti = parse(files[resource.find(f"{CP}file").get("href")])
    return Cartridge(files, manifest, resource, qti, [read_item(i) for i in qti.iter(f"{QTI}item")])


# --- Moodle XML -------------------------------------------------------------------------------

# Moodle's embedded-answer grammar (question/type/multianswer/questiontype.php), with its
# variable-width look-behind split into three fixed-width ones for Python.
_FRACTION = r"=|%(-?[0-9]+)%"
_ANSWER = r".+?(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$)"
_FEEDBACK = r".*?(?<!\\)(?=[~}]|$)"
_ALTERNATIVE = f"({_FRACTION})?({_ANSWER})(#({_FEEDBACK}))?"
_TYPES = (
    r"(NUMERICAL|NM)|(MULTICHOICE|MC)|(MULTICHOICE_V|MCV)|(MULTICHOICE_H|MCH)|"
    r"(SHORTANSWER|SA|MW)|(SHORTANSWER_C|SAC|MWC)"
)
EMBEDDED = re.compile(
    r"\{([0-9]*):(" + _TYPES + r"):(" + _ALTERNATIVE + "(~" + _ALTERNATIVE + r")*)\}", re.S
)
_ONE_ALTERNATIVE = re.compile("~?" + _ALTERNATIVE, re.S)


WILDCARD = "\ufffd"


def shortanswer_literal(answer: str) -> str:
    """A Moodle short answer as the text it accepts: ``\\*`` is an asterisk, while a bare ``*``
    is Moodle's wildcard (any text), shown as U+FFFD so it never equals a real answer."""
    return re.sub(r"(?<!\\)\*+", WILDCARD, answer).replace("\\*", "*")


@dataclass
class ClozeBlank:
    weight: str
    kind: str
    answers: list[tuple[str, float]]  # (literal answer, fraction 0..1)


def read_cloze(text: str) -> tuple[str, list[ClozeBlank]]:
    """The question text with ``{#n}`` markers, and each embedded answer, as Moodle reads them."""
    found = []
    position = 1
    while match := EMBEDDED.search(text):
        remaining = match.group(9)
        answers = []
        while alternative := _ONE_ALTERNATIVE.match(remaining):
            mark, percent, answer = alternative.group(1), alternative.group(2), alternative.group(3)
            value = 1.0 if mark == "=" else (int(percent) / 100 if percent else 0.0)
            literal = html.unescape(answer).replace("\\}", "}").replace("\\#", "#")
            answers.append((shortanswer_literal(literal), value))
            remaining = remaining[alternative.end() :]
        found.append(ClozeBlank(match.group(1), match.group(2), answers))
        text = text[: match.start()] + f"{{#{position}}}" + text[match.end() :]
        position += 1
    return text, found


def _rich(element: Any, tag: str) -> str:
    return element.findtext(f"{tag}/text") or ""


@dataclass
class MoodleQuestion:
    type: str
    name: str
    html: str
    general_feedback: str
    element: Any = field(repr=False)

    @property
    def text(self) -> str:
        return html_to_text(self.html)

    def value(self, tag: str) -> str:
        return self.element.findtext(tag) or ""

    def answers(self) -> list[tuple[str, float, str]]:
        """(answer as the student sees it, fraction in %, feedback text) of each answer.

        HTML answers are read as text; a short answer's ``\\*`` is Moodle's literal asterisk.
        """
        found = []
        for answer in self.element.iterfind("answer"):
            text = answer.findtext("text") or ""
            if answer.get("format") == "html":
                text = html_to_text(text)
            elif self.type == "shortanswer":
                text = shortanswer_literal(text)
            feedback = html_to_text(_rich(answer, "feedback"))
            found.append((text, float(answer.get("fraction")), feedback))
        return found

    def subquestions(self) -> list[tuple[str, str]]:
        return [
            (html_to_text(s.findtext("text") or ""), s.findtext("answer/text") or "")
            for s in self.element.iterfind("subquestion")
        ]

    def hints(self) -> list[str]:
        return [html_to_text(h.findtext("text") or "") for h in self.element.iterfind("hint")]


@dataclass
class MoodleFile:
    category: str
    category_info: str
    questions: list[MoodleQuestion]


def read_moodle_xml(data: bytes) -> MoodleFile:
    root = parse(data)
    assert root.tag == "quiz"
    first, *rest = root.iterfind("question")
    assert first.get("type") == "category"
    questions = [
        MoodleQuestion(
            q.get("type"),
            q.findtext("name/text") or "",
            _rich(q, "questiontext"),
            html_to_text(_rich(q, "generalfeedback")),
            q,
        )
        for q in rest
    ]
    return MoodleFile(
        first.findtext("category/text") or "", html_to_text(_rich(first, "info")), questions
    )
