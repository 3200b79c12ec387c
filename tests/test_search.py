"""Per-language search (vnportal/search, Pagefind): what the build indexes, and searching in a real browser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import LANGS, Site, url

QUERIES = {
    # language: (query, a page it must find); Vietnamese with and without diacritics, unsegmented Chinese
    "vi": [("hue", "discover/history/"), ("Huế", "discover/history/"), ("mua roi nuoc", "discover/culture-heritage/")],
    "en": [("hue", "discover/history/"), ("Huế", "discover/history/")],
    "fr": [("economie", "economy/"), ("économie", "economy/")],
    "zh": [("河内", "discover/history/"), ("下龙湾", "news/2023-09-16-ha-long-cat-ba/")],
}


def root(site: Site, lang: str):
    return site.root if lang == "vi" else site.root / lang


@pytest.mark.parametrize("lang", LANGS)
def test_each_language_has_its_own_bundle(site: Site, lang: str) -> None:
    bundle = root(site, lang) / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    expected = sum(1 for page in site.pages() if site.lang_of(page) == lang and indexed_page(site, page))
    assert {k: v["page_count"] for k, v in entry["languages"].items()} == {lang: expected}
    assert expected > 10
    assert (bundle / "pagefind.js").is_file()
    assert not list(bundle.glob("pagefind-ui.*"))  # the portal's own interface only


def indexed_page(site: Site, page) -> bool:
    return site.soup(page).select_one("article[data-pagefind-body]") is not None


def test_materials_own_search_languages_are_not_published(site: Site) -> None:
    """Material's lunr files serve its search plugin, which the portal does not use (Pagefind does the searching)."""
    assert (site.root / "assets" / "javascripts" / "bundle.js").exists() or any(
        (site.root / "assets" / "javascripts").glob("bundle.*.min.js")
    )
    assert not (site.root / "assets" / "javascripts" / "lunr").exists()
    assert not any("lunr" in p.read_text(encoding="utf-8") for p in site.pages()[:5])


def test_only_real_pages_in_their_own_language_are_indexed(site: Site) -> None:
    for page in site.pages():
        soup = site.soup(page)
        fallback = soup.select_one("aside.portal-notice") is not None
        search_page = soup.select_one("form[data-portal-search]") is not None
        assert indexed_page(site, page) == (not fallback and not search_page), page
    assert not site.soup(site.root / "404.html").select_one("[data-pagefind-body]")


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_links_to_the_search_page_of_its_language(site: Site, lang: str) -> None:
    search = root(site, lang) / "search" / "index.html"
    soup = site.soup(search)
    assert soup.html["lang"] == lang
    assert soup.select_one('form[role="search"] input[type="search"][name="q"]')
    assert soup.select_one("noscript")  # says that search needs JavaScript
    for page in [root(site, lang) / "index.html", root(site, lang) / "discover" / "history" / "index.html"]:
        link = site.soup(page).select_one("header a.md-header__button[href*='search/']")
        assert link is not None and link["aria-label"], page
        target = (page.parent / link["href"]).resolve() / "index.html"
        assert target == search.resolve()
    nav_links = [a["href"] for a in site.soup(root(site, lang) / "index.html").select("nav.md-nav a[href]")]
    assert not any("search/" in href for href in nav_links)  # a tool, not a section


@pytest.mark.parametrize("lang", LANGS)
def test_search_finds_pages_in_the_visitors_language(browser, server, lang: str) -> None:
    page = browser.new_page()
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(url(server, lang, "discover/"))
    page.wait_for_load_state("networkidle")
    page.goto(url(server, lang, "search/"))
    page.wait_for_load_state("networkidle")
    assert not [u for u in fetched if "/pagefind/" in u], "the index is fetched before anyone searches"
    for query, expected in QUERIES[lang]:
        page.fill("#portal-search-input", query)
        page.wait_for_function(
            "q => document.getElementById('portal-search-status').textContent.includes(q)", arg=query, timeout=15000
        )
        hrefs = page.locator("#portal-search-results a").evaluate_all("els => els.map(e => e.href)")
        assert url(server, lang, expected) in hrefs, (query, hrefs)
        prefix = url(server, lang, "")
        assert all(h.startswith(prefix) for h in hrefs), hrefs  # results stay in the page's language
        if lang == "vi":
            assert not any(h.startswith(url(server, "en", "")) for h in hrefs)
    assert [u for u in fetched if "/pagefind/pagefind." in u]
    page.close()


