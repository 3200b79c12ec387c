"""News at the scale of years of publishing (vnportal/news): paged listings, bounded pages, per-language feeds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from conftest import build, seed_cache

ATOM = "{http://www.w3.org/2005/Atom}"
ITEMS = 45


def page(title: str, extra: str = "", body: str = "Text.") -> str:
    return f"---\ntitle: {title}\ndescription: Tóm tắt {title}.\n{extra}---\n\n{body}\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, warm_cache: Path) -> Path:
    root = tmp_path_factory.mktemp("news")
    seed_cache(root / "cache", warm_cache)
    docs = root / "docs"
    (docs / "vi" / "news").mkdir(parents=True)
    (docs / "en" / "news").mkdir(parents=True)
    (docs / "vi" / "index.md").write_text(page("Trang chủ"))
    (docs / "vi" / "news" / "index.md").write_text(page("Tin tức", "type: listing\n"))
    (docs / "en" / "news" / "index.md").write_text(page("News", "type: listing\n"))
    start = dt.date(2025, 1, 1)
    for i in range(ITEMS):
        day = start + dt.timedelta(days=i)
        (docs / "vi" / "news" / f"{day}-tin-{i}.md").write_text(page(f"Tin số {i}", f"type: news\ndate: {day}\n"))
    for i in (ITEMS - 1, 3):  # two items translated
        day = start + dt.timedelta(days=i)
        (docs / "en" / "news" / f"{day}-tin-{i}.md").write_text(page(f"Item {i}", f"type: news\ndate: {day}\n"))
    result = build(root / "site", docs_dir=docs, env={"PORTAL_CACHE_DIR": str(root / "cache")})
    assert result.returncode == 0, result.stderr[-3000:]
    return root / "site"


def listing(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel / "index.html").read_text(), "lxml")


def test_listing_pages_hold_per_page_items_newest_first(site: Path) -> None:
    pages = [listing(site, "news"), listing(site, "news/page/2"), listing(site, "news/page/3")]
    titles = [[a.get_text(strip=True) for a in p.select("ol.portal-news > li > a")] for p in pages]
    assert [len(t) for t in titles] == [20, 20, 5]
    flat = [t for group in titles for t in group]
    assert flat == [f"Tin số {i}" for i in reversed(range(ITEMS))]  # every item once, newest first
    assert not (site / "news" / "page" / "4").exists()
    for number, soup in enumerate(pages, 1):
        current = soup.select_one("nav.portal-pages [aria-current=page]")
        assert current.get_text() == str(number)
        assert len(soup.select("nav.portal-pages li")) == 3


def test_other_languages_page_their_listing_with_the_originals_marked(site: Path) -> None:
    first = listing(site, "en/news")
    items = first.select("ol.portal-news > li")
    assert items[0].select_one("a").get_text(strip=True) == "Item 44" and not items[0].select_one("small")
    assert items[1].select_one("a")["hreflang"] == "vi" and items[1].select_one("span")["lang"] == "vi"
    assert (site / "en" / "news" / "page" / "3" / "index.html").is_file()
    assert listing(site, "en/news/page/2").html["lang"] == "en"


def test_news_items_stay_out_of_the_navigation(site: Path) -> None:
    item = site / "news" / "2025-01-10-tin-9" / "index.html"
    soup = BeautifulSoup(item.read_text(), "lxml")
    nav = soup.select_one("nav.md-nav--primary").get_text()
    assert "Tin số 8" not in nav and "Tin số 10" not in nav
    sizes = [p.stat().st_size for p in (site / "news").glob("*/index.html")]
    assert max(sizes) - min(sizes) < 2048  # an item's page does not grow with the number of items


def test_each_language_syndicates_its_own_items(site: Path) -> None:
    vi = ET.parse(site / "news" / "feed.xml").getroot().findall(f"{ATOM}entry")
    en = ET.parse(site / "en" / "news" / "feed.xml").getroot().findall(f"{ATOM}entry")
    assert len(vi) == 30  # feed_size
    assert [e.find(f"{ATOM}title").text for e in en] == ["Item 44", "Item 3"]
