"""Artwork composed from the tokens: localised wordmarks, social posts and event banners, as SVG.

Everything is drawn with the mark's own shapes and text converted to outlines (``outline``), so the SVG,
its PDF (``vector``) and its PNG (``artwork.render_png``) need no installed font and look the same anywhere.
Editor-controlled strings (site names, template texts) reach the SVG only through ElementTree, which escapes them.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from vnportal.brand import artwork, outline
from vnportal.brand.tokens import Brand

SVG = artwork.SVG_NS
MARK = 120.0  # the mark's artwork is 120 x 120 units

#: Social post sizes in px (the platforms' recommended sizes).
SOCIAL_SIZES = {"square": (1080, 1080), "portrait": (1080, 1350), "landscape": (1200, 630), "story": (1080, 1920)}
BANNER_SCREEN = (1920, 1080)  # px
BANNER_ROLLUP_MM = (850, 2000)  # print, mm


@dataclass(frozen=True)
class Type:
    """The faces a composition sets text in."""

    bold: outline.Faces
    regular: outline.Faces
    semibold: outline.Faces


def _svg(width: float, height: float, label: str, lang: str | None = None) -> ET.Element:
    root = ET.Element(f"{{{SVG}}}svg", {
        "viewBox": f"0 0 {width:g} {height:g}", "width": f"{width:g}", "height": f"{height:g}",
        "role": "img", "aria-label": label,
    })  # fmt: skip
    if lang:
        root.set("lang", lang)
    ET.SubElement(root, f"{{{SVG}}}title").text = label
    return root


def _mark(parent: ET.Element, mark: ET.Element, x: float, y: float, size: float) -> None:
    """The mark's shapes (with their part classes, so variants recolour them) placed at (x, y), ``size`` high."""
    s = size / MARK
    group = ET.SubElement(parent, f"{{{SVG}}}g", {"transform": f"matrix({s:g} 0 0 {s:g} {x:g} {y:g})"})
    for child in mark:
        if child.tag != f"{{{SVG}}}title":
            group.append(copy.deepcopy(child))


def _rect(parent: ET.Element, x: float, y: float, w: float, h: float, fill: str, cls: str | None = None) -> None:
    attrs = {"x": f"{x:g}", "y": f"{y:g}", "width": f"{w:g}", "height": f"{h:g}", "fill": fill}
    if cls:
        attrs["class"] = cls
    ET.SubElement(parent, f"{{{SVG}}}rect", attrs)


def _text(parent: ET.Element, text: str, faces: outline.Faces, size: float, x: float, baseline: float,
          fill: str | None = None, cls: str | None = None) -> float:  # fmt: skip
    data, end = outline.path_data(text, faces, size, x, baseline)
    attrs = {"d": data}
    if fill:
        attrs["fill"] = fill
    if cls:
        attrs["class"] = cls
    if data:
        ET.SubElement(parent, f"{{{SVG}}}path", attrs)
    return end


def split_name(site_name: str) -> tuple[str, str]:
    """'Việt Nam — Cổng thông tin đối ngoại' -> the name set large and the line set below it."""
    name, _, rest = site_name.partition(" — ")
    return name.strip(), rest.strip()


def wordmark(mark: ET.Element, site_name: str, lang: str, faces: Type) -> bytes:
    """The horizontal lockup with the portal's name in one language (to be recoloured by ``artwork.variant_svg``)."""
    name, line = split_name(site_name)
    x0 = 148.0
    parts = []
    if line:
        parts = [(name, faces.bold, 50.0, 68.0), (line, faces.regular, 24.0, 104.0)]
    else:
        parts = [(name, faces.bold, 46.0, 76.0)]
    width = max(x0 + outline.width(text, f, size) for text, f, size, _ in parts) + 4
    root = _svg(round(width, 2), MARK, site_name, lang)
    _mark(root, mark, 0, 0, MARK)
    for text, f, size, baseline in parts:
        _text(root, text, f, size, x0, baseline, cls="brand-wordmark")
    return artwork.svg_bytes(root)


def _block(parent: ET.Element, lines: list[str], faces: outline.Faces, size: float, x: float, top: float,
           leading: float, fill: str) -> float:  # fmt: skip
    """Lines set from ``top`` (the first line's cap height below it); returns the y under the last line."""
    baseline = top + size * 0.8
    for line in lines:
        _text(parent, line, faces, size, x, baseline, fill=fill)
        baseline += size * leading
    return baseline - size * leading + size * 0.3


def _fit(text: str, faces: outline.Faces, size: float, max_width: float, max_lines: int) -> tuple[float, list[str]]:
    """The largest size (down to half of ``size``) at which ``text`` wraps into ``max_lines`` lines."""
    smallest = size / 2
    while True:
        lines = outline.wrap(text, faces, size, max_width)
        if len(lines) <= max_lines or size * 0.9 < smallest:
            return size, lines
        size *= 0.9


