"""Figures from one register, formatted per language, each with its source; the pages a state portal has;
French typography and Chinese line joining applied by the build."""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from conftest import LANGS, ROOT, Site
from hypothesis import given
from hypothesis import strategies as st

from vnportal.content.typography import NBSP, NNBSP, cjk, french
from vnportal.facts.register import load_register
from vnportal.facts.render import Cited, inline, number

DATA = ROOT / "data"
UI = {"fact_as_of": "{value} ({period})", "fact_source": "Source {number}"}
REQUIRED_PAGES = ["about/", "about/contact/", "about/accessibility/", "about/privacy/", "about/legal/",
                  "about/credits/", "about/sitemap/", "discover/national-symbols/", "visit/visas/",
                  "discover/provinces/"]  # fmt: skip


@pytest.fixture(scope="module")
def register():
    found, findings = load_register(DATA / "facts.yml", DATA, list(LANGS))
    assert findings == [], [str(f) for f in findings]
    return found


def prefix(lang: str) -> str:
    return "" if lang == "vi" else f"{lang}/"


def test_every_fact_renders_in_every_language(register) -> None:
    for fact in register.facts.values():
        for lang in LANGS:
            html = inline(fact, register, lang, "full", Cited([]), UI)
            assert "portal-fact" in html and "#source-1" in html, (fact.id, lang)


def test_numbers_follow_each_locale(register) -> None:
    population = register.get("population")
    assert number(population, "vi") == "100.987.686"
    assert number(population, "en") == "100,987,686"
    assert number(population, "fr") == f"100{NNBSP}987{NNBSP}686"
    assert number(population, "zh") == "100,987,686"
    gdp = register.get("gdp")
    assert (number(gdp, "vi"), number(gdp, "en"), number(gdp, "fr")) == ("429,7 tỷ", "429.7 billion", "429,7 milliards")
    assert number(gdp, "zh").endswith("亿")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_fact_sheet_figures_all_come_from_the_register(site: Site, register) -> None:
    for lang in LANGS:
        # a copy: the session's parsed pages are shared by every test (decompose below must not change them)
        article = copy.copy(site.soup(site.root / prefix(lang) / "discover" / "index.html").select_one("article"))
        facts = article.select(".portal-fact")
        assert len(facts) >= 10, lang
        numbered = {li["id"] for li in article.select(".portal-sources li[id]")}
        for ref in article.select(".portal-fact__ref a"):
            assert ref["href"].lstrip("#") in numbered, (lang, ref)
        for removed in article.select(
            ".portal-fact, .portal-fact__ref, .portal-sources, .portal-share, .portal-dates, .portal-cards"
        ):
            removed.decompose()
        assert not re.search(r"\d", article.get_text(" ")), (lang, re.findall(r".{20}\d.{20}", article.get_text(" ")))


def test_home_key_figures_are_the_same_value_in_every_language(site: Site, register) -> None:
    values = {}
    for lang in LANGS:
        band = site.soup(site.root / prefix(lang) / "index.html").select(".portal-figures--band li")
        assert len(band) == 4, lang
        values[lang] = _digits(band[0].strong.get_text())
        assert band[0].select_one("a[href^='#source-']") is not None
    assert set(values.values()) == {_digits(str(register.get("population").value))}


def test_required_pages_exist_in_every_language_and_are_in_every_footer(site: Site) -> None:
    for lang in LANGS:
        for path in REQUIRED_PAGES:
            page = site.root / prefix(lang) / path / "index.html"
            assert page.is_file(), (lang, path)
            assert site.soup(page).html["lang"].startswith(lang), (lang, path)
    for page in site.pages():
        if "/pagefind/" in str(page):
            continue
        footer = site.soup(page).select(".portal-footer a")
        targets = {urljoin(site.url_of(page), a["href"]) for a in footer}
        assert len(footer) >= 7 and any(t.endswith("about/legal/") for t in targets), page


def test_contact_page_shows_no_invented_detail(site: Site) -> None:
    for lang in LANGS:
        block = site.soup(site.root / prefix(lang) / "about" / "contact" / "index.html").select_one(".portal-generated")
        assert block.select(".portal-notice") and not block.select("a[href^='mailto:'], a[href^='tel:']")


def test_html_sitemap_lists_every_section_and_the_footer_pages(site: Site) -> None:
    page = site.root / "en" / "about" / "sitemap" / "index.html"
    sitemap = site.soup(page).select_one(".portal-sitemap")
    hrefs = {urljoin(site.url_of(page), a["href"]) for a in sitemap.select("a")}
    for path in ("discover/", "economy/", "data/", "about/legal/", "visit/visas/"):
        assert any(h.endswith(path) for h in hrefs), path


def _text_nodes(soup) -> list[str]:
    article = copy.copy(soup.select_one("article"))  # the session's parsed page stays as it was
    for skip in article.select("code, pre, kbd, samp, script, .portal-sources"):  # sources: titles as published
        skip.decompose()
    return list(article.stripped_strings)


