"""Office templates from the tokens: a PowerPoint deck (title, section and content layouts) and a Word press release.

python-pptx and python-docx start from their stock templates; everything of those that is not the brand is
replaced or removed — theme colours and fonts, the Word styles we do not use, the Office thumbnail — so the files
name only the brand fonts and the token colours. Packages are re-zipped with fixed dates and metadata, so the
same inputs give the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as DOCX_RT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.shared import RGBColor as DocxRGB
from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.shapes.autoshape import Shape
from pptx.util import Emu

from vnportal.brand.tokens import Brand
from vnportal.brand.vector import FIXED_DATE
from vnportal.core.archive import rewrite_zip
from vnportal.core.languages import language_territory

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
W_ = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

#: DrawingML theme slots and the token role (light scheme) that fills each.
THEME_SLOTS = {
    "dk1": "text", "lt1": "surface", "dk2": "neutral-900", "lt2": "surface-alt", "accent1": "primary",
    "accent2": "secondary", "accent3": "accent", "accent4": "accent-text", "accent5": "text-muted",
    "accent6": "neutral-300", "hlink": "link", "folHlink": "primary",
}  # fmt: skip


@dataclass(frozen=True)
class Fonts:
    """Family names the documents use: Latin/Vietnamese, and East Asian (Chinese)."""

    latin: str
    east_asian: str


def _hex(brand: Brand, role: str) -> str:
    return brand.color("light", role).lstrip("#")


def theme_xml(blob: bytes, brand: Brand, fonts: Fonts) -> bytes:
    """The stock DrawingML theme with the brand's colour scheme and fonts (and no per-script fallback faces)."""
    root = etree.fromstring(blob)
    ns = {"a": A}
    scheme = root.find(".//a:clrScheme", ns)
    scheme.set("name", "Viet Nam")
    for slot, role in THEME_SLOTS.items():
        element = scheme.find(f"a:{slot}", ns)
        for child in list(element):
            element.remove(child)
        etree.SubElement(element, f"{{{A}}}srgbClr", val=_hex(brand, role))
    font_scheme = root.find(".//a:fontScheme", ns)
    font_scheme.set("name", "Viet Nam")
    for kind in ("majorFont", "minorFont"):
        element = font_scheme.find(f"a:{kind}", ns)
        for child in list(element):
            element.remove(child)
        etree.SubElement(element, f"{{{A}}}latin", typeface=fonts.latin)
        etree.SubElement(element, f"{{{A}}}ea", typeface=fonts.east_asian)
        etree.SubElement(element, f"{{{A}}}cs", typeface=fonts.latin)
    for colour in root.iterfind(".//a:fmtScheme//a:srgbClr", ns):  # effect shadows in the stock theme
        colour.set("val", _hex(brand, "text"))
    root.find(".//a:fmtScheme", ns).set("name", "Viet Nam")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def deterministic(package: bytes) -> bytes:
    """The same OOXML package with fixed entry dates and attributes, in the order the library wrote it
    (``[Content_Types].xml`` first, as Office itself writes packages)."""
    out = io.BytesIO()
    rewrite_zip(package, out, keep_order=True)
    return out.getvalue()


def _core(props, title: str, author: str, lang: str) -> None:
    naive = FIXED_DATE.replace(tzinfo=None)
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.created = naive
    props.modified = naive
    props.revision = 1
    props.language = language_territory(lang)
    props.keywords = ""
    props.comments = ""


# -- PowerPoint ------------------------------------------------------------------------------------------------

SLIDE_W, SLIDE_H = Emu(12192000), Emu(6858000)  # 16:9
MARGIN = Emu(640080)  # 0.7 in


