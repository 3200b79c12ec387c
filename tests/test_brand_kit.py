"""The downloadable brand kit as its users get it: desktop fonts, vector PDFs, localised wordmarks, templates,
co-branding, the ZIP and its parts. Checked on the session-built site (tests/conftest.py) wherever possible."""

from __future__ import annotations

import copy
import functools
import hashlib
import html
import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pytest
import yaml
from conftest import LANGS, ROOT, Site, reached
from docx import Document
from fontTools.ttLib import TTFont
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree
from PIL import Image
from pptx import Presentation
from pypdf import PdfReader

from vnportal.brand import artwork, cobrand, desktop, graphics, kit, texts
from vnportal.brand.tokens import COLOR_ROLES, SCHEMES, load
from vnportal.core.archive import EPOCH
from vnportal.core.findings import FindingsError

BRAND = ROOT / "assets" / "brand"
LANGUAGES = tuple(LANGS)


@pytest.fixture(scope="module")
def brand():
    return load(BRAND / "tokens.yml", LANGUAGES)


@pytest.fixture(scope="module")
def kit_texts():
    return texts.load(BRAND / "kit.yml", LANGUAGES)


@pytest.fixture(scope="module")
def archive(site: Site) -> zipfile.ZipFile:
    return zipfile.ZipFile(site.root / kit.KIT)


def token_colours(brand) -> set[str]:
    return {brand.color(scheme, role).lstrip("#").upper() for scheme in SCHEMES for role in COLOR_ROLES}


# -- desktop fonts ---------------------------------------------------------------------------------------------


def test_every_desktop_font_installs_with_full_coverage(archive: zipfile.ZipFile, brand) -> None:
    fonts = [n for n in archive.namelist() if n.startswith("fonts/desktop/") and n.endswith(".ttf")]
    families = brand.data["typography"]["families"]
    expected = sum(len(f["desktop"]["weights"]) * len(f["desktop"]["styles"]) for f in families.values())
    assert len(fonts) == expected
    letters, hanzi = desktop.vietnamese_letters(), desktop.common_chinese()
    assert len(letters) == 178 and len(hanzi) == 3755
    seen = set()
    for name in fonts:
        font = TTFont(io.BytesIO(archive.read(name)))
        table = font["name"]
        for name_id in (1, 2, 3, 4, 5, 6):  # family, style, unique id, full name, version, PostScript name
            assert table.getDebugName(name_id), (name, name_id)
        family = table.getDebugName(16) or table.getDebugName(1)
        style = table.getDebugName(17) or table.getDebugName(2)
        assert family in {f["name"] for f in families.values()}, name
        assert name.endswith(f"/{table.getDebugName(6)}.ttf")
        assert (Path(name).parent / "OFL.txt").as_posix() in archive.namelist()
        cmap = font.getBestCmap()
        missing = [c for c in letters if ord(c) not in cmap]
        assert not missing, (name, missing[:10])
        if family == families["cjk"]["name"]:
            assert not [c for c in hanzi if ord(c) not in cmap], name
        weight, italic = font["OS/2"].usWeightClass, bool(font["OS/2"].fsSelection & 1)
        seen.add((family, weight, italic, style))
    for key, family in families.items():
        for weight in family["desktop"]["weights"]:
            for style in family["desktop"]["styles"]:
                assert any(f == family["name"] and w == weight and i == (style == "italic") for f, w, i, _ in seen), (
                    key,
                    weight,
                    style,
                )


def test_missing_desktop_package_is_a_finding(brand, tmp_path: Path) -> None:
    with pytest.raises(FindingsError) as info:
        desktop.locate(brand, tmp_path / "node_modules")
    text = str(info.value)
    assert "tokens.yml:" in text and "make fonts" in text and "@expo-google-fonts/noto-sans-sc" in text


# -- vector PDFs -------------------------------------------------------------------------------------------------


def _pdfs(site: Site) -> list[Path]:
    return sorted((site.root / "assets" / "brand").rglob("*.pdf"))


def _images_in(reader: PdfReader) -> int:
    count = 0
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for obj in (resources.get("/XObject") or {}).values():
            if obj.get_object().get("/Subtype") == "/Image":
                count += 1
    return count


