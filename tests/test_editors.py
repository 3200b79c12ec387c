"""Editors' workflow: make check findings, make new, translation tracking, /status/, CSP meta."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import LANGS, ROOT, Site, build, reached
from hypothesis import given, settings
from hypothesis import strategies as st

from vnportal.content.checks import check_tree
from vnportal.content.placeholders import PLACEHOLDER_BODY, PLACEHOLDER_DESCRIPTION
from vnportal.content.translations import PageStatus, body_hash, stamp, status
from vnportal.core.messages import tr
from vnportal.plugins.status.plugin import todo


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def page(title: str, body: str = "Text.", extra: str = "") -> str:
    return f"---\ntitle: {title}\ndescription: D\n{extra}---\n\n{body}\n"


def clean_tree(root: Path) -> Path:
    write(root / "vi" / "index.md", page("Trang chủ"))
    write(root / "vi" / "a.md", page("Một", "Nội dung gốc."))
    write(root / "en" / "index.md", page("Home"))
    return root


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    return clean_tree(tmp_path / "docs")


def run(docs: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "vnportal", *args, "--docs-dir", str(docs)], capture_output=True, text=True, cwd=ROOT
    )


#: (what an editor does wrong, the file make check names, what it says). All cases share one tree and one
#: run of make check, which reports every finding at once: each case is still asserted on its own.
CHECK_CASES = [
    (lambda d: write(d / "de" / "x.md", page("X")), "de", "folder 'de' is not a configured language"),
    (lambda d: write(d / "stray.md", page("X")), "stray.md", "page outside a language folder"),
    (lambda d: write(d / "vi" / "b.md", page("Một")), "vi/b.md", "same title as"),
    (lambda d: write(d / "vi" / "a" / "index.md", page("Hai")), "vi/a/index.md", "same address /a/"),
    (lambda d: write(d / "vi" / "c.md", page("Ba", unicodedata.normalize("NFD", "Việt Nam"))), "vi/c.md", "not Unicode NFC"),
    (lambda d: (d / "vi" / "d.md").write_bytes(b"---\ntitle: \xff\n---\n"), "vi/d.md", "not UTF-8"),
    (lambda d: write(d / "vi" / "e.md", page("E", "![](anh.webp)")), "vi/e.md", "image anh.webp is not in the media library"),
    (lambda d: write(d / "vi" / "f.md", page("F", "![Ảnh](../assets/media/khong-co.webp)")), "vi/f.md", "does not exist"),
    (
        lambda d: (
            write(d / "vi" / "g.md", page("G", "![Ảnh](../assets/media/anh.jpg)")),
            (d / "assets" / "media").mkdir(parents=True),
            (d / "assets" / "media" / "anh.jpg").write_bytes(b"0"),
        ),
        "vi/g.md",
        "has no metadata file anh.yml",
    ),
    (lambda d: write(d / "vi" / "h.md", page("H", "![Ảnh](https://cdn.example/x.png)")), "vi/h.md", "is on another site"),
    (lambda d: write(d / "vi" / "i.md", page("I", "[Kinh tế](economy.md)")), "vi/i.md", "link to economy.md: there is no"),
    (lambda d: write(d / "vi" / "j.md", page("J", "[Một](a.md#khong-co)")), "vi/j.md", "no heading or anchor #khong-co"),
    (lambda d: write(d / "vi" / "k.md", page("K", "## Có\n\n[here](#khong)")), "vi/k.md", "use one of #co"),
    (lambda d: write(d / "en" / "l.md", page("L", "<script>alert(1)</script>")), "en/l.md", "raw <script>"),
]  # fmt: skip


@pytest.fixture(scope="module")
def every_case_checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, ...]:
    """make check on the clean tree, then on the same tree with every case's mistake in it."""
    docs = clean_tree(tmp_path_factory.mktemp("cases") / "docs")
    clean = run(docs, "check")
    for setup, _, _ in CHECK_CASES:
        setup(docs)
    return clean, run(docs, "check")


@pytest.mark.parametrize(("setup", "where", "fragment"), CHECK_CASES, ids=[case[2] for case in CHECK_CASES])
@pytest.mark.build
def test_each_check_reports_path_line_and_fix(every_case_checked, setup, where: str, fragment: str) -> None:
    clean, result = every_case_checked
    assert clean.returncode == 0, clean.stderr
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if fragment in line]
    assert lines and re.match(rf"^\S*/docs/{re.escape(where)}:\d+: .+ — .+", lines[0]), (where, fragment, result.stderr)


