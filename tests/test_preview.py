"""make preview: a build that works from a downloaded ZIP opened in a browser from file://."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import LANGS, SITE_URL, build


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("preview")
    result = build(out, env={"PORTAL_PREVIEW": "true"})
    assert result.returncode == 0, result.stderr[-4000:]
    return out


def _pages(root: Path) -> list[Path]:
    """Every page a reviewer can reach (404.html is a server's answer, with links from the site root)."""
    return sorted(p for p in root.rglob("*.html") if p.name != "404.html")


@pytest.mark.build
def test_links_name_files_and_stay_inside_the_preview(preview: Path) -> None:
    pages = _pages(preview)
    assert len(pages) > 80
    assert not (preview / "admin").exists()  # the CMS needs a server
    assert not list(preview.rglob("*.br")) and not list(preview.rglob("*.gz"))
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        assert not soup.select("link[rel=alternate][hreflang]"), page  # they name the public site
        for anchor in soup.select("a[href]"):
            href = anchor["href"]
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("#", "//")):
                assert not href.startswith(SITE_URL) or anchor.find_parent(class_="portal-share"), (page, href)
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), (page, href)  # file:// does not turn folder/ into folder/index.html
            assert preview.resolve() in target.parents, (page, href)


@pytest.mark.build
def test_language_menu_links_the_same_page_relatively(preview: Path) -> None:
    page = preview / "fr" / "economy" / "tourism.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    links = {a["hreflang"]: a["href"] for a in soup.select("a.md-select__link")}
    assert set(links) == set(LANGS)
    for lang, href in links.items():
        assert not urlsplit(href).scheme, href
        expected = preview / ("" if lang == "vi" else lang) / "economy" / "tourism.html"
        assert (page.parent / href).resolve() == expected.resolve()


@pytest.mark.build
def test_search_page_says_why_search_is_missing(preview: Path) -> None:
    soup = BeautifulSoup((preview / "en" / "search" / "index.html").read_text(encoding="utf-8"), "lxml")
    assert soup.select_one(".portal-notice").get_text().startswith("Search does not work in a preview")
    assert not soup.select("form[data-portal-search]") and "portal-search.js" not in str(soup)


def test_preview_opened_from_file_follows_links_between_pages_and_languages(browser, preview: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15_000)
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url) if not request.url.startswith("file:") else None)
    page.goto((preview / "index.html").as_uri())
    assert page.locator("html").get_attribute("lang") == "vi"
    page.locator(".md-tabs__link", has_text="Kinh tế").first.click()
    page.wait_for_url("**/economy/index.html")
    page.locator(".md-sidebar--primary a.md-nav__link[href='tourism.html']").first.click()
    page.wait_for_url("**/economy/tourism.html")
    page.locator(".md-header .md-select").first.hover()
    page.locator("a.md-select__link[hreflang=fr]").click()
    page.wait_for_url("**/fr/economy/tourism.html")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.locator(".md-header .md-select").first.hover()
    page.locator("a.md-select__link[hreflang=zh]").click()
    page.wait_for_url("**/zh/economy/tourism.html")
    assert page.locator("html").get_attribute("lang") == "zh"
    page.locator("a.md-header__button[href$='search/index.html']").click()
    page.wait_for_url("**/zh/search/index.html")
    assert page.locator(".portal-notice").is_visible()
    assert not outside, outside
    page.close()
