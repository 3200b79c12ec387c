"""The visitor's experience in a real browser: Debian's Chromium driven by Playwright, pages served by nginx.

axe-core (pinned in package-lock.json) checks WCAG 2.2 A/AA on every page template in every language.
"""

from __future__ import annotations

import json
import shutil
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree as ET

import pytest
from conftest import AXE, LANGS, ROOT, SITE_URL, missing, url

TEMPLATES = {
    "home": "",
    "landing": "economy/",
    "hero": "discover/culture-heritage/",
    "media": "media/",
    "contact": "about/contact/",
    "sitemap": "about/sitemap/",
    "topic": "discover/history/",
    "news list": "news/",
    "news item": "news/2024-04-15-resolution-47/",
    "data page": "data/vn-population-gdp/",
    "data programme": "data/resolution-47-tasks/",
    "data catalog": "data/",
    "brand page": "brand/",
    "status page": "status/",
    "search page": "search/?q=viet",
    "404": "does-not-exist/",
}


@pytest.mark.parametrize("lang", LANGS)
def test_axe_wcag22_aa_on_every_template(browser, server, lang: str) -> None:
    context = browser.new_context(bypass_csp=True, locale=lang)  # axe is injected; the site's own CSP stays strict
    page = context.new_page()
    problems = {}
    for name, path in TEMPLATES.items():
        page.goto(url(server, lang, path))
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']}})"
        )
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
        ]
        if violations:
            problems[name] = violations
    context.close()
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)


@pytest.mark.parametrize(("lang", "target"), [("vi", "en"), ("en", "fr"), ("fr", "zh"), ("zh", "vi")])
def test_language_switch_keeps_the_page(browser, server, lang: str, target: str) -> None:
    page = browser.new_page()
    page.goto(url(server, lang, "economy/tourism/"))
    page.locator(".md-header .md-select").hover()
    page.locator(f'a.md-select__link[hreflang="{target}"]').click()
    page.wait_for_load_state()
    assert page.url == url(server, target, "economy/tourism/")
    assert page.locator("html").get_attribute("lang") == target
    page.close()


def test_pages_work_without_javascript(browser, server) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url(server, "en", ""))
    assert page.locator("h1").first.inner_text().strip()
    page.locator('a.md-tabs__link[href*="discover"]').first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/en/discover/")
    links = page.locator("a.md-select__link").evaluate_all("els => els.map(e => e.href)")
    assert any(link.endswith("/fr/discover/") for link in links)
    page.goto(url(server, "en", "data/vn-population-gdp/"))
    assert page.locator("figure.portal-figure svg").count() == 2  # charts need no JavaScript
    context.close()


