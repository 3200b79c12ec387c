"""Brand identity: tokens, contrast, artwork safety, generated assets, social cards, the kit and /brand/."""

from __future__ import annotations

import copy
import functools
import hashlib
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest
import yaml
from conftest import LANGS, ROOT, Site, SmallBuild, build
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from vnportal.brand import artwork, cards, css, fonts, kit, linebreak
from vnportal.brand.contrast import MINIMUM, THEME_PAIRS, ratio
from vnportal.brand.texts import load as load_texts
from vnportal.brand.tokens import COLOR_ROLES, SCHEMES, load
from vnportal.core.cache import unseal
from vnportal.core.config import plugin_config, site_config
from vnportal.core.findings import FindingsError

BRAND = ROOT / "assets" / "brand"


@pytest.fixture(scope="module")
def brand():
    return load(BRAND / "tokens.yml", LANGS)


def kit_site() -> kit.Site:
    """The site's languages and names as the plugin reads them from mkdocs.yml."""
    config = site_config(ROOT / "mkdocs.yml")
    languages = plugin_config(config, "i18n")["languages"]
    return kit.Site(
        config["site_name"],
        config.get("site_author") or config["site_name"],
        tuple(
            kit.Language(lang["locale"], lang["name"], lang.get("site_name") or config["site_name"])
            for lang in languages
        ),
        ROOT / "node_modules",
        ROOT / "mkdocs.yml",
    )


def kit_texts():
    return load_texts(BRAND / "kit.yml", LANGS)


@pytest.fixture
def brand_copy(tmp_path: Path) -> Path:
    target = tmp_path / "brand"
    shutil.copytree(BRAND / "logo", target / "logo")
    shutil.copy(BRAND / "tokens.yml", target / "tokens.yml")
    shutil.copy(BRAND / "kit.yml", target / "kit.yml")
    (target / "fonts").symlink_to(BRAND / "fonts")
    return target


def test_every_theme_pair_meets_wcag_aa(brand) -> None:
    for scheme in SCHEMES:
        for pair in THEME_PAIRS:
            if scheme in pair.schemes:
                value = ratio(brand.color(scheme, pair.foreground), brand.color(scheme, pair.background))
                assert value >= MINIMUM[pair.kind], (scheme, pair, value)


def test_contrast_formula_matches_known_values() -> None:
    assert ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(
    ("edit", "line_fragment", "message"),
    [
        (
            lambda t: t.replace('    text-muted: "#5C5650"\n', "", 1),
            "light:",
            "'text-muted' is missing in the light scheme",
        ),
        (lambda t: t.replace('"#0B6E4F"', '"#0B6E4"', 1), 'secondary: "#0B6E4"', "is not a HEX colour"),
        (lambda t: t.replace("accent: {vi: Vàng mặt trời, ", "accent: {", 1), "  accent: {", "has no name in vi"),
        (lambda t: t.replace("  clear_space: 0.25\n", ""), "logo:", "logo.clear_space is missing"),
    ],
)
def test_bad_token_file_names_file_line_and_fix(brand_copy: Path, edit, line_fragment: str, message: str) -> None:
    path = brand_copy / "tokens.yml"
    text = edit(path.read_text())
    path.write_text(text)
    with pytest.raises(FindingsError) as info:
        load(path, LANGS)
    expected_line = next(i for i, row in enumerate(text.splitlines(), 1) if line_fragment in row)
    assert any(
        f.path == path.as_posix() and f.line == expected_line and message in f.message and f.fix
        for f in info.value.findings
    ), info.value


