"""The generator: from tokens, artwork and the kit's texts, every brand file the site and partners need.

Deterministic (same inputs, same bytes) and cached: each group of outputs lives in a cache folder
named by the digest of its inputs, so only a group whose inputs changed is made again, and a warm build
only reads the index of each group.
"""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from xml.etree import ElementTree as ET

from fontTools.ttLib import TTFont
from PIL import Image

from vnportal.brand import artwork, css, desktop, graphics, outline, readme

# cobrand, office and vector are imported by the jobs that use them: fpdf2, python-pptx and python-docx take about
# half a second to import, and a build whose kit is in the cache runs none of those jobs.
from vnportal.brand.texts import Texts
from vnportal.brand.tokens import LOGO_KINDS, Brand
from vnportal.core.archive import zip_bytes
from vnportal.core.cache import cached, code_digest, read_verified, store, touch, write_atomic
from vnportal.core.findings import Finding, FindingsError, line_of
from vnportal.core.messages import tr

#: The generator's own code (this package and the shared core) and the libraries that draw and write the files
#: (an upgrade of resvg or Pillow changes the PNGs' bytes): a change to either makes every brand file again.
GENERATOR = code_digest("vnportal.brand", "vnportal.core") + "".join(
    f";{name}={metadata.version(name)}"
    for name in ("resvg-py", "pillow", "fpdf2", "python-pptx", "python-docx", "fonttools")
)
LOGO_WIDTHS = (256, 512, 1024)

Outputs = dict[str, bytes]  # site-relative path -> content


def _digest(*parts: bytes | str) -> str:
    h = hashlib.sha256(GENERATOR.encode())
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode())
        h.update(b"\x00")
    return h.hexdigest()[:16]


def _store(folder: Path, outputs: Outputs) -> None:
    """The outputs, and a manifest of their digests written last, with its HMAC (the cache is input, not trust)."""
    for rel, data in outputs.items():
        write_atomic(folder / rel, data)
    listed = {rel: hashlib.sha256(data).hexdigest() for rel, data in outputs.items()}
    store(folder / ".index.json", json.dumps(listed, sort_keys=True).encode())


def _index(folder: Path) -> dict[str, Path] | None:
    """The stored outputs, if the manifest is the one this cache key wrote and every file it lists still matches its
    digest (else None: make them again); nothing the manifest does not list is ever published."""
    try:
        listed = json.loads(read_verified(folder / ".index.json") or b"")
        intact = all(
            ".." not in rel.split("/")
            and hashlib.sha256((folder / rel).read_bytes()).hexdigest() == digest
            and touch(folder / rel)  # used: a sweep by another build leaves it
            for rel, digest in listed.items()
        )
    except (OSError, ValueError, AttributeError):
        return None
    return {rel: folder / rel for rel in sorted(listed)} if intact else None


def _cached(cache: Path, group: str, key: str, make: Callable[[], Outputs]) -> dict[str, Path]:
    """Outputs of ``make`` stored under cache/<group>-<key>/ with a manifest of their digests; reused while
    the key is unchanged and every listed file still matches its digest (nothing unlisted is published)."""
    folder = cache / f"{group}-{key}"
    found = _index(folder)
    if found is None:
        _store(folder, make())
        found = _index(folder)
    assert found is not None
    return found


Job = tuple[str, Callable[..., Outputs], tuple]  # key, function, arguments (picklable: run in a worker)


def _cached_groups(cache: Path, jobs: dict[str, Job]) -> dict[str, dict[str, Path]]:
    """Several cached groups; those to make are made side by side in worker processes (one per core). Each group's
    files are hashed once when they are found in the cache, and once more only when they were just made."""
    found = {g: _index(cache / f"{g}-{job[0]}") for g, job in jobs.items()}
    todo = {g: job for g, job in jobs.items() if found[g] is None}
    workers = min(len(todo), os.cpu_count() or 1)
    if workers > 1:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = {g: pool.submit(fn, *args) for g, (_, fn, args) in todo.items()}
            for group, future in futures.items():
                _store(cache / f"{group}-{todo[group][0]}", future.result())
    else:
        for group, (key, fn, args) in todo.items():
            _store(cache / f"{group}-{key}", fn(*args))
    return {
        g: found[g] or _cached(cache, g, job[0], lambda job=job: job[1](*job[2]))  # made again if swept meanwhile
        for g, job in jobs.items()
    }


