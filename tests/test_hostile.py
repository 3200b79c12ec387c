"""Hostile and careless input: every editor-controlled value either reaches the page as the same text, with
no element the templates did not make, or is refused with ``path:line: what — fix``; never a traceback.

Built sites here are small trees (PORTAL_DOCS_DIR / PORTAL_DATA_DIR) through the real strict build; the
script-injection payloads are then served by the shipped nginx and opened in Debian's Chromium.
"""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import DEFAULT, LANGS, ROOT, SITE_URL, build, reached, seed_cache
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from vnportal.content.frontmatter import validate
from vnportal.plugins.guard.plugin import lock_path
from vnportal.tools import nginx

DATA = ROOT / "data"
MARK = "document.documentElement.dataset.p"
PAYLOADS = [
    f'x"><script>{MARK}=1</script>',
    f"&lt;script&gt;{MARK}=2&lt;/script&gt;",
    f'<img src=x onerror="{MARK}=3">',
    f"--><script>{MARK}=4</script><!--",
    f"</script><script>{MARK}=5</script>",
    "<!-- swallow the rest",
    "' onmouseover='x' data-x='",
    "{{ 7*7 }} {% raw %}",
]
CSV_PAYLOADS = ['=HYPERLINK("https://evil.example","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", *PAYLOADS]


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _page(title: str, description: str, subtitle: str, source: str, tags: list[str]) -> str:
    return (
        f"---\ntitle: {_yaml(title)}\ndescription: {_yaml(description)}\nsubtitle: {_yaml(subtitle)}\n"
        f"source: {_yaml(source)}\ntags: [{', '.join(_yaml(t) for t in tags)}]\ntype: topic\nupdated: 2026-11-29\n"
        f"sources: [{{publisher: {_yaml(source)}, title: {_yaml(description)}, year: 2025, url: 'https://example.org/'}}]\n"
        "---\n\nBody text.\n"
    )


def _tree(root: Path, texts: list[str], cells: list[str]) -> tuple[Path, Path]:
    """A docs tree (vi and en, one page per text in every field) and a data folder whose one dataset
    carries the texts in every metadata field and CSV cell."""
    docs = root / "docs"
    for lang in ("vi", "en"):
        (docs / lang / "s").mkdir(parents=True, exist_ok=True)
        (docs / lang / "index.md").write_text(_page("Trang chủ", "Mô tả", "x", "y", ["z"]), encoding="utf-8")
        for number, text in enumerate(texts):
            page = _page(f"{text} {number} {lang}", text, text, text, [text[:60]])
            (docs / lang / "s" / f"p{number}.md").write_text(page, encoding="utf-8")
    data = root / "data"
    shutil.copytree(DATA / "international-rankings", data / "hostile")
    (data / "hostile" / "1.0" / "metadata.yml").unlink()  # not released: made from the metadata below
    for name in ("catalog.yml", "units.yml", "columns.yml"):
        shutil.copy(DATA / name, data / name)
    meta_path = data / "hostile" / "metadata.yml"
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    meta["id"] = "hostile"
    for lang, text in zip(LANGS, _per_language(texts), strict=True):  # a text of its own in each language
        meta["title"][lang] = f"{text} {lang}"
        meta["description"][lang] = text
        meta["keywords"][lang] = [text]
        meta["publisher"]["name"][lang] = text
        for field in meta["schema"]["fields"]:
            field["title"][lang] = text
            if isinstance(field.get("description"), dict):
                field["description"][lang] = text
    meta["source"]["name"] = meta["licence"]["title"] = texts[0]
    meta["versions"][0]["notes"] = {lang: texts[0] for lang in meta["versions"][0]["notes"]}
    meta_path.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    old = data / "hostile" / "1.0" / "international-rankings.csv"
    rows = list(csv.reader(io.StringIO(old.read_text(encoding="utf-8"))))
    old.unlink()
    for row, cell in zip(rows[1:], cells * 10, strict=False):
        row[1] = row[2] = cell  # the name and publisher columns: free text
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (data / "hostile" / "1.0" / "hostile.csv").write_text(out.getvalue(), encoding="utf-8")
    _programme(data / "hostile-tasks", texts, cells)
    return docs, data


def _programme(folder: Path, texts: list[str], cells: list[str]) -> None:
    """A dataset read as a programme (a page per task group, one by lead agency) whose group and agency names
    carry the texts in every language and whose task titles are the cells."""
    shutil.copytree(DATA / "resolution-47-tasks", folder, ignore=shutil.ignore_patterns("translations.yml"))
    (folder / "1.0" / "metadata.yml").unlink()
    meta_path = folder / "metadata.yml"
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    meta["id"] = folder.name
    for lang, text in zip(LANGS, _per_language(texts), strict=True):
        meta["title"][lang] = f"{text} tasks {lang}"
        for group in meta["codelists"]["group"]:
            group["name"][lang] = f"{text} {group['code']}"
        for agency in meta["codelists"]["agency"]:
            agency["name"][lang] = f"{text} {agency['code']}"
    meta_path.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    old = folder / "1.0" / "resolution-47-tasks.csv"
    rows = list(csv.reader(io.StringIO(old.read_text(encoding="utf-8"))))
    old.unlink()
    titles = [n for n, name in enumerate(rows[0]) if name.startswith(("title_", "group_title_"))]
    for number, row in enumerate(rows[1:]):
        for column in titles:
            row[column] = cells[number % len(cells)]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (folder / "1.0" / f"{folder.name}.csv").write_text(out.getvalue(), encoding="utf-8")


def _per_language(texts: list[str]) -> list[str]:
    """The text the dataset's metadata carries in each language of LANGS (texts[0], texts[1], …, repeating)."""
    return [texts[number % len(texts)] for number in range(len(LANGS))]


def _build(root: Path, texts: list[str], cells: list[str], cache: Path) -> Path:
    docs, data = _tree(root, texts, cells)
    site = root / "site"
    result = build(site, docs_dir=docs, env={"PORTAL_DATA_DIR": str(data), "PORTAL_CACHE_DIR": str(cache)})
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def _shape(soup: BeautifulSoup) -> Counter:
    """What the templates made: every element with its attribute names (text and values aside)."""
    return Counter((tag.name, tuple(sorted(tag.attrs))) for tag in soup.find_all(True))


def _text_reaches_the_page_as_text(site: Path, texts: list[str]) -> None:
    """Every check names the text it failed on (repr: the exact characters)."""
    assert texts
    for lang, prefix in (("vi", ""), ("en", "en/")):
        shapes: dict[frozenset, list[str]] = {}
        for number, text in enumerate(texts):
            soup = _soup(site / prefix / "s" / f"p{number}" / "index.html")
            title = f"{text} {number} {lang}"
            case = f"p{number} {lang}: {text!r}"
            assert soup.title.string.startswith(f"{title} — "), case
            assert soup.find("meta", attrs={"name": "description"})["content"] == text, case
            assert soup.find("meta", attrs={"property": "og:title"})["content"] == title, case
            assert soup.find("meta", attrs={"property": "og:description"})["content"] == text, case
            assert soup.select_one("article h1").get_text() == title, case
            assert any(a.get_text(" ", strip=True).startswith(title.strip()) for a in soup.select("nav a")), case
            _no_script_but_the_templates(soup, case)
            shapes.setdefault(frozenset(_shape(soup).items()), []).append(case)
        assert len(shapes) == 1, f"a text changed the page's elements: {[cases[:3] for cases in shapes.values()]}"
    for lang, text in zip(LANGS, _per_language(texts), strict=True):
        case = f"data page {lang}: {text!r}"
        data_page = _soup(site / ("" if lang == DEFAULT else lang) / "data" / "hostile" / "index.html")
        assert data_page.select_one("article h1").get_text() == f"{text} {lang}", case
        json_ld = json.loads(data_page.find("script", type="application/ld+json").string)
        assert json_ld["name"] == f"{text} {lang}" and json_ld["description"] == text, case
        assert data_page.find("footer") is not None, case  # nothing swallowed the rest of the page
    data_page = _soup(site / "en" / "data" / "hostile" / "index.html")
    shown = {td.get_text() for td in data_page.select("article td")}
    assert {row["name"] for row in _records(site)} & shown, "the preview shows the cells as written"
    _programme_pages_show_text(site, texts)


def _no_script_but_the_templates(soup: BeautifulSoup, case: str) -> None:
    """Inline scripts are the templates' own data and configuration; no element has an event handler."""
    scripts = [s for s in soup.find_all("script") if not s.get("src")]
    assert scripts, case  # the templates' own: the check below has something to look at
    assert all(s.get("type") in (None, "application/json", "application/ld+json") for s in scripts), case
    for tag in soup.find_all(True):
        assert not [a for a in tag.attrs if a.startswith("on")], (case, tag)


def _programme_pages_show_text(site: Path, texts: list[str]) -> None:
    """A programme's group and agency names (metadata) and task titles (cells) are text on its dataset page, its
    group pages and its page by lead agency, in every language."""
    records = json.loads((site / "data" / "hostile-tasks" / "1.0" / "hostile-tasks.json").read_text(encoding="utf-8"))
    for lang, text in zip(LANGS, _per_language(texts), strict=True):
        folder = site / ("" if lang == DEFAULT else lang) / "data" / "hostile-tasks"
        case = f"programme {lang}: {text!r}"
        dataset = _soup(folder / "index.html")
        _no_script_but_the_templates(dataset, case)
        groups = [a.get_text(" ", strip=True) for a in dataset.select(".portal-programme__groups a")]
        assert groups and all(g.startswith(f"{g[0]}. {text.strip()}") for g in groups), (case, groups)
        group = _soup(folder / "group-1" / "index.html")
        _no_script_but_the_templates(group, case)
        assert group.select_one("article h1").get_text() == f"1. {text} 1", case
        shown = [span.get_text() for span in group.select(".portal-task h2 span:not(.portal-task__id)")]
        assert shown == [r[f"title_{lang}"] for r in records if r["group"] == 1], case
        assert f"{text} MINISTRIES-SECTORS-LOCALITIES" in {dd.get_text() for dd in group.select(".portal-task dd")}
        agencies = _soup(folder / "agencies" / "index.html")
        _no_script_but_the_templates(agencies, case)
        assert f"{text} MIC" in {s.get_text() for s in agencies.select("strong")}, case
        assert agencies.find("footer") is not None, case


def _records(site: Path) -> list[dict]:
    return json.loads((site / "data" / "hostile" / "1.0" / "hostile.json").read_text(encoding="utf-8"))


# -- script injection: fixed payloads, in Chromium against the shipped nginx ------------------------------


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory, warm_cache: Path) -> Path:
    """One build cache for this module's trees, apart from the project's .cache."""
    return seed_cache(tmp_path_factory.mktemp("hostile-cache"), warm_cache)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory, cache: Path) -> Path:
    return _build(tmp_path_factory.mktemp("hostile"), PAYLOADS, CSV_PAYLOADS, cache)