def social_post(brand: Brand, mark: ET.Element, kind: str, site_name: str, texts: dict[str, str], lang: str,
                faces: Type) -> bytes:  # fmt: skip
    """A social media post at one platform size: a photo area, then a red panel with the reversed mark and
    portal name, the headline and a short text; a gold rule between them. ``texts``: headline, text, photo."""
    width, height = SOCIAL_SIZES[kind]
    c = {role: brand.color("light", role) for role in ("surface-alt", "primary", "on-primary", "accent", "text-muted")}
    unit = min(width, height)
    wide = width > height * 1.4
    root = _svg(width, height, f"{texts['headline']} — {site_name}", lang)
    rule = round(unit * 0.014)
    if wide:
        photo = (0, 0, round(width * 0.48), height)
        panel = (photo[2] + rule, 0, width - photo[2] - rule, height)
        _rect(root, photo[2], 0, rule, height, c["accent"])
    else:
        share = {"square": 0.5, "portrait": 0.52, "story": 0.56}[kind]
        photo = (0, 0, width, round(height * share))
        panel = (0, photo[3] + rule, width, height - photo[3] - rule)
        _rect(root, 0, photo[3], width, rule, c["accent"])
    _rect(root, *photo, c["surface-alt"], cls="template-photo")
    label_size = unit * 0.032
    label_width = outline.width(texts["photo"], faces.regular, label_size)
    _text(root, texts["photo"], faces.regular, label_size, photo[0] + (photo[2] - label_width) / 2,
          photo[1] + photo[3] / 2 + label_size * 0.35, fill=c["text-muted"])  # fmt: skip
    _rect(root, *panel, c["primary"])
    px, py, pw, ph = panel
    margin = round(unit * 0.07)
    mark_size = round(unit * 0.085)
    _mark(root, artwork.recoloured(mark, brand, "reversed"), px + margin, py + margin, mark_size)
    name_size = unit * 0.028
    name = split_name(site_name)
    name_lines = outline.wrap(name[0], faces.semibold, name_size, pw - 3 * margin - mark_size)[:2]
    _block(root, name_lines, faces.semibold, name_size, px + margin + mark_size + unit * 0.025,
           py + margin + mark_size / 2 - name_size * 0.55 * len(name_lines), 1.25, c["on-primary"])  # fmt: skip
    text_width = pw - 2 * margin
    body_size = unit * 0.034
    body_lines = outline.wrap(texts["text"], faces.regular, body_size, text_width)[:3]
    room = ph - 3 * margin - mark_size - body_size * 1.4 * (len(body_lines) + 0.6)
    size, lines = _fit(texts["headline"], faces.bold, unit * (0.085 if wide else 0.11), text_width, 3)
    while len(lines) * size * 1.15 > room and size > unit * 0.04:
        size *= 0.92
        lines = outline.wrap(texts["headline"], faces.bold, size, text_width)
    spare = room - len(lines) * size * 1.15
    top = py + 2 * margin + mark_size + spare * 0.4
    y = _block(root, lines, faces.bold, size, px + margin, top, 1.15, c["on-primary"])
    _block(root, body_lines, faces.regular, body_size, px + margin, y + body_size * 0.9, 1.4, c["on-primary"])
    return artwork.svg_bytes(root)


def banner(brand: Brand, mark: ET.Element, size: tuple[float, float], site_name: str, title: str, details: str,
           lang: str, faces: Type) -> bytes:  # fmt: skip
    """An event banner: red field with the reversed mark and the event's name, details on the light band below.

    ``size`` is in px (screen) or mm (print): the layout is proportional, the unit is the caller's.
    """
    width, height = size
    c = {role: brand.color("light", role) for role in ("surface", "primary", "accent", "text", "text-muted")}
    unit = min(width, height)
    tall = height > width * 1.5
    margin = unit * (0.09 if tall else 0.07)
    field = height * (0.66 if tall else 0.74)
    root = _svg(width, height, f"{title} — {site_name}", lang)
    _rect(root, 0, 0, width, height, c["surface"])
    _rect(root, 0, 0, width, field, c["primary"])
    _rect(root, 0, field, width, unit * 0.02, c["accent"])
    mark_size = unit * (0.42 if tall else 0.2)
    _mark(root, artwork.recoloured(mark, brand, "reversed"), margin, margin, mark_size)
    name_size = unit * (0.045 if tall else 0.032)
    name_lines = outline.wrap(site_name, faces.semibold, name_size, width - 2 * margin)
    if not tall:
        name_lines = outline.wrap(site_name, faces.semibold, name_size, width - 3 * margin - mark_size)
    name_x = margin if tall else margin * 1.4 + mark_size
    name_top = margin * 1.35 + mark_size if tall else margin + mark_size / 2 - name_size * 0.6 * len(name_lines)
    _block(root, name_lines, faces.semibold, name_size, name_x, name_top, 1.3, c["surface"])
    size, lines = _fit(title, faces.bold, unit * (0.12 if tall else 0.1), width - 2 * margin, 4 if tall else 2)
    top = field - margin - len(lines) * size * 1.12
    _block(root, lines, faces.bold, size, margin, top, 1.12, c["surface"])
    details_size = unit * (0.06 if tall else 0.045)
    detail_lines = outline.wrap(details, faces.regular, details_size, width - 2 * margin)
    _block(root, detail_lines, faces.regular, details_size, margin, field + (height - field) * 0.3, 1.3, c["text"])
    return artwork.svg_bytes(root)