def logo_variants(brand: Brand, author: str) -> Outputs:
    from vnportal.brand import vector

    sources = artwork.load_artwork(brand)
    out: Outputs = {}
    for kind in LOGO_KINDS:
        for variant in artwork.VARIANTS:
            svg = artwork.variant_svg(sources[kind], brand, variant)
            out[f"assets/brand/logo/{kind}-{variant}.svg"] = svg
            out[f"assets/brand/logo/{kind}-{variant}.pdf"] = vector.svg_to_pdf(
                svg, f"Viet Nam — {kind}, {variant}", author
            )
            for width in LOGO_WIDTHS:  # resvg's own PNG: smaller than Pillow's optimised one, in half the time
                out[f"assets/brand/logo/{kind}-{variant}-{width}.png"] = artwork.render_png_bytes(svg, width)
    return out


def icons(brand: Brand, site_name: str) -> Outputs:
    svg = artwork.variant_svg(artwork.load_artwork(brand)["mark"], brand, "colour")
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


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # the language's own name, e.g. "Tiếng Việt"
    site_name: str


@dataclass(frozen=True)
class Site:
    """What the kit needs from the site's configuration (mkdocs.yml)."""

    name: str
    author: str
    languages: tuple[Language, ...]
    modules: Path  # node_modules, where the desktop fonts are installed
    config_file: Path | None = None  # for findings about site names

    def key(self) -> str:
        return json.dumps([self.name, self.author, [(lang.code, lang.name, lang.site_name) for lang in self.languages]])


#: Parts of the kit: folder in the ZIP -> suffix of its own ZIP in the site.
PARTS = {
    "fonts/desktop": "fonts-desktop", "fonts/web": "fonts-web", "logos": "logos", "wordmarks": "wordmarks",
    "templates": "templates", "cobranding": "cobranding", "tokens": "tokens",
}  # fmt: skip
KIT = "assets/brand/vietnam-brand-kit.zip"
WORDMARK_PNG_HEIGHT = 240


def part_zip(part: str) -> str:
    return f"assets/brand/vietnam-brand-kit-{PARTS[part]}.zip"


def _faces(families: tuple[desktop.DesktopFamily, ...], weight: int) -> outline.Faces:
    return outline.Faces(tuple(str(desktop.font_for(families, f.key, weight).path) for f in families))


def _type(brand: Brand, families: tuple[desktop.DesktopFamily, ...]) -> graphics.Type:
    weights = brand.data["typography"]["weights"]
    return graphics.Type(_faces(families, weights["bold"]), _faces(families, weights["regular"]),
                         _faces(families, weights["semibold"]))  # fmt: skip


def check_glyphs(site: Site, texts: Texts, families: tuple[desktop.DesktopFamily, ...]) -> None:
    """Every text the kit sets in the brand faces has its glyphs (else a finding, not a tofu box)."""
    faces = _faces(families, 400)
    findings = []
    for lang in site.languages:
        if missing := faces.missing(lang.site_name):
            shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing[:5])
            where = (site.config_file or Path("mkdocs.yml")).as_posix()
            findings.append(Finding(where, line_of(site.config_file, lang.site_name),
                                    tr('the brand fonts have no glyph for {shown} in the {code} site name', shown=shown, code=lang.code),
                                    tr('write the name with letters of the language')))  # fmt: skip
    for dotted in ("templates.social.headline", "templates.social.text", "templates.social.photo",
                   "templates.banner.title", "templates.banner.details"):  # fmt: skip
        for lang in site.languages:
            text = texts.get(dotted, lang.code)
            if missing := faces.missing(text):
                shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing[:5])
                findings.append(Finding(texts.path.as_posix(), line_of(texts.path, text),
                                        tr('the brand fonts have no glyph for {shown} in {dotted}', shown=shown, dotted=dotted),
                                        tr('rephrase the text')))  # fmt: skip
    if findings:
        raise FindingsError(findings)


