"""A fifth language by configuration alone, nothing in the code: one entry in mkdocs.yml, its interface strings
(overrides/locales/<code>.yml) and a folder of pages; and, because they are content and brand data with a text
per language, a text in the datasets' metadata (data/), in the brand kit's texts (assets/brand/kit.yml) and in
the brand tokens' colour names and rules (assets/brand/tokens.yml).

A small copy of the project (its own mkdocs.yml, strings, content, data and brand texts; the templates, logos
and fonts linked) gets Japanese. Until each of these has Japanese texts, make check and the build say so with
file, line and fix (never a KeyError); with them, the build publishes Japanese pages with hreflang alternates,
a feed, a status column, a search bundle and the CJK fonts.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import LANGS, ROOT, SITE_URL

from vnportal.content.ui_strings import STRINGS_DIR

NEW = "ja"


def with_language(config: str, code: str, name: str, site_name: str) -> str:
    """mkdocs.yml with one more entry under plugins.i18n.languages: English's, renamed."""
    start = config.index("        - locale: en\n")
    end = config.index("        - locale: fr\n")
    entry = config[start:end].replace("- locale: en\n", f"- locale: {code}\n", 1)
    entry = re.sub(r"^          name: .*$", f"          name: {name}", entry, count=1, flags=re.M)
    entry = re.sub(r"^          site_name: .*$", f"          site_name: {site_name}", entry, count=1, flags=re.M)
    anchor = "\nextra:\n  generator:"
    return config.replace(anchor, "\n" + entry.rstrip("\n") + "\n" + anchor, 1)


def add_texts(value: Any, code: str, languages: set[str]) -> Any:
    """Every per-language mapping ({vi: …, en: …, …}) with a text for ``code`` (the English one)."""
    if isinstance(value, dict):
        if "en" in value and "vi" in value and set(value) <= languages:
            return {**{k: add_texts(v, code, languages) for k, v in value.items()}, code: value["en"]}
        return {k: add_texts(v, code, languages) for k, v in value.items()}
    if isinstance(value, list):
        return [add_texts(v, code, languages) for v in value]
    return value


def translate_yaml(path: Path, code: str) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    languages = set(LANGS)
    path.write_text(
        yaml.safe_dump(add_texts(data, code, languages), allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def page(title: str, body: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\ndescription: {title}.\n{extra}---\n\n{body}\n"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fifth")
    (root / "mkdocs.yml").write_text(with_language((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), NEW, "日本語",
                                                   "ベトナム国家対外情報ポータル"), encoding="utf-8")  # fmt: skip
    (root / "node_modules").symlink_to(ROOT / "node_modules")  # the CMS bundle the build copies
    for template in (ROOT / "overrides").iterdir():  # the templates; the strings files are the project's own
        if template.name != "locales":
            (root / "overrides" / template.name).parent.mkdir(exist_ok=True)
            (root / "overrides" / template.name).symlink_to(template)
    shutil.copytree(ROOT / STRINGS_DIR, root / STRINGS_DIR)
    brand = root / "assets" / "brand"
    brand.mkdir(parents=True)
    for name in ("logo", "fonts"):
        (brand / name).symlink_to(ROOT / "assets" / "brand" / name)
    for name in ("tokens.yml", "kit.yml"):
        shutil.copy(ROOT / "assets" / "brand" / name, brand / name)
    shutil.copytree(ROOT / "data", root / "data")
    docs = root / "docs"
    pages = {
        "vi": {"index.md": page("Trang chủ", "Xin chào."), "discover.md": page("Khám phá", "Việt Nam."),
               "news/index.md": page("Tin tức", "Tin.", "type: listing\n"),
               "news/2024-04-15-a.md": page("Nghị quyết 47", "Tin.", "type: news\ndate: 2024-04-15\n")},
        "en": {"index.md": page("Home", "Hello."), "discover.md": page("Discover", "Viet Nam.")},
        NEW: {"index.md": page("ホーム", "こんにちは。"), "discover.md": page("ベトナムを知る", "ベトナム社会主義共和国、ハノイ。"),
              "news/index.md": page("ニュース", "ニュース。", "type: listing\n"),
              "news/2024-04-15-a.md": page("決議第47号", "ニュース。", "type: news\ndate: 2024-04-15\n")},
    }  # fmt: skip
    for lang, files in pages.items():
        for rel, text in files.items():
            (docs / lang / rel).parent.mkdir(parents=True, exist_ok=True)
            (docs / lang / rel).write_text(text, encoding="utf-8")
    return root


def add_strings(project: Path) -> Path:
    """The language's interface strings: English's, standing in for a translation (same keys, same placeholders)."""
    path = project / STRINGS_DIR / f"{NEW}.yml"
    if not path.exists():
        shutil.copy(project / STRINGS_DIR / "en.yml", path)
    return path


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SITE_URL": SITE_URL, "NO_MKDOCS_2_WARNING": "1", "PORTAL_DOCS_DIR": str(project / "docs"),
           "PORTAL_DATA_DIR": str(project / "data"), "PORTAL_CACHE_DIR": str(ROOT / ".cache")}  # fmt: skip
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)


