"""Raw HTML policy: forbidden markup fails the build with file and line, and never reaches the HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import build
from hypothesis import given, settings
from hypothesis import strategies as st

from vnportal.safety import clean, findings_for

CASES = [
    ("<script>alert(1)</script>", "raw <script>"),
    ('<img src="x.png" alt="x" onerror="alert(1)">', "event handler attribute onerror"),
    ("[click](javascript:alert(1))", "a javascript: URL"),
    ('<a href="data:text/html,<b>x</b>">x</a>', "a data: URL"),
    ('<iframe src="https://www.youtube.com/embed/x"></iframe>', "raw <iframe>"),
    ("<style>body{display:none}</style>", "raw <style>"),
    ('<p style="position:fixed">x</p>', "inline style on <p>"),
    ('Text {: onclick="steal()" }', "event handler attribute onclick"),
    ("<object data='x.swf'></object>", "raw <object>"),
]


@pytest.mark.parametrize(("snippet", "message"), CASES)
def test_forbidden_markup_fails_the_build_with_file_and_line(tmp_path: Path, snippet: str, message: str) -> None:
    docs = tmp_path / "docs"
    (docs / "vi").mkdir(parents=True)
    (docs / "vi" / "index.md").write_text("---\ntitle: T\ndescription: D\n---\n\nSafe text.\n")
    (docs / "vi" / "bad.md").write_text(f"---\ntitle: B\ndescription: D\n---\n\nIntro.\n\n{snippet}\n")
    result = build(tmp_path / "site", docs_dir=docs)
    assert result.returncode != 0
    assert re.search(rf"bad\.md:8: {re.escape(message)}", result.stderr), result.stderr[-1500:]


def test_allowed_markup_passes_unchanged_in_meaning() -> None:
    html = (
        '<h2 id="x">T<a class="headerlink" href="#x" title="Permanent link">¶</a></h2>'
        '<div class="admonition note"><p class="admonition-title">N</p><p>b</p></div>'
        '<table><thead><tr><th style="text-align:left">a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>'
        '<p><a href="https://example.org/" hreflang="en">x</a> <abbr title="t">T</abbr><sup id="fnref:1">1</sup></p>'
    )
    assert findings_for(html, "", "p.md") == []
    assert clean(html) == html


TOKENS = [*"<>=\"' /abcdefghijklmnopqrstuvwxyz:", "script", "onload", "javascript:", "iframe", "style", "href", "src"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=60).map("".join))
def test_any_html_is_cleaned_and_judged_without_crashing(html: str) -> None:
    out = clean(html)
    assert not re.search(r"<\s*(script|iframe|style|object|embed)\b", out, re.I)
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", out, re.I)
    assert not re.search(r"""(href|src)\s*=\s*["']?\s*javascript:""", out, re.I)
    for finding in findings_for(html, html, "p.md"):
        assert finding.line >= 1 and finding.fix


def test_bundled_site_has_no_unsafe_markup(site) -> None:
    for page in site.pages():
        article = site.soup(page).select_one("article")
        if article is None:
            continue
        assert not article.find(["script", "iframe", "object", "embed", "style"]), page
        for tag in article.find_all(True):
            assert not any(attr.startswith("on") for attr in tag.attrs), (page, tag)