def wordmarks(brand: Brand, site: Site, kinds: graphics.Type) -> Outputs:
    from vnportal.brand import vector

    mark = artwork.load_artwork(brand)["mark"]
    out: Outputs = {}
    for lang in site.languages:
        source = ET.fromstring(graphics.wordmark(mark, lang.site_name, lang.code, kinds))
        for variant in artwork.VARIANTS:
            svg = artwork.variant_svg(source, brand, variant)
            base = f"assets/brand/wordmarks/{lang.code}/wordmark-{lang.code}-{variant}"
            out[f"{base}.svg"] = svg
            out[f"{base}.pdf"] = vector.svg_to_pdf(svg, f"{lang.site_name} — {variant}", site.author)
            width = round(vector.size_px(svg)[0] * WORDMARK_PNG_HEIGHT / graphics.MARK)
            out[f"{base}.png"] = artwork.render_png_bytes(svg, width)
    return out


def templates(brand: Brand, site: Site, texts: Texts, kinds: graphics.Type, lang: Language) -> Outputs:
    """Social posts, event banners, the presentation and the press release in one language."""
    from vnportal.brand import office, vector

    out: Outputs = {}
    mark = artwork.load_artwork(brand)["mark"]
    marks = {v: artwork.render_png_bytes(artwork.variant_svg(mark, brand, v), 512) for v in ("colour", "reversed")}
    families = brand.data["typography"]["families"]
    fonts = office.Fonts(families["text"]["name"], families["cjk"]["name"])
    base, code = "assets/brand/templates", lang.code
    social = {k: texts.get(f"templates.social.{k}", code) for k in ("headline", "text", "photo")}
    for kind, (width, _) in graphics.SOCIAL_SIZES.items():
        svg = graphics.social_post(brand, mark, kind, lang.site_name, social, code, kinds)
        out[f"{base}/social/social-{kind}-{code}.svg"] = svg
        out[f"{base}/social/social-{kind}-{code}.png"] = artwork.render_png_bytes(svg, width)
    title, details = texts.get("templates.banner.title", code), texts.get("templates.banner.details", code)
    svg = graphics.banner(brand, mark, graphics.BANNER_SCREEN, lang.site_name, title, details, code, kinds)
    out[f"{base}/banner/banner-screen-{code}.svg"] = svg
    out[f"{base}/banner/banner-screen-{code}.png"] = artwork.render_png_bytes(svg, graphics.BANNER_SCREEN[0])
    svg = graphics.banner(brand, mark, graphics.BANNER_ROLLUP_MM, lang.site_name, title, details, code, kinds)
    out[f"{base}/banner/banner-rollup-{code}.pdf"] = vector.svg_to_pdf(
        svg, f"{title} — {lang.site_name}", site.author, size_mm=graphics.BANNER_ROLLUP_MM
    )
    out[f"{base}/banner/banner-rollup-{code}-preview.png"] = artwork.render_png_bytes(svg, 425)
    slides = {k: texts.get(f"templates.slides.{k}", code) for k in ("title", "subtitle", "section", "content_title")}
    slides["points"] = texts.items("templates.slides.points", code)
    out[f"{base}/presentation/presentation-{code}.pptx"] = office.pptx(
        brand, fonts, code, lang.site_name, slides, marks, site.author
    )
    letter = {k: texts.get(f"templates.letter.{k}", code)
              for k in ("kind", "place_date", "title", "lead", "body", "contact_heading", "end", "footer")}  # fmt: skip
    letter["contact"] = texts.items("templates.letter.contact", code)
    lockup_svg = artwork.variant_svg(
        ET.fromstring(graphics.wordmark(mark, lang.site_name, code, kinds)), brand, "colour"
    )
    width, height = vector.size_px(lockup_svg)
    lockup = artwork.render_png_bytes(lockup_svg, round(width * WORDMARK_PNG_HEIGHT / graphics.MARK))
    out[f"{base}/press-release/press-release-{code}.docx"] = office.docx(
        brand, fonts, code, lang.site_name, letter, lockup, width / height, site.author
    )
    return out