@pytest.mark.build
def test_every_payload_is_text_with_no_element_the_templates_did_not_make(hostile_site: Path) -> None:
    _text_reaches_the_page_as_text(hostile_site, PAYLOADS)


def test_nothing_runs_in_chromium_behind_the_shipped_nginx(hostile_site: Path, browser, tmp_path: Path) -> None:
    paths = ["", "en/", *[f"{p}s/p{n}/" for p in ("", "en/") for n in range(len(PAYLOADS))], "data/hostile/",
             "en/data/hostile/", "data/", "data/hostile-tasks/", "en/data/hostile-tasks/group-1/",
             "fr/data/hostile-tasks/agencies/"]  # fmt: skip
    with nginx.running(hostile_site, tmp_path / "nginx") as port:
        context = browser.new_context()
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for path in paths:
            page.goto(f"http://127.0.0.1:{port}/{path}")
            page.hover("body")
            assert page.evaluate(f"{MARK} === undefined"), path
            assert page.evaluate("document.body.innerText.length > 0"), path
        context.close()
    assert dialogs == []


@pytest.mark.build
def test_data_exports_cannot_attack_their_readers(hostile_site: Path) -> None:
    folder = hostile_site / "data" / "hostile" / "1.0"
    rows = list(csv.reader(io.StringIO((folder / "hostile.csv").read_text(encoding="utf-8"))))
    cells = [cell for row in rows[1:] for cell in row[1:3]]
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or cell.startswith("'") for cell in cells)
    assert '\'=HYPERLINK("https://evil.example","x")' in cells and "'-2+3" in cells
    sheet = openpyxl.load_workbook(folder / "hostile.xlsx").active
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    assert {r["name"] for r in _records(hostile_site)} <= {*CSV_PAYLOADS}  # JSON keeps the text as written


