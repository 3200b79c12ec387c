"""The generator: from tokens and artwork, every brand file the site and partners need.

Deterministic (same inputs, same bytes) and cached: each group of outputs lives in a cache folder
named by the digest of its inputs, so only a group whose inputs changed is made again.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from vnportal.brand import artwork, css
from vnportal.brand.tokens import LOGO_KINDS, Brand
from vnportal.cache import write_atomic

GENERATOR_VERSION = "1"
LOGO_WIDTHS = (256, 512, 1024)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

Outputs = dict[str, bytes]  # site-relative path -> content


def _digest(*parts: bytes | str) -> str:
    h = hashlib.sha256(GENERATOR_VERSION.encode())
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode())
        h.update(b"\x00")
    return h.hexdigest()[:16]


def _cached(cache: Path, group: str, key: str, make: Callable[[], Outputs]) -> dict[str, Path]:
    """Outputs of ``make`` stored under cache/<group>-<key>/ with a manifest of their digests; reused while
    the key is unchanged and every listed file still matches its digest (nothing unlisted is published)."""
    folder = cache / f"{group}-{key}"
    index = folder / ".index.json"
    try:
        listed = json.loads(index.read_text(encoding="utf-8"))
        intact = all(
            ".." not in rel.split("/") and hashlib.sha256((folder / rel).read_bytes()).hexdigest() == digest
            for rel, digest in listed.items()
        )
    except (OSError, ValueError, AttributeError):
        intact = False
    if not intact:
        outputs = make()
        for rel, data in outputs.items():
            write_atomic(folder / rel, data)
        listed = {rel: hashlib.sha256(data).hexdigest() for rel, data in outputs.items()}
        write_atomic(index, json.dumps(listed, sort_keys=True).encode())
    return {rel: folder / rel for rel in sorted(listed)}


def logo_variants(brand: Brand, sources: dict) -> Outputs:
    out: Outputs = {}
    for kind in LOGO_KINDS:
        for variant in artwork.VARIANTS:
            svg = artwork.variant_svg(sources[kind], brand, variant)
            out[f"assets/brand/logo/{kind}-{variant}.svg"] = svg
            for width in LOGO_WIDTHS:
                out[f"assets/brand/logo/{kind}-{variant}-{width}.png"] = artwork.png_bytes(
                    artwork.render_png(svg, width)
                )
    return out


def icons(brand: Brand, mark, site_name: str) -> Outputs:
    svg = artwork.variant_svg(mark, brand, "colour")
    primary, surface = brand.color("light", "primary"), brand.color("light", "surface")
    big = artwork.render_png(svg, 256)
    ico = io.BytesIO()
    big.save(ico, format="ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    maskable = Image.new("RGBA", (512, 512), primary)
    inner = artwork.render_png(svg, 320)
    maskable.paste(inner, (96, 96), inner)
    manifest = {
        "name": site_name,
        "short_name": "Việt Nam",
        "lang": "vi",
        "start_url": "/",
        "scope": "/",
        "display": "browser",
        "theme_color": primary,
        "background_color": surface,
        "icons": [
            {"src": "/assets/brand/icon-192.png", "sizes": "192x192", "type": "image/png"},
            {"src": "/assets/brand/icon-512.png", "sizes": "512x512", "type": "image/png"},
            {
                "src": "/assets/brand/icon-maskable-512.png",
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return {
        "favicon.svg": svg,
        "favicon.ico": ico.getvalue(),
        "apple-touch-icon.png": artwork.png_bytes(artwork.render_png(svg, 180, background=primary).convert("RGB")),
        "assets/brand/icon-192.png": artwork.png_bytes(artwork.render_png(svg, 192)),
        "assets/brand/icon-512.png": artwork.png_bytes(artwork.render_png(svg, 512)),
        "assets/brand/icon-maskable-512.png": artwork.png_bytes(maskable),
        "manifest.webmanifest": (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode(),
    }


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name])
    return out.getvalue()


README = {
    "vi": (
        "# Bộ nhận diện hình ảnh quốc gia Việt Nam\n\n"
        "- `logos/svg`, `logos/png`: logo (biểu trưng, bản ngang, bản đứng; bản màu, đơn sắc, đảo màu).\n"
        "- `tokens/`: màu sắc, kiểu chữ, khoảng trống an toàn và kích thước tối thiểu (JSON, CSS, SCSS).\n"
        "- `fonts/`: phông chữ Be Vietnam Pro và Noto Sans SC cùng giấy phép SIL OFL 1.1.\n\n"
        "Quy tắc sử dụng: giữ khoảng trống an toàn bằng {clear}× chiều cao biểu trưng; không kéo giãn, xoay "
        "hay đổi màu logo; không dùng logo thay cho Quốc kỳ, Quốc huy. Xem trang /brand/ của cổng thông tin.\n"
    ),
    "en": (
        "# Viet Nam national image identity kit\n\n"
        "- `logos/svg`, `logos/png`: the logo (mark, horizontal and stacked lockups; colour, mono, reversed).\n"
        "- `tokens/`: colours, typography, clear space and minimum sizes (JSON, CSS, SCSS).\n"
        "- `fonts/`: Be Vietnam Pro and Noto Sans SC with their SIL Open Font Licence 1.1.\n\n"
        "Usage: keep a clear space of {clear}x the mark's height; do not stretch, rotate or recolour the logo; "
        "never use it in place of the national flag or emblem. See the portal's /en/brand/ page.\n"
    ),
}


def kit_zip(brand: Brand, logos: dict[str, Path], theme_css: str) -> bytes:
    files: dict[str, bytes] = {}
    for rel, path in logos.items():
        name = Path(rel).name
        files[f"logos/{'svg' if name.endswith('.svg') else 'png'}/{name}"] = path.read_bytes()
    files["tokens/tokens.json"] = css.tokens_json(brand).encode()
    files["tokens/tokens.css"] = theme_css.encode()
    files["tokens/_tokens.scss"] = css.tokens_scss(brand).encode()
    files["tokens/tokens.yml"] = brand.path.read_bytes()
    fonts = brand.root / "fonts"
    for path in sorted(p for p in fonts.rglob("*") if p.is_file()):
        files[f"fonts/{path.relative_to(fonts).as_posix()}"] = path.read_bytes()
    clear = brand.data["logo"]["clear_space"]
    for lang, text in README.items():
        files[f"README.{lang}.md"] = text.format(clear=clear).encode()
    return _zip(files)


def generate(brand: Brand, cache: Path, site_name: str) -> dict[str, Path]:
    """All brand outputs, keyed by their path in the site."""
    sources = artwork.load_artwork(brand)
    svg_bytes = b"".join((brand.root / "logo" / f"{k}.svg").read_bytes() for k in LOGO_KINDS)
    theme = css.theme_css(brand)
    outputs: dict[str, Path] = {}
    outputs |= _cached(cache, "css", _digest(brand.digest), lambda: {"assets/brand/brand.css": theme.encode()})
    outputs |= _cached(
        cache, "icons", _digest(brand.digest, svg_bytes, site_name), lambda: icons(brand, sources["mark"], site_name)
    )
    logos = _cached(cache, "logos", _digest(brand.digest, svg_bytes), lambda: logo_variants(brand, sources))
    outputs |= logos
    fonts_digest = _digest(*(p.read_bytes() for p in sorted((brand.root / "fonts").rglob("*")) if p.is_file()))
    outputs |= _cached(
        cache,
        "kit",
        _digest(brand.digest, svg_bytes, fonts_digest),
        lambda: {
            "assets/brand/vietnam-brand-kit.zip": kit_zip(brand, logos, theme),
            "assets/brand/tokens.json": css.tokens_json(brand).encode(),
        },
    )
    return outputs