def test_search_query_in_the_address_runs_on_arrival(browser, server) -> None:
    page = browser.new_page()
    page.goto(url(server, "fr", "search/?q=Hu%C3%A9"))
    page.locator("#portal-search-results li").first.wait_for(timeout=15000)
    assert page.input_value("#portal-search-input") == "Hué"
    page.fill("#portal-search-input", "zzzqqqxxx")
    page.wait_for_function("() => document.getElementById('portal-search-results').children.length === 0")
    assert "zzzqqqxxx" in page.locator("#portal-search-status").inner_text()
    page.close()


@pytest.mark.unit
def test_the_previous_bundle_moved_aside_leaves_nothing_beside_the_site(tmp_path: Path, monkeypatch) -> None:
    """The previous bundle is moved out of the site to be deleted while Pagefind runs: where it cannot be moved
    (another file system), it is deleted at once and no temporary folder stays beside the site; a failed build
    stops its Pagefind run and deletes the bundle it moved aside."""
    import subprocess
    import tempfile
    import time

    from vnportal.plugins.search.plugin import Indexing, LanguageRun, SearchPlugin

    site = tmp_path / "site"
    (site / "pagefind").mkdir(parents=True)
    (site / "pagefind" / "old.pf_fragment").write_bytes(b"old")
    aside = SearchPlugin._move_aside(site / "pagefind", site)
    assert aside is not None and aside.parent == tmp_path and (aside / "pagefind" / "old.pf_fragment").is_file()
    assert not (site / "pagefind").exists()

    (site / "pagefind").mkdir()

    def cannot(self: Path, target: Path) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(Path, "rename", cannot)
    assert SearchPlugin._move_aside(site / "pagefind", site) is None
    monkeypatch.undo()
    assert not (site / "pagefind").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["site", aside.name])

    plugin = SearchPlugin()
    plugin._aside = aside
    process = subprocess.Popen(["sleep", "30"])
    output = tempfile.TemporaryFile()  # noqa: SIM115 - the plugin closes it
    plugin._indexing = LanguageRun(Indexing(process, output, time.monotonic() + 900), site, tmp_path, 0.0)
    plugin.on_build_error(error=RuntimeError("a plugin failed"))
    assert process.poll() is not None and not aside.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


@pytest.mark.unit
def test_a_kept_bundle_is_published_only_as_this_machine_sealed_it(tmp_path: Path, monkeypatch) -> None:
    """The bundle holds code visitors' browsers run: a copy in the cache is published only if this machine sealed it,
    or a run sharing its PORTAL_CACHE_KEY (a cache restored from elsewhere, or altered, is indexed again), and only
    inside the bundle folder."""
    from vnportal.core.cache import seal
    from vnportal.plugins.search.plugin import restore_bundle, store_bundle

    monkeypatch.delenv("PORTAL_CACHE_KEY", raising=False)  # each machine its own key (CI may set a shared one)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    bundle = tmp_path / "site" / "pagefind"
    files = {
        "pagefind.js": b"export const x = 1;",
        "fragment/en_1.pf_fragment": b"\x1f\x8bdata",
        "wasm.en.pagefind": b"",
    }
    for name, data in files.items():
        (bundle / name).parent.mkdir(parents=True, exist_ok=True)
        (bundle / name).write_bytes(data)
    cached = tmp_path / "cache" / "en-1.bundle"
    cached.parent.mkdir()
    store_bundle(bundle, cached)
    restored = tmp_path / "restored"
    assert restore_bundle(cached, restored)
    assert {p.relative_to(restored).as_posix(): p.read_bytes() for p in restored.rglob("*") if p.is_file()} == files

    cached.write_bytes(cached.read_bytes().replace(b"x = 1", b"x = 2"))  # altered in the cache
    assert not restore_bundle(cached, tmp_path / "altered") and not (tmp_path / "altered").exists()
    store_bundle(bundle, cached)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "elsewhere"))  # another machine's cache
    assert not restore_bundle(cached, tmp_path / "elsewhere-site")
    monkeypatch.setenv("PORTAL_CACHE_KEY", "the repository's secret")  # runs that share a secret share entries
    store_bundle(bundle, cached)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "another-runner"))
    assert restore_bundle(cached, tmp_path / "shared")
    monkeypatch.setenv("PORTAL_CACHE_KEY", "a fork's guess")
    assert not restore_bundle(cached, tmp_path / "guessed")
    monkeypatch.delenv("PORTAL_CACHE_KEY")
    for names in (
        ["../escaped.js"],
        ["/abs.js"],
        ["a//b.js"],
        ["./x.js"],
        ["nul\0.js"],
        ["a", "a/b"],
        ["a/b", "a"],
        ["x.js", "x.js"],
    ):  # sealed here, but outside the bundle, twice, or a file where a folder must be
        seal(cached, json.dumps(names).encode(), *(b"alert(1)" for _ in names))
        assert not restore_bundle(cached, tmp_path / "site2" / "pagefind"), names
    assert not (tmp_path / "site2").exists()