# -- the same, for any text: hypothesis ---------------------------------------------------------------------

#: Every character an editor of this portal types, and all that HTML, YAML and JSON treat specially (the
#: brand fonts must draw it on the social card, so not all of Unicode: other scripts are refused with a line).
ALPHABET = (
    "".join(map(chr, range(0x20, 0x7F)))
    + "àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ"
    + "ÀĂÂĐÊÔƠƯ越南人口国—–…«»“”‘’€£\u00a0"
)
TEXT = st.text(alphabet=ALPHABET, min_size=1, max_size=40).filter(str.strip)


#: How many texts the one build below carries (two pages each; before: a build for every 4 texts).
EXAMPLES = 24


def _generated(count: int) -> list[str]:
    """``count`` texts as hypothesis generates them from TEXT (its edge cases among them), told apart as the
    pages' titles need (not equal once stripped and case-folded)."""
    texts: dict[str, str] = {}

    @settings(max_examples=count * 4, database=None, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(TEXT)
    def collect(text: str) -> None:
        if len(texts) < count:
            texts.setdefault(text.strip().casefold(), text)

    collect()
    return list(texts.values())


@pytest.fixture(scope="module")
def any_text_site(tmp_path_factory: pytest.TempPathFactory, cache: Path) -> tuple[Path, list[str]]:
    texts = _generated(EXAMPLES)
    assert len(texts) >= EXAMPLES // 2, texts
    return _build(tmp_path_factory.mktemp("any"), texts, texts, cache), texts


@pytest.mark.build
def test_any_text_in_any_field_reaches_the_page_as_the_same_text(any_text_site: tuple[Path, list[str]]) -> None:
    site, texts = any_text_site
    _text_reaches_the_page_as_text(site, texts)


def test_any_front_matter_value_is_accepted_or_refused_with_a_line() -> None:
    with reached("accepted", "finding", "finding on a long value") as seen:

        @settings(max_examples=300, deadline=None)
        @given(
            st.one_of(st.text(max_size=400), st.text(min_size=100, max_size=400)),  # long values too, as often
            st.sampled_from(["title", "description", "subtitle", "source", "tags"]),
        )
        def judge(value: str, key: str) -> None:
            fields = {"title": "T", "description": "D", key: [value] if key == "tags" else value}
            source = (
                "---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=True)}\n" for k, v in fields.items()) + "---\n"
            )
            _, findings = validate(source, "p.md")
            seen["finding" if findings else "accepted"] += 1
            for finding in findings:
                seen["finding on a long value"] += len(value) >= 100
                assert finding.line >= 1 and finding.fix
                assert len(value) < 100 or value not in finding.message  # a long value is never echoed

        judge()