@pytest.mark.build
def test_make_check_validates_dataset_rows(tmp_path: Path, docs: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "published.lock").unlink()
    csv = data / "international-rankings" / "1.0" / "international-rankings.csv"
    csv.write_text(csv.read_text().replace(",annual,https://www.transparency", ",weekly,https://www.transparency"))
    result = subprocess.run(
        [sys.executable, "-m", "vnportal", "check", "--docs-dir", str(docs)],
        capture_output=True, text=True, cwd=ROOT, env={**__import__("os").environ, "PORTAL_DATA_DIR": str(data)},
    )  # fmt: skip
    assert result.returncode == 1
    assert (
        "international-rankings.csv:3: row 3, column 'frequency', value 'weekly': 'weekly' is not a code"
        in result.stderr
    )


@pytest.mark.build
def test_make_check_validates_the_brand_source(tmp_path: Path, docs: Path) -> None:
    """A broken token file or logo is reported by make check, not first by a failing build."""
    shutil.copytree(ROOT / "assets", tmp_path / "assets")
    config = tmp_path / "mkdocs.yml"
    shutil.copy(ROOT / "mkdocs.yml", config)
    tokens = tmp_path / "assets" / "brand" / "tokens.yml"
    tokens.write_text(tokens.read_text(encoding="utf-8").replace('primary: "#', 'primary: "#Z', 1), encoding="utf-8")
    mark = tmp_path / "assets" / "brand" / "logo" / "mark.svg"
    mark.write_text(mark.read_text(encoding="utf-8").replace("</svg>", "<script>alert(1)</script></svg>"))
    (tmp_path / "assets" / "brand" / "logo" / "stacked.svg").unlink()
    result = run(docs, "check", "--config", str(config))
    assert result.returncode == 1
    assert re.search(r"stacked\.svg:1: cannot read the artwork .+ — restore the SVG file", result.stderr)
    assert re.search(r"tokens\.yml:\d+: colour light\.primary = '#Z\w+' is not a HEX colour — ", result.stderr)
    assert re.search(r"mark\.svg:\d+: SVG contains <script> — ", result.stderr), result.stderr


@pytest.mark.build
def test_stale_translation_is_a_warning_with_the_fix(docs: Path) -> None:
    write(docs / "en" / "a.md", page("One", "Original content."))
    stamp(docs / "en" / "a.md", docs, "vi")
    assert [s.state for s in status(docs, list(LANGS), "vi") if s.lang == "en" and s.path == "a.md"] == ["translated"]
    write(docs / "vi" / "a.md", page("Một", "Nội dung gốc đã sửa."))
    states = {(s.lang, s.path): s.state for s in status(docs, list(LANGS), "vi")}
    assert states["en", "a.md"] == "stale" and states["fr", "a.md"] == "missing"
    errors, warnings = check_tree(docs, docs.parent, list(LANGS), "vi")
    assert not errors and any(
        "translation is stale" in w.message and "make stamp PAGE=docs/en/a.md" in w.fix for w in warnings
    )
    result = run(docs, "check")
    assert result.returncode == 0 and "warning:" in result.stderr


def test_body_hash_ignores_front_matter_and_whitespace() -> None:
    assert body_hash(page("A", "x  y\n")) == body_hash(page("B", "x y"))
    assert body_hash(page("A", "x y")) != body_hash(page("A", "x z"))


def make(*args: str, docs: Path, **env: str) -> subprocess.CompletedProcess:
    """``make`` as an editor runs it: the shell's own LANG (C.UTF-8) is set, as on most machines."""
    environ = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "PORTAL_DOCS_DIR": str(docs), "PORTAL_LANG": "en", **env}
    return subprocess.run(["make", "-s", *args], capture_output=True, text=True, cwd=ROOT, env=environ, timeout=300)


