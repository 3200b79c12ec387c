"""Co-branding: the mark beside a partner's logo, by the rules in the token file (``cobranding:``).

The partner's SVG comes from outside the project, so it is read as hostile: no DTD or entities (defusedxml),
no script, event handler, ``foreignObject``, link or reference outside the file, nothing that needs a font or a
raster image, nothing the vector PDF cannot draw. What is accepted is copied element by element into the lockup,
with its ids prefixed, and measured by its ink (rendered), not by its padded view box.
"""

from __future__ import annotations

import math
import re
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

import numpy as np
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen
from fontTools.svgLib.path import parse_path
from fontTools.svgLib.path.shapes import PathBuilder
from fpdf.svg import convert_transforms

from vnportal.brand import artwork, vector
from vnportal.brand.graphics import MARK, _mark, _rect, _svg
from vnportal.brand.tokens import Brand
from vnportal.core.messages import tr

SVG = artwork.SVG_NS
XLINK = artwork.XLINK_NS
MAX_BYTES = 2 * 1024 * 1024
#: What the lockup keeps: shapes, groups, gradients and clip paths (fpdf2 and resvg draw all of them the same).
SHAPES = {"path", "rect", "circle", "ellipse", "line", "polyline", "polygon"}
ALLOWED = {"svg", "g", "defs", "clipPath", "linearGradient", "radialGradient", "stop", *SHAPES}
DROPPED = {"title", "desc", "metadata"}
HINTS = {
    "script": "remove the script: a logo is shapes only",
    "foreignObject": "remove it: a logo is shapes only",
    "style": "export with presentation attributes instead of a style sheet (Illustrator: Styling: Presentation Attributes)",
    "image": "ask the partner for a vector logo (an SVG with shapes, not an embedded picture)",
    "text": "convert the text to outlines (Illustrator: Create Outlines; Inkscape: Object to Path)",
    "tspan": "convert the text to outlines (Illustrator: Create Outlines; Inkscape: Object to Path)",
    "use": "expand the clones into shapes (Illustrator: Object > Expand; Inkscape: Edit > Clone > Unlink Clone)",
    "svg": "ungroup the nested <svg> into plain groups of shapes",
    "symbol": "expand the symbols into shapes (Illustrator: Object > Expand; Inkscape: Edit > Clone > Unlink Clone)",
}
PAINT = ("fill", "stroke", "stop-color", "color")
PRESENTATION = {
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "stroke-opacity", "opacity", "stop-color",
    "stop-opacity", "clip-rule", "color", "display", "visibility",
}  # fmt: skip
GEOMETRY = {
    "d", "x", "y", "width", "height", "rx", "ry", "cx", "cy", "r", "x1", "y1", "x2", "y2", "points", "transform",
    "viewBox", "preserveAspectRatio", "id", "offset", "gradientUnits", "gradientTransform", "fx", "fy", "fr",
    "spreadMethod", "clip-path", "clipPathUnits", "href", "version", "class",
}  # fmt: skip
VARIANT_INK = {"mono": "text", "reversed": None}  # reversed: white


class CobrandError(Exception):
    """One line for the person running ``make cobrand``: ``file:line: what — how to fix``."""


@dataclass(frozen=True)
class Partner:
    root: ET.Element  # sanitised: an <svg> whose children are the partner's shapes
    box: tuple[float, float, float, float]  # ink bounds in the partner's user units: x, y, width, height
    name: str


def _line(source: str, needle: str) -> int:
    index = source.find(needle)
    return source.count("\n", 0, index) + 1 if index >= 0 else 1


def _local(name: str) -> str:
    return name.split("}")[-1]


def _namespace(name: str) -> str:
    return name[1:].split("}")[0] if name.startswith("{") else ""


def _style_declarations(value: str) -> dict[str, str]:
    out = {}
    for declaration in value.split(";"):
        prop, _, val = declaration.partition(":")
        if prop.strip() and val.strip():
            out[prop.strip().lower()] = val.strip()
    return out


def _error(shown: str, line: int, what: str, fix: str) -> CobrandError:
    return CobrandError(f"{shown}:{line}: {what} — {fix}")


def _refuse(shown: str, source: str, needle: str, what: str, fix: str) -> CobrandError:
    return _error(shown, _line(source, needle), what, fix)