# -- refused input: one build, every finding at once, no traceback -----------------------------------------


@pytest.mark.build
def test_hostile_tree_is_refused_with_every_finding_and_no_traceback(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    vi = docs / "vi"
    vi.mkdir(parents=True)
    (vi / "index.md").write_text("---\ntitle: T\ndescription: D\n---\n\nText.\n")
    (vi / "evil.html").write_text("<script src=/x.js></script>")
    (vi / "x.js").write_text("alert(1)")
    (vi / "a.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    (vi / "b.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
    (vi / "passwd.png").symlink_to("/etc/passwd")
    (vi / "etc").symlink_to("/etc")
    (vi / "git.md").symlink_to(ROOT / ".git" / "HEAD")
    (vi / "Page.md").write_text("---\ntitle: A\ndescription: D\n---\n")
    (vi / "page.md").write_text("---\ntitle: B\ndescription: D\n---\n")
    (vi / "x\u202egnp.md").write_text("---\ntitle: C\ndescription: D\n---\n")
    (vi / "t.md").write_text("---\ntitle: T2\ndescription: D\ntemplate: dataset.html\n---\n")
    (vi / "i.md").write_text("---\ntitle: T3\ndescription: D\nicon: material/no-such-icon-here\n---\n")
    (vi / "c.md").write_text('---\ntitle: "a\\x07b"\ndescription: D\n---\n\nbell \x07 here\n')
    (vi / "n.md").write_text("---\ntitle: T4\ndescription: D\n---\n\n" + "> " * 30 + "deep\n")
    (vi / "big.md").write_text("---\ntitle: T5\ndescription: D\n---\n\n" + "x" * (1024 * 1024 + 10))
    (vi / "long.md").write_text(f'---\ntitle: T6\ndescription: "{"y" * 10000}"\n---\n')
    (vi / "alias.md").write_text("---\ntitle: T7\ndescription: D\nsearch: &a {exclude: true}\ntags: *a\n---\n")
    (vi / "up.md").write_text("---\ntitle: T8\ndescription: D\n---\n\n[x](../../../../etc/passwd)\n")
    expected = [
        "evil.html:1: files of type .html are not published",
        "x.js:1: files of type .js are not published",
        "a.svg:1: SVG contains <script>",
        "b.svg:1: SVG attribute onload runs code",
        "passwd.png:1: symbolic link to something outside the docs folder",
        "vi/etc:1: symbolic link to something outside the docs folder",
        "git.md:1: symbolic link to something outside the docs folder",
        "except for upper/lower case",
        "x\\u202egnp.md:1: file name contains the bidirectional override U+202E",
    ]
    result = build(tmp_path / "site", docs_dir=docs)
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr[-3000:]
    for text in expected:
        assert text in result.stderr, (text, result.stderr[-3000:])
    assert not (tmp_path / "site" / "etc").exists()
    for path in ("evil.html", "x.js", "passwd.png", "etc", "git.md"):  # the rest: make check, per page
        (vi / path).unlink()
    for path in ("a.svg", "b.svg", "Page.md", "x\u202egnp.md"):
        (vi / path).unlink()
    check = subprocess.run([sys.executable, "-m", "vnportal", "check"], cwd=ROOT, capture_output=True, text=True,
                           env={**os.environ, "PORTAL_DOCS_DIR": str(docs), "PORTAL_LANG": "en"}, timeout=120)  # fmt: skip
    out = check.stdout + check.stderr
    assert check.returncode != 0 and "Traceback" not in out, out[-3000:]
    for text in [
        "t.md:4: 'template' must be one of: main.html, brand.html",
        "i.md:4: icon 'material/no-such-icon-here' does not exist",
        "c.md:2: 'title' contains the control character U+0007",
        "c.md:6: line contains the control character U+0007",
        "n.md:6: 30 nested blockquotes",
        "big.md:1: page is 1,024 KB (at most 1,024 KB)",
        "long.md:3: 'description' is 10,000 characters long (at most 300)",
        "alias.md:5: front matter uses a YAML alias",
        "up.md:6: link to ../../../../etc/passwd leaves the docs folder",
    ]:
        assert text in out, (text, out[-3000:])
    assert "y" * 200 not in out  # the 20,000-character value is not echoed


@pytest.mark.build
def test_hostile_data_is_refused_with_file_and_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    csv_path = data / "international-rankings" / "1.0" / "international-rankings.csv"
    lines = csv_path.read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b",", b",\xe9", 1)  # a Latin-1 byte on line 4
    csv_path.write_bytes(b"\n".join(lines))
    (data / "vn-population-gdp" / "1.0" / "vn-population-gdp.csv").unlink()
    (data / "vn-population-gdp" / "1.0" / "vn-population-gdp.csv").symlink_to("/etc/passwd")
    docs = tmp_path / "docs"
    (docs / "vi").mkdir(parents=True)
    (docs / "vi" / "index.md").write_text("---\ntitle: T\ndescription: D\n---\n\nX.\n")
    result = build(tmp_path / "site", docs_dir=docs, env={"PORTAL_DATA_DIR": str(data)})
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr[-3000:]
    assert (
        "symbolic link to something outside the data folder" in result.stderr or "a link outside data/" in result.stderr
    )
    assert "root:" not in result.stderr  # nothing of the linked file is ever read into a message
    (data / "vn-population-gdp" / "1.0" / "vn-population-gdp.csv").unlink()
    shutil.copy(DATA / "vn-population-gdp" / "1.0" / "vn-population-gdp.csv", data / "vn-population-gdp" / "1.0")
    (data / "published.lock").unlink()
    result = build(tmp_path / "site", docs_dir=docs, env={"PORTAL_DATA_DIR": str(data)})
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "international-rankings.csv:4: the file is not UTF-8" in result.stderr


# -- the operator's mistakes: a busy folder, a full disk, a read-only disk ------------------------------------


@pytest.mark.build
def test_a_second_build_of_the_same_folder_is_refused(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "vi").mkdir(parents=True)
    (docs / "vi" / "index.md").write_text("---\ntitle: T\ndescription: D\n---\n\nX.\n")
    site = tmp_path / "site"
    lock = lock_path(tmp_path / "cache" / "guard", str(site))  # the guard plugin's own cache folder
    lock.parent.mkdir(parents=True)
    with open(lock, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a running build holds it
        result = build(site, docs_dir=docs, env={"PORTAL_CACHE_DIR": str(tmp_path / "cache")})
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert f"{site}: another build is writing this folder right now" in result.stderr


UNSHARE = shutil.which("unshare")


@pytest.mark.build
@pytest.mark.parametrize(("options", "message"), [("size=400k", "No space left on device"), ("ro", "Read-only")])
def test_full_or_read_only_disk_is_one_line_and_leaves_no_temporary_file(tmp_path: Path, options, message) -> None:
    """A small or read-only file system in a private mount namespace (no privileges needed)."""
    if UNSHARE is None or subprocess.run([UNSHARE, "-rm", "true"], capture_output=True).returncode != 0:
        pytest.skip("needs unshare -rm (util-linux) with user namespaces")
    mount = tmp_path / "disk"
    mount.mkdir()
    docs = tmp_path / "docs"  # a page is enough: the theme, fonts and kit alone are far over 400 KB
    (docs / "vi").mkdir(parents=True)
    (docs / "vi" / "index.md").write_text("---\ntitle: T\ndescription: D\n---\n\nX.\n")
    env = {**os.environ, "SITE_URL": SITE_URL, "NO_MKDOCS_2_WARNING": "1", "PORTAL_DOCS_DIR": str(docs)}
    script = (
        f'mount -t tmpfs -o {options} none "{mount}" || exit 99; '
        f'"{sys.executable}" -m mkdocs build --site-dir "{mount}/site"; code=$?; '
        f'find "{mount}" -name "*.tmp" -printf "LEFT %p\\n"; exit $code'
    )
    result = subprocess.run([UNSHARE, "-rm", "sh", "-c", script], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=600)  # fmt: skip
    out = result.stdout + result.stderr
    assert result.returncode not in (0, 99) and "Traceback" not in out, out[-3000:]
    assert any(line.count(" — ") == 1 and message in line for line in out.splitlines()), out[-3000:]
    assert "LEFT" not in out, out