def test_every_pdf_opens_is_vector_and_has_the_artworks_aspect(site: Site) -> None:
    pdfs = _pdfs(site)
    assert len(pdfs) == 9 + 3 * len(LANGUAGES) + 3 + len(LANGUAGES)  # logos, wordmarks, co-branding, roll-ups
    for path in pdfs:
        reader = PdfReader(path)
        assert len(reader.pages) == 1, path
        assert _images_in(reader) == 0, f"{path} holds a raster image"
        assert reader.metadata.title and reader.metadata.creation_date.year == 2024
        box = reader.pages[0].mediabox
        aspect = float(box.width) / float(box.height)
        if "banner-rollup" in path.name:
            want = graphics.BANNER_ROLLUP_MM[0] / graphics.BANNER_ROLLUP_MM[1]
        else:
            svg = path.with_suffix(".svg")
            assert svg.is_file(), svg
            width, height = (float(v) for v in etree.parse(str(svg)).getroot().get("viewBox").split()[2:])
            want = width / height
        assert aspect == pytest.approx(want, rel=1e-3), path
        content = b"".join(page.get_contents().get_data() for page in reader.pages)
        assert re.search(rb"\b(c|l)\n", content) or b" c" in content, f"{path} draws no path"


# -- wordmarks --------------------------------------------------------------------------------------------------


