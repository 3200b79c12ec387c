"""Assertions on the built bundled site: languages, alternates, fallbacks, dates, feeds, sitemap, hosts."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import urljoin, urlparse
from xml.etree import ElementTree as ET

import pytest
from conftest import LANGS, ROOT, Site
from hypothesis import given
from hypothesis import strategies as st

from vnportal.core.config import plugin_config, site_config
from vnportal.plugins.i18n_seo.sitemap import SitemapEntry, sitemap_xml

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
FALLBACK = "policy/resolution-47-text"
NEWS = "news/2024-04-15-resolution-47"


def hreflangs(site: Site, page: Path) -> dict[str, str]:
    links = site.soup(page).select('head link[rel="alternate"][hreflang]')
    return {link["hreflang"]: link["href"] for link in links}


def canonical(site: Site, page: Path) -> str:
    return site.soup(page).select_one('head link[rel="canonical"]')["href"]


def lang_path(site: Site, lang: str, rel: str) -> Path:
    base = site.root if lang == "vi" else site.root / lang
    return base / rel / "index.html" if rel else base / "index.html"


def is_fallback(site: Site, page: Path) -> bool:
    return site.soup(page).select_one("aside.portal-notice") is not None


def test_page_counts_per_language(site: Site) -> None:
    counts = {lang: 0 for lang in LANGS}
    for page in site.pages():
        if not is_fallback(site, page):
            counts[site.lang_of(page)] += 1
    assert counts["vi"] >= 11
    for lang in LANGS[1:]:  # every translation language of mkdocs.yml
        assert counts[lang] >= 11, counts


def test_every_page_stays_under_40_kb_of_html(site: Site) -> None:
    """PRODUCT.md's page budget: what a phone downloads before anything else. The largest pages were split where
    readers go a part at a time (the task list by group, /brand/'s colours and templates)."""
    over = {str(p.relative_to(site.root)): p.stat().st_size for p in site.pages() if p.stat().st_size > 40 * 1024}
    assert not over, f"pages over the 40 KB (40,960 bytes) budget, shorten or split them: {over}"


def test_no_hidden_or_temporary_file_is_published(site: Site) -> None:
    """Parallel language builds place files through temporary names: none may be left in the site."""
    assert [p.relative_to(site.root).as_posix() for p in site.root.rglob(".*")] == []


@pytest.mark.parametrize("lang", LANGS)
def test_language_roots_have_their_lang(site: Site, lang: str) -> None:
    page = lang_path(site, lang, "")
    soup = site.soup(page)
    assert soup.html["lang"] == lang
    assert soup.select_one('meta[property="og:locale"]')["content"].startswith(lang + "_")
    assert canonical(site, page) == (site.url if lang == "vi" else f"{site.url}{lang}/")


def test_every_page_lang_matches_its_folder(site: Site) -> None:
    for page in site.pages():
        assert site.soup(page).html["lang"] == site.lang_of(page), page


def test_alternates_absolute_reciprocal_existing_with_x_default(site: Site) -> None:
    checked = 0
    for page in site.pages():
        if is_fallback(site, page):
            continue
        alts = hreflangs(site, page)
        own = site.url_of(page)
        lang = site.lang_of(page)
        assert alts.get(lang) == own, (page, alts)
        assert "x-default" in alts, page
        for code, href in alts.items():
            assert href.startswith(site.url), href
            target = site.path_of(href)
            assert target.is_file(), href
            assert not is_fallback(site, target), f"{page} announces fallback {href}"
            if code != "x-default":
                assert site.soup(target).html["lang"] == code
                assert hreflangs(site, target) == alts, f"not reciprocal: {page} <-> {target}"
        assert alts["x-default"] == alts.get("vi", alts["x-default"])
        checked += 1
    assert checked > 40


@pytest.mark.parametrize(
    ("lang", "notice"),
    [
        ("en", "has not been translated into English yet"),
        ("fr", "pas encore traduite en français"),
        ("zh", "本页尚未译成中文"),
    ],
)
def test_fallback_page_has_notice_canonical_and_no_alternates(site: Site, lang: str, notice: str) -> None:
    page = lang_path(site, lang, FALLBACK)
    soup = site.soup(page)
    aside = soup.select_one("aside.portal-notice")
    assert aside is not None and notice in aside.get_text()
    assert canonical(site, page) == f"{site.url}{FALLBACK}/"
    assert hreflangs(site, page) == {}
    assert soup.html["lang"] == lang
    assert soup.select_one('div[lang="vi"]') is not None  # the Vietnamese text is marked as such
    vi_alts = hreflangs(site, lang_path(site, "vi", FALLBACK))
    assert set(vi_alts) == {"vi", "x-default"}


def test_real_pages_carry_no_fallback_notice(site: Site) -> None:
    for lang in LANGS:
        assert not is_fallback(site, lang_path(site, lang, "discover/history"))


@pytest.mark.parametrize(
    ("lang", "text"),
    [("vi", "15 tháng 4, 2024"), ("en", "April 15, 2024"), ("fr", "15 avril 2024"), ("zh", "2024年4月15日")],
)
def test_dates_are_formatted_per_locale(site: Site, lang: str, text: str) -> None:
    time = site.soup(lang_path(site, lang, NEWS)).select_one(".portal-dates time")
    assert time["datetime"] == "2024-04-15"
    assert time.get_text(strip=True) == text
    listing = site.soup(lang_path(site, lang, "news")).select(".portal-news time")
    assert text in [t.get_text(strip=True) for t in listing]


@pytest.mark.parametrize("lang", LANGS)
def test_news_listing_is_newest_first(site: Site, lang: str) -> None:
    dates = [t["datetime"] for t in site.soup(lang_path(site, lang, "news")).select(".portal-news time")]
    assert len(dates) >= 3
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("lang", LANGS)
def test_feed_parses_and_lists_real_news(site: Site, lang: str) -> None:
    base = site.root if lang == "vi" else site.root / lang
    feed = ET.parse(base / "news" / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) >= 3
    published = [e.findtext(f"{ATOM}published") for e in entries]
    assert published == sorted(published, reverse=True)
    for entry in entries:
        href = entry.find(f"{ATOM}link").get("href")
        target = site.path_of(href)
        assert target.is_file() and site.soup(target).html["lang"] == lang
        assert entry.findtext(f"{ATOM}title")
    head_feed = site.soup(base / "index.html").select_one('link[type="application/atom+xml"]')["href"]
    assert (base / head_feed).resolve() == (base / "news" / "feed.xml").resolve()


def test_language_switcher_targets_the_same_page(site: Site) -> None:
    for page in site.pages():
        rel = page.relative_to(site.root).parent.as_posix()
        lang = site.lang_of(page)
        suffix = rel[len(lang) + 1 :] if lang != "vi" and rel != lang else ("" if rel in (".", lang) else rel)
        links = site.soup(page).select("a.md-select__link")
        assert {a["hreflang"] for a in links} == set(LANGS), page
        for link in links:
            resolved = urljoin(site.url_of(page), link["href"])
            expected = (
                site.url
                + ("" if link["hreflang"] == "vi" else f"{link['hreflang']}/")
                + (f"{suffix}/" if suffix else "")
            )
            assert resolved == expected, (page, link["href"])
            assert site.path_of(resolved).is_file()


def test_sitemap_lists_real_pages_with_alternates(site: Site) -> None:
    root = ET.parse(site.root / "sitemap.xml").getroot()
    urls = root.findall(f"{SM}url")
    locs = {u.findtext(f"{SM}loc") for u in urls}
    real = {site.url_of(p) for p in site.pages() if not is_fallback(site, p)}
    assert locs == real
    for url in urls:
        loc = url.findtext(f"{SM}loc")
        alts = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        assert alts == hreflangs(site, site.path_of(loc)), loc
    robots = (site.root / "robots.txt").read_text()
    assert f"Sitemap: {site.url}sitemap.xml" in robots


def test_head_has_description_and_open_graph(site: Site) -> None:
    for page in site.pages():
        soup = site.soup(page)
        assert soup.select_one('meta[name="description"]')["content"].strip(), page
        assert soup.select_one('meta[property="og:title"]')["content"].strip(), page
        assert soup.title and soup.title.get_text(strip=True), page
    alternates = site.soup(lang_path(site, "en", "discover/history")).select('meta[property="og:locale:alternate"]')
    assert {m["content"] for m in alternates} == {"vi_VN", "fr_FR", "zh_CN"}


RESOURCE_ATTRS = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src", "video": "src"}


def test_no_third_party_host_in_html_or_css(site: Site) -> None:
    """Nothing the browser loads (scripts, styles, fonts, images, frames, forms) comes from another host."""
    own = urlparse(site.url).netloc
    offenders: list[str] = []
    for html in site.root.rglob("*.html"):
        soup = site.soup(html) if html.name == "index.html" else None
        text = html.read_text(encoding="utf-8")
        soup = soup or __import__("bs4").BeautifulSoup(text, "lxml")
        for tag in soup.find_all(True):
            if tag.name == "a":
                continue  # a hyperlink (e.g. to a dataset's source or licence) is not a request the page makes
            for attr in ("src", "href", "srcset", "poster", "data", "action"):
                for value in str(tag.get(attr, "")).split(","):
                    host = urlparse(value.strip().split(" ")[0]).netloc
                    if host and host != own:
                        offenders.append(f"{html}: <{tag.name} {attr}={value!r}>")
        for style in re.findall(r"url\(([^)]+)\)", text):
            if urlparse(style.strip("'\" ")).netloc:
                offenders.append(f"{html}: url({style})")
    for css in site.root.rglob("*.css"):
        for value in re.findall(r"(?:url\(|@import\s+)['\"]?([^'\")\s]+)", css.read_text(encoding="utf-8")):
            if urlparse(value).netloc and not value.startswith("data:"):
                offenders.append(f"{css}: {value}")
    assert offenders == []


def test_self_hosted_fonts_resolve(site: Site) -> None:
    fonts = site.root / "assets" / "fonts"
    for name, families in (("fonts.css", 6), ("fonts-sc.css", 100)):
        urls = re.findall(r"url\(([^)]+)\)", (fonts / name).read_text())
        assert len(urls) >= families, name
        for url in urls:
            path, _, version = url.partition("?v=")  # the face's digest: a changed face gets a new address
            assert (fonts / path).is_file(), url
            assert version == hashlib.sha256((fonts / path).read_bytes()).hexdigest()[:10], url
    for licence in ("be-vietnam-pro/OFL.txt", "noto-sans-sc/OFL.txt"):
        assert (fonts / licence).is_file()
    for lang in LANGS:
        sheets = [link["href"] for link in site.soup(lang_path(site, lang, "")).select('link[rel="stylesheet"]')]
        assert any(href.endswith("assets/fonts/fonts.css") for href in sheets)
        # the Chinese faces (100 slices, 20 KB of CSS) only where Chinese is the page's language
        assert any(href.endswith("assets/fonts/fonts-sc.css") for href in sheets) == (lang == "zh"), lang


def test_navigation_is_pruned(site: Site) -> None:
    """Pages must not inline the whole navigation: the nav of a news item lists no unrelated leaf pages."""
    soup = site.soup(lang_path(site, "en", NEWS))
    nav_links = {a["href"] for a in soup.select("nav.md-nav--primary a.md-nav__link[href]")}
    assert not any("geography" in href for href in nav_links), nav_links


@pytest.mark.parametrize("lang", LANGS)
def test_one_tab_per_section_in_configured_order(site: Site, lang: str) -> None:
    """Fallback pages join their section instead of creating a second one (static-i18n auto nav)."""
    page = lang_path(site, lang, FALLBACK)
    tabs = [a["href"] for a in site.soup(page).select("a.md-tabs__link")]
    resolved = [urljoin(site.url_of(page), href).removeprefix(site.url).removeprefix(f"{lang}/") for href in tabs]
    order = plugin_config(site_config(ROOT / "mkdocs.yml"), "vnportal/navigation")["sections_order"]
    assert resolved == ["", *(f"{section}/" for section in order)]


def test_share_links_on_content_pages_only(site: Site) -> None:
    for page in site.pages():
        soup = site.soup(page)
        indexed = soup.select_one("article[data-pagefind-body]") is not None
        share = soup.select_one("article nav.portal-share")
        assert (share is not None) == indexed, page
        if share is not None:
            assert share["data-url"] == soup.select_one('link[rel="canonical"]')["href"]
    assert site.soup(site.root / "404.html").select_one("nav.portal-share") is None


def test_language_suggestion_strings_only_for_real_translations(site: Site) -> None:
    import json

    page = lang_path(site, "en", "economy/tourism")
    data = json.loads(site.soup(page).select_one("script#portal-suggest").string)
    assert set(data) == set(hreflangs(site, page)) - {"en", "x-default"}
    assert data["fr"]["text"] == "Cette page existe en français."
    assert site.soup(lang_path(site, "en", FALLBACK)).select_one("script#portal-suggest") is None


XML_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("&<>\"'\t\n\r"))