def test_french_typography_is_applied_to_text(site: Site) -> None:
    texts = []
    for page in sorted((site.root / "fr").rglob("index.html")):
        soup = site.soup(page)  # pages shown from their Vietnamese original keep Vietnamese typography
        generated = {"data", "brand", "pagefind", "status"}  # their figures are tables of data, not prose
        if not generated & set(page.parts) and not soup.select("article div[lang=vi]"):
            texts += _text_nodes(soup)
    joined = "\n".join(texts)
    assert NNBSP + "»" in joined and "«" + NNBSP in joined
    for mark in ";!?":
        assert not re.search(rf"[^\s\d/(]{re.escape(mark)}(\s|$)", joined), mark  # no mark glued to a word
        assert f" {mark}" not in joined, mark  # never an ordinary (breakable) space
    assert " :" not in joined and NBSP + ":" in joined
    assert not re.search(r"\d \d{3}\b", joined)  # thousands: narrow no-break space


@pytest.mark.parametrize(("lang", "machines"), [("vi", "Cho máy đọc: "), ("en", "For machines: "),
                                               ("fr", f"Pour les machines{NBSP}: "), ("zh", "供机器读取：")])  # fmt: skip
def test_template_labels_take_their_language_colon(site: Site, lang: str, machines: str) -> None:
    """A label the templates print before a value ("Pour les machines : …") is punctuated as the language writes
    it, like the Markdown around it; the agency index keeps the name alone in <strong> (the filter reads it)."""
    base = site.root if lang == "vi" else site.root / lang
    page = site.soup(base / "data" / "vn-population-gdp" / "index.html")
    assert any(p.get_text().startswith(machines) for p in page.select("#downloads ~ p"))
    agencies = site.soup(base / "data" / "resolution-47-tasks" / "agencies" / "index.html")
    row = agencies.select_one(".portal-programme__agencies li")
    assert row.get_text().startswith(row.strong.get_text() + machines[len(machines.rstrip(": ：" + NBSP)) :])


def test_chinese_lines_are_joined(site: Site) -> None:
    cjk_char = "[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]"
    for page in sorted((site.root / "zh").rglob("index.html")):
        if "pagefind" in str(page):
            continue
        for text in _text_nodes(site.soup(page)):
            assert not re.search(rf"{cjk_char}\n{cjk_char}", text), (page, text[:60])


@given(st.text(alphabet=" abcé«»;:!?%0123456789,./\n", max_size=60))
def test_typography_keeps_the_text(text: str) -> None:
    """The rules only change spaces: the words and marks stay, and applying them twice changes nothing."""
    once = french(text)
    assert re.sub(r"[\s\u00a0\u202f]", "", once) == re.sub(r"\s", "", text)
    assert french(once) == once
    assert cjk(cjk(text)) == cjk(text)


# -- make check: unknown fact, stale fact, a figure typed on a fact sheet ---------------------------------


def _check(docs: Path, data: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PORTAL_DOCS_DIR": str(docs), "PORTAL_DATA_DIR": str(data)}
    return subprocess.run([sys.executable, "-m", "vnportal", "check"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)  # fmt: skip


@pytest.mark.build
def test_make_check_reports_unknown_stale_and_typed_figures(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    facts = yaml.safe_load((data / "facts.yml").read_text(encoding="utf-8"))
    facts["facts"]["population"]["data"]["period"] = 2023  # the dataset has 2024
    (data / "facts.yml").write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")
    docs = tmp_path / "docs"
    (docs / "vi").mkdir(parents=True)
    head = "---\ntitle: {}\ndescription: D\ntype: {}\nupdated: 2026-11-29\nsources: [{{publisher: P, title: T, year: 2025, url: 'https://example.org/'}}]\n---\n"
    (docs / "vi" / "index.md").write_text(
        head.format("Home", "topic") + "\nDân số [[fact:population]].\n\nGDP [[fact:gpd]].\n"
    )
    (docs / "vi" / "sheet.md").write_text(
        head.format("Sheet", "factsheet") + "\n| Dân số | 101 triệu |\n| GDP | [[fact:gdp]] |\n"
    )
    result = _check(docs, data)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "docs/vi/index.md:11: unknown fact 'gpd'" in out
    assert "warning: " in out and "index.md:9: fact 'population' shows 2023; its dataset has 2024" in out
    assert "sheet.md:9: a figure typed by hand on a fact sheet" in out
    assert "sheet.md:10" not in out


# -- the register, read once per site build ---------------------------------------------------------------


def test_the_register_is_read_once_per_site_build(tmp_path: Path) -> None:
    """The language builds take the main build's register; the next main build (a rebuild of ``mkdocs serve``,
    same plugin object) reads the file again."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import PluginError

    from vnportal.core.site import Site

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    config = load_config(str(ROOT / "mkdocs.yml"))
    plugin = config.plugins["vnportal/facts"]
    plugin.config.data_dir = str(data)  # absolute: the copy, not the repository's
    config = config.plugins.on_config(config)  # every plugin, as the main build runs them
    site, read = Site.of(config), plugin.register
    assert read.facts and read.path.endswith("facts.yml")
    (data / "facts.yml").write_text("facts: [unclosed\n", encoding="utf-8")
    for lang in site.languages[1:]:
        site.set_build(lang, nested=True)
        plugin.on_config(config)
        assert plugin.register is read, f"the {lang} build read the register again"
    site.set_build(site.default, nested=False)
    with pytest.raises(PluginError, match=re.escape("facts.yml:2: not valid YAML")):
        plugin.on_config(config)