@pytest.mark.parametrize(
    ("edit", "line_fragment", "message", "fix"),
    [
        # What only the schema checks: every key known, every value written into CSS or a link safe.
        (lambda t: t.replace("\nlogo:\n", "\nlogos:\n"), "logos:", "'tokens' has unknown key(s) 'logos'", "structure"),
        (lambda t: t.replace('  light:\n', '  light:\n    warning: "#FF0000"\n'), "warning:", "'colors.light' has unknown key(s) 'warning'", "structure"),
        (lambda t: t.replace("color_names:\n", "color_names:\n  nope: {vi: a, en: b, fr: c, zh: d}\n"), "nope:", "'color_names' has a key that is not allowed: 'nope'", "structure"),
        (lambda t: t.replace("system: [PingFang SC,", 'system: ["PingFang\\"; } body { x: \\"",'), "system:", "'typography.families.cjk.system.0' is not written the expected way", "letters, digits and spaces"),
        (lambda t: t.replace("licence: fonts/be-vietnam-pro/OFL.txt", "licence: fonts/../../../etc/passwd"), "licence: fonts/../", "'typography.families.text.licence' is not written", "structure"),
        (lambda t: t.replace("scale: {small: 0.8,", "scale: {Small Print: 0.8,"), "scale:", "'typography.scale' has a key that is not allowed: 'Small Print'", "structure"),
        (lambda t: t.replace("weights: {regular: 400,", "weights: {regular: 400.0,"), "weights: {regular", "font weight 'regular' is not 100…900", "multiple of 100"),
        (lambda t: t.replace("weights: [400, 600, 700]", "weights: [400, 650]"), "weights: [400, 650]", "desktop weights of 'text'", "desktop: {package"),
        (lambda t: t.replace("mark: {px: 24, mm: 8}", "mark: {px: '24', mm: 8}"), "mark: {px:", "minimum size of the mark is missing", "px: N, mm: N"),
        (lambda t: t.replace("  clear_space: 0.25\n", "  clear_space: large\n"), "clear_space: large", "'logo.clear_space' must be a number", "fraction of the mark"),
        (lambda t: t.replace("divider: {width: 0.015, colour: neutral-600}", "divider: {colour: neutral-600}"), "divider:", "cobranding.divider.width is not a positive number", "e.g. 0.015"),
        (lambda t: t.replace("    fr: Viet Nam — le pays, le peuple, la culture\n", ""), "specimen:", "the type specimen has no text in fr", "typography.specimen.fr"),
        (lambda t: t.replace("version: 1\n", "version: 2024-13-01\n"), "version:", "a value cannot be read", "correct the value"),
    ],
)  # fmt: skip
def test_token_schema_names_file_line_and_fix(
    brand_copy: Path, edit, line_fragment: str, message: str, fix: str
) -> None:
    path = brand_copy / "tokens.yml"
    text = edit(path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FindingsError) as info:
        load(path, LANGS)
    expected_line = next(i for i, row in enumerate(text.splitlines(), 1) if line_fragment in row)
    assert any(
        f.path == path.as_posix() and f.line == expected_line and message in f.message and fix in f.fix
        for f in info.value.findings
    ), info.value


YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8) | st.dates(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6) | st.integers(), inner, max_size=3),
    max_leaves=10,
)
TOKENS = yaml.safe_load((BRAND / "tokens.yml").read_text(encoding="utf-8"))


