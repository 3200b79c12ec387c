"""Responsive images (vnportal/images): WebP variants with srcset, dimensions, lazy loading, fallbacks."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import build
from PIL import Image, ImageDraw


def photo(path: Path, size: tuple[int, int], mode: str = "RGB") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new(mode, size, (30, 90, 60, 0) if mode == "RGBA" else (30, 90, 60))  # transparent ground
    draw = ImageDraw.Draw(image)
    for x in range(0, size[0], 37):
        draw.line((x, 0, size[0] - x, size[1]), fill=(200, 180, 40), width=3)
    image.save(path)


def page(title: str, body: str) -> str:
    return f"---\ntitle: {title}\ndescription: D\n---\n\n{body}\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("images")
    docs = root / "docs"
    (docs / "vi").mkdir(parents=True)
    (docs / "vi" / "index.md").write_text(page("Trang chủ", "Xin chào."))
    photo(docs / "vi" / "discover" / "ruong-bac-thang.jpg", (2000, 1200))
    photo(docs / "vi" / "discover" / "logo.png", (300, 120), "RGBA")
    (docs / "vi" / "discover" / "ruong.md").write_text(
        page("Ruộng bậc thang", "![Ruộng bậc thang ở Mù Cang Chải](ruong-bac-thang.jpg)\n\n![Biểu trưng](logo.png)")
    )
    (docs / "en").mkdir()
    (docs / "en" / "index.md").write_text(page("Home", "Hello."))
    result = build(root / "site", docs_dir=docs, env={"PORTAL_CACHE_DIR": str(root / "cache")})
    assert result.returncode == 0, result.stderr[-3000:]
    return root / "site"


def test_raster_images_get_webp_variants_dimensions_and_lazy_loading(built: Path) -> None:
    soup = BeautifulSoup((built / "discover" / "ruong" / "index.html").read_text(), "lxml")
    pictures = soup.select("article picture")
    assert len(pictures) == 2
    big = pictures[0]
    source = big.select_one('source[type="image/webp"]')
    candidates = [item.strip().split(" ") for item in source["srcset"].split(",")]
    assert [w for _, w in candidates] == ["480w", "960w", "1600w"]
    for url, w in candidates:
        with Image.open(built / "discover" / "ruong" / url) as variant:
            assert variant.format == "WEBP" and variant.width == int(w[:-1])
            assert variant.height == round(1200 * variant.width / 2000)
    img = big.select_one("img")
    assert (img["width"], img["height"], img["loading"], img["decoding"]) == ("2000", "1200", "lazy", "async")
    assert img["alt"] == "Ruộng bậc thang ở Mù Cang Chải"
    assert (built / "discover" / "ruong" / img["src"]).resolve() == (built / "discover" / "ruong-bac-thang.jpg")
    small = pictures[1].select_one("source")["srcset"]
    assert small == "../logo-300w.webp 300w"  # never enlarged beyond the original
    with Image.open(built / "discover" / "logo-300w.webp") as variant:
        assert variant.mode == "RGBA"  # transparency kept


def test_fallback_page_points_at_the_original_images(built: Path) -> None:
    soup = BeautifulSoup((built / "en" / "discover" / "ruong" / "index.html").read_text(), "lxml")
    source = soup.select_one("article picture source")
    first = source["srcset"].split(",")[0].split(" ")[0]
    assert (built / "en" / "discover" / "ruong" / first).resolve() == built / "discover" / "ruong-bac-thang-480w.webp"


def test_variants_are_byte_identical_across_builds(built: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "vi" / "discover").mkdir(parents=True)
    (docs / "vi" / "index.md").write_text(page("Trang chủ", "Xin chào."))
    photo(docs / "vi" / "discover" / "ruong-bac-thang.jpg", (2000, 1200))
    (docs / "vi" / "discover" / "ruong.md").write_text(page("R", "![Ruộng bậc thang](ruong-bac-thang.jpg)"))
    result = build(tmp_path / "site", docs_dir=docs, env={"PORTAL_CACHE_DIR": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr[-2000:]
    for width in (480, 960, 1600):
        name = f"discover/ruong-bac-thang-{width}w.webp"
        assert (tmp_path / "site" / name).read_bytes() == (built / name).read_bytes()
