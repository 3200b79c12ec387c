"""The media library (vnportal/media): pictures published in AVIF, WebP and JPEG sizes with their rights as
XMP, credited under every use, cropped around their focal point, listed on /media/ and the credits page."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import LANGS, ROOT, Site, build, seed_cache
from PIL import Image, ImageDraw

from vnportal.media.library import crop_box, load_library
from vnportal.media.xmp import NAMESPACES, extract

META = {
    "caption": {"vi": "Ruộng bậc thang Mù Cang Chải", "en": "Mù Cang Chải terraces", "fr": "Rizières de Mù Cang Chải",
                "zh": "木江界梯田"},
    "alt": {"vi": "Ruộng bậc thang xanh trên sườn đồi", "en": "Green terraced fields on a hillside",
            "fr": "Rizières en terrasses vertes à flanc de colline", "zh": "山坡上的绿色梯田"},
    "creator": "Test Photographer",
    "source": "https://example.org/photo",
    "licence": "CC-BY-4.0",
    "date": dt.date(2025, 6, 1),
    "focus": [0.8, 0.3],
}  # fmt: skip


def photo(path: Path, size: tuple[int, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, (30, 90, 60))
    draw = ImageDraw.Draw(image)
    for x in range(0, size[0], 37):
        draw.line((x, 0, size[0] - x, size[1]), fill=(200, 180, 40), width=3)
    image.save(path)


def page(title: str, body: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\ndescription: D\n{extra}---\n\n{body}\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, warm_cache: Path) -> Path:
    root = tmp_path_factory.mktemp("media")
    seed_cache(root / "cache", warm_cache, leave_out=("media",))  # cold for the media library
    docs = root / "docs"
    media = docs / "assets" / "media"
    photo(media / "ruong.jpg", (2000, 1200))
    (media / "ruong.yml").write_text(yaml.safe_dump(META, allow_unicode=True), encoding="utf-8")
    for lang in ("vi", "en"):
        (docs / lang / "discover").mkdir(parents=True)
        (docs / lang / "index.md").write_text(page("Home", "Hi."))
        body = "![](../../assets/media/ruong.jpg)\n\nText with ![](../../assets/media/ruong.jpg) inside."
        (docs / lang / "discover" / "ruong.md").write_text(page("Ruộng", body, "image: ruong.jpg\n"))
    result = build(root / "site", docs_dir=docs, env={"PORTAL_CACHE_DIR": str(root / "cache")})
    assert result.returncode == 0, result.stderr[-3000:]
    return root / "site"


def _xmp(path: Path) -> ET.Element:
    packet = extract(path.read_bytes())
    assert packet, path
    return ET.fromstring(packet)


@pytest.mark.build
def test_pictures_get_avif_webp_and_a_credited_jpeg(built: Path) -> None:
    soup = BeautifulSoup((built / "en" / "discover" / "ruong" / "index.html").read_text(), "lxml")
    figure = soup.select_one("article figure.portal-media:not(.portal-media--hero)")
    types = [s["type"] for s in figure.select("source")]
    assert types == ["image/avif", "image/webp"]
    widths = [c.strip().rsplit(" ", 1)[1] for c in figure.select_one("source")["srcset"].split(",")]
    assert widths == ["480w", "960w", "1600w"]
    img = figure.select_one("img")
    assert (img["width"], img["height"], img["loading"]) == ("2000", "1200", "lazy")
    assert img["alt"] == META["alt"]["en"]  # the editor wrote none: the metadata's, in the page's language
    caption = figure.select_one("figcaption")
    assert META["caption"]["en"] in caption.get_text() and "Test Photographer · CC BY 4.0" in caption.get_text()
    inline = soup.select_one("article .portal-inline-media .portal-credit")
    assert inline is not None and "Test Photographer" in inline.get_text()


@pytest.mark.build
def test_every_published_file_carries_its_rights(built: Path) -> None:
    files = sorted((built / "assets" / "media").glob("ruong*"))
    files = [f for f in files if f.suffix in (".jpg", ".webp", ".avif")]
    assert {f.suffix for f in files} == {".jpg", ".webp", ".avif"} and len(files) >= 8
    assert not (built / "assets" / "media" / "ruong.yml").exists()
    for path in files:
        root = _xmp(path)
        creator = root.find(f".//{{{NAMESPACES['dc']}}}creator//{{{NAMESPACES['rdf']}}}li")
        licence = root.find(f".//{{{NAMESPACES['cc']}}}license")
        assert creator.text == "Test Photographer", path
        assert licence.get(f"{{{NAMESPACES['rdf']}}}resource") == "https://creativecommons.org/licenses/by/4.0/"
        with Image.open(path) as image:
            assert image.format in ("JPEG", "WEBP", "AVIF")


@pytest.mark.build
def test_hero_is_the_focal_crop_preloaded(built: Path) -> None:
    soup = BeautifulSoup((built / "discover" / "ruong" / "index.html").read_text(), "lxml")
    preload = soup.select_one('link[rel="preload"][as="image"]')
    assert preload is not None and "ruong-wide-" in preload["imagesrcset"]
    hero = soup.select_one("article figure.portal-media--hero img")
    assert hero["fetchpriority"] == "high" and "loading" not in hero.attrs
    assert int(hero["width"]) * 9 == int(hero["height"]) * 16
    with Image.open(built / "assets" / "media" / "ruong-wide-960.webp") as wide:
        assert abs(wide.width / wide.height - 16 / 9) < 0.01


def test_focal_point_stays_in_every_crop() -> None:
    from vnportal.media.library import MediaItem

    for size, focus in [((2000, 1200), (0.9, 0.1)), ((800, 2000), (0.2, 0.95)), ((1000, 1000), (0.5, 0.5))]:
        item = MediaItem("x.jpg", Path("x.jpg"), {"focus": list(focus)}, *size)
        left, top, right, bottom = crop_box(item)
        assert abs((right - left) * 9 - (bottom - top) * 16) <= 16
        assert left <= focus[0] * size[0] <= right and top <= focus[1] * size[1] <= bottom


def test_media_and_credits_pages_list_every_item(site: Site) -> None:
    for lang in LANGS:
        prefix = "" if lang == "vi" else f"{lang}/"
        media = site.soup(site.root / prefix / "media" / "index.html")
        items = media.select(".portal-media-list > li")
        assert len(items) >= 4  # the illustrations, with the bundled pictures if any
        for item in items:
            links = item.select(".portal-downloads a")
            assert links and all((site.root / urljoin(f"{prefix}media/", a["href"])).is_file() for a in links)
        credits = site.soup(site.root / prefix / "about" / "credits" / "index.html").select(".portal-credits li")
        assert len(credits) == len(items)


def test_bundled_illustrations_carry_their_rights(site: Site) -> None:
    svgs = sorted((site.root / "assets" / "media").glob("illustration-*.svg"))
    assert len(svgs) == 8
    for path in svgs:
        assert _xmp(path).find(f".//{{{NAMESPACES['cc']}}}license") is not None


def test_incomplete_metadata_is_refused_with_file_and_line(tmp_path: Path) -> None:
    media = tmp_path / "docs" / "assets" / "media"
    photo(media / "a.jpg", (400, 300))
    meta = {**META, "alt": {k: v for k, v in META["alt"].items() if k != "fr"}}
    meta.pop("licence")
    (media / "a.yml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    photo(media / "b.jpg", (400, 300))  # no metadata at all
    items, findings = load_library(media, list(LANGS), tmp_path)
    text = "\n".join(map(str, findings))
    assert items == {}
    assert "a.yml:1: 'metadata' needs 'licence'" in text
    assert "'alt' needs 'fr'" in text
    assert "b.jpg:1: picture without its metadata file b.yml" in text


@pytest.mark.build
def test_make_check_refuses_a_picture_outside_the_library(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "vi").mkdir(parents=True)
    photo(docs / "vi" / "anh.jpg", (200, 100))
    (docs / "vi" / "index.md").write_text(page("T", "![Ảnh](anh.jpg)"))
    env = {**os.environ, "PORTAL_DOCS_DIR": str(docs)}
    result = subprocess.run([sys.executable, "-m", "vnportal", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)  # fmt: skip
    assert result.returncode == 1
    assert "index.md:6: image anh.jpg is not in the media library" in result.stderr