def _style_text(element, size_pt: float, colour: str | None, bold: bool | None = None, bullets: bool = False) -> None:
    """Level-1 text style of a layout placeholder (its lstStyle), so slides made from it inherit it."""
    body = element.find(f".//{{{A}}}bodyPr/..")
    lst = body.find(f"{{{A}}}lstStyle")
    if lst is None:
        lst = etree.Element(f"{{{A}}}lstStyle")
        body.find(f"{{{A}}}bodyPr").addnext(lst)
    for child in list(lst):
        lst.remove(child)
    level = etree.SubElement(lst, f"{{{A}}}lvl1pPr", algn="l")
    if not bullets:
        level.set("marL", "0")
        level.set("indent", "0")
        etree.SubElement(level, f"{{{A}}}buNone")
    props = etree.SubElement(level, f"{{{A}}}defRPr", sz=str(int(size_pt * 100)))
    if bold is not None:
        props.set("b", "1" if bold else "0")
    if colour:
        fill = etree.SubElement(props, f"{{{A}}}solidFill")
        etree.SubElement(fill, f"{{{A}}}srgbClr", val=colour)


def _place(shape, left: int, top: int, width: int, height: int) -> None:
    shape.left, shape.top, shape.width, shape.height = Emu(left), Emu(top), Emu(width), Emu(height)


def _add_rect(slide_like, left: int, top: int, width: int, height: int, colour: str):
    """A filled rectangle behind the placeholders of a master or layout."""
    tree = slide_like.shapes._spTree
    sp = tree.add_autoshape(tree._next_shape_id, "Brand band", "rect", left, top, width, height)
    shape = Shape(sp, slide_like.shapes)
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor.from_string(colour)
    shape.line.fill.background()
    shape.shadow.inherit = False
    tree.remove(sp)
    tree.insert(2, sp)  # after the group's own properties: drawn first, under the text
    return shape


def _add_picture(slide_like, png: bytes, left: int, top: int, height: int, ratio: float) -> None:
    tree = slide_like.shapes._spTree
    _, rid = slide_like.part.get_or_add_image_part(io.BytesIO(png))
    pic = tree.add_pic(tree._next_shape_id, "Viet Nam mark", "Viet Nam", rid, left, top, int(height * ratio), height)
    tree.remove(pic)
    tree.insert(2, pic)


def _background(slide_like, colour: str) -> None:
    fill = slide_like.background.fill
    fill.solid()
    fill.fore_color.rgb = RGBColor.from_string(colour)


def _hide_master_shapes(layout) -> None:
    layout._element.set("showMasterSp", "0")


def _text_runs_language(element, tag: str) -> None:
    for props in element.iter(f"{{{A}}}rPr", f"{{{A}}}endParaRPr", f"{{{A}}}defRPr"):
        props.set("lang", tag)