def elementtree_sitemap(entries: list[SitemapEntry]) -> bytes:
    """The sitemap as ElementTree writes it (what the portal wrote before writing it as text)."""
    from vnportal.core.xmlwrite import to_bytes

    sitemap, xhtml = SM.strip("{}"), XHTML.strip("{}")
    urlset = ET.Element(f"{SM}urlset")
    for entry in sorted(entries, key=lambda e: e.loc):
        url = ET.SubElement(urlset, f"{SM}url")
        ET.SubElement(url, f"{SM}loc").text = entry.loc
        if entry.lastmod:
            ET.SubElement(url, f"{SM}lastmod").text = entry.lastmod.isoformat()
        for lang, href in [*entry.alternates, *([("x-default", entry.x_default)] if entry.x_default else [])]:
            ET.SubElement(url, f"{XHTML}link", {"rel": "alternate", "hreflang": lang, "href": href})
    ET.indent(urlset)
    return to_bytes(urlset, {"": sitemap, "xhtml": xhtml}) + b"\n"


@pytest.mark.unit
@given(
    st.lists(
        st.tuples(
            XML_TEXT,
            st.none() | st.dates(),
            st.lists(st.tuples(XML_TEXT, XML_TEXT), max_size=3),
            st.none() | XML_TEXT,
        ),
        max_size=4,
    )
)
def test_the_sitemap_written_as_text_is_what_elementtree_writes(items) -> None:
    """The sitemap is written as text, not through ElementTree, byte for byte as ElementTree would write it (every
    escape, an empty address, no entries at all)."""
    entries = [SitemapEntry(loc, day, tuple(links), x_default) for loc, day, links, x_default in items]
    assert sitemap_xml(entries) == elementtree_sitemap(entries)
