"""Builds of other content trees: PORTAL_DOCS_DIR works with the benchmark corpus; bad input fails the build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import LANGS, ROOT, SmallBuild, build

CORPUS = ROOT.parent / "shared" / "bench" / "gen_corpus.py"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.mark.build
def test_benchmark_corpus_builds_through_portal_docs_dir(tmp_path: Path) -> None:
    if CORPUS.is_file():
        subprocess.run([sys.executable, str(CORPUS), str(tmp_path / "corpus"), "10"], check=True)
        docs = tmp_path / "corpus" / "docs"
    else:  # shared/ is absent outside this workplace: an equivalent small tree
        docs = tmp_path / "docs"
        for lang in LANGS:
            write(docs / lang / "index.md", f"# {lang}\n\nHome.\n")
            write(docs / lang / "s00" / "page-0000.md", '---\ntitle: "P"\ndescription: "D"\n---\n# P\n\nText.\n')
    result = build(tmp_path / "site", docs_dir=docs)
    assert result.returncode == 0, result.stderr[-3000:]
    for lang in LANGS:
        base = tmp_path / "site" if lang == "vi" else tmp_path / "site" / lang
        soup = BeautifulSoup((base / "s00" / "page-0000" / "index.html").read_text(), "lxml")
        assert soup.html["lang"] == lang
        assert {link["hreflang"] for link in soup.select("link[hreflang]")} == {*LANGS, "x-default"}
        home = BeautifulSoup((base / "index.html").read_text(), "lxml")
        assert home.select_one('meta[name="description"]')["content"]  # derived from the first paragraph


@pytest.mark.build
def test_bad_front_matter_fails_the_build_with_file_and_line(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write(docs / "vi" / "index.md", "---\ntitle: Trang chủ\ndescription: Mô tả\n---\n\nNội dung.\n")
    write(docs / "vi" / "a.md", "---\ntitle: A\ndescription: B\ntype: news\n---\n\nText.\n")
    write(docs / "vi" / "b.md", "---\ntitle: A\ntitel: B\n---\n\nText.\n")
    result = build(tmp_path / "site", docs_dir=docs)
    assert result.returncode != 0
    assert "a.md:2: missing 'date' for type: news" in result.stderr
    assert "b.md:2: missing 'description'" in result.stderr
    assert "b.md:3: unknown front matter key 'titel' — did you mean 'title'?" in result.stderr


@pytest.mark.build
def test_make_check_reports_all_findings(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write(docs / "en" / "a.md", "---\ntitle: [\n---\n")
    write(docs / "fr" / "b.md", "no front matter here\n")
    result = subprocess.run(
        [sys.executable, "-m", "vnportal", "check", "--docs-dir", str(docs)], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 1
    assert "a.md:2: front matter is not valid YAML" in result.stderr
    assert "b.md:1: page has no front matter" in result.stderr
    ok = subprocess.run([sys.executable, "-m", "vnportal", "check"], capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0, ok.stderr


def test_site_url_overrides_absolute_urls(small_site: SmallBuild) -> None:
    assert small_site.url == "https://mirror.example.org/vn/"  # SITE_URL of its build
    soup = BeautifulSoup((small_site.site / "en" / "index.html").read_text(), "lxml")
    assert soup.select_one('link[rel="canonical"]')["href"] == "https://mirror.example.org/vn/en/"
    assert "https://mirror.example.org/vn/sitemap.xml" in (small_site.site / "robots.txt").read_text()


def test_build_is_byte_identical_in_parallel_and_sequential(tmp_path: Path, site) -> None:
    """The session's build (languages in worker processes, where there are several cores) and a sequential
    build with a cold cache and another hash seed write the same files, byte for byte."""
    result = build(
        tmp_path / "site",
        env={"PORTAL_BUILD_WORKERS": "1", "PORTAL_CACHE_DIR": str(tmp_path / "cache"), "PYTHONHASHSEED": "7"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "worker process" not in result.stderr

    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    ours, theirs = files(tmp_path / "site"), files(site.root)
    assert sorted(ours) == sorted(theirs)
    assert [name for name in ours if ours[name] != theirs[name]] == []


@pytest.mark.build
def test_an_error_in_a_language_built_by_a_worker_fails_the_build(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    for lang in LANGS:
        write(docs / lang / "index.md", "---\ntitle: T\ndescription: D\n---\n\nX.\n")
    write(docs / "zh" / "bad.md", "---\ntitle: T\ndescription: D\ndate: 2024-13-01\n---\n\nX.\n")
    result = build(tmp_path / "site", docs_dir=docs, env={"PORTAL_BUILD_WORKERS": "4"})
    assert result.returncode != 0
    assert "zh/bad.md:4: front matter value cannot be read (month must be in 1..12)" in result.stderr
    assert "language build failed: 'zh'" in result.stderr