def test_wordmarks_per_language_are_outlines_of_the_site_name(site: Site) -> None:
    config = yaml.safe_load(re.sub(r"!ENV \[[^\]]*\]", '""', (ROOT / "mkdocs.yml").read_text(encoding="utf-8")))
    languages = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)["languages"]
    assert [lang["locale"] for lang in languages] == list(LANGUAGES)
    for lang in languages:
        code = lang["locale"]
        for variant in artwork.VARIANTS:
            base = site.root / "assets" / "brand" / "wordmarks" / code / f"wordmark-{code}-{variant}"
            root = etree.parse(str(base.with_suffix(".svg"))).getroot()
            assert root.get("aria-label") == lang["site_name"] and root.get("lang") == code
            assert not root.findall(".//{*}text"), "text must be outlines"
            assert len(root.findall(".//{*}path[@class='brand-wordmark']")) >= 1
            png = Image.open(base.with_suffix(".png"))
            assert abs(png.height - kit.WORDMARK_PNG_HEIGHT) <= 1
            ink = np.asarray(png.convert("RGBA"))[:, :, 3] > 0
            assert ink[:, png.width // 3 :].mean() > 0.02, f"{base} has no name beside the mark"


# -- templates --------------------------------------------------------------------------------------------------


def _xml_parts(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                yield name, etree.fromstring(package.read(name))


def _fonts_and_colours(data: bytes) -> tuple[set[str], set[str]]:
    fonts, colours = set(), set()
    for _, root in _xml_parts(data):
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            tag = etree.QName(element).localname
            for key, value in element.attrib.items():
                key = etree.QName(key).localname
                names_font = (tag in ("latin", "ea", "cs", "sym", "buFont") and key == "typeface") or (
                    tag == "rFonts" and key in ("ascii", "hAnsi", "eastAsia", "cs")
                )
                if names_font and not value.startswith("+"):  # +mj-lt: the theme's font
                    fonts.add(value)
                if tag == "font" and key == "name":
                    fonts.add(value)
                if (tag == "srgbClr" and key == "val") or (tag == "color" and key == "val" and value != "auto"):
                    colours.add(value.upper())
                if key in ("fill", "color") and re.fullmatch(r"[0-9A-Fa-f]{6}", value):
                    colours.add(value.upper())
    return fonts, colours


def test_presentations_open_use_the_brand_and_speak_their_language(site: Site, brand, kit_texts) -> None:
    families = {f["name"] for f in brand.data["typography"]["families"].values()}
    for code in LANGUAGES:
        data = (site.root / "assets/brand/templates/presentation" / f"presentation-{code}.pptx").read_bytes()
        deck = Presentation(io.BytesIO(data))
        assert (deck.slide_width, deck.slide_height) == (12192000, 6858000)
        assert [layout.name for layout in deck.slide_layouts] == [
            "Viet Nam — Title", "Viet Nam — Content", "Viet Nam — Section",
        ]  # fmt: skip
        text = "\n".join(
            shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame
        )
        for key in ("title", "subtitle", "section", "content_title"):
            assert kit_texts.get(f"templates.slides.{key}", code) in text, (code, key)
        for point in kit_texts.items("templates.slides.points", code):
            assert point in text
        fonts, colours = _fonts_and_colours(data)
        assert fonts and fonts <= families, fonts
        assert colours and colours <= token_colours(brand), colours - token_colours(brand)
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            assert not [n for n in package.namelist() if "thumbnail" in n]
            assert {info.date_time for info in package.infolist()} == {EPOCH}
            langs = {e.get("lang") for _, r in _xml_parts(data) for e in r.iter("{*}rPr") if e.get("lang")}
            assert langs == {{"vi": "vi-VN", "en": "en-US", "fr": "fr-FR", "zh": "zh-CN"}[code]}


def test_press_releases_open_use_the_brand_and_speak_their_language(site: Site, brand, kit_texts) -> None:
    families = {f["name"] for f in brand.data["typography"]["families"].values()}
    for code in LANGUAGES:
        data = (site.root / "assets/brand/templates/press-release" / f"press-release-{code}.docx").read_bytes()
        document = Document(io.BytesIO(data))
        body = "\n".join(p.text for p in document.paragraphs)
        for key in ("kind", "place_date", "title", "lead", "body", "contact_heading", "end"):
            assert kit_texts.get(f"templates.letter.{key}", code) in body, (code, key)
        for line in kit_texts.items("templates.letter.contact", code):
            assert line in body
        assert kit_texts.get("templates.letter.footer", code) in document.sections[0].footer.paragraphs[0].text
        assert document.sections[0].header.part.related_parts, "the lockup is in the header"
        assert round(document.sections[0].page_width.mm) == 210
        fonts, colours = _fonts_and_colours(data)
        assert fonts and fonts <= families, fonts
        assert colours and colours <= token_colours(brand), colours - token_colours(brand)


def test_social_posts_and_banners_have_the_platform_sizes_and_token_colours(site: Site, brand, kit_texts) -> None:
    allowed = {int(c, 16) for c in token_colours(brand)}
    folder = site.root / "assets/brand/templates"
    for code in LANGUAGES:
        images = {f"social/social-{kind}-{code}": size for kind, size in graphics.SOCIAL_SIZES.items()}
        images[f"banner/banner-screen-{code}"] = graphics.BANNER_SCREEN
        for stem, size in images.items():
            image = Image.open(folder / f"{stem}.png").convert("RGB")
            assert image.size == size, stem
            pixels = np.asarray(image).reshape(-1, 3).astype(np.int32)
            values, counts = np.unique(pixels[:, 0] << 16 | pixels[:, 1] << 8 | pixels[:, 2], return_counts=True)
            covered = sum(int(n) for v, n in zip(values, counts, strict=True) if v in allowed)
            assert covered / (size[0] * size[1]) > 0.9, stem  # the rest is anti-aliasing between token colours
            root = etree.parse(str(folder / f"{stem}.svg")).getroot()
            assert root.get("lang") == code and not root.findall(".//{*}text")
            wanted = kit_texts.get("templates.banner.title" if "banner" in stem else "templates.social.headline", code)
            assert root.get("aria-label").startswith(wanted)


# -- co-branding -------------------------------------------------------------------------------------------------

PARTNER = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="-20 -10 440 220">
  <defs><linearGradient id="g"><stop offset="0" stop-color="#0055A4"/><stop offset="1" stop-color="#EF4135"/></linearGradient></defs>
  <g transform="translate(10 0)"><circle cx="90" cy="100" r="70" fill="url(#g)"/></g>
  <rect x="190" y="60" width="180" height="30" style="fill:#0055A4"/>
</svg>"""


def _ink_runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Runs of columns (or rows) that hold ink: (first, last)."""
    runs, start = [], None
    for index, inked in enumerate(mask):
        if inked and start is None:
            start = index
        elif not inked and start is not None:
            runs.append((start, index - 1))
            start = None
    if start is not None:
        runs.append((start, len(mask) - 1))
    return runs


def test_cobrand_lockup_respects_the_clear_space_measured_on_the_output(brand, tmp_path: Path) -> None:
    source = tmp_path / "partner.svg"
    source.write_text(PARTNER)
    partner = cobrand.load_partner(source)
    assert cobrand.too_small(brand, partner) is None
    written = cobrand.write(brand, artwork.load_artwork(brand)["mark"], partner, tmp_path / "out", "Test")
    assert len(written) == 9
    rules = cobrand.Rules.of(brand)
    for variant in artwork.VARIANTS:
        svg = (tmp_path / "out" / f"cobrand-partner-{variant}.svg").read_bytes()
        assert b"transform" not in svg.split(b"</g>", 1)[1], "the partner's drawing has no transform left"
        png = Image.open(tmp_path / "out" / f"cobrand-partner-{variant}.png")
        alpha = np.asarray(png.convert("RGBA"))[:, :, 3] > 16
        unit = png.height / (graphics.MARK * (1 + 2 * rules.clear))  # px per artwork unit
        mark_px = graphics.MARK * unit
        columns = _ink_runs(alpha.any(axis=0))
        assert len(columns) >= 3, columns  # mark, divider, then the partner's shapes
        (mark_l, mark_r), (div_l, div_r) = columns[:2]
        partner_l, partner_r = columns[2][0], columns[-1][1]
        rows = _ink_runs(alpha.any(axis=1))
        top, bottom = rows[0][0], rows[-1][1]
        clear = rules.clear * mark_px - 2  # 2 px of anti-aliasing
        assert (
            mark_l >= clear and png.width - 1 - partner_r >= clear and top >= clear and png.height - 1 - bottom >= clear
        )
        gap = rules.gap * mark_px - 2
        assert div_l - mark_r - 1 >= gap and partner_l - div_r - 1 >= gap
        assert abs((mark_r - mark_l + 1) - mark_px) <= 2
        partner_rows = _ink_runs(alpha[:, partner_l : partner_r + 1].any(axis=1))
        partner_height = partner_rows[-1][1] - partner_rows[0][0] + 1
        assert partner_height <= mark_px + 2 and partner_height >= rules.min_height * mark_px
        assert partner_r - partner_l + 1 <= rules.max_width * mark_px + 2
        reader = PdfReader(tmp_path / "out" / f"cobrand-partner-{variant}.pdf")
        assert _images_in(reader) == 0


def test_cobrand_warns_when_the_partner_logo_would_be_too_small(brand, tmp_path: Path) -> None:
    source = tmp_path / "long.svg"
    source.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 50"><rect width="1000" height="50"/></svg>'
    )
    warning = cobrand.too_small(brand, cobrand.load_partner(source))
    assert warning and "15%" in warning and "50%" in warning


HOSTILE = {
    "script": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="9" height="9"/></svg>',
    "handler": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><rect width="9" height="9" onclick="x()"/></svg>',
    "root handler": '<svg xmlns="http://www.w3.org/2000/svg" onload="x()" viewBox="0 0 9 9"><rect width="9" height="9"/></svg>',
    "foreignObject": '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>',
    "image": '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://tracker.example/a.png"/></svg>',
    "use": '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="other.svg#a"/></svg>',
    "gradient href": '<svg xmlns="http://www.w3.org/2000/svg"><linearGradient id="a" href="https://x.example/g.svg#g"/></svg>',
    "url": '<svg xmlns="http://www.w3.org/2000/svg"><rect width="9" height="9" fill="url(https://x.example/p.svg#p)"/></svg>',
    "style url": '<svg xmlns="http://www.w3.org/2000/svg"><rect width="9" height="9" style="fill:url(http://x.example/f)"/></svg>',
    "style sheet": '<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://x.example/a.css);</style></svg>',
    "javascript": '<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>',
    "entity": '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
    "not svg": "<html><body>hello</body></html>",
    "broken": '<svg xmlns="http://www.w3.org/2000/svg"><rect',
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_cobrand_refuses_a_hostile_svg_in_one_line(case: str, tmp_path: Path) -> None:
    source = tmp_path / "partner.svg"
    source.write_text(HOSTILE[case])
    with pytest.raises(cobrand.CobrandError) as info:
        cobrand.load_partner(source)
    message = str(info.value)
    assert message.startswith(f"{source.as_posix()}:") and " — " in message and "\n" not in message


@pytest.mark.build
def test_make_cobrand_prints_one_line_and_no_traceback(tmp_path: Path) -> None:
    source = tmp_path / "evil.svg"
    source.write_text(HOSTILE["script"])
    run = subprocess.run(
        [sys.executable, "-m", "vnportal", "cobrand", str(source), "--out", str(tmp_path / "out")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.strip().count("\n") == 0 and "<script>" in run.stderr
    assert not (tmp_path / "out").exists()
    missing = subprocess.run(
        [sys.executable, "-m", "vnportal", "cobrand"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert missing.returncode == 2 and "PARTNER=" in missing.stderr and "Traceback" not in missing.stderr


def test_partner_parser_only_ever_answers_with_a_finding() -> None:
    with reached("parsed", "finding") as seen:

        @settings(max_examples=150, deadline=None)
        @given(st.text(max_size=300))
        def parse(body: str) -> None:
            for source in (body, f'<svg xmlns="http://www.w3.org/2000/svg">{body}</svg>'):
                try:
                    cobrand.sanitise(source, "p.svg")
                    seen["parsed"] += 1
                except cobrand.CobrandError as exc:
                    seen["finding"] += 1
                    assert str(exc).startswith("p.svg:")

        parse()


# -- kit texts ----------------------------------------------------------------------------------------------------


def test_kit_texts_missing_in_a_configured_language_is_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "kit.yml"
    source = (BRAND / "kit.yml").read_text(encoding="utf-8")
    path.write_text(source.replace('  whole_kit: {vi: "Toàn bộ bộ nhận diện", ', "  whole_kit: {"), encoding="utf-8")
    with pytest.raises(FindingsError) as info:
        texts.load(path, LANGUAGES)
    finding = info.value.findings[0]
    assert "'page.whole_kit' has no vi text" in finding.message and finding.fix
    assert "whole_kit" in path.read_text(encoding="utf-8").splitlines()[finding.line - 1]
    with pytest.raises(FindingsError) as info:  # a language added in mkdocs.yml needs the kit's texts too
        texts.load(BRAND / "kit.yml", (*LANGUAGES, "es"))
    assert any("has no es text" in f.message for f in info.value.findings)


@pytest.mark.parametrize(
    ("edit", "line_fragment", "message", "fix"),
    [
        (lambda t: t.replace("  letter:\n", "  lettre:\n", 1), "templates:", "text 'templates.letter' is missing", "each of vi, en"),
        (lambda t: t.replace("  templates: {vi: Mẫu thiết kế, en: Templates, fr: Modèles, zh: 模板}", "  templates: Mẫu thiết kế"), "  templates: Mẫu", "text 'page.templates' is missing", "each of vi, en"),
        (lambda t: re.sub(r"      vi: \[.*\]\n      en: \[", "      vi: []\n      en: [", t, count=1), "      vi: []", "'templates.slides.points' has no vi text", "a list of texts"),
        (lambda t: t.replace("page:\n", "page:\n  year: 2024-13-01\n", 1), "  year:", "a value cannot be read", "correct the value"),
    ],
)  # fmt: skip
def test_kit_texts_schema_names_file_line_and_fix(
    tmp_path: Path, edit, line_fragment: str, message: str, fix: str
) -> None:
    path = tmp_path / "kit.yml"
    source = edit((BRAND / "kit.yml").read_text(encoding="utf-8"))
    path.write_text(source, encoding="utf-8")
    with pytest.raises(FindingsError) as info:
        texts.load(path, LANGUAGES)
    line = next(i for i, row in enumerate(source.splitlines(), 1) if row.startswith(line_fragment))
    assert any(f.line == line and message in f.message and fix in f.fix for f in info.value.findings), info.value


KIT = yaml.safe_load((BRAND / "kit.yml").read_text(encoding="utf-8"))
TEXT_VALUES = st.recursive(
    st.none() | st.integers() | st.text(max_size=6) | st.dates(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from([*LANGUAGES, "x"]), inner, max_size=4),
    max_leaves=8,
)


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(sorted(texts.REQUIRED)), TEXT_VALUES, st.booleans())
def test_any_kit_texts_give_findings_or_texts_never_a_traceback(
    tmp_path_factory, dotted: str, value, group: bool
) -> None:
    """A text of the kit (or the group holding it) replaced by any value: Texts, or findings with line and fix."""
    keys = dotted.removesuffix("[]").split(".")
    kit_texts = copy.deepcopy(KIT)
    parent = functools.reduce(lambda node, key: node[key], keys[: -2 if group else -1], kit_texts)
    parent[keys[-2 if group else -1]] = value
    path = tmp_path_factory.mktemp("kit") / "kit.yml"
    source = yaml.safe_dump(kit_texts, allow_unicode=True)
    path.write_text(source, encoding="utf-8")
    try:
        texts.load(path, LANGUAGES)
    except FindingsError as exc:
        for finding in exc.findings:
            assert 1 <= finding.line <= source.count("\n") + 1 and finding.message and finding.fix, finding


@given(st.text(max_size=80), st.dictionaries(st.sampled_from(["count", "site_name", "x"]), st.text(max_size=10)))
def test_fill_replaces_only_known_slots(text: str, values: dict[str, str]) -> None:
    result = texts.fill(text, **values)
    if "{" not in text:
        assert result == text


def test_hostile_token_values_are_findings_not_tracebacks(tmp_path: Path) -> None:
    path = tmp_path / "tokens.yml"
    source = (BRAND / "tokens.yml").read_text(encoding="utf-8")
    path.write_text(
        source.replace("h2: 1.953", 'h2: "1rem;background:url(https://x.example)"')
        .replace("name: Be Vietnam Pro\n", 'name: "Be Vietnam Pro\\"; } body { x: \\""\n', 1)
        .replace("colour: neutral-600", "colour: '<script>'")
        .replace("weights: [400, 700]", "weights: [400, bold]"),
        encoding="utf-8",
    )
    with pytest.raises(FindingsError) as info:
        load(path, LANGUAGES)
    messages = " | ".join(f.message for f in info.value.findings)
    for expected in (
        "type scale step 'h2'",
        "font family 'text' has no valid name",
        "divider colour",
        "desktop weights of 'cjk'",
    ):
        assert expected in messages, messages


# -- the ZIP and the page -----------------------------------------------------------------------------------------


def test_kit_zip_lists_what_its_readme_says(archive: zipfile.ZipFile, brand) -> None:
    names = archive.namelist()
    folders = {"/".join(n.split("/")[:2]) if n.startswith("fonts/") else n.split("/")[0] for n in names if "/" in n}
    assert folders == set(kit.PARTS)
    for code in LANGUAGES:
        readme = archive.read(f"README.{code}.md").decode()
        listed = re.findall(r"^- `([a-z/]+)/` \((\d[\d.,\s]*)", readme, flags=re.M)
        assert {folder for folder, _ in listed} == set(kit.PARTS), code
        for folder, count in listed:
            assert int(re.sub(r"\D", "", count)) == sum(1 for n in names if n.startswith(folder + "/")), (code, folder)
        assert brand.color("light", "primary") in readme and "CMYK" in readme
        assert "CC BY 4.0" in readme and "SIL Open Font License 1.1" in readme
    sums = dict(line.split("  ", 1)[::-1] for line in archive.read("SHA256SUMS").decode().splitlines())
    assert set(sums) == set(names) - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest, name
    assert {info.date_time for info in archive.infolist()} == {EPOCH}


def test_each_part_downloads_on_its_own(site: Site, archive: zipfile.ZipFile) -> None:
    whole = {n: archive.read(n) for n in archive.namelist()}
    for part in kit.PARTS:
        with zipfile.ZipFile(site.root / kit.part_zip(part)) as piece:
            names = set(piece.namelist())
            assert {f"README.{code}.md" for code in LANGUAGES} | {"SHA256SUMS"} <= names
            own = {n for n in names if "/" in n}
            assert own == {n for n in whole if n.startswith(part + "/")}, part
            for name in own:
                assert piece.read(name) == whole[name]


def test_brand_page_offers_every_part_wordmark_and_template(site: Site) -> None:
    """/brand/ and its own pages (colours and typography, templates and co-branding) link every download."""
    for code in LANGUAGES:
        base = site.root if code == "vi" else site.root / code
        pages = {base / "brand" / sub / "index.html": site.soup(base / "brand" / sub / "index.html")
                 for sub in ("", "colours", "templates")}  # fmt: skip
        for anchor in ("desktop-fonts", "wordmarks", "templates", "cobranding", "kit-parts", "terms"):
            assert sum(bool(soup.select_one(f"#{anchor}")) for soup in pages.values()) == 1, (code, anchor)
        linked, images = set(), set()
        for page, soup in pages.items():
            for a in soup.select(".portal-brand a[href]"):
                if a["href"].startswith(("#", "http")):
                    continue
                target = (page.parent / a["href"]).resolve()
                assert (target / "index.html" if a["href"].endswith("/") else target).is_file(), (code, a["href"])
                linked.add(target.name)
            images |= {Path(img["src"]).name for img in soup.select(".portal-brand img")}
        for part in kit.PARTS:
            assert Path(kit.part_zip(part)).name in linked, (code, part)
        for other in LANGUAGES:
            assert f"wordmark-{other}-colour.svg" in linked and f"presentation-{other}.pptx" in linked
            assert f"press-release-{other}.docx" in linked and f"banner-rollup-{other}.pdf" in linked
        assert f"social-square-{code}.png" in images
        templates = pages[base / "brand" / "templates" / "index.html"]
        text = templates.select_one("#cobranding").find_next("ul").get_text()
        assert "{" not in text and "0.25" in text


def test_no_kit_file_carries_a_build_time_or_host(site: Site) -> None:
    """Kit files are the same whatever the build's date or SITE_URL: nothing names the test host."""
    host = site.url.split("//")[1].split("/")[0].encode()
    folder = site.root / "assets" / "brand"
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix in (".svg", ".pdf", ".json", ".zip", ".pptx", ".docx"):
            assert host not in path.read_bytes(), path


def test_make_check_reports_the_kit_texts_and_tokens(tmp_path: Path) -> None:
    """`make check` (check_brand) reads kit.yml with mkdocs.yml's languages: a gap is a finding, not a traceback."""
    from vnportal.content.checks import check_brand

    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(BRAND / "logo", tmp_path / "assets/brand/logo")
    shutil.copy(BRAND / "tokens.yml", tmp_path / "assets/brand/tokens.yml")
    source = (BRAND / "kit.yml").read_text(encoding="utf-8")
    (tmp_path / "assets/brand/kit.yml").write_text(
        source.replace("  terms: {vi: Giấy phép và điều kiện sử dụng, ", "  terms: {", 1)
    )
    assert check_brand(tmp_path / "mkdocs.yml") and all(
        f.path.endswith("kit.yml") and "page.terms" in f.message for f in check_brand(tmp_path / "mkdocs.yml")
    )
    (tmp_path / "assets/brand/kit.yml").write_text("page: [unclosed", encoding="utf-8")
    assert any("not valid YAML" in f.message for f in check_brand(tmp_path / "mkdocs.yml"))


SHAPES = st.sampled_from(["path", "rect", "circle", "polygon", "g", "linearGradient", "ellipse", "line"])
ATTRIBUTES = st.sampled_from(
    ["d", "width", "height", "r", "points", "transform", "fill", "stroke-width", "x1", "style"]
)
VALUES = st.one_of(
    st.text(max_size=12), st.sampled_from(["M0 0L9 9Z", "10", "-3", "url(#g)", "rotate(30)", "nan", "1e309"])
)


@pytest.mark.build
def test_any_partner_geometry_gives_a_lockup_or_one_line(brand) -> None:
    with reached("lockup", "finding") as seen:

        @settings(max_examples=60, deadline=None)
        @given(st.lists(st.tuples(SHAPES, st.dictionaries(ATTRIBUTES, VALUES, max_size=3)), min_size=1, max_size=4))
        @example([("rect", {"width": "12", "height": "8"})])  # a logo that draws: the lockup is made at least once
        def draw(shapes) -> None:
            body = "".join(
                f"<{tag} " + " ".join(f'{k}="{html.escape(v, quote=True)}"' for k, v in attrs.items()) + "/>"
                for tag, attrs in shapes
            )
            with tempfile.TemporaryDirectory() as folder:
                source = Path(folder) / "p.svg"
                svg = f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 20">{body}</svg>'
                source.write_text(svg, encoding="utf-8")
                try:
                    partner = cobrand.load_partner(source)
                except cobrand.CobrandError as exc:
                    seen["finding"] += 1
                    located = re.match(rf"{re.escape(source.as_posix())}:(\d+): ", str(exc))
                    lines = svg.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1  # as XML counts them
                    assert located and 1 <= int(located[1]) <= lines, str(exc)  # a line of the file
                    assert "\n" not in str(exc)
                    return
                cobrand.lockup(brand, artwork.load_artwork(brand)["mark"], partner, "mono", "x")
                seen["lockup"] += 1

        draw()
