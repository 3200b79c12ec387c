"""Logo artwork: safety validation of the SVG sources, colour variants and rasterisation.

The sources in ``assets/brand/logo/`` mark their parts with classes (``brand-primary``,
``brand-accent``, ``brand-knockout``, ``brand-wordmark``); variants recolour those parts from tokens.
"""

from __future__ import annotations

import copy
import io
from pathlib import Path
from xml.etree import ElementTree as ET

import resvg_py
from PIL import Image

from vnportal.brand.tokens import LOGO_KINDS, Brand
from vnportal.core.findings import Finding, FindingsError
from vnportal.core.messages import tr
from vnportal.core.xmlwrite import to_bytes

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
FORBIDDEN_TAGS = {"script", "foreignObject", "iframe", "object", "embed", "image", "use", "style", "a"}
PARTS = ("brand-primary", "brand-accent", "brand-knockout", "brand-wordmark")
VARIANTS = ("colour", "mono", "reversed")
WHITE = "#FFFFFF"


def _variant_colours(brand: Brand, variant: str) -> dict[str, str]:
    primary, accent, text = (brand.color("light", r) for r in ("primary", "accent", "text"))
    return {
        "colour": {"brand-primary": primary, "brand-accent": accent, "brand-knockout": WHITE, "brand-wordmark": text},
        "mono": {"brand-primary": text, "brand-accent": WHITE, "brand-knockout": WHITE, "brand-wordmark": text},
        "reversed": {
            "brand-primary": WHITE,
            "brand-accent": primary,
            "brand-knockout": primary,
            "brand-wordmark": WHITE,
        },
    }[variant]


def _line_of(source: str, needle: str) -> int:
    index = source.find(needle)
    return source.count("\n", 0, index) + 1 if index >= 0 else 1


def load_svg(path: Path) -> ET.Element:
    """Parse one logo source and refuse anything that could run code or fetch a resource."""
    shown = path.as_posix()
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FindingsError(
            [Finding(shown, 1, tr("cannot read the artwork ({error})", error=exc), tr("restore the SVG file"))]
        ) from exc
    try:
        root = ET.fromstring(source)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else 1
        raise FindingsError(
            [
                Finding(
                    shown, line, tr("SVG does not parse ({error})", error=exc), tr("re-export the artwork as plain SVG")
                )
            ]
        ) from exc
    findings = []
    for element in root.iter():
        tag = element.tag.split("}")[-1]
        if tag in FORBIDDEN_TAGS:
            findings.append(
                Finding(
                    shown,
                    _line_of(source, f"<{tag}"),
                    tr("SVG contains <{tag}>", tag=tag),
                    tr("remove it: logos are plain shapes"),
                )
            )
        for attr, value in element.attrib.items():
            name = attr.split("}")[-1]
            if name.lower().startswith("on") or "javascript:" in value.lower() or name == "href":
                findings.append(
                    Finding(
                        shown,
                        _line_of(source, name),
                        tr("SVG attribute {name} can run code or load a resource", name=name),
                        tr("remove the attribute"),
                    )
                )
    if root.tag != f"{{{SVG_NS}}}svg":
        findings.append(Finding(shown, 1, tr("root element is not <svg>"), tr("export as an SVG document")))
    classes = {c for e in root.iter() for c in e.get("class", "").split()}
    if "brand-primary" not in classes:
        findings.append(
            Finding(
                shown, 1, tr("no part has class brand-primary"), tr('mark the red field with class="brand-primary"')
            )
        )
    if findings:
        raise FindingsError(findings)
    return root


def load_artwork(brand: Brand) -> dict[str, ET.Element]:
    return {kind: load_svg(brand.root / "logo" / f"{kind}.svg") for kind in LOGO_KINDS}


def recoloured(root: ET.Element, brand: Brand, variant: str) -> ET.Element:
    """A copy of the artwork with each part painted in the variant's colour."""
    colours = _variant_colours(brand, variant)
    tree = copy.deepcopy(root)
    for element in tree.iter():
        part = next((c for c in element.get("class", "").split() if c in colours), None)
        if part is None:
            continue
        paint = "stroke" if element.get("fill") == "none" else "fill"
        element.set(paint, colours[part])
    return tree


def variant_svg(root: ET.Element, brand: Brand, variant: str) -> bytes:
    """The artwork recoloured for a variant, serialised deterministically."""
    return svg_bytes(recoloured(root, brand, variant))


def svg_bytes(root: ET.Element) -> bytes:
    """An SVG document as bytes: SVG the default namespace, no XML declaration, a final newline."""
    return to_bytes(root, {"": SVG_NS, "xlink": XLINK_NS}, declaration=False) + b"\n"


def render_png_bytes(svg: bytes, width: int, background: str | None = None) -> bytes:
    """Rasterise with resvg (no system fonts: the artwork has outlined text only), as resvg's own PNG:
    deterministic, and no decoding and encoding again when the pixels are used as they are."""
    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg.decode("utf-8"), width=width, background=background, skip_system_fonts=True
        )
    )


def render_png(svg: bytes, width: int, background: str | None = None) -> Image.Image:
    return Image.open(io.BytesIO(render_png_bytes(svg, width, background))).convert("RGBA")


def png_bytes(image: Image.Image, optimize: bool = True) -> bytes:
    """PNG without timestamps or other metadata: same pixels, same bytes. ``optimize`` tries every filter:
    worth it for small icons, not for full-size templates (four times the time for a few per cent)."""
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True) if optimize else image.save(out, format="PNG", compress_level=6)
    return out.getvalue()