@pytest.mark.build
def test_make_new_scaffolds_a_page_that_make_check_holds_back_until_written(docs: Path) -> None:
    result = make("new", "LOCALE=vi", "PAGE=news/2026-11-22-le-hoi", "TITLE=Lễ hội: mùa xuân", docs=docs)
    assert result.returncode == 0, result.stderr
    created = docs / "vi" / "news" / "2026-11-22-le-hoi.md"
    text = created.read_text()
    assert 'title: "Lễ hội: mùa xuân"' in text and "type: news" in text and "date: 2026-11-22" in text
    assert "translation:" not in text
    assert "untranslated in: en, fr, zh" in result.stdout
    check = run(docs, "check")
    assert check.returncode == 1
    assert "2026-11-22-le-hoi.md:3: 'description' is still the text that make new wrote — replace it" in check.stderr
    assert re.search(r"2026-11-22-le-hoi\.md:\d+: the page still has the text that make new wrote", check.stderr)
    text = text.replace(tr(PLACEHOLDER_DESCRIPTION), "Lễ hội mùa xuân ở Huế.").replace(
        tr(PLACEHOLDER_BODY), "Nội dung."
    )
    created.write_text(text, encoding="utf-8")
    assert run(docs, "check").returncode == 0
    states = {(s.lang, s.path): s.state for s in status(docs, list(LANGS), "vi")}
    assert states["en", "news/2026-11-22-le-hoi.md"] == "missing"
    again = make("new", "PAGE=news/2026-11-22-le-hoi", "TITLE=X", docs=docs)  # LOCALE: the default language
    assert again.returncode != 0 and "already exists" in again.stderr
    bad = make("new", "LOCALE=de", "PAGE=x", "TITLE=X", docs=docs)
    assert bad.returncode != 0 and "LOCALE=de: not a configured language — use one of vi, en, fr, zh" in bad.stderr
    assert "Traceback" not in bad.stderr + again.stderr
    assert "PAGE is missing" in make("new", "TITLE=X", docs=docs).stderr
    legacy = make("new", "LANG=en", "PAGE=news/2026-11-22-le-hoi", "TITLE=Spring festival", docs=docs)
    assert legacy.returncode == 0, legacy.stderr  # LANG=… on make's command line still names the page's language
    translation = (docs / "en" / "news" / "2026-11-22-le-hoi.md").read_text()
    assert "translation:" not in translation and "make stamp PAGE=" in legacy.stdout
    states = {(s.lang, s.path): s.state for s in status(docs, list(LANGS), "vi")}
    assert states["en", "news/2026-11-22-le-hoi.md"] == "untracked"  # not stamped before it is translated


@pytest.mark.build
def test_make_new_writes_placeholders_in_the_editors_language(docs: Path) -> None:
    result = make("new", "PAGE=discover/hue", "TITLE=Huế", docs=docs, PORTAL_LANG="vi")
    assert result.returncode == 0 and "đã tạo" in result.stdout, result.stderr
    text = (docs / "vi" / "discover" / "hue.md").read_text()
    assert "Viết nội dung trang ở đây." in text and "type: topic" in text and "updated:" in text
    check = run(docs, "check")
    assert "'description' is still the text that make new wrote" in check.stderr  # recognised in any language
    assert "missing 'sources' for type: topic" in check.stderr  # the scaffold never invents a source


@pytest.mark.build
def test_make_stamp_refuses_what_is_not_a_translation(docs: Path) -> None:
    cases = [
        ("PAGE=docs/vi/a.md", "is an original (vi) page, not a translation"),
        ("PAGE=docs/en/nope.md", "there is no such page"),
        ("PAGE=docs/fr/index.md", "there is no such page"),
        ("PAGE=elsewhere.md", "not a page of"),
        ("PAGE=", "PAGE is missing"),
    ]
    for arg, fragment in cases:
        result = make("stamp", arg.replace("docs/", f"{docs}/"), docs=docs)
        assert result.returncode != 0 and fragment in result.stderr and "Traceback" not in result.stderr, result.stderr
    write(docs / "en" / "b.md", page("B"))
    orphan = make("stamp", f"PAGE={docs}/en/b.md", docs=docs)
    assert orphan.returncode != 0 and "there is no original" in orphan.stderr
    vi = make("stamp", f"PAGE={docs}/vi/a.md", docs=docs, PORTAL_LANG="vi")
    assert "là trang gốc (vi), không phải bản dịch" in vi.stderr


@pytest.mark.build
def test_stamp_replaces_a_block_style_record(docs: Path) -> None:
    write(docs / "en" / "a.md", page("One", "Text.", "translation:\n  source: vi\n  source_hash: 0000000000000000\n"))
    digest = stamp(docs / "en" / "a.md", docs, "vi")
    text = (docs / "en" / "a.md").read_text()
    assert f"translation: {{source: vi, source_hash: {digest}}}\n---" in text and "  source_hash" not in text
    assert run(docs, "check").returncode == 0