def pptx(
    brand: Brand, fonts: Fonts, lang: str, site_name: str, texts: dict, marks: dict[str, bytes], author: str
) -> bytes:
    """A 16:9 deck with title, section and content layouts, and one example slide of each in ``lang``.

    ``texts``: title, subtitle, section, content_title, points (list); ``marks``: PNG of the mark, 'colour'
    and 'reversed' variants (square).
    """
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_W, SLIDE_H
    w, h, m = int(SLIDE_W), int(SLIDE_H), int(MARGIN)
    c = {
        role: _hex(brand, role)
        for role in ("primary", "secondary", "accent", "text", "text-muted", "surface", "on-primary")
    }
    master = deck.slide_master
    theme = master.part.part_related_by(RT.THEME)
    theme._blob = theme_xml(theme.blob, brand, fonts)
    for bullet in master._element.iter(f"{{{A}}}buFont"):
        bullet.set("typeface", fonts.latin)
    for style in master._element.iter(f"{{{A}}}latin"):
        if not style.get("typeface", "").startswith("+"):
            style.set("typeface", fonts.latin)
    master._element.find(".//{*}titleStyle/{*}lvl1pPr").set("algn", "l")
    title_style = master._element.find(".//{*}titleStyle/{*}lvl1pPr/{*}defRPr")
    title_style.set("b", "1")
    title_style.set("sz", "3200")
    for fill in title_style.findall(f"{{{A}}}solidFill"):
        title_style.remove(fill)
    fill = etree.Element(f"{{{A}}}solidFill")
    etree.SubElement(fill, f"{{{A}}}srgbClr", val=c["primary"])
    title_style.insert(0, fill)
    for level, size in zip(("lvl1pPr", "lvl2pPr", "lvl3pPr"), (2200, 1900, 1700), strict=True):
        master._element.find(f".//{{*}}bodyStyle/{{*}}{level}/{{*}}defRPr").set("sz", str(size))
    # Master (content slides): white, a red band on the left, a gold rule at the bottom, the mark top right.
    mark_size = int(Emu(548640))  # 0.6 in
    _add_rect(master, 0, 0, int(Emu(137160)), h, c["primary"])
    _add_rect(master, 0, h - int(Emu(73152)), w, int(Emu(73152)), c["accent"])
    _add_picture(master, marks["colour"], w - m - mark_size, int(m * 0.6), mark_size, 1.0)
    for ph in master.placeholders:
        kind = ph.placeholder_format.type
        if kind == 1:  # title
            _place(ph, m, int(m * 0.6), w - 3 * m - mark_size, int(Emu(1005840)))
        elif kind == 2:  # body
            _place(ph, m, int(Emu(1737360)), w - 2 * m, h - int(Emu(1737360)) - int(Emu(868680)))
        else:  # date, footer, slide number along the bottom
            index = {16: 0, 15: 1, 13: 2}.get(kind, 1)
            third = (w - 2 * m) // 3
            _place(ph, m + index * third, h - int(Emu(594360)), third, int(Emu(365760)))
    layouts = list(deck.slide_layouts)
    for extra in layouts[3:]:
        deck.slide_layouts.remove(extra)
    title_layout, content_layout, section_layout = layouts[0], layouts[1], layouts[2]
    title_layout.name, content_layout.name, section_layout.name = (
        "Viet Nam — Title",
        "Viet Nam — Content",
        "Viet Nam — Section",
    )
    # Title: red field, the reversed mark, title and subtitle in white, a gold rule.
    _hide_master_shapes(title_layout)
    _background(title_layout, c["primary"])
    _add_rect(title_layout, 0, int(h * 0.78), w, int(Emu(91440)), c["accent"])
    _add_picture(title_layout, marks["reversed"], m, m, int(Emu(1188720)), 1.0)
    for ph in title_layout.placeholders:
        kind = ph.placeholder_format.type
        if kind == 3:
            _place(ph, m, int(h * 0.38), w - 2 * m, int(Emu(1188720)))
            _style_text(ph._element, 40, c["on-primary"], bold=True)
            ph._element.find(".//{*}bodyPr").set("anchor", "b")
        elif kind == 4:
            _place(ph, m, int(h * 0.38) + int(Emu(1234440)), w - 2 * m, int(Emu(640080)))
            _style_text(ph._element, 20, c["on-primary"])
        else:
            ph._element.getparent().remove(ph._element)
    # Section: green field, section title in white, the mark small.
    _hide_master_shapes(section_layout)
    _background(section_layout, c["secondary"])
    _add_rect(section_layout, 0, 0, int(Emu(137160)), h, c["accent"])
    _add_picture(section_layout, marks["reversed"], w - m - mark_size, h - m - mark_size, mark_size, 1.0)
    for ph in section_layout.placeholders:
        kind = ph.placeholder_format.type
        if kind == 1:
            _place(ph, m, int(h * 0.4), w - 2 * m, int(Emu(1280160)))
            _style_text(ph._element, 40, c["on-primary"], bold=True)
        elif kind == 2:
            _place(ph, m, int(h * 0.4) - int(Emu(640080)), w - 2 * m, int(Emu(548640)))
            _style_text(ph._element, 18, c["on-primary"])
        else:
            ph._element.getparent().remove(ph._element)
    for ph in content_layout.placeholders:
        kind = ph.placeholder_format.type
        master_ph = next(p for p in master.placeholders if p.placeholder_format.type == (2 if kind == 7 else kind))
        _place(ph, master_ph.left, master_ph.top, master_ph.width, master_ph.height)
    # One example slide of each layout, in the language.
    slide = deck.slides.add_slide(title_layout)
    slide.shapes.title.text = texts["title"]
    slide.placeholders[1].text = texts["subtitle"]
    slide = deck.slides.add_slide(section_layout)
    slide.shapes.title.text = texts["section"]
    slide.placeholders[1].text = site_name
    slide = deck.slides.add_slide(content_layout)
    slide.shapes.title.text = texts["content_title"]
    frame = slide.placeholders[1].text_frame
    for index, point in enumerate(texts["points"]):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.text = point
    tag = language_territory(lang)
    for part_like in (master, *deck.slide_layouts, *deck.slides):
        _text_runs_language(part_like._element, tag)
    _core(deck.core_properties, f"{texts['title']} — {site_name}", author, lang)
    deck.part.package._rels.pop(next(k for k, r in deck.part.package._rels.items() if r.reltype == RT.THUMBNAIL))
    out = io.BytesIO()
    deck.save(out)
    return deterministic(out.getvalue())


