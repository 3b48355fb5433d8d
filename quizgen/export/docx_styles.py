"""The styled starting document for Word handouts and keys.

Every style a handout uses is defined here, in the document it starts from
(python-docx silently ignores a style the document does not define). Fonts are
named explicitly in every slot: Latin text in Times New Roman / Arial, East
Asian text in SimSun / 宋体 (body) and SimHei / 黑体 (headings), which Windows
and macOS Office have; where they are missing (Linux, LibreOffice) the Noto CJK
fonts stand in. The theme font attributes of python-docx's default template
are removed everywhere, since they override explicit names and map Chinese to a
Japanese theme font. Page: A4, East Asian language zh-CN.
"""

from __future__ import annotations

import functools
import io
import unicodedata
from dataclasses import dataclass

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import (
    WD_ALIGN_PARAGRAPH,
    WD_LINE_SPACING,
    WD_TAB_ALIGNMENT,
    WD_TAB_LEADER,
)
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph

__all__ = [
    "OPTION_COLUMNS",
    "PAGE",
    "STYLES",
    "Fonts",
    "add_field",
    "display_width",
    "font_table",
    "fonts_for",
    "new_document",
    "starting_document",
    "option_columns",
]

#: the theme attributes of w:rFonts; each overrides the explicit name beside it
THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


@dataclass(frozen=True, kw_only=True)
class Page:
    """A4 portrait with print margins."""

    width: Cm = Cm(21.0)
    height: Cm = Cm(29.7)
    margin_top: Cm = Cm(2.0)
    margin_bottom: Cm = Cm(2.0)
    margin_side: Cm = Cm(2.2)
    footer_distance: Cm = Cm(1.0)

    @property
    def text_width(self) -> Emu:
        """Width between the side margins."""
        return Emu(self.width - 2 * self.margin_side)


PAGE = Page()

#: indent of question text after its number, and of option text after its letter
NUMBER_INDENT = Cm(0.9)
LETTER_INDENT = Cm(0.6)
#: the option layouts, widest columns first checked last
OPTION_COLUMNS = (4, 2, 1)


@dataclass(frozen=True, kw_only=True)
class Fonts:
    """Font names and sizes for one language."""

    body_latin: str = "Times New Roman"
    body_east_asia: str = "SimSun"
    heading_latin: str = "Arial"
    heading_east_asia: str = "SimHei"
    body_pt: float = 10.5
    heading_pt: float = 12.0
    title_pt: float = 16.0
    small_pt: float = 9.0


_FONTS = {
    # 五号 body, 小四 headings, 三号 title: the sizes of a Chinese school paper
    "zh": Fonts(),
    "en": Fonts(body_pt=11.0),
}


def fonts_for(lang: str) -> Fonts:
    """The fonts for a quiz language ('zh' or 'en'; anything else gets 'en')."""
    return _FONTS.get(lang, _FONTS["en"])