def test_a_translation_never_stamped_is_untracked_not_translated(docs: Path) -> None:
    write(docs / "en" / "a.md", page("One", "Original content."))
    states = {(s.lang, s.path): s.state for s in status(docs, list(LANGS), "vi")}
    assert states["en", "a.md"] == "untracked"
    errors, warnings = check_tree(docs, docs.parent, list(LANGS), "vi")
    assert not errors
    assert any("translation is not tracked" in w.message and "make stamp PAGE=docs/en/a.md" in w.fix for w in warnings)


def test_status_page_and_json(site: Site) -> None:
    data = json.loads((site.root / "status.json").read_text())
    for lang in LANGS[1:]:  # every translation language of mkdocs.yml
        row = data["languages"][lang]
        assert row["translated"] + row["stale"] + row["untracked"] + row["missing"] == row["pages"]
        assert row["missing"] >= 1  # the Vietnamese-only original text of Resolution 47
    assert any(p["path"] == "policy/resolution-47-text.md" and p["state"] == "missing" for p in data["pages"])
    for lang in LANGS:
        base = site.root if lang == "vi" else site.root / lang
        soup = site.soup(base / "status" / "index.html")
        assert soup.html["lang"] == lang and soup.select("table tbody tr")


@pytest.mark.unit
def test_the_status_page_lists_the_most_urgent_translations_and_counts_the_rest() -> None:
    """A site of thousands of untranslated pages keeps a /status/ page of a page's size; status.json has them all."""
    states = ["untracked", "translated", "missing", "stale", "source"] * 100
    statuses = [PageStatus(f"p{i}.md", "en", state, "T") for i, state in enumerate(states)]
    listed, more = todo(statuses, shown=150)
    assert [s.state for s in listed] == ["stale"] * 100 + ["missing"] * 50  # the most urgent first
    assert more == 150  # the other 50 missing and the 100 untracked
    assert todo(statuses[:5], shown=150) == ([statuses[3], statuses[2], statuses[0]], 0)  # nothing more to say


def test_every_page_carries_its_own_csp(site: Site) -> None:
    for path in [*site.pages(), site.root / "404.html", site.root / "en" / "404.html"]:
        html = path.read_text()
        meta = re.search(r'<meta http-equiv=Content-Security-Policy content="([^"]+)">', html)
        assert meta, path
        assert html.index('<meta charset="utf-8">') < meta.start()
        for script in re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*json)[^>]*>(.*?)</script>", html, re.S):
            import base64
            import hashlib

            digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in meta.group(1), path


