"""Build ``templates/docx/base.docx``, the styled document every EduTeach Word file starts from.

Run from the repository root after changing a style here, and commit the result:

    python scripts/build_docx_base.py

The renderers in ``eduteach/exports`` refer to these styles by name only, so the look of every
document is decided in this one file. It starts from python-docx's own template and replaces
the styles, numbering and page setup with EduTeach's.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Inches

OUT = Path(__file__).resolve().parents[1] / "templates" / "docx" / "base.docx"

FONT = "Calibri"  # in every Office install; LibreOffice substitutes metric-compatible Carlito
INK = "262626"
NAVY = "1F3864"
BLUE = "2E74B5"
GREY = "595959"
RULE = "BFBFBF"
HEADER_FILL = "DCE6F2"
LABEL_FILL = "F2F5F9"

W = nsdecls("w")


def _fonts(size_half_points: int, color: str = INK, extra: str = "") -> str:
    return (
        f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsiaTheme="minorEastAsia"/>'
        f'{extra}<w:color w:val="{color}"/><w:sz w:val="{size_half_points}"/>'
        f'<w:szCs w:val="{size_half_points}"/>'
    )


def _border(side: str, color: str, size: int = 6, space: int = 4) -> str:
    return f'<w:{side} w:val="single" w:sz="{size}" w:space="{space}" w:color="{color}"/>'


# (type, style id, name, based on, next, pPr, rPr) for every paragraph and character style.
# Styles used inside tables repeat their font size: LibreOffice lets a table style's defaults
# win over a size that a paragraph style only inherits.
PARAGRAPH_STYLES: list[tuple[str, str, str, str | None, str | None, str, str]] = [
    (
        "paragraph", "Normal", "Normal", None, None,
        '<w:spacing w:after="120" w:line="264" w:lineRule="auto"/>',
        _fonts(22),
    ),
    (
        "paragraph", "Title", "Title", "Normal", "Subtitle",
        f'<w:keepNext/><w:pBdr>{_border("bottom", BLUE, 12, 6)}</w:pBdr>'
        '<w:spacing w:before="0" w:after="80" w:line="240" w:lineRule="auto"/>',
        _fonts(48, NAVY, '<w:b/><w:bCs/><w:kern w:val="28"/>'),
    ),
    (
        "paragraph", "Subtitle", "Subtitle", "Normal", "Normal",
        '<w:keepNext/><w:spacing w:before="60" w:after="240"/>',
        _fonts(24, GREY),
    ),
    (
        "paragraph", "Heading1", "heading 1", "Normal", "Normal",
        f'<w:keepNext/><w:keepLines/><w:pBdr>{_border("bottom", HEADER_FILL, 8, 2)}</w:pBdr>'
        '<w:spacing w:before="320" w:after="120"/><w:outlineLvl w:val="0"/>',
        _fonts(30, NAVY, "<w:b/><w:bCs/>"),
    ),
    (
        "paragraph", "Heading2", "heading 2", "Normal", "Normal",
        '<w:keepNext/><w:keepLines/><w:spacing w:before="220" w:after="80"/>'
        '<w:outlineLvl w:val="1"/>',
        _fonts(25, BLUE, "<w:b/><w:bCs/>"),
    ),
    (
        "paragraph", "Heading3", "heading 3", "Normal", "Normal",
        '<w:keepNext/><w:keepLines/><w:spacing w:before="160" w:after="60"/>'
        '<w:outlineLvl w:val="2"/>',
        _fonts(22, NAVY, "<w:b/><w:bCs/>"),
    ),
    (
        "paragraph", "LessonTitle", "Lesson Title", "Heading1", "Normal",
        '<w:pageBreakBefore/><w:spacing w:before="0" w:after="160"/>',
        _fonts(36, NAVY, "<w:b/><w:bCs/>"),
    ),
    (
        "paragraph", "ListBullet", "List Bullet", "Normal", None,
        '<w:numPr><w:numId w:val="1"/></w:numPr><w:spacing w:after="60"/>'
        '<w:ind w:left="360" w:hanging="270"/>',
        "",
    ),
    (
        "paragraph", "ListBullet2", "List Bullet 2", "Normal", None,
        '<w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr><w:spacing w:after="60"/>'
        '<w:ind w:left="720" w:hanging="270"/>',
        "",
    ),
    (
        "paragraph", "ListNumber", "List Number", "Normal", None,
        '<w:numPr><w:numId w:val="2"/></w:numPr><w:spacing w:after="60"/>'
        '<w:ind w:left="360" w:hanging="300"/>',
        "",
    ),
    (
        "paragraph", "ListNumber2", "List Number 2", "Normal", None,
        '<w:numPr><w:ilvl w:val="1"/><w:numId w:val="2"/></w:numPr><w:spacing w:after="60"/>'
        '<w:ind w:left="720" w:hanging="300"/>',
        "",
    ),
    (
        "paragraph", "Header", "header", "Normal", None,
        f'<w:pBdr>{_border("bottom", RULE, 4, 4)}</w:pBdr>'
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>',
        _fonts(17, GREY),
    ),
    (
        "paragraph", "Footer", "footer", "Normal", None,
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>',
        _fonts(16, GREY),
    ),
    (
        "paragraph", "FooterPage", "Footer Page", "Footer", None,
        '<w:jc w:val="right"/>',
        _fonts(16, GREY),
    ),
    (
        "paragraph", "TableText", "Table Text", "Normal", None,
        '<w:spacing w:before="20" w:after="40" w:line="240" w:lineRule="auto"/>',
        _fonts(19),
    ),
    (
        "paragraph", "TableHeading", "Table Heading", "TableText", None,
        '<w:keepNext/>',
        _fonts(19, NAVY, "<w:b/><w:bCs/>"),
    ),
    (
        "paragraph", "TableBullet", "Table Bullet", "TableText", None,
        '<w:numPr><w:numId w:val="3"/></w:numPr><w:ind w:left="200" w:hanging="170"/>',
        _fonts(19),
    ),
    (
        "paragraph", "Note", "Note", "Normal", "Normal",
        f'<w:pBdr>{_border("left", BLUE, 18, 8)}</w:pBdr><w:shd w:val="clear" w:color="auto" '
        f'w:fill="{LABEL_FILL}"/><w:spacing w:before="120" w:after="200" w:line="252" '
        'w:lineRule="auto"/><w:ind w:left="170" w:right="113"/>',
        _fonts(19, GREY, "<w:i/><w:iCs/>"),
    ),
    (
        "paragraph", "Warning", "Warning", "Note", "Normal",
        f'<w:pBdr>{_border("left", "C55A11", 24, 8)}</w:pBdr>'
        '<w:shd w:val="clear" w:color="auto" w:fill="FBE4D5"/>',
        _fonts(20, "843C0C", '<w:b/><w:bCs/><w:i w:val="0"/><w:iCs w:val="0"/>'),
    ),
    (
        "paragraph", "SmallPrint", "Small Print", "Normal", None,
        '<w:spacing w:before="240" w:after="0"/>',
        _fonts(16, "7F7F7F"),
    ),
    (
        "character", "Strong", "Strong", "DefaultParagraphFont", None, "",
        '<w:b/><w:bCs/>',
    ),
    (
        "character", "Label", "Label", "DefaultParagraphFont", None, "",
        f'<w:b/><w:bCs/><w:color w:val="{NAVY}"/>',
    ),
]  # fmt: skip

_CELL_MARGINS = (
    '<w:tblCellMar><w:top w:w="60" w:type="dxa"/><w:left w:w="100" w:type="dxa"/>'
    '<w:bottom w:w="60" w:type="dxa"/><w:right w:w="100" w:type="dxa"/></w:tblCellMar>'
)

TABLE_STYLES = {
    # The page footer: a rule above, the AI note on the left and the page number on the right,
    # each wrapping inside its own cell whatever the language.
    ("EduTeachFooter", "EduTeach Footer"): (
        f"<w:tblPr><w:tblBorders>{_border('top', RULE, 4, 0)}</w:tblBorders>"
        '<w:tblCellMar><w:top w:w="60" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr>"
    ),
    # A grid with a tinted header row: procedure, vocabulary, lesson sequence.
    ("EduTeachGrid", "EduTeach Grid"): (
        f"<w:tblPr><w:tblBorders>{_border('top', RULE, 4, 0)}{_border('left', RULE, 4, 0)}"
        f"{_border('bottom', RULE, 4, 0)}{_border('right', RULE, 4, 0)}"
        f"{_border('insideH', RULE, 4, 0)}{_border('insideV', RULE, 4, 0)}</w:tblBorders>"
        f"{_CELL_MARGINS}</w:tblPr>"
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/>'
        f'<w:color w:val="{NAVY}"/></w:rPr><w:tblPr/><w:trPr><w:tblHeader/></w:trPr><w:tcPr>'
        f'<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/></w:tcPr></w:tblStylePr>'
    ),
    # Label / value rows: the details box under the title.
    ("EduTeachDetails", "EduTeach Details"): (
        f"<w:tblPr><w:tblBorders>{_border('top', RULE, 4, 0)}{_border('bottom', RULE, 4, 0)}"
        f"{_border('insideH', RULE, 4, 0)}</w:tblBorders>{_CELL_MARGINS}</w:tblPr>"
        '<w:tblStylePr w:type="firstCol"><w:rPr><w:b/><w:bCs/>'
        f'<w:color w:val="{NAVY}"/></w:rPr><w:tblPr/><w:tcPr>'
        f'<w:shd w:val="clear" w:color="auto" w:fill="{LABEL_FILL}"/></w:tcPr></w:tblStylePr>'
    ),
}


def _lvl(ilvl: int, fmt: str, text: str, indent: int, hanging: int, font: str | None) -> str:
    rpr = (
        f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:hint="default"/></w:rPr>'
        if font
        else ""
    )
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{indent}" w:hanging="{hanging}"/></w:pPr>{rpr}</w:lvl>'
    )


def _numbering() -> str:
    bullets = "".join(
        _lvl(i, "bullet", mark, 360 * (i + 1), 270, FONT)
        for i, mark in enumerate(("\u2022", "\u25e6", "\u25aa"))
    )
    numbers = "".join(
        _lvl(i, fmt, f"%{i + 1}.", 360 * (i + 1), 300, None)
        for i, fmt in enumerate(("decimal", "lowerLetter", "lowerRoman"))
    )
    cell_bullets = _lvl(0, "bullet", "\u2022", 200, 170, FONT)
    return (
        f"<w:numbering {W}>"
        '<w:abstractNum w:abstractNumId="0"><w:nsid w:val="5E0A1B01"/>'
        f'<w:multiLevelType w:val="hybridMultilevel"/>{bullets}</w:abstractNum>'
        '<w:abstractNum w:abstractNumId="1"><w:nsid w:val="5E0A1B02"/>'
        f'<w:multiLevelType w:val="hybridMultilevel"/>{numbers}</w:abstractNum>'
        '<w:abstractNum w:abstractNumId="2"><w:nsid w:val="5E0A1B03"/>'
        f'<w:multiLevelType w:val="singleLevel"/>{cell_bullets}</w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>'
        "</w:numbering>"
    )


def _replace_style(styles: Any, xml: str, style_id: str) -> None:
    for old in styles.findall(qn("w:style")):
        if old.get(qn("w:styleId")) == style_id:
            styles.remove(old)
    styles.append(parse_xml(xml))


def _paragraph_style(kind: str, sid: str, name: str, based: str | None, nxt: str | None,
                     ppr: str, rpr: str) -> str:  # fmt: skip
    return (
        f'<w:style {W} w:type="{kind}" w:styleId="{sid}"'
        + (' w:default="1"' if sid == "Normal" else "")
        + f'><w:name w:val="{name}"/>'
        + (f'<w:basedOn w:val="{based}"/>' if based else "")
        + (f'<w:next w:val="{nxt}"/>' if nxt else "")
        + '<w:uiPriority w:val="9"/><w:qFormat/>'
        + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "")
        + (f"<w:rPr>{rpr}</w:rPr>" if rpr else "")
        + "</w:style>"
    )


def build(out: Path) -> None:
    """Write the base document to ``out``."""
    document = docx.Document()
    styles = document.styles.element

    defaults = styles.find(qn("w:docDefaults"))
    defaults.getparent().replace(
        defaults,
        parse_xml(
            f"<w:docDefaults {W}><w:rPrDefault><w:rPr>{_fonts(22)}"
            '<w:lang w:val="en-US" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
            '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/>'
            "</w:pPr></w:pPrDefault></w:docDefaults>"
        ),
    )
    for spec in PARAGRAPH_STYLES:
        _replace_style(styles, _paragraph_style(*spec), spec[1])
    for (sid, name), body in TABLE_STYLES.items():
        _replace_style(
            styles,
            f'<w:style {W} w:type="table" w:styleId="{sid}"><w:name w:val="{name}"/>'
            f'<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="40"/><w:qFormat/>'
            f'<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>{body}</w:style>',
            sid,
        )
    # The template carries ~140 Word 2010 table styles nobody picks; Word still offers them
    # (they are latent styles), and without them every style lookup by name is fast.
    keep_tables = {"TableNormal", "TableGrid", *(sid for sid, _ in TABLE_STYLES)}
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:styleId")) not in keep_tables:
            styles.remove(style)
    # Old list styles still point at the template's numbering, which is replaced below.
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) in {"ListBullet3", "ListNumber3", "Subtitle"}:
            for num_pr in style.iter(qn("w:numPr")):
                num_pr.getparent().remove(num_pr)

    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    for child in parse_xml(_numbering()):
        numbering.append(child)

    # Drop the template's Word 2010 leftovers: a second copy of the styles, a bibliography
    # store and a preview picture of an empty page.
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype in {
            "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
            RT.CUSTOM_XML,
        }:
            del document.part.rels[rel_id]
    for rel_id, rel in list(document.part.package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del document.part.package.rels[rel_id]
    settings = document.settings.element
    for tag in ("w:savePreviewPicture", "w:rsids", "w:attachedTemplate"):
        for element in settings.findall(qn(tag)):
            settings.remove(element)
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")

    section = document.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    section.left_margin = section.right_margin = Inches(0.9)
    section.top_margin = section.bottom_margin = Inches(0.9)
    section.header_distance = section.footer_distance = Inches(0.45)

    body = document.element.body
    for paragraph in body.findall(qn("w:p")):
        body.remove(paragraph)

    props = document.core_properties
    props.author = props.last_modified_by = "EduTeach"
    props.title = props.subject = props.comments = props.keywords = props.category = ""
    props.revision = 1

    out.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    build(parser.parse_args().output)


if __name__ == "__main__":
    main()