# -- Word ---------------------------------------------------------------------------------------------------

STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
KEEP_STYLES = {
    "Normal", "DefaultParagraphFont", "TableNormal", "NoList", "Header", "HeaderChar", "Footer", "FooterChar",
    "Heading1", "Heading1Char", "Heading2", "Heading2Char", "Title", "TitleChar", "Strong",
}  # fmt: skip


def _w(tag: str) -> str:
    return qn(f"w:{tag}")


def _fonts_element(fonts: Fonts) -> etree._Element:
    element = etree.Element(_w("rFonts"))
    for attr, value in (
        ("ascii", fonts.latin),
        ("hAnsi", fonts.latin),
        ("eastAsia", fonts.east_asian),
        ("cs", fonts.latin),
    ):
        element.set(_w(attr), value)
    return element


def _brand_styles(document, brand: Brand, fonts: Fonts, lang: str) -> None:
    styles = document.styles.element
    for style in styles.findall(_w("style")):
        if style.get(_w("styleId")) not in KEEP_STYLES:
            styles.remove(style)
    tag = language_territory(lang)
    for element in styles.iter(_w("rFonts")):
        element.getparent().replace(element, _fonts_element(fonts))
    for element in styles.iter(_w("lang")):
        element.set(_w("val"), tag)
        element.set(_w("eastAsia"), language_territory("zh"))
    heading = {"Heading1", "Heading2", "Heading1Char", "Heading2Char", "Title", "TitleChar"}
    for style in styles.findall(_w("style")):
        colour = _hex(brand, "primary" if style.get(_w("styleId")) in heading else "text")
        for element in style.iter(_w("color")):
            for attr in ("themeColor", "themeShade", "themeTint"):
                element.attrib.pop(_w(attr), None)
            element.set(_w("val"), colour)
        for element in style.iter(_w("bottom"), _w("top")):  # the Title's rule
            for attr in ("themeColor", "themeShade", "themeTint"):
                element.attrib.pop(_w(attr), None)
            element.set(_w("color"), _hex(brand, "accent"))
    defaults = styles.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")
    if defaults.find(_w("rFonts")) is None:
        defaults.insert(0, _fonts_element(fonts))


def _drop_part(part, reltype: str) -> None:
    for rid, rel in list(part.rels.items()):
        if rel.reltype == reltype:
            part.rels.pop(rid)