def cobranding(brand: Brand, author: str) -> Outputs:
    from vnportal.brand import cobrand, vector

    mark = artwork.load_artwork(brand)["mark"]
    out: Outputs = {}
    for variant in artwork.VARIANTS:
        svg = cobrand.lockup(brand, mark, None, variant, "Viet Nam × partner")
        base = f"assets/brand/cobranding/cobrand-template-{variant}"
        out[f"{base}.svg"] = svg
        out[f"{base}.pdf"] = vector.svg_to_pdf(svg, "Viet Nam — co-branding template", author)
        out[f"{base}.png"] = artwork.render_png_bytes(svg, round(vector.size_px(svg)[0] * 4))
    return out


#: Formats that are compressed already: stored as they are (deflating them again gains nothing and costs time).
STORED = (".png", ".pdf", ".woff2", ".pptx", ".docx", ".zip")


def _zip(files: dict[str, bytes]) -> bytes:
    return zip_bytes(files, stored=STORED)


def kit_files(brand: Brand, site: Site, texts: Texts, families: tuple[desktop.DesktopFamily, ...],
              generated: dict[str, Path], theme_css: str) -> dict[str, bytes | Path]:  # fmt: skip
    """Every file of the kit by its path in the ZIP (content, or the file to read it from)."""
    files: dict[str, bytes | Path] = {}
    for family in families:
        for font in family.fonts:
            files[f"fonts/desktop/{family.slug}/{font.name}"] = font.path
        files[f"fonts/desktop/{family.slug}/OFL.txt"] = family.licence
    fonts = brand.root / "fonts"
    for path in sorted(p for p in fonts.rglob("*") if p.is_file()):
        files[f"fonts/web/{path.relative_to(fonts).as_posix()}"] = path
    for rel, path in generated.items():
        name = Path(rel).name
        if rel.startswith("assets/brand/logo/"):
            files[f"logos/{name.rsplit('.', 1)[1]}/{name}"] = path
        elif rel.startswith(("assets/brand/wordmarks/", "assets/brand/templates/", "assets/brand/cobranding/")):
            files[rel.removeprefix("assets/brand/")] = path
    files["tokens/tokens.json"] = css.tokens_json(brand).encode()
    files["tokens/tokens.css"] = theme_css.encode()
    files["tokens/_tokens.scss"] = css.tokens_scss(brand).encode()
    files["tokens/tokens.yml"] = brand.path.read_bytes()
    counts = {part: sum(1 for name in files if name.startswith(part + "/")) for part in PARTS}
    for lang in site.languages:
        files[f"README.{lang.code}.md"] = readme.text(
            brand, texts, lang.code, lang.site_name, families, counts
        ).encode()
    return files


def _sums(files: dict[str, bytes]) -> bytes:
    return "".join(f"{hashlib.sha256(files[name]).hexdigest()}  {name}\n" for name in sorted(files)).encode()


def kit_archives(files: dict[str, bytes | Path]) -> Outputs:
    """The whole kit and one ZIP per part (with the READMEs), each with its SHA256SUMS."""
    content = {name: data.read_bytes() if isinstance(data, Path) else data for name, data in files.items()}
    readmes = {name: data for name, data in content.items() if name.startswith("README.")}
    whole = {**content, "SHA256SUMS": _sums(content)}
    archives = {KIT: whole}
    for part in PARTS:
        chosen = {**readmes, **{n: d for n, d in content.items() if n.startswith(part + "/")}}
        archives[part_zip(part)] = {**chosen, "SHA256SUMS": _sums(chosen)}
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:  # zlib releases the GIL: one archive per core
        return dict(zip(archives, pool.map(_zip, archives.values()), strict=True))