@pytest.mark.build
def test_a_missing_translation_of_data_or_brand_is_a_finding_not_a_keyerror(project: Path) -> None:
    check = run(project, "-m", "vnportal", "check", "--config", str(project / "mkdocs.yml"))
    assert check.returncode == 1 and "Traceback" not in check.stderr and "KeyError" not in check.stderr
    strings = (rf"mkdocs\.yml:\d+: language '{NEW}' has no interface strings file \S*{STRINGS_DIR}/{NEW}\.yml — "
               rf"copy \S*{STRINGS_DIR}/vi\.yml to \S*{STRINGS_DIR}/{NEW}\.yml and translate its texts")  # fmt: skip
    assert re.search(strings, check.stderr), check.stderr
    # the shared registers are checked first (every dataset names its columns and units there)
    assert re.search(r"data/units\.yml:\d+: 'PERSONS\.label' needs 'ja' — ", check.stderr), check.stderr
    assert re.search(r"data/catalog\.yml:\d+: 'title' needs 'ja' — ", check.stderr)
    assert re.search(
        r"tokens\.yml:\d+: colour 'primary' has no name in ja — add color_names\.primary\.ja", check.stderr
    )
    assert re.search(r"kit\.yml:\d+: 'page\.desktop_fonts' has no ja text — ", check.stderr), check.stderr
    build = (
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "-f",
        str(project / "mkdocs.yml"),
        "--site-dir",
        str(project / "broken-site"),
    )
    built = run(project, *build)
    assert built.returncode != 0 and "KeyError" not in built.stderr and "Traceback" not in built.stderr
    assert re.search(strings, built.stderr), built.stderr[-3000:]
    add_strings(project)
    built = run(project, *build)
    assert built.returncode != 0 and "KeyError" not in built.stderr and "Traceback" not in built.stderr
    assert re.search(r"data/facts\.yml:\d+: 'units\.people' needs 'ja' — ", built.stderr), built.stderr[-3000:]


@pytest.mark.build
def test_a_fifth_language_builds_from_configuration_alone(project: Path) -> None:
    add_strings(project)
    # What is not configuration: the brand's texts and the datasets' metadata (published versions stay as published).
    brand = project / "assets" / "brand"
    sources = [p for p in sorted((project / "data").glob("**/*.yml")) if p.parent.parent.parent != project / "data"]
    for path in [brand / "tokens.yml", brand / "kit.yml", *sources]:
        translate_yaml(path, NEW)
    check = run(project, "-m", "vnportal", "check", "--config", str(project / "mkdocs.yml"))
    assert check.returncode == 0, check.stderr
    site = project / "site"
    built = run(
        project, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), "--site-dir", str(site)
    )
    assert built.returncode == 0, built.stderr[-4000:]

    soup = BeautifulSoup((site / NEW / "discover" / "index.html").read_text(encoding="utf-8"), "lxml")
    assert soup.html["lang"] == NEW
    alternates = {link["hreflang"]: link["href"] for link in soup.select('link[rel="alternate"][hreflang]')}
    assert alternates == {"vi": f"{SITE_URL}discover/", "en": f"{SITE_URL}en/discover/", NEW: f"{SITE_URL}{NEW}/discover/",
                          "x-default": f"{SITE_URL}discover/"}  # fmt: skip
    sheets = [link["href"] for link in soup.select("link[rel=stylesheet]")]
    assert any(href.endswith("assets/fonts/fonts-sc.css") for href in sheets)  # CJK fonts by script, not by name
    vi_home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "lxml")
    assert vi_home.select_one(f'link[hreflang="{NEW}"]')["href"] == f"{SITE_URL}{NEW}/"

    feed = (site / NEW / "news" / "feed.xml").read_text(encoding="utf-8")
    assert "決議第47号" in feed and f"{SITE_URL}{NEW}/news/2024-04-15-a/" in feed

    status = json.loads((site / "status.json").read_text(encoding="utf-8"))
    assert status["languages"][NEW]["translated"] == 0 and status["languages"][NEW]["untracked"] == 4
    assert (site / NEW / "status" / "index.html").is_file()

    entry = json.loads((site / NEW / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert NEW in entry["languages"] and entry["languages"][NEW]["page_count"] >= 3
    assert ":lang(ja)" in (site / "assets" / "brand" / "brand.css").read_text(encoding="utf-8")
    assert (site / NEW / "data" / "vn-population-gdp" / "index.html").is_file()
    catalog = (site / "data" / "catalog.ttl").read_text(encoding="utf-8")
    assert f"<http://id.loc.gov/vocabulary/iso639-1/{NEW}>" in catalog  # the DCAT catalog names the language