def display_width(text: str) -> int:
    """Width in half-em units: CJK and full-width characters count 2, others 1."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def option_columns(options: tuple[str, ...], fonts: Fonts) -> int:
    """How many columns (4, 2 or 1) the options fit in on one line each.

    An option's width is estimated from its display width at the body size
    (half an em per Latin character, which Times and Noto undercut on average)
    plus its letter ("A. ") and a gap before the next column.
    """
    usable = PAGE.text_width - NUMBER_INDENT
    half_em = Pt(fonts.body_pt / 2)
    widest = max((display_width(o) for o in options), default=0)
    needed = (widest + 4) * half_em + Pt(6)
    for columns in OPTION_COLUMNS:
        if needed <= usable / columns:
            return columns
    return 1


_FONT_TABLE = """\
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
{fonts}</w:fonts>
"""
#: name -> (localised name, panose, charset, family, pitch); charset 86 is GB2312
_FONT_INFO = {
    "SimSun": ("宋体", "02010600030101010101", "86", "auto", "variable"),
    "SimHei": ("黑体", "02010609060101010101", "86", "modern", "fixed"),
    "Times New Roman": ("", "02020603050405020304", "00", "roman", "variable"),
    "Arial": ("", "020B0604020202020204", "00", "swiss", "variable"),
}


def font_table(lang: str) -> bytes:
    """The document's font table: exactly the fonts the styles name.

    It replaces the default template's table (which lists Japanese fonts), and
    tells Word each Chinese font's localised name and GB2312 charset, so that a
    machine without it substitutes a Chinese font. Returns UTF-8 XML.
    """
    fonts = fonts_for(lang)
    names = dict.fromkeys(
        (
            fonts.body_east_asia,
            fonts.heading_east_asia,
            fonts.body_latin,
            fonts.heading_latin,
        )
    )
    items = []
    for name in names:
        alt, panose, charset, family, pitch = _FONT_INFO.get(
            name, ("", "00000000000000000000", "00", "auto", "variable")
        )
        alt_el = f'<w:altName w:val="{alt}"/>' if alt else ""
        items.append(
            f'<w:font w:name="{name}">{alt_el}<w:panose1 w:val="{panose}"/>'
            f'<w:charset w:val="{charset}"/><w:family w:val="{family}"/>'
            f'<w:pitch w:val="{pitch}"/></w:font>\n'
        )
    return _FONT_TABLE.format(fonts="".join(items)).encode("utf-8")


# --------------------------------------------------------------------------- XML helpers


def _set_fonts(rpr: object, latin: str, east_asia: str) -> None:
    """Name every font slot of an rPr element and drop its theme attributes."""
    rfonts = rpr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)  # type: ignore[attr-defined]
    for attr in THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)


def _set_lang(rpr: object) -> None:
    lang = rpr.find(qn("w:lang"))  # type: ignore[attr-defined]
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)  # type: ignore[attr-defined]
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")


def _strip_theme_fonts(root: object) -> None:
    for rfonts in root.iter(qn("w:rFonts")):  # type: ignore[attr-defined]
        for attr in THEME_ATTRS:
            rfonts.attrib.pop(qn(attr), None)


def _remove(parent: object, tag: str) -> None:
    for el in parent.findall(qn(tag)):  # type: ignore[attr-defined]
        parent.remove(el)  # type: ignore[attr-defined]


def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "1") -> None:
    """Append a field (PAGE, NUMPAGES, ...) as fldChar begin / instrText / separate / end runs."""
    p = paragraph._p
    for kind, text in (
        ("begin", None),
        ("instr", f" {instruction} "),
        ("separate", None),
        ("text", placeholder),
        ("end", None),
    ):
        r = OxmlElement("w:r")
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        r.append(el)
        p.append(r)


def _tab_stops(style: ParagraphStyle, positions: list[int]) -> None:
    stops = style.paragraph_format.tab_stops
    stops.clear_all()
    for pos in positions:
        stops.add_tab_stop(Emu(pos))


_AFTER_PBDR = tuple(
    f"w:{tag}"
    for tag in [
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    ]
)


def _border(style: ParagraphStyle, edges: tuple[str, ...]) -> None:
    ppr = style.element.get_or_add_pPr()
    _remove(ppr, "w:pBdr")
    bdr = OxmlElement("w:pBdr")
    for edge in edges:
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "1")
        el.set(qn("w:color"), "808080")
        bdr.append(el)
    # CT_PPr is a sequence: pBdr goes before everything that follows it there
    ppr.insert_element_before(bdr, *_AFTER_PBDR)


# --------------------------------------------------------------------------- styles


@dataclass(frozen=True, kw_only=True)
class StyleSpec:
    """One paragraph style: font role, size and paragraph layout."""

    name: str
    base: str = "Normal"
    heading: bool = False
    size: str = "body"  # body | heading | title | small
    bold: bool = False
    align: WD_ALIGN_PARAGRAPH | None = None
    before_pt: float = 0
    after_pt: float = 0
    line: float | None = None  # multiple of single spacing
    exact_line_pt: float | None = None
    left: Emu | None = None
    first_line: Emu | None = None
    keep_next: bool = False
    keep_lines: bool = False
    color: str | None = None


_QUESTION_LEFT = NUMBER_INDENT
QUOTE_INDENT = Emu(NUMBER_INDENT + Cm(0.4))
#: room for a guiding question's "（1）"
GUIDE_INDENT = Cm(1.0)
STYLES: tuple[StyleSpec, ...] = (
    StyleSpec(name="Normal", base="", line=1.25),
    StyleSpec(
        name="Title",
        heading=True,
        size="title",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after_pt=4,
        keep_next=True,
    ),
    StyleSpec(
        name="Subtitle",
        heading=True,
        size="heading",
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after_pt=8,
        keep_next=True,
    ),
    StyleSpec(
        name="Heading 1",
        heading=True,
        size="heading",
        bold=True,
        before_pt=12,
        after_pt=6,
        keep_next=True,
        keep_lines=True,
    ),
    StyleSpec(name="Handout Info", after_pt=4),
    StyleSpec(
        name="Question",
        before_pt=6,
        after_pt=3,
        left=_QUESTION_LEFT,
        first_line=Emu(-_QUESTION_LEFT),
        keep_next=True,
        keep_lines=True,
    ),
    StyleSpec(
        name="Option",
        left=Emu(_QUESTION_LEFT + LETTER_INDENT),
        first_line=Emu(-LETTER_INDENT),
        after_pt=1,
        keep_next=True,
        keep_lines=True,
    ),
    StyleSpec(
        name="Options 2 Columns", left=_QUESTION_LEFT, after_pt=1, keep_next=True
    ),
    StyleSpec(
        name="Options 4 Columns", left=_QUESTION_LEFT, after_pt=1, keep_next=True
    ),
    StyleSpec(
        name="Source Quote",
        left=QUOTE_INDENT,
        after_pt=2,
        keep_next=True,
        keep_lines=True,
    ),
    StyleSpec(
        name="Guiding Question",
        left=Emu(QUOTE_INDENT + GUIDE_INDENT),
        first_line=Emu(-GUIDE_INDENT),
        after_pt=1,
        keep_next=True,
        keep_lines=True,
    ),
    StyleSpec(
        name="Answer Line", left=_QUESTION_LEFT, exact_line_pt=26, keep_lines=True
    ),
    StyleSpec(
        name="Answer",
        left=_QUESTION_LEFT,
        after_pt=2,
        keep_lines=True,
        color="7F1F1F",
    ),
    StyleSpec(
        name="Answer Item",
        left=_QUESTION_LEFT,
        first_line=Emu(-_QUESTION_LEFT),
        after_pt=2,
        keep_lines=True,
    ),
    StyleSpec(name="Key Cell", size="small", line=1.15),
    StyleSpec(name="Score Cell", align=WD_ALIGN_PARAGRAPH.CENTER, line=1.0),
    # answer sheet rows: four choice questions, or three true or false, a row
    StyleSpec(name="Sheet Row", after_pt=2, line=1.6, keep_lines=True),
    StyleSpec(name="Sheet Row 3", after_pt=2, line=1.6, keep_lines=True),
    # the compact key: groups of five answers, four groups a row
    StyleSpec(name="Compact Row", after_pt=2, line=1.3, keep_lines=True),
    StyleSpec(name="Footer", size="small", align=WD_ALIGN_PARAGRAPH.CENTER),
)


def _apply(style: ParagraphStyle, spec: StyleSpec, fonts: Fonts) -> None:
    latin = fonts.heading_latin if spec.heading else fonts.body_latin
    east_asia = fonts.heading_east_asia if spec.heading else fonts.body_east_asia
    rpr = style.element.get_or_add_rPr()
    _set_fonts(rpr, latin, east_asia)
    _remove(rpr, "w:color")
    if spec.color:
        style.font.color.rgb = RGBColor.from_string(spec.color)
    style.font.size = Pt(
        {
            "body": fonts.body_pt,
            "heading": fonts.heading_pt,
            "title": fonts.title_pt,
            "small": fonts.small_pt,
        }[spec.size]
    )
    style.font.bold = spec.bold
    style.font.italic = False
    style.font.all_caps = False
    _remove(rpr, "w:spacing")  # the default template's Title letter-spacing
    _remove(rpr, "w:kern")
    ppr = style.element.get_or_add_pPr()
    _remove(ppr, "w:pBdr")  # the default template underlines Title
    pf = style.paragraph_format
    pf.alignment = spec.align
    pf.space_before = Pt(spec.before_pt)
    pf.space_after = Pt(spec.after_pt)
    if spec.exact_line_pt is not None:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(spec.exact_line_pt)
    elif spec.line is not None:
        pf.line_spacing = spec.line
    pf.left_indent = spec.left
    pf.first_line_indent = spec.first_line
    pf.keep_with_next = spec.keep_next
    pf.keep_together = spec.keep_lines
    pf.widow_control = True


def new_document(lang: str, *, title: str = "") -> Document:
    """A new A4 document with every handout style defined for `lang`.

    Returns a python-docx Document with an empty body, opened from the styled
    starting document of `lang` (built once per process by
    `starting_document`). Raises nothing for an unknown language (English
    fonts are used).
    """
    doc = docx.Document(io.BytesIO(starting_document(lang)))
    doc.core_properties.title = title
    return doc


@functools.cache
def starting_document(lang: str) -> bytes:
    """The .docx every handout and key of `lang` starts from, as bytes.

    python-docx's default template with the page set up, the theme fonts
    removed and every style of STYLES defined. Built in code, so there is no
    binary template to keep in step with this module.
    """
    fonts = fonts_for(lang)
    doc = docx.Document()
    styles_root = doc.styles.element
    _strip_theme_fonts(styles_root)

    defaults = styles_root.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, fonts.body_latin, fonts.body_east_asia)
    _set_lang(rpr)
    for tag in ("w:sz", "w:szCs"):
        el = rpr.find(qn(tag))
        if el is not None:
            el.set(qn("w:val"), str(round(fonts.body_pt * 2)))
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    if spacing is not None:
        spacing.set(qn("w:after"), "0")

    for spec in STYLES:
        try:
            style = doc.styles[spec.name]
        except KeyError:
            style = doc.styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
            style.quick_style = True
        if spec.base:
            style.base_style = doc.styles[spec.base]
        heading = spec.heading or spec.name.startswith("Heading")
        style.next_paragraph_style = doc.styles["Normal"] if heading else style
        _apply(style, spec, fonts)

    # every other style keeps its own fonts: name them too, so no style falls
    # back to a theme font if a user applies it in Word
    for style in doc.styles:
        rpr_el = style.element.rPr
        if rpr_el is not None and rpr_el.find(qn("w:rFonts")) is not None:
            rfonts = rpr_el.find(qn("w:rFonts"))
            if rfonts.get(qn("w:eastAsia")) is None:
                heading = style.name.startswith(("Heading", "Title", "Subtitle"))
                _set_fonts(
                    rpr_el,
                    fonts.heading_latin if heading else fonts.body_latin,
                    fonts.heading_east_asia if heading else fonts.body_east_asia,
                )

    usable = PAGE.text_width
    left = NUMBER_INDENT
    _tab_stops(doc.styles["Question"], [left])
    _tab_stops(doc.styles["Answer Item"], [left])
    _tab_stops(doc.styles["Option"], [left + LETTER_INDENT])
    _tab_stops(doc.styles["Guiding Question"], [QUOTE_INDENT + GUIDE_INDENT])
    _tab_stops(doc.styles["Options 2 Columns"], [left + (usable - left) // 2])
    _tab_stops(
        doc.styles["Options 4 Columns"],
        [left + (usable - left) * k // 4 for k in (1, 2, 3)],
    )
    _tab_stops(doc.styles["Sheet Row"], [usable * k // 4 for k in (1, 2, 3)])
    _tab_stops(doc.styles["Sheet Row 3"], [usable * k // 3 for k in (1, 2)])
    _tab_stops(doc.styles["Compact Row"], [usable * k // 4 for k in (1, 2, 3)])
    # the writing space: one paragraph of tabs whose leader rules each line to
    # the margin, kept whole on one page (bordered empty paragraphs could be
    # split, leaving a line or two of writing space alone on a last page)
    lines = doc.styles["Answer Line"].paragraph_format.tab_stops
    lines.clear_all()
    lines.add_tab_stop(Emu(usable), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.LINES)

    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = PAGE.width
    section.page_height = PAGE.height
    section.top_margin = PAGE.margin_top
    section.bottom_margin = PAGE.margin_bottom
    section.left_margin = PAGE.margin_side
    section.right_margin = PAGE.margin_side
    section.footer_distance = PAGE.footer_distance
    section.header_distance = PAGE.footer_distance

    # the theme's East Asian language: with zh-CN, Word's theme fonts (for text
    # a user restyles) are the theme's Chinese ones, not its Japanese ones
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")

    props = doc.core_properties
    props.author = "quizgen"
    props.last_modified_by = "quizgen"
    props.language = "zh-CN" if lang == "zh" else "en-US"
    props.comments = ""
    props.revision = 1
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