def _stat_key(paths: list[Path]) -> str:
    return hashlib.sha256(repr([(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in paths]).encode()).hexdigest()[
        :16
    ]


def desktop_digest(families: tuple[desktop.DesktopFamily, ...], cache: Path) -> str:
    """The fonts' content digest, remembered by their sizes and dates so a warm build does not read 20 MB."""
    paths = [p for f in families for p in (*(x.path for x in f.fonts), f.licence)]
    memo = cache / "desktop-digests" / _stat_key(paths)
    return cached(memo, lambda: desktop.digest(families).encode()).decode()


def generate(brand: Brand, cache: Path, site: Site, texts: Texts) -> dict[str, Path]:
    """All brand outputs, keyed by their path in the site."""
    artwork.load_artwork(brand)  # refuses unsafe artwork before anything is made
    families = desktop.locate(brand, site.modules)
    check_glyphs(site, texts, families)
    kinds = _type(brand, families)
    svg_bytes = b"".join((brand.root / "logo" / f"{k}.svg").read_bytes() for k in LOGO_KINDS)
    fonts_key = desktop_digest(families, cache)
    theme = css.theme_css(brand)
    outputs: dict[str, Path] = {}
    outputs |= _cached(cache, "css", _digest(brand.digest), lambda: {"assets/brand/brand.css": theme.encode()})
    jobs: dict[str, Job] = {
        "icons": (_digest(brand.digest, svg_bytes, site.name), icons, (brand, site.name)),
        "logos": (_digest(brand.digest, svg_bytes, site.author), logo_variants, (brand, site.author)),
        "wordmarks": (_digest(brand.digest, svg_bytes, site.key(), fonts_key), wordmarks, (brand, site, kinds)),
        "cobranding": (_digest(brand.digest, svg_bytes, site.author), cobranding, (brand, site.author)),
    }
    for lang in site.languages:
        key = _digest(brand.digest, svg_bytes, site.key(), fonts_key, texts.digest, lang.code)
        jobs[f"templates-{lang.code}"] = (key, templates, (brand, site, texts, kinds, lang))
    groups = _cached_groups(cache, jobs)
    generated = {rel: path for group, files in groups.items() if group != "icons" for rel, path in files.items()}
    outputs |= groups["icons"] | generated
    web_fonts = [p for p in sorted((brand.root / "fonts").rglob("*")) if p.is_file()]
    fonts_digest = _digest(*(p.name.encode() + p.read_bytes() for p in web_fonts))
    outputs |= _cached(
        cache,
        "kit",
        _digest(brand.digest, fonts_digest, fonts_key, texts.digest, site.key(), *(job[0] for job in jobs.values())),
        lambda: kit_outputs(brand, site, texts, families, generated, theme),
    )
    return outputs


def coverage(families: tuple[desktop.DesktopFamily, ...]) -> list[dict[str, object]]:
    """Per desktop family: characters mapped, and how many of the Vietnamese letters and common Chinese characters."""
    letters, hanzi = set(desktop.vietnamese_letters()), set(desktop.common_chinese())
    rows = []
    for family in families:
        cmap = set(TTFont(family.fonts[0].path, lazy=True).getBestCmap())
        rows.append({
            "key": family.key,
            "family": family.name, "styles": readme.styles(family), "files": [f.name for f in family.fonts],
            "characters": len(cmap), "vietnamese": [sum(ord(c) in cmap for c in letters), len(letters)],
            "chinese": [sum(ord(c) in cmap for c in hanzi), len(hanzi)],
        })  # fmt: skip
    return rows


def kit_outputs(brand: Brand, site: Site, texts: Texts, families: tuple[desktop.DesktopFamily, ...],
                generated: dict[str, Path], theme: str) -> Outputs:  # fmt: skip
    """The ZIPs, tokens.json and kit.json (what the /brand/ page and scripts read: parts, sizes, digests, fonts)."""
    archives = kit_archives(kit_files(brand, site, texts, families, generated, theme))
    manifest = {
        "kit": {"url": KIT, "size": len(archives[KIT]), "sha256": hashlib.sha256(archives[KIT]).hexdigest()},
        "parts": {
            part: {
                "url": part_zip(part),
                "size": len(archives[part_zip(part)]),
                "sha256": hashlib.sha256(archives[part_zip(part)]).hexdigest(),
            }
            for part in PARTS
        },
        "fonts": coverage(families),
    }
    return {
        **archives,
        "assets/brand/tokens.json": css.tokens_json(brand).encode(),
        "assets/brand/kit.json": (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode(),
    }