def _paragraph(container, text: str, *, style: str | None = None, size: float | None = None, bold: bool = False,
               colour: str | None = None, align=None, after: float | None = None):  # fmt: skip
    paragraph = container.add_paragraph(style=style)
    run = paragraph.add_run(text)
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    if colour:
        run.font.color.rgb = DocxRGB.from_string(colour)
    if align is not None:
        paragraph.alignment = align
    if after is not None:
        paragraph.paragraph_format.space_after = Pt(after)
    return paragraph


def docx(brand: Brand, fonts: Fonts, lang: str, site_name: str, texts: dict, lockup_png: bytes, lockup_ratio: float,
         author: str) -> bytes:  # fmt: skip
    """An A4 press release: the localised lockup in the header, the release's parts as placeholders."""
    document = Document()
    c = {role: _hex(brand, role) for role in ("primary", "text", "text-muted")}
    part = document.part
    theme = part.part_related_by(DOCX_RT.THEME)
    theme._blob = theme_xml(theme.blob, brand, fonts)
    fonts_part = part.part_related_by(DOCX_RT.FONT_TABLE)
    table = etree.fromstring(fonts_part.blob)
    for font in table.findall(_w("font")):
        table.remove(font)
    for name in (fonts.latin, fonts.east_asian):
        etree.SubElement(table, _w("font"), {_w("name"): name})
    fonts_part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
    _drop_part(part, STYLES_WITH_EFFECTS)
    _drop_part(part, DOCX_RT.NUMBERING)
    _drop_part(part, DOCX_RT.CUSTOM_XML)
    _drop_part(part.package, DOCX_RT.THUMBNAIL)
    settings = document.settings.element
    for element in settings.iter(_w("themeFontLang")):
        element.set(_w("val"), language_territory(lang))
        element.set(_w("eastAsia"), language_territory("zh"))
    _brand_styles(document, brand, fonts, lang)
    normal = document.styles["Normal"]
    normal.font.size = Pt(11)
    normal.font.color.rgb = DocxRGB.from_string(c["text"])
    normal.paragraph_format.space_after = Pt(8)
    normal.paragraph_format.line_spacing = 1.3
    for name, size in (("Title", 22), ("Heading 1", 15), ("Heading 2", 12)):
        style = document.styles[name]
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = DocxRGB.from_string(c["primary"])
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin, section.bottom_margin = Mm(35), Mm(25)
    section.header_distance, section.footer_distance = Mm(12), Mm(12)
    header = section.header.paragraphs[0]
    header.add_run().add_picture(io.BytesIO(lockup_png), height=Mm(14), width=Mm(14 * lockup_ratio))
    footer = section.footer.paragraphs[0]
    run = footer.add_run(texts["footer"])
    run.font.size = Pt(8.5)
    run.font.color.rgb = DocxRGB.from_string(c["text-muted"])
    for empty in [p for p in document.element.body if p.tag == _w("p") and not "".join(p.itertext())]:
        document.element.body.remove(empty)  # the stock template's empty first paragraph
    body = document
    _paragraph(body, texts["kind"], size=12, bold=True, colour=c["primary"], after=2)
    _paragraph(body, texts["place_date"], colour=c["text-muted"], align=WD_ALIGN_PARAGRAPH.RIGHT, after=18)
    _paragraph(body, texts["title"], style="Title")
    _paragraph(body, texts["lead"], bold=True)
    _paragraph(body, texts["body"])
    _paragraph(body, texts["end"], align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, after=18)
    _paragraph(body, texts["contact_heading"], style="Heading 2")
    for line in texts["contact"]:
        _paragraph(body, line, after=0)
    tag = language_territory(lang)
    for element in document.element.body.iter(_w("rPr")):
        lang_el = element.find(_w("lang"))
        if lang_el is None:
            lang_el = etree.SubElement(element, _w("lang"))
        lang_el.set(_w("val"), tag)
    _core(document.core_properties, f"{texts['kind']} — {site_name}", author, lang)
    out = io.BytesIO()
    document.save(out)
    return deterministic(out.getvalue())