def _check_value(shown: str, source: str, name: str, value: str) -> None:
    lowered = value.lower().replace(" ", "")
    if "javascript:" in lowered or "data:" in lowered:
        raise _refuse(
            shown,
            source,
            value[:40],
            tr("attribute {name} holds a script or embedded file", name=name),
            tr("remove the attribute"),
        )
    for ref in re.findall(r"url\(([^)]*)\)", value):
        if not ref.strip().strip("'\"").startswith("#"):
            raise _refuse(shown, source, ref[:40], tr('attribute {name} refers to {reference!r} outside the file', name=name, reference=ref.strip()),
                          tr('keep only references to elements inside the SVG (url(#id))'))  # fmt: skip


def sanitise(source: str, shown: str) -> ET.Element:
    """Parse a partner's SVG and return it with only what the lockup may draw; CobrandError on anything unsafe."""
    try:
        root = safe_fromstring(source, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise _error(shown, 1, tr('the SVG declares a DTD or entities ({name})', name=type(exc).__name__),
                     tr('export it again as plain SVG, without a DOCTYPE')) from exc  # fmt: skip
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else 1
        raise _error(
            shown, line, tr("the SVG does not parse ({exc})", exc=exc), tr("export it again as plain SVG")
        ) from exc
    if root.tag != f"{{{SVG}}}svg":
        raise _error(shown, 1, tr("the root element is not an SVG <svg>"), tr("export the logo as SVG"))

    def clean(element: ET.Element) -> ET.Element | None:
        tag = _local(element.tag)
        if _namespace(element.tag) != SVG:
            return None  # editor metadata (Inkscape, Illustrator): not drawn
        if tag in DROPPED:
            return None
        if tag not in ALLOWED or (tag == "svg" and element is not root):
            fix = HINTS.get(tag, "remove it or flatten the artwork to plain shapes")
            raise _refuse(shown, source, f"<{tag}", tr("the SVG contains <{tag}>", tag=tag), fix)
        attrs: dict[str, str] = {}
        for name, value in element.attrib.items():
            local = _local(name)
            if local.lower().startswith("on"):
                raise _refuse(
                    shown,
                    source,
                    local,
                    tr("the SVG has an event handler ({local})", local=local),
                    tr("remove the attribute"),
                )
            if local == "href":
                if not value.startswith("#"):
                    raise _refuse(shown, source, value[:40], tr('<{tag}> links to {value!r} outside the file', tag=tag, value=value[:60]),
                                  tr('keep only references to elements inside the SVG (#id)'))  # fmt: skip
                attrs["href"] = value
                continue
            _check_value(shown, source, local, value)
            if local == "style":
                for prop, val in _style_declarations(value).items():
                    _check_value(shown, source, prop, val)
                    if prop in PRESENTATION:
                        attrs[prop] = val
            elif _namespace(name) == "" and (local in PRESENTATION or local in GEOMETRY):
                attrs.setdefault(local, value)
        copy = ET.Element(element.tag, attrs)
        for child in element:
            kept = clean(child)
            if kept is not None:
                copy.append(kept)
        return copy

    return clean(root)


def _viewport(root: ET.Element, shown: str = "partner.svg") -> tuple[float, float, float, float]:
    def numbers(*values: str) -> list[float] | None:
        try:
            parsed = [float(v) for v in values]
        except ValueError:
            return None
        return parsed if all(math.isfinite(v) for v in parsed) else None

    box = numbers(*root.get("viewBox", "").replace(",", " ").split())
    if box and len(box) == 4 and box[2] > 0 and box[3] > 0:
        return box[0], box[1], box[2], box[3]
    size = numbers(*(re.sub(r"(px)?$", "", root.get(k, "").strip()) for k in ("width", "height")))
    if not size or size[0] <= 0 or size[1] <= 0:
        raise CobrandError(
            f"{shown}:1: the SVG has neither a viewBox nor a width and height in px — export it with a viewBox"
        )
    return 0.0, 0.0, size[0], size[1]


def _probe(root: ET.Element) -> ET.Element:
    """The partner's drawing alone, at its own size."""
    vx, vy, vw, vh = _viewport(root)
    probe = ET.Element(
        f"{{{SVG}}}svg", {"viewBox": f"{vx:g} {vy:g} {vw:g} {vh:g}", "width": f"{vw:g}", "height": f"{vh:g}"}
    )
    probe.extend(list(root))
    return probe


def _ink_box(root: ET.Element, shown: str) -> tuple[float, float, float, float]:
    """The drawn part of the logo, in its user units, from a render (padding in the view box does not count)."""
    vx, vy, vw, vh = _viewport(root, shown)
    probe = _probe(root)
    scale = 1600 / max(vw, vh)
    try:
        image = artwork.render_png(artwork.svg_bytes(probe), max(16, round(vw * scale)))
    except Exception as exc:  # resvg reports malformed geometry as a plain exception
        raise _error(
            shown, 1, tr("the SVG cannot be drawn ({detail})", detail=exc), tr("export it again as plain SVG")
        ) from exc
    alpha = np.asarray(image)[:, :, 3]
    rows, cols = np.nonzero(alpha > 8)
    if not len(rows):
        raise _error(shown, 1, tr("the SVG draws nothing"), tr("check that the logo's shapes have a fill"))
    px = image.width / vw
    return (
        vx + cols.min() / px,
        vy + rows.min() / px,
        (cols.max() + 1 - cols.min()) / px,
        (rows.max() + 1 - rows.min()) / px,
    )


def load_partner(path: Path) -> Partner:
    shown = path.as_posix()
    if not path.is_file():
        raise _error(shown, 1, tr("no such file"), tr("give the partner's logo as PARTNER=path/to/logo.svg"))
    if path.suffix.lower() != ".svg":
        raise _error(shown, 1, tr("not an SVG file"), tr("ask the partner for their logo as SVG"))
    if path.stat().st_size > MAX_BYTES:
        raise _error(
            shown,
            1,
            tr("the file is over {megabytes} MB", megabytes=MAX_BYTES // 1048576),
            tr("a logo as plain SVG is far smaller"),
        )
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise _error(shown, 1, tr("the file is not UTF-8 text"), tr("export the logo as SVG")) from exc
    root = sanitise(source, shown)
    _as_matrices(root, shown)
    partner = Partner(root, _ink_box(root, shown), path.stem)
    try:  # geometry the parsers cannot read (a letter in a path, a malformed number) fails here, in one line
        trial = _Flattener(root, "trial-")
        trial.flatten(root, IDENTITY, {}, ET.Element(f"{{{SVG}}}g"))
        vector.svg_to_pdf(artwork.svg_bytes(_probe(root)), "trial", "trial")
    except Exception as exc:  # third-party parsers raise ValueError, IndexError, KeyError, TypeError…
        detail = f"{type(exc).__name__}: {str(exc)[:80]}"
        raise _error(shown, 1, tr("the SVG cannot be drawn ({detail})", detail=detail),
                     tr("export it again as plain SVG with shapes only")) from exc  # fmt: skip
    return partner


@dataclass(frozen=True)
class Rules:
    clear: float
    gap: float
    divider: float
    divider_role: str
    max_width: float
    min_height: float

    @classmethod
    def of(cls, brand: Brand) -> Rules:
        data = brand.data["cobranding"]
        return cls(brand.data["logo"]["clear_space"], data["gap"], data["divider"]["width"],
                   data["divider"]["colour"], data["partner"]["max_width"], data["partner"]["min_height"])  # fmt: skip


def _matrix(*values: float) -> str:
    return "matrix(" + " ".join(f"{v:.6g}" for v in values) + ")"


def _as_matrices(element: ET.Element, shown: str) -> None:
    """Every transform as one matrix(): fpdf2 misplaces gradients under translate()/scale(), not under matrix()."""
    for node in element.iter():
        for name in ("transform", "gradientTransform"):
            value = node.get(name)
            if value is None:
                continue
            try:
                t = convert_transforms(value)
            except (ValueError, IndexError, KeyError) as exc:
                raise CobrandError(
                    f"{shown}:1: transform {value[:60]!r} is not valid SVG — export the logo again"
                ) from exc
            node.set(name, _matrix(t.a, t.b, t.c, t.d, t.e, t.f))


def _number(value: str | None, default: float) -> float:
    """A length or an offset; '50%' is 0.5 (gradient coordinates)."""
    if value is None or not value.strip():
        return default
    value = value.strip().removesuffix("px")
    return float(value[:-1]) / 100 if value.endswith("%") else float(value)


Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)
INHERITED = ("fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
             "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "stroke-opacity", "color", "visibility")  # fmt: skip


def _compose(outer: Matrix, inner: Matrix) -> Matrix:
    a, b, c, d, e, f = outer
    a2, b2, c2, d2, e2, f2 = inner
    return (
        a * a2 + c * b2,
        b * a2 + d * b2,
        a * c2 + c * d2,
        b * c2 + d * d2,
        a * e2 + c * f2 + e,
        b * e2 + d * f2 + f,
    )


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _path_of(node: ET.Element, m: Matrix) -> str:
    """The shape as path data with ``m`` applied to every point (arcs become curves)."""
    builder = PathBuilder()
    shape = ET.Element(_local(node.tag), {k: v for k, v in node.attrib.items() if k != "transform"})
    builder.add_path_from_element(shape)
    pen = SVGPathPen(None, ntos=lambda v: f"{v:.3f}".rstrip("0").rstrip("."))
    for data in builder.paths:
        parse_path(data, TransformPen(pen, m))
    return pen.getCommands()


class _Flattener:
    """The partner's drawing with every transform applied to its coordinates.

    fpdf2 misplaces gradients inside transformed groups; with no transform left, the PDF draws them as resvg does.
    Inherited presentation attributes are written on each shape; gradients and clip paths get a copy per use,
    in the shape's final coordinates.
    """

    def __init__(self, root: ET.Element, prefix: str) -> None:
        self.refs = {n.get("id"): n for n in root.iter() if n.get("id")}
        self.defs: list[ET.Element] = []
        self.prefix = prefix
        self.count = 0

    def _new_id(self, base: str) -> str:
        self.count += 1
        return f"{self.prefix}{base}-{self.count}"

    def _ref(self, value: str | None) -> ET.Element | None:
        match = re.fullmatch(r"\s*url\(\s*['\"]?#([^)'\"]+)['\"]?\s*\)\s*", value or "")
        return self.refs.get(match[1]) if match else None

    def _gradient(self, gradient: ET.Element, m: Matrix, data: str) -> str:
        copy = ET.Element(gradient.tag, {k: v for k, v in gradient.attrib.items() if k not in ("id", "href")})
        source = self.refs.get(gradient.get("href", "#")[1:], gradient)
        for stop in gradient if len(gradient) else source:
            copy.append(deepcopy(stop))
        copy.set("id", self._new_id("gradient"))
        if gradient.get("gradientUnits") != "userSpaceOnUse":
            # objectBoundingBox: the box of the shape as drawn becomes the gradient's user space (exact for
            # horizontal and vertical gradients; a diagonal one on a non-square shape keeps its end points)
            pen = BoundsPen(None)
            parse_path(data, pen)
            x0, y0, x1, y1 = pen.bounds
            m = (x1 - x0, 0, 0, y1 - y0, x0, y0)
            copy.set("gradientUnits", "userSpaceOnUse")
        t = convert_transforms(gradient.get("gradientTransform", "matrix(1 0 0 1 0 0)"))
        full = _compose(m, (t.a, t.b, t.c, t.d, t.e, t.f))
        copy.attrib.pop("gradientTransform", None)
        if _local(gradient.tag) == "linearGradient":
            x1, y1 = _apply(full, _number(gradient.get("x1"), 0), _number(gradient.get("y1"), 0))
            x2, y2 = _apply(full, _number(gradient.get("x2"), 1), _number(gradient.get("y2"), 0))
            copy.attrib.update({"x1": f"{x1:.4g}", "y1": f"{y1:.4g}", "x2": f"{x2:.4g}", "y2": f"{y2:.4g}"})
        else:
            cx, cy = _apply(full, _number(gradient.get("cx"), 0.5), _number(gradient.get("cy"), 0.5))
            fx, fy = _apply(full, _number(gradient.get("fx", gradient.get("cx")), 0.5),
                            _number(gradient.get("fy", gradient.get("cy")), 0.5))  # fmt: skip
            r = _number(gradient.get("r"), 0.5) * abs(full[0] * full[3] - full[1] * full[2]) ** 0.5
            copy.attrib.update(
                {"cx": f"{cx:.4g}", "cy": f"{cy:.4g}", "fx": f"{fx:.4g}", "fy": f"{fy:.4g}", "r": f"{r:.4g}"}
            )
        self.defs.append(copy)
        return f"url(#{copy.get('id')})"

    def _clip(self, clip: ET.Element, m: Matrix) -> str:
        copy = ET.Element(clip.tag, {"id": self._new_id("clip")})
        for child in clip.iter():
            if child is not clip and _local(child.tag) in SHAPES:
                t = convert_transforms(child.get("transform", "matrix(1 0 0 1 0 0)"))
                data = _path_of(child, _compose(m, (t.a, t.b, t.c, t.d, t.e, t.f)))
                if data:
                    ET.SubElement(copy, f"{{{SVG}}}path", {"d": data, "clip-rule": child.get("clip-rule", "nonzero")})
        self.defs.append(copy)
        return f"url(#{copy.get('id')})"

    def flatten(self, node: ET.Element, m: Matrix, inherited: dict[str, str], out: ET.Element) -> None:
        tag = _local(node.tag)
        if tag in ("defs", "linearGradient", "radialGradient", "clipPath", "stop") or node.get("display") == "none":
            return
        if node.get("transform"):
            t = convert_transforms(node.get("transform"))
            m = _compose(m, (t.a, t.b, t.c, t.d, t.e, t.f))
        props = {**inherited, **{k: node.get(k) for k in INHERITED if node.get(k) is not None}}
        target = out
        extra: dict[str, str] = {}
        if node.get("opacity"):
            extra["opacity"] = node.get("opacity")
        clip = self._ref(node.get("clip-path"))
        if tag in ("svg", "g"):
            if clip is not None or extra:
                target = ET.SubElement(out, f"{{{SVG}}}g", extra)
                if clip is not None:
                    target.set("clip-path", self._clip(clip, m))
            for child in node:
                self.flatten(child, m, props, target)
            return
        if tag not in SHAPES or props.get("visibility") == "hidden":
            return
        data = _path_of(node, m)
        if not data:
            return
        attrs = {"d": data, **{k: v for k, v in props.items() if k not in ("visibility", "color")}, **extra}
        scale = abs(m[0] * m[3] - m[1] * m[2]) ** 0.5
        if "stroke-width" in attrs:
            attrs["stroke-width"] = f"{_number(attrs['stroke-width'], 1) * scale:.4g}"
        elif props.get("stroke", "none") != "none":
            attrs["stroke-width"] = f"{scale:.4g}"
        if "stroke-dasharray" in attrs and attrs["stroke-dasharray"] != "none":
            dashes = [float(v) * scale for v in re.split(r"[\s,]+", attrs["stroke-dasharray"].strip()) if v]
            attrs["stroke-dasharray"] = " ".join(f"{v:.4g}" for v in dashes)
        for paint in ("fill", "stroke"):
            value = attrs.get(paint)
            if value == "currentColor":
                attrs[paint] = props.get("color", "#000000")
            gradient = self._ref(value)
            if gradient is not None and _local(gradient.tag) in ("linearGradient", "radialGradient"):
                attrs[paint] = self._gradient(gradient, m, data)
            elif value is not None and "url(" in value:
                attrs[paint] = "none" if paint == "stroke" else "#000000"
        if clip is not None:
            attrs["clip-path"] = self._clip(clip, m)
        ET.SubElement(out, f"{{{SVG}}}path", attrs)


def _recolour(element: ET.Element, ink: str) -> None:
    for node in element.iter():
        for name in PAINT:
            value = node.get(name)
            if value is not None and value.strip().lower() not in ("none", "transparent"):
                node.set(name, ink)


def layout(rules: Rules, box_w: float, box_h: float) -> dict[str, float]:
    """Positions in the lockup's units (the mark is MARK high) and the partner's scale and height ratio."""
    clear, gap, divider = rules.clear * MARK, rules.gap * MARK, rules.divider * MARK
    scale = min(MARK / box_h, rules.max_width * MARK / box_w)
    width, height = box_w * scale, box_h * scale
    divider_x = clear + MARK + gap
    partner_x = divider_x + divider + gap
    return {
        "clear": clear, "divider_x": divider_x, "divider_w": divider, "partner_x": partner_x,
        "partner_y": clear + (MARK - height) / 2, "scale": scale, "partner_w": width, "partner_h": height,
        "width": partner_x + width + clear, "height": 2 * clear + MARK, "ratio": height / MARK,
    }  # fmt: skip


def lockup(brand: Brand, mark: ET.Element, partner: Partner | None, variant: str, label: str) -> bytes:
    """The mark, the divider and the partner's logo (or, with no partner, the dashed box it may fill)."""
    rules = Rules.of(brand)
    white = "#FFFFFF"
    box = (0.0, 0.0, rules.max_width * MARK, MARK) if partner is None else partner.box
    at = layout(rules, box[2], box[3])
    root = _svg(round(at["width"], 3), round(at["height"], 3), label)
    _mark(root, artwork.recoloured(mark, brand, variant), at["clear"], at["clear"], MARK)
    rule = {
        "colour": brand.color("light", rules.divider_role),
        "mono": brand.color("light", "text"),
        "reversed": white,
    }[variant]
    _rect(root, at["divider_x"], at["clear"], at["divider_w"], MARK, rule)
    if partner is None:
        dash = f"{MARK * 0.04:g} {MARK * 0.03:g}"
        ink = brand.color("light", "text-muted") if variant != "reversed" else white
        inset = MARK * 0.005
        ET.SubElement(root, f"{{{SVG}}}rect", {
            "x": f"{at['partner_x'] + inset:g}", "y": f"{at['partner_y'] + inset:g}",
            "width": f"{at['partner_w'] - 2 * inset:g}", "height": f"{at['partner_h'] - 2 * inset:g}",
            "fill": "none", "stroke": ink, "stroke-width": f"{MARK * 0.01:g}", "stroke-dasharray": dash,
        })  # fmt: skip
        return artwork.svg_bytes(root)
    bx, by, scale = box[0], box[1], at["scale"]
    flat = _Flattener(partner.root, "partner-")
    group = ET.Element(f"{{{SVG}}}g")
    placement: Matrix = (scale, 0, 0, scale, at["partner_x"] - scale * bx, at["partner_y"] - scale * by)
    flat.flatten(partner.root, placement, {}, group)
    if flat.defs:
        ET.SubElement(root, f"{{{SVG}}}defs").extend(flat.defs)
    root.append(group)
    if variant in VARIANT_INK:
        ink = brand.color("light", VARIANT_INK[variant]) if VARIANT_INK[variant] else white
        group.set("fill", ink)
        group.set("color", ink)
        _recolour(group, ink)
    return artwork.svg_bytes(root)


def too_small(brand: Brand, partner: Partner) -> str | None:
    """The warning for a partner's logo the rules would shrink under their minimum, else None."""
    rules = Rules.of(brand)
    at = layout(rules, partner.box[2], partner.box[3])
    if at["ratio"] + 1e-9 >= rules.min_height:
        return None
    return (f"the partner's logo would be {at['ratio']:.0%} of the mark's height, under the {rules.min_height:.0%} "
            f"the co-branding rule allows (it is {partner.box[2] / partner.box[3]:.1f} times wider than tall) — "
            "ask the partner for a compact or stacked version of their logo")  # fmt: skip


def write(brand: Brand, mark: ET.Element, partner: Partner, out: Path, author: str) -> list[Path]:
    """SVG, vector PDF and PNG of the lockup in each variant; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", partner.name).strip("-") or "partner"
    for variant in artwork.VARIANTS:
        label = f"Viet Nam × {partner.name}"
        svg = lockup(brand, mark, partner, variant, label)
        base = out / f"cobrand-{stem}-{variant}"
        files = {
            ".svg": svg,
            ".pdf": vector.svg_to_pdf(svg, label, author),
            ".png": artwork.render_png_bytes(svg, round(vector.size_px(svg)[0] * 4)),
        }
        for suffix, data in files.items():
            target = base.with_suffix(suffix)
            target.write_bytes(data)
            written.append(target)
    return written


def run(partner: str, out: str, config_file: Path) -> int:
    """``make cobrand PARTNER=logo.svg``: write the lockups, or say in one line why not (never a traceback)."""
    import sys

    from vnportal.brand.tokens import load
    from vnportal.core.config import plugin_config, site_config, site_languages
    from vnportal.core.findings import FindingsError

    if not partner:
        print("make cobrand: give the partner's logo, e.g. make cobrand PARTNER=path/to/logo.svg", file=sys.stderr)
        return 2
    try:
        config = site_config(config_file)
        tokens = config_file.parent / plugin_config(config, "vnportal/brand").get("tokens", "assets/brand/tokens.yml")
        brand = load(tokens, site_languages(config_file)[0])
        mark = artwork.load_artwork(brand)["mark"]
        loaded = load_partner(Path(partner))
        warning = too_small(brand, loaded)
        written = write(brand, mark, loaded, Path(out) / loaded.name, str(config.get("site_name") or "Viet Nam"))
    except (CobrandError, FindingsError) as exc:
        print(exc, file=sys.stderr)
        return 2
    if warning:
        print(f"{partner}: warning: {warning}", file=sys.stderr)
    for path in written:
        print(path)
    return 0
