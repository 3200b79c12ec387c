"""The home page and the sections' landing pages in the browser: hero, paths, figures and cards in every
language, on a phone and a laptop, with no sideways scroll, no layout shift, and readable without JavaScript."""

from __future__ import annotations

import pytest
from conftest import LANGS, Site, url

PAGES = ["", "economy/"]
SHIFT = (
    "() => new Promise(done => { let total = 0; new PerformanceObserver(list => { for (const e of list.getEntries())"
    " if (!e.hadRecentInput) total += e.value }).observe({type: 'layout-shift', buffered: true});"
    " setTimeout(() => done(total), 800) })"
)


@pytest.mark.parametrize("width", [360, 1280])
def test_home_and_landing_pages_at_phone_and_laptop_widths(browser, server, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=width < 600)
    page = context.new_page()
    for lang in LANGS:
        for path in PAGES:
            page.goto(url(server, lang, path))  # the fonts of the language, cached as on any second page view:
            page.wait_for_load_state("networkidle")  # what is measured is what the page itself moves
            page.reload()
            page.wait_for_load_state("networkidle")
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (lang, path)
            assert page.locator(".portal-card").count() >= 2, (lang, path)
            assert page.evaluate(SHIFT) < 0.1, (lang, path)
            if path == "":
                assert page.locator(".portal-hero h1").is_visible()
                assert page.locator(".portal-paths a").count() == 4
                assert page.locator(".portal-figures--band li").count() == 4
    context.close()


def test_home_is_readable_without_javascript(browser, server) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for lang in LANGS:
        page.goto(url(server, lang, ""))
        assert page.locator(".portal-hero h1").inner_text().strip()
        assert page.locator(".portal-cards .portal-card__title a").count() >= 8  # sections, news, data
        first = page.locator(".portal-paths a").first
        first.click()
        page.wait_for_load_state()
        assert page.url.endswith("discover/")
    context.close()


def test_every_language_gets_its_home_page_from_content_alone(site: Site) -> None:
    """The same template in every language: the texts differ, the structure does not."""
    shapes = set()
    for lang in LANGS:
        soup = site.soup(site.root / ("" if lang == "vi" else lang) / "index.html")
        assert soup.html["lang"].startswith(lang)
        hero = soup.select_one(".portal-hero")
        shapes.add((len(soup.select(".portal-paths a")), len(soup.select(".portal-figures--band li")),
                    len(soup.select(".portal-cards > li")), hero is not None))  # fmt: skip
    assert len(shapes) == 1, shapes


def test_cards_link_to_pages_of_the_language(site: Site) -> None:
    from urllib.parse import urljoin

    for lang in LANGS:
        prefix = "" if lang == "vi" else f"{lang}/"
        page = site.root / prefix / "economy" / "index.html"
        for link in site.soup(page).select(".portal-card__title a"):
            target = urljoin(site.url_of(page), link["href"]).removeprefix(site.url)
            assert target.startswith(prefix), (lang, link["href"])
            assert (site.root / target / "index.html").is_file(), target
