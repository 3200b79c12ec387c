"""Raw HTML policy: forbidden markup fails the build with file and line, and never reaches the HTML."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import build
from hypothesis import given, settings
from hypothesis import strategies as st

from vnportal.content.htmlpolicy import clean, embed_videos, findings_for

CASES = [
    ("<script>alert(1)</script>", "raw <script>"),
    ('<img src="x.png" alt="x" onerror="alert(1)">', "event handler attribute onerror"),
    ("[click](javascript:alert(1))", "a javascript: URL"),
    ('<a href="data:text/html,<b>x</b>">x</a>', "a data: URL"),
    ('<iframe src="https://www.youtube.com/embed/x"></iframe>', "raw <iframe>"),
    ('<iframe src="https://video.example.net/embed/dQw4w9WgXcQ"></iframe>', "raw <iframe>"),
    ('<a href="https://www.youtube.com/" data-embed="https://evil.example/">x</a>', "attribute data-embed is reserved"),
    ("<style>body{display:none}</style>", "raw <style>"),
    ('<p style="position:fixed">x</p>', "inline style on <p>"),
    ('Text {: onclick="steal()" }', "event handler attribute onclick"),
    ("<object data='x.swf'></object>", "raw <object>"),
]


@pytest.mark.build
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
    assert not re.search(r"""<[^>]*\s(href|src)\s*=\s*["']?\s*javascript:""", out, re.I)  # text may say it
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


YOUTUBE = (
    '<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ?si=abc" title="Vịnh Hạ Long" '
    'frameborder="0" allow="autoplay; encrypted-media" referrerpolicy="strict-origin-when-cross-origin" allowfullscreen>'
    "</iframe>"
)


@pytest.mark.build
def test_allowlisted_video_becomes_a_click_to_load_link(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "vi").mkdir(parents=True)
    (docs / "vi" / "index.md").write_text(f"---\ntitle: T\ndescription: D\n---\n\nIntro.\n\n{YOUTUBE}\n")
    (docs / "vi" / "plain.md").write_text("---\ntitle: P\ndescription: D\n---\n\nNo video.\n")
    result = build(tmp_path / "site", docs_dir=docs)
    assert result.returncode == 0, result.stderr[-2000:]
    html = (tmp_path / "site" / "index.html").read_text()
    soup = BeautifulSoup(html, "lxml")
    assert soup.find("iframe") is None
    link = soup.select_one("figure.portal-video a.portal-video__link")
    assert link["href"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert link["data-embed"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    assert link["data-title"] == "Vịnh Hạ Long" and "Vịnh Hạ Long (YouTube)" in link.get_text()
    csp = soup.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
    assert "frame-src https://www.youtube-nocookie.com;" in csp
    plain = BeautifulSoup((tmp_path / "site" / "plain" / "index.html").read_text(), "lxml")
    assert "frame-src 'none'" in plain.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
    assert "frame-src https://www.youtube-nocookie.com;" in (tmp_path / "site" / "_headers").read_text()


def test_video_plays_only_when_asked(tmp_path: Path, browser) -> None:
    docs = tmp_path / "docs"
    (docs / "vi").mkdir(parents=True)
    (docs / "vi" / "index.md").write_text(f"---\ntitle: T\ndescription: D\n---\n\n{YOUTUBE}\n")
    assert build(tmp_path / "site", docs_dir=docs).returncode == 0
    site = tmp_path / "site"
    requested: list[str] = []
    page = browser.new_page()
    page.route("**/*", lambda route: serve_file(route, site, requested))
    page.goto("http://portal.local/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in requested if "youtube" in u]
    page.locator("a.portal-video__link").click()
    player = page.locator("figure.portal-video iframe")
    assert player.get_attribute("src") == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    assert player.get_attribute("title") == "Vịnh Hạ Long"
    page.close()


def serve_file(route, site: Path, requested: list[str]) -> None:
    """A static server inside Playwright: the built site for its own host, nothing for any other."""
    url = route.request.url
    requested.append(url)
    if not url.startswith("http://portal.local/"):
        route.abort()
        return
    path = site / url.removeprefix("http://portal.local/").split("?")[0]
    if path.is_dir() or url.endswith("/"):
        path = path / "index.html"
    if not path.is_file():
        route.fulfill(status=404, body="")
        return
    types = {".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
    route.fulfill(body=path.read_bytes(), content_type=types.get(path.suffix, "application/octet-stream"))


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["https://www.youtube.com/embed/", "https://player.vimeo.com/video/", "https://evil.example/"]),
    st.text(alphabet="abcXYZ0189_-?=&", max_size=16),
    st.text(max_size=20),
)
def test_embeds_are_replaced_only_for_allowlisted_players(base: str, tail: str, title: str) -> None:
    services = [
        {"name": "YouTube", "pattern": re.compile(r"^https://www\.youtube(?:-nocookie)?\.com/embed/(?P<id>[A-Za-z0-9_-]{11})(?:[?#]|$)"),
         "embed": "https://www.youtube-nocookie.com/embed/{id}", "link": "https://www.youtube.com/watch?v={id}"},
    ]  # fmt: skip
    ui = {"play": "Play {title} ({service})", "notice": "From {service}", "untitled": "Video"}
    html = f'<p>x</p><iframe src="{base}{tail}" title="{escape(title)}"></iframe>'
    out = embed_videos(html, services, ui)
    if "<iframe" in out:
        assert out == html  # left alone: the policy reports it
    else:
        link = BeautifulSoup(out, "lxml").select_one("a[data-embed]")
        assert link["data-embed"].startswith("https://www.youtube-nocookie.com/embed/")
        newlines = title.replace("\r\n", "\n").replace("\r", "\n")  # as HTML reads an attribute
        assert link["data-title"] == (newlines.strip() or "Video")
        assert findings_for(embed_videos(html, services, None), "", "p.md") == []  # nothing left to report


@pytest.mark.parametrize(
    ("service", "message"),
    [
        ({"match": "(", "embed": "https://v.example/{id}"}, "'match' is not a valid regular expression"),
        ({"match": "^https://v/(.*)", "embed": "https://v.example/{id}"}, "needs a group (?P<id>...)"),
        ({"match": "^https://v/(?P<id>.*)", "embed": "http://v.example/{id}"}, "an https:// address with {id}"),
    ],
)
def test_a_bad_video_allowlist_entry_is_named(service: dict, message: str) -> None:
    from mkdocs.exceptions import PluginError

    from vnportal.plugins.safety.plugin import SafetyPlugin

    plugin = SafetyPlugin()
    errors, _ = plugin.load_config({"video_embeds": [{"name": "V", "link": "https://v.example/", **service}]})
    assert not errors
    with pytest.raises(PluginError, match=re.escape(message)) as raised:
        plugin.on_config(None)
    assert "video_embeds[0] (V)" in str(raised.value)