def _paths(value: object, path: tuple = ()) -> list[tuple]:
    """Every key path of a parsed YAML document."""
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    return [path, *(p for key, child in children for p in _paths(child, (*path, key)))]


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_any_token_file_gives_findings_or_a_brand_never_a_traceback(tmp_path_factory, data: st.DataObject) -> None:
    """The bundled tokens with any part replaced by any value (or dropped), or any mapping at all: a Brand, or
    findings that each name a line of the file and a fix."""
    if data.draw(st.booleans()):
        tokens = copy.deepcopy(TOKENS)
        for path in data.draw(st.lists(st.sampled_from(_paths(TOKENS)[1:]), min_size=1, max_size=3)):
            try:
                parent = functools.reduce(lambda node, key: node[key], path[:-1], tokens)
                if isinstance(parent, dict) and data.draw(st.booleans()):
                    del parent[path[-1]]
                else:
                    parent[path[-1]] = data.draw(YAML_VALUES)
            except (KeyError, IndexError, TypeError):
                continue  # an earlier change removed that path
    else:
        tokens = data.draw(st.dictionaries(st.sampled_from([*TOKENS, "x"]) | st.integers(), YAML_VALUES, max_size=6))
    path = tmp_path_factory.mktemp("tokens") / "tokens.yml"
    text = yaml.safe_dump(tokens, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    try:
        load(path, LANGS)
    except FindingsError as exc:
        assert exc.findings
        for finding in exc.findings:
            assert 1 <= finding.line <= text.count("\n") + 1 and finding.message and finding.fix, finding


@pytest.mark.parametrize(
    ("svg", "message"),
    [
        ("<svg xmlns='http://www.w3.org/2000/svg'><rect class='brand-primary'", "does not parse"),
        (
            "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script><rect class='brand-primary'/></svg>",
            "<script>",
        ),
        ("<svg xmlns='http://www.w3.org/2000/svg' onload='x()'><rect class='brand-primary'/></svg>", "onload"),
        ("<svg xmlns='http://www.w3.org/2000/svg'><rect/></svg>", "brand-primary"),
    ],
)
def test_unsafe_or_broken_svg_is_refused(brand_copy: Path, svg: str, message: str) -> None:
    (brand_copy / "logo" / "mark.svg").write_text(svg)
    with pytest.raises(FindingsError) as info:
        artwork.load_artwork(load(brand_copy / "tokens.yml", LANGS))
    assert any("mark.svg" in f.path and message in f.message for f in info.value.findings), info.value


@pytest.fixture(scope="module")
def generated(brand, tmp_path_factory) -> tuple[Path, dict[str, Path]]:
    """The generator run once in this process, with a cold cache of its own."""
    cache = tmp_path_factory.mktemp("brand-cache")
    return cache, kit.generate(brand, cache, kit_site(), kit_texts())


def test_generator_is_deterministic_and_cached(brand, generated, site: Site) -> None:
    """Same bytes as the session build (another process, another cache), and a warm run makes nothing."""
    cache, first = generated
    for rel, path in first.items():
        if (site.root / rel).is_file():
            assert path.read_bytes() == (site.root / rel).read_bytes(), rel
    assert sum((site.root / rel).is_file() for rel in first) > 150
    stamp = {rel: path.stat().st_ino for rel, path in first.items()}  # a file written again is a new one (a rename)
    folders = sorted(p.name for p in cache.iterdir())
    again = kit.generate(brand, cache, kit_site(), kit_texts())
    assert {rel: path.stat().st_ino for rel, path in again.items()} == stamp  # nothing redone (only marked as used)
    assert sorted(p.name for p in cache.iterdir()) == folders


@pytest.mark.build
def test_changed_inputs_redo_only_what_depends_on_them(brand_copy: Path, generated) -> None:
    """A colour reaches the theme CSS; a text of the kit redoes the templates and the ZIPs, nothing else."""
    path = brand_copy / "tokens.yml"
    path.write_text(path.read_text().replace('"#5C5650"', '"#5A554F"'))
    assert "#5A554F" in css.theme_css(load(path, LANGS))
    cache, before = generated
    texts_path = brand_copy / "kit.yml"
    texts_path.write_text(texts_path.read_text().replace("Việt Nam chào đón bạn", "Chào mừng đến Việt Nam"))
    folders = {p.name for p in cache.iterdir()}
    after = kit.generate(load(BRAND / "tokens.yml", LANGS), cache, kit_site(), load_texts(texts_path, LANGS))
    made = {p.name.rsplit("-", 1)[0] for p in cache.iterdir() if p.name not in folders}
    assert made == {"kit", *(f"templates-{lang}" for lang in LANGS)}, made
    assert after["assets/brand/logo/mark-colour.pdf"] == before["assets/brand/logo/mark-colour.pdf"]
    assert (
        after["assets/brand/templates/social/social-square-vi.svg"]
        != before["assets/brand/templates/social/social-square-vi.svg"]
    )


@pytest.fixture(scope="module")
def style(brand, tmp_path_factory):
    cache = tmp_path_factory.mktemp("fonts")
    bold = fonts.build_index(BRAND / "fonts", cache, 700)
    semi = fonts.build_index(BRAND / "fonts", cache, 600)
    mark = artwork.png_bytes(
        artwork.render_png(artwork.variant_svg(artwork.load_artwork(brand)["mark"], brand, "colour"), 96)
    )
    light = {r: brand.color("light", r) for r in ("surface", "primary", "accent", "text", "text-muted")}
    return cards.CardStyle(
        light["surface"], light["primary"], light["accent"], light["text"], light["text-muted"], mark, bold, semi, "t"
    )


@pytest.mark.parametrize(
    "title",
    [
        "Vịnh Hạ Long – Quần đảo Cát Bà được công nhận là Di sản thiên nhiên thế giới mở rộng",
        "下龙湾—吉婆群岛作为扩展后的世界遗产获得认定",
        "Résolution 47/NQ-CP : le programme d'action du Gouvernement " * 6,
        "越南" * 200,
        "Supercalifragilisticexpialidocious" * 4,
    ],
)
def test_card_titles_wrap_fit_and_use_real_glyphs(style, title: str) -> None:
    size, lines = cards.layout_title(title, style.bold)
    assert size in cards.TITLE_SIZES
    assert len(lines) * size * 1.25 <= cards.TITLE_BOTTOM - cards.TITLE_TOP
    for line in lines:
        assert cards._width(line, style.bold, size) <= cards.WIDTH - 2 * cards.MARGIN
        for char in line:
            if not char.isspace():
                font = style.bold.font_for(char)
                assert font is not None, char
                assert cards._face(font, size).glyph(char)[0].any(), f"{char!r} draws nothing"
    image = Image.open(io.BytesIO(cards.render(cards.CardJob(title, "Việt Nam", "vi", "x"), style)))
    assert image.size == (1200, 630)
    top, bottom = cards.TITLE_BAND
    ink = np.asarray(image)[top:bottom] >= 256 - cards.RAMP  # palette entries of the title's ramp
    assert ink.sum() > 400 * len(lines), "the title is drawn"
    assert not ink[:, : cards.MARGIN - 8].any() and not ink[:, cards.WIDTH - cards.MARGIN + 8 :].any()  # no overflow


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab c-\u4e2d\u6587\uff01", max_size=40), st.integers(0, 12))
def test_brand_text_breaks_between_words_and_around_chinese(text: str, max_width: int) -> None:
    """The one line breaking of the cards and the outlines: lines keep the text's words and characters in
    order, and a line is wider than asked only when it is a single unbreakable token."""
    text = " ".join(text.split())  # as titles are: no space at the ends, none doubled
    lines = linebreak.wrap(text, len, max_width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert line == line.strip(" ") and line
        assert len(line) <= max_width or len(linebreak.tokens(line)) == 1
    assert linebreak.tokens("Hà Nội 河内市") == ["Hà ", "Nội ", "河", "内", "市"]


def test_font_coverage_gap_is_reported(style) -> None:
    findings = fonts.coverage_findings(style.bold, "Huế 𓀀", "docs/en/x.md", 2)
    assert findings and "U+13000" in findings[0].message and findings[0].line == 2


def test_cards_are_cached_per_page(style, tmp_path: Path) -> None:
    jobs = [cards.CardJob(f"Trang {i}", "Việt Nam", "vi", str(tmp_path / "site" / f"{i}.png")) for i in range(3)]
    assert cards.render_all(jobs, style, tmp_path / "cache", workers=1) == 3
    assert cards.render_all(jobs, style, tmp_path / "cache", workers=1) == 0
    jobs[1] = cards.CardJob("Trang đã sửa", "Việt Nam", "vi", jobs[1].out)
    assert cards.render_all(jobs, style, tmp_path / "cache", workers=1) == 1
    again = cards.render(jobs[0], style)
    assert again == Path(jobs[0].out).read_bytes()  # deterministic
    entry = tmp_path / "cache" / f"{jobs[2].cache_key(style)}.card"
    entry.write_bytes(entry.read_bytes().replace(b"IDAT", b"IDAx"))  # damaged in the cache: drawn again, not placed
    Path(jobs[2].out).unlink()
    assert cards.render_all(jobs, style, tmp_path / "cache", workers=1) == 1
    assert Path(jobs[2].out).read_bytes() == cards.render(jobs[2], style)
    assert cards.render_all(jobs, style, tmp_path / "cache", workers=1) == 0 and unseal(entry, 1) is not None


# -- on the built site ------------------------------------------------------------------------------


def test_icons_and_manifest(site: Site) -> None:
    ico = Image.open(site.root / "favicon.ico")
    assert {(16, 16), (32, 32), (48, 48)} <= set(ico.info["sizes"])
    assert Image.open(site.root / "apple-touch-icon.png").size == (180, 180)
    for name, size in (("icon-192.png", 192), ("icon-512.png", 512), ("icon-maskable-512.png", 512)):
        assert Image.open(site.root / "assets" / "brand" / name).size == (size, size)
    manifest = json.loads((site.root / "manifest.webmanifest").read_text())
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        assert (site.root / icon["src"].lstrip("/")).is_file()
    assert artwork.load_svg(site.root / "favicon.svg") is not None
    head = site.soup(site.root / "en" / "index.html")
    assert head.select_one('link[rel="manifest"]') and head.select_one('link[rel="apple-touch-icon"]')


def test_logo_exports(site: Site) -> None:
    logo = site.root / "assets" / "brand" / "logo"
    for kind in ("mark", "horizontal", "stacked"):
        for variant in artwork.VARIANTS:
            assert (logo / f"{kind}-{variant}.svg").is_file()
            for width in kit.LOGO_WIDTHS:
                assert Image.open(logo / f"{kind}-{variant}-{width}.png").size[0] == width


def test_theme_css_comes_from_tokens_only(site: Site, brand) -> None:
    css = (site.root / "assets" / "brand" / "brand.css").read_text()
    for scheme in SCHEMES:
        for role in COLOR_ROLES:
            assert f"--brand-{scheme}-{role}: {brand.color(scheme, role)};" in css
    assert '[data-md-color-scheme="slate"]' in css and '[data-md-color-scheme="default"]' in css
    families = brand.data["typography"]["families"]
    text = re.search(r":root \{[^}]*--md-text-font: ([^;]+);", css).group(1)
    zh = re.search(r":lang\(zh\)[^{]*\{ --md-text-font: ([^;]+);", css).group(1)  # zh, ja, ko: one CJK stack
    assert text.startswith(f'"{families["text"]["name"]}"') and families["cjk"]["name"] not in text
    # Chinese: the device's own CJK font before the self-hosted one, which comes last
    system = [zh.index(f'"{name}"') for name in families["cjk"]["system"]]
    assert system and max(system) < zh.index(f'"{families["cjk"]["name"]}"')
    hand_written = [p for p in (ROOT / "overrides").rglob("*") if p.suffix in (".css", ".html")]
    for path in hand_written:
        assert not re.search(r"#[0-9A-Fa-f]{6}\b", path.read_text()), f"hand-copied colour in {path}"


def test_every_page_has_a_social_card(site: Site) -> None:
    seen = 0
    for page in site.pages():
        soup = site.soup(page)
        url = soup.select_one('meta[property="og:image"]')["content"]
        assert soup.select_one('meta[name="twitter:card"]')["content"] == "summary_large_image"
        assert soup.select_one('meta[name="twitter:image"]')["content"] == url
        assert soup.select_one('meta[property="og:image:alt"]')["content"]
        image = Image.open(site.root / url[len(site.url) :])
        assert image.size == (1200, 630)
        seen += 1
    assert seen > 60


def test_brand_page_in_each_language(site: Site) -> None:
    """/brand/ with the logo, wordmarks, rules and kit, and links to its colours and templates pages (one page was
    60 KB of HTML), each in the visitor's language and linking back."""
    for lang in LANGS:
        base = site.root if lang == "vi" else site.root / lang
        soup = site.soup(base / "brand" / "index.html")
        assert soup.html["lang"] == lang and soup.select_one("#logo") and soup.select_one("#wordmarks")
        kit_link = soup.select_one('a[href$="vietnam-brand-kit.zip"]')
        assert (base / "brand" / kit_link["href"]).resolve().is_file()
        pages = {base / "brand" / "index.html": soup}
        for link in soup.select(".portal-subpages a"):
            page = (base / "brand" / link["href"] / "index.html").resolve()
            assert page.is_relative_to(base.resolve()) and page.is_file()  # this language's page
            pages[page] = site.soup(page)
            up = pages[page].select_one(".portal-parent a")
            assert up.get_text() and up.get_text() in soup.h1.get_text() and up["href"] == "../"
        colours, templates = (site.soup(base / "brand" / name / "index.html") for name in ("colours", "templates"))
        assert len(pages) == 3 and colours.select_one("#contrast") and templates.select_one("#cobranding")
        assert len(colours.select("#colours ~ div table tbody tr")) >= 2 * len(COLOR_ROLES)
        for page, part in pages.items():
            assert part.html["lang"] == lang
            for img in part.select(".portal-logo img"):
                assert (page.parent / img["src"]).resolve().is_file()
    en = site.soup(site.root / "en" / "brand" / "colours" / "index.html")
    results = [tr.find_all("td")[-1].get_text(strip=True) for tr in en.select("#contrast ~ div table tbody tr")]
    assert results and set(results) == {"Pass"}


def test_brand_kit_zip(site: Site) -> None:
    data = (site.root / "assets" / "brand" / "vietnam-brand-kit.zip").read_bytes()
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    for required in ("README.vi.md", "README.en.md", "README.fr.md", "README.zh.md", "SHA256SUMS",
                     "tokens/tokens.json", "tokens/tokens.css", "tokens/_tokens.scss",
                     "fonts/web/be-vietnam-pro/OFL.txt", "fonts/web/noto-sans-sc/OFL.txt",
                     "fonts/desktop/be-vietnam-pro/OFL.txt", "fonts/desktop/noto-sans-sc/NotoSansSC-Bold.ttf",
                     "logos/svg/mark-colour.svg", "logos/pdf/horizontal-mono.pdf", "logos/png/stacked-reversed-1024.png",
                     "wordmarks/zh/wordmark-zh-colour.pdf", "templates/presentation/presentation-fr.pptx",
                     "templates/press-release/press-release-vi.docx", "templates/social/social-story-en.png",
                     "cobranding/cobrand-template-colour.svg"):  # fmt: skip
        assert required in names
    page = site.soup(site.root / "en" / "brand" / "index.html").get_text()
    assert hashlib.sha256(data).hexdigest() in page


def test_kit_zip_is_byte_identical_across_builds(small_site: SmallBuild, site: Site) -> None:
    """A second build (of other pages, with a cold cache and another SITE_URL) gives the same ZIP."""
    zip_name = Path("assets/brand/vietnam-brand-kit.zip")
    assert (small_site.site / zip_name).read_bytes() == (site.root / zip_name).read_bytes()


@pytest.mark.build
def test_title_without_glyphs_fails_the_build(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "vi").mkdir(parents=True)
    (docs / "vi" / "index.md").write_text("---\ntitle: T\ndescription: D\n---\n\nX.\n")
    (docs / "vi" / "glyph.md").write_text("---\ntitle: Chữ tượng hình 𓀀\ndescription: D\n---\n\nX.\n")
    result = build(tmp_path / "site", docs_dir=docs)
    assert result.returncode != 0
    assert "glyph.md:2: the brand fonts have no glyph for '𓀀' (U+13000)" in result.stderr