@pytest.mark.build
def test_broken_anchor_fails_the_build(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write(docs / "vi" / "index.md", page("T", "[x](a.md#khong-co)"))
    write(docs / "vi" / "a.md", page("A", "## Có\n\nText."))
    result = build(tmp_path / "site", docs_dir=docs)
    assert result.returncode != 0 and "khong-co" in result.stderr


def test_repository_has_editor_guides() -> None:
    for path in ("CONTRIBUTING.md", ".github/pull_request_template.md"):
        text = (ROOT / path).read_text()
        assert "make check" in text and "make new" in text
    contributing = (ROOT / "CONTRIBUTING.md").read_text()
    assert "Tiếng Việt" in contributing and "English" in contributing
    assert shutil.which("make")


@pytest.mark.build
def test_links_to_the_original_and_to_real_anchors_pass(docs: Path) -> None:
    """A link to a page the language lacks is fine (the build shows the original), anchors as the toc makes them."""
    write(docs / "vi" / "b.md", page("Hai", "## Kinh tế Việt Nam\n\n[Một](a.md) [ở đây](#kinh-te-viet-nam)"))
    write(docs / "en" / "c.md", page("Three", "[one](a.md) [two](b.md#kinh-te-viet-nam) [top](index.md)"))
    result = run(docs, "check")
    assert result.returncode == 0, result.stderr


LINK_TOKENS = [
    "[x](",
    ")",
    "a.md",
    "#",
    "../",
    "b/",
    "index.md",
    "khong-co",
    "## Tiêu đề\n",
    " ",
    "\n",
    "%20",
    "?q=1",
    "<",
    "[x](khong-co.md)",  # whole links too: from the pieces alone a few examples in 150 give a finding
    "[x](a.md#khong-co)",
    "[x](../../x.md)",
]


def test_link_check_reports_or_passes_anything(tmp_path_factory) -> None:
    from vnportal.content.links import check_links, render

    with reached("finding") as seen:

        @settings(max_examples=150, deadline=None)
        @given(st.lists(st.sampled_from(LINK_TOKENS), max_size=40).map("".join))
        def check(text: str) -> None:
            docs = tmp_path_factory.mktemp("links") / "docs"
            write(docs / "vi" / "a.md", page("A", "## Có\n\nx"))
            source = page("P", text)
            write(docs / "vi" / "p.md", source)
            pages = {
                path: render(path.read_text(encoding="utf-8"), path.name, ["toc", "attr_list", "tables"], {})
                for path in sorted(docs.rglob("*.md"))
            }
            for finding in check_links(docs, pages, ["vi", "en"], "vi", []):
                seen["finding"] += 1
                assert finding.line >= 1 and finding.message and finding.fix

        check()


def test_make_help_lists_every_target_and_the_readme_names_what_make_test_needs() -> None:
    targets = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), re.M))
    result = subprocess.run(["make", "-s", "help"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    listed = {line.split()[0] for line in result.stdout.splitlines() if line.strip()}
    assert targets and targets <= listed, targets - listed
    first_screen = "\n".join((ROOT / "README.md").read_text().splitlines()[:25])
    for package in ("chromium", "nginx", "libnginx-mod-http-brotli-static", "wrk", "nodejs", "python3-venv"):
        assert f"`{package}`" in first_screen, package
    apt = (ROOT / ".ci" / "apt-packages.txt").read_text()
    assert all(p in apt for p in ("chromium", "nginx", "libnginx-mod-http-brotli-static", "wrk"))


def test_editors_commands_need_only_the_runtime_lock() -> None:
    """make serve, check, new, stamp, build install requirements.lock; the test tools have their own lock."""
    makefile = (ROOT / "Makefile").read_text()
    for target in ("serve", "check", "new", "stamp", "build", "preview", "xliff", "import"):
        rule = re.search(rf"^{target}:([^#\n]*)", makefile, re.M)
        assert rule and "install-dev" not in rule.group(1), target
    assert re.search(r"^test: install-dev", makefile, re.M) and re.search(r"^lint: install-dev", makefile, re.M)
    runtime = {line.split("==")[0] for line in (ROOT / "requirements.lock").read_text().splitlines() if "==" in line}
    dev = {line.split("==")[0] for line in (ROOT / "requirements-dev.lock").read_text().splitlines() if "==" in line}
    assert {"mkdocs", "mkdocs-material", "babel", "setuptools"} <= runtime < dev
    assert not runtime & {"pytest", "playwright", "hypothesis", "ruff", "pyshacl", "frictionless"}

    def pins(name: str) -> set[str]:  # name==version: the same versions in both locks
        return {line.split(" ")[0] for line in (ROOT / name).read_text().splitlines() if "==" in line}

    assert pins("requirements.lock") <= pins("requirements-dev.lock")


SOURCE_HASHES = st.sampled_from(["", "0123456789abcdef", "123", "[1, 2]", "~", "'x'"])


@pytest.mark.unit
@settings(max_examples=25, deadline=None)
@given(
    edits=st.lists(
        st.tuples(st.sampled_from(["vi", "en", "fr"]), st.sampled_from(["Một.", "Hai.", "Ba\r\nbốn."]), SOURCE_HASHES),
        min_size=1,
        max_size=6,
    )
)
def test_the_remembered_status_is_the_status_after_any_edit_and_its_undoing(tmp_path_factory, edits) -> None:
    """The build's translation status (each page file's facts remembered by the digest of its bytes) equals the
    status read from scratch after each edit, an edit undone included (an edit must never pair one version's facts
    with another version's digest)."""
    from vnportal.content.translations import remembered_status

    root = tmp_path_factory.mktemp("remembered")
    docs, store = root / "docs", root / "cache" / "pages.json"
    write(docs / "vi" / "a.md", page("Một", "Nguồn."))
    first = body_hash((docs / "vi" / "a.md").read_text())
    for lang, body, recorded in [*edits, *reversed(edits)]:
        translation = f"translation: {{source: vi, source_hash: {recorded or first}}}\n" if lang != "vi" else ""
        write(docs / lang / "a.md", page(lang.upper(), body, translation))
        assert remembered_status(docs, list(LANGS), "vi", store) == status(docs, list(LANGS), "vi")
