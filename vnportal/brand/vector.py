"""SVG to vector PDF with fpdf2 (pure Python: no Cairo, no network): paths stay paths, nothing is rasterised.

Deterministic: the creation date is fixed and fpdf2 derives the file identifier from the content, so the
same artwork gives the same bytes. Page size: one artwork unit per point (a logo is scaled when placed anyway,
and at scale 1 fpdf2 places user-space gradients right), or a print size given in mm.
"""

from __future__ import annotations

import datetime as dt
import logging
from xml.etree import ElementTree as ET

from fpdf import FPDF
from fpdf.svg import SVGObject

from vnportal.brand.artwork import svg_bytes

FIXED_DATE = dt.datetime(2024, 4, 15, tzinfo=dt.UTC)  # Resolution 47/NQ-CP: every kit file carries this date
PT_PER_MM = 72 / 25.4
SVG_NS = "{http://www.w3.org/2000/svg}"

logging.getLogger("fpdf.svg").setLevel(logging.ERROR)  # it notes every <title> it skips


def size_px(svg: bytes) -> tuple[float, float]:
    root = ET.fromstring(svg)
    box = root.get("viewBox")
    if root.get("width") and root.get("height"):
        return float(root.get("width")), float(root.get("height"))
    _, _, w, h = (float(v) for v in box.replace(",", " ").split())
    return w, h


def svg_to_pdf(svg: bytes, title: str, author: str, size_mm: tuple[float, float] | None = None) -> bytes:
    """One page, the artwork filling it; ``title`` and ``author`` go into the document information."""
    root = ET.fromstring(svg)
    for element in list(root):
        if element.tag in (f"{SVG_NS}title", f"{SVG_NS}desc"):
            root.remove(element)
    width, height = size_px(svg)
    page = (width, height) if size_mm is None else (size_mm[0] * PT_PER_MM, size_mm[1] * PT_PER_MM)
    artwork = SVGObject(svg_bytes(root).decode())
    pdf = FPDF(unit="pt", format=page)
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_creator("vnportal brand kit")
    pdf.set_margin(0)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    _, _, paths = artwork.transform_to_rect_viewport(1, page[0], page[1], ignore_svg_top_attrs=True)
    pdf.draw_path(paths, copy=False)  # made for this page only: fpdf2's defensive deep copy costs more than drawing
    return bytes(pdf.output())