@pytest.mark.parametrize(
    "path", ["", "discover/", "data/resolution-47-tasks/", "brand/", "news/2024-04-15-resolution-47/"]
)
def test_nothing_scrolls_sideways_at_360px(browser, server, path: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    for lang in LANGS:
        page.goto(url(server, lang, path))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (lang, path, width)
    context.close()


def test_dark_mode_uses_the_brand_dark_palette(browser, server) -> None:
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(url(server, "en", "discover/"))
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(23, 19, 15)"  # tokens.yml colors.dark.surface #17130F
    context.close()


def test_print_stylesheet_hides_navigation(browser, server) -> None:
    page = browser.new_page()
    page.goto(url(server, "fr", "discover/history/"))
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert page.locator("article h1").is_visible()
    page.close()


@pytest.mark.parametrize("lang", LANGS)
def test_localised_404_in_the_browser(browser, server, lang: str) -> None:
    page = browser.new_page()
    response = page.goto(url(server, lang, "no/such/page/"))
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("link[rel=stylesheet]").count() > 0 and page.evaluate("document.styleSheets.length") > 0
    page.close()


def test_feeds_and_sitemap_are_fetched_and_parse(browser, server) -> None:
    context = browser.new_context()
    for lang in LANGS:
        response = context.request.get(url(server, lang, "news/feed.xml"))
        assert response.ok and ET.fromstring(response.body()).tag == "{http://www.w3.org/2005/Atom}feed"
    sitemap = context.request.get(url(server, "vi", "sitemap.xml"))
    assert sitemap.ok and len(ET.fromstring(sitemap.body())) > 60
    context.close()


def test_no_request_leaves_the_site_and_the_console_stays_clean(browser, server) -> None:
    """Served from a loopback address (not SITE_URL's host), the audited pages contact only the server itself
    (Material's sitemap lookups beside each hreflang alternate are kept on it) and log no error."""
    context = browser.new_context()
    page = context.new_page()
    hosts, errors = set(), []
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    for lang in LANGS:
        for path in ("", "economy/", "discover/culture-heritage/", "brand/", "data/vn-population-gdp/", "media/"):
            page.goto(url(server, lang, path))
            page.wait_for_load_state("networkidle")
    assert hosts == {f"{server[0]}:{server[1]}"}
    assert errors == []
    context.close()


def test_browser_tools_are_pinned() -> None:
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/axe-core"]["integrity"].startswith("sha512-")
    assert shutil.which("node")


def test_language_suggestion_offers_the_same_page_and_remembers_dismissal(browser, server) -> None:
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(url(server, "en", "economy/tourism/"))  # fonts cached and decoded, as on any second page view:
    page.wait_for_load_state("networkidle")  # what moves below is the page's own doing, not a web font arriving
    page.reload()
    bar = page.locator("aside.portal-suggest")
    bar.wait_for()
    assert bar.get_attribute("lang") == "fr"
    assert bar.locator("a").get_attribute("href") == url(server, "fr", "economy/tourism/").replace(
        f"http://{server[0]}:{server[1]}/", SITE_URL
    )  # the page's own hreflang alternate (absolute, on the site's URL)
    # layout shifts so far (buffered entries arrive at once; with none at all the observer never fires)
    moved = page.evaluate(
        "() => new Promise(done => { let moved = 0; new PerformanceObserver(list => { moved += list.getEntries()"
        ".flatMap(e => e.sources).filter(s => s.node && s.node.nodeType === 1"
        " && s.node.closest('.md-content, .portal-suggest')).length }).observe({type: 'layout-shift', buffered: true});"
        " setTimeout(() => done(moved), 500) })"
    )
    assert moved == 0  # the bar is fixed: neither it nor the content shifts (font swaps in the header may)
    assert page.evaluate("getComputedStyle(document.querySelector('aside.portal-suggest')).position") == "fixed"
    bar.locator("button").click()
    assert bar.count() == 0
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.locator("aside.portal-suggest").count() == 0  # dismissal is remembered
    context.close()


@pytest.mark.parametrize(
    ("locale", "lang", "path"), [("en-GB", "en", "economy/"), ("fr-FR", "en", "policy/resolution-47-text/")]
)
def test_no_suggestion_in_the_visitors_language_or_without_a_translation(browser, server, locale, lang, path) -> None:
    context = browser.new_context(locale=locale)
    page = context.new_page()
    page.goto(url(server, lang, path))
    page.wait_for_load_state("networkidle")
    assert page.locator("aside.portal-suggest").count() == 0
    context.close()


def test_share_links_copy_and_qr_without_third_party_scripts(browser, server) -> None:
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    hosts = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.goto(url(server, "vi", "discover/history/"))
    share = page.locator("nav.portal-share")
    canonical = page.locator('link[rel="canonical"]').get_attribute("href")
    hrefs = share.locator("a").evaluate_all("els => els.map(e => e.href)")
    networks = {h.split("/")[2] for h in hrefs if h.startswith("https://")}
    assert networks == {"www.facebook.com", "x.com", "www.linkedin.com"}
    for href in hrefs:  # each one shares this page's canonical address
        query = parse_qs(urlsplit(href).query)
        assert canonical in (query.get("u", []) + query.get("url", []) + query.get("body", [])), href
    share.locator("[data-portal-share-copy] button").click()
    assert page.evaluate("navigator.clipboard.readText()") == canonical
    assert share.locator("[role=status]").inner_text().strip()
    share.locator("details summary").click()
    image = share.locator("details img")
    image.wait_for(state="visible")
    assert image.get_attribute("src").startswith("data:image/svg+xml")
    assert page.evaluate("document.querySelector('.portal-share details img').naturalWidth") > 0
    assert hosts == {f"{server[0]}:{server[1]}"} | ({SITE_URL.split("/")[2]} & hosts)
    context.close()


def test_vendored_qr_encoder_is_the_pinned_npm_package() -> None:
    vendored = ROOT / "overrides" / "assets" / "javascripts" / "vendor" / "uqr-0.1.3.js"
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/uqr"]["version"] == "0.1.3"
    package = ROOT / "node_modules" / "uqr" / "dist" / "index.mjs"
    if not package.is_file():
        missing("the npm package uqr is missing: run `make node` (npm ci from package-lock.json)")
    assert vendored.read_bytes() == package.read_bytes()
