"""Raw HTML policy: forbidden markup fails the build with file and line, and never reaches the HTML."""

from __future__ import annotations

import re
import subprocess
from html import escape
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import DEFAULT, LANGS, ROOT, build, reached
from hypothesis import given, settings
from hypothesis import strategies as st

from vnportal.content.checks import check_rendered
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


LINE = 8  # where each snippet stands on its page


def forbidden_tree(root: Path) -> Path:
    """One docs tree, each snippet on a page of its own (bad-00.md, bad-01.md, … in CASES' order) at LINE."""
    docs = root / "docs"
    (docs / "vi").mkdir(parents=True)
    (docs / "vi" / "index.md").write_text("---\ntitle: T\ndescription: D\n---\n\nSafe text.\n")
    for number, (snippet, _) in enumerate(CASES):
        page = f"---\ntitle: B{number}\ndescription: D\n---\n\nIntro.\n\n{snippet}\n"
        assert page.splitlines()[LINE - 1] == snippet
        (docs / "vi" / f"bad-{number:02}.md").write_text(page)
    return docs


def page_of(snippet: str, message: str) -> str:
    return f"bad-{CASES.index((snippet, message)):02}.md"


@pytest.fixture(scope="module")
def forbidden_build(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess:
    """The real strict build, once for every case: the policy reports all its findings at once."""
    root = tmp_path_factory.mktemp("forbidden")
    return build(root / "site", docs_dir=forbidden_tree(root))


@pytest.mark.build
@pytest.mark.parametrize(("snippet", "message"), CASES)
def test_forbidden_markup_fails_the_build_with_file_and_line(
    forbidden_build: subprocess.CompletedProcess, snippet: str, message: str
) -> None:
    stderr = forbidden_build.stderr
    assert forbidden_build.returncode != 0, stderr[-1500:]
    name = page_of(snippet, message)
    assert re.search(rf"{re.escape(name)}:{LINE}: {re.escape(message)}", stderr), (name, stderr[-3000:])
    named = re.findall(rf"{re.escape(name)}:(\d+): ", stderr)
    assert named and set(named) == {str(LINE)}, (name, named)  # its own line, nowhere else on its page


@pytest.mark.build
def test_only_the_forbidden_pages_are_named(forbidden_build: subprocess.CompletedProcess) -> None:
    named = set(re.findall(r"(\S+\.md):\d+: ", forbidden_build.stderr))
    assert {Path(p).name for p in named} == {f"bad-{n:02}.md" for n in range(len(CASES))}, named


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> list:
    """make check's findings for the same tree, in this process (vnportal.content.checks → links → safety)."""
    docs = forbidden_tree(tmp_path_factory.mktemp("forbidden-check"))
    return check_rendered(docs, docs.parent, ROOT / "mkdocs.yml", list(LANGS), DEFAULT)


@pytest.mark.parametrize(("snippet", "message"), CASES)
def test_forbidden_markup_is_found_by_make_check_with_file_and_line(checked, snippet: str, message: str) -> None:
    name = page_of(snippet, message)
    mine = [f for f in checked if Path(f.path).name == name]
    assert mine, (name, checked)
    assert {f.line for f in mine} == {LINE} and any(message in f.message and f.fix for f in mine), (name, mine)


def test_allowed_markup_passes_unchanged_in_meaning() -> None:
    html = (
        '<h2 id="x">T<a class="headerlink" href="#x" title="Permanent link">¶</a></h2>'
        '<div class="admonition note"><p class="admonition-title">N</p><p>b</p></div>'
        '<table><thead><tr><th style="text-align:left">a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>'
        '<p><a href="https://example.org/" hreflang="en">x</a> <abbr title="t">T</abbr><sup id="fnref:1">1</sup></p>'
    )
    assert findings_for(html, "", "p.md") == []
    assert clean(html) == html


#: Characters and words of HTML, and whole pieces of what the policy forbids: from letters alone the examples
#: almost never spell it (none in 300), with the pieces a third of them do.
TOKENS = [*"<>=\"' /abcdefghijklmnopqrstuvwxyz:", "script", "onload", "javascript:", "iframe", "style", "href", "src",
          "<a", "<p", "<script>", "<iframe ", " onload=", ' style="', ' href="javascript:']  # fmt: skip


def test_any_html_is_cleaned_and_judged_without_crashing() -> None:
    with reached("finding") as seen:

        @settings(max_examples=300, deadline=None)
        @given(st.lists(st.sampled_from(TOKENS), max_size=60).map("".join))
        def judge(html: str) -> None:
            out = clean(html)
            assert not re.search(r"<\s*(script|iframe|style|object|embed)\b", out, re.I)
            assert not re.search(r"<[^>]*\son[a-z]+\s*=", out, re.I)
            assert not re.search(r"""<[^>]*\b(href|src)\s*=\s*["']?\s*javascript:""", out, re.I)  # in a tag
            for finding in findings_for(html, html, "p.md"):
                seen["finding"] += 1
                assert finding.line >= 1 and finding.fix

        judge()


def test_bundled_site_has_no_unsafe_markup(site) -> None:
    articles = 0
    for page in site.pages():
        article = site.soup(page).select_one("article")
        if article is None:
            continue
        articles += 1
        assert not article.find(["script", "iframe", "object", "embed", "style"]), page
        for tag in article.find_all(True):
            assert not any(attr.startswith("on") for attr in tag.attrs), (page, tag)
    assert articles > 80  # the checks above ran on the site's pages


YOUTUBE = (
    '<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ?si=abc" title="Vịnh Hạ Long" '
    'frameborder="0" allow="autoplay; encrypted-media" referrerpolicy="strict-origin-when-cross-origin" allowfullscreen>'
    "</iframe>"
)


@pytest.fixture(scope="module")
def video_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A page with a pasted YouTube embed code (index) and a page without (plain), built once."""
    root = tmp_path_factory.mktemp("video")
    docs = root / "docs"
    (docs / "vi").mkdir(parents=True)
    (docs / "vi" / "index.md").write_text(f"---\ntitle: T\ndescription: D\n---\n\nIntro.\n\n{YOUTUBE}\n")
    (docs / "vi" / "plain.md").write_text("---\ntitle: P\ndescription: D\n---\n\nNo video.\n")
    result = build(root / "site", docs_dir=docs)
    assert result.returncode == 0, result.stderr[-2000:]
    return root / "site"


@pytest.mark.build
def test_allowlisted_video_becomes_a_click_to_load_link(video_site: Path) -> None:
    html = (video_site / "index.html").read_text()
    soup = BeautifulSoup(html, "lxml")
    assert soup.find("iframe") is None
    link = soup.select_one("figure.portal-video a.portal-video__link")
    assert link["href"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert link["data-embed"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    assert link["data-title"] == "Vịnh Hạ Long" and "Vịnh Hạ Long (YouTube)" in link.get_text()
    csp = soup.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
    assert "frame-src https://www.youtube-nocookie.com;" in csp
    plain = BeautifulSoup((video_site / "plain" / "index.html").read_text(), "lxml")
    assert "frame-src 'none'" in plain.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
    assert "frame-src https://www.youtube-nocookie.com;" in (video_site / "_headers").read_text()


def test_video_plays_only_when_asked(video_site: Path, browser) -> None:
    requested: list[str] = []
    page = browser.new_page()
    page.route("**/*", lambda route: serve_file(route, video_site, requested))
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


SERVICES = [
    {"name": "YouTube", "pattern": re.compile(r"^https://www\.youtube(?:-nocookie)?\.com/embed/(?P<id>[A-Za-z0-9_-]{11})(?:[?#]|$)"),
     "embed": "https://www.youtube-nocookie.com/embed/{id}", "link": "https://www.youtube.com/watch?v={id}"},
]  # fmt: skip


def test_embeds_are_replaced_only_for_allowlisted_players() -> None:
    ui = {"play": "Play {title} ({service})", "notice": "From {service}", "untitled": "Video"}
    with reached("left alone", "replaced") as seen:

        @settings(max_examples=200, deadline=None)
        @given(
            st.sampled_from(
                ["https://www.youtube.com/embed/", "https://player.vimeo.com/video/", "https://evil.example/"]
            ),
            st.one_of(  # any tail, and one that starts with an id of the allowlisted form
                st.text(alphabet="abcXYZ0189_-?=&", max_size=16),
                st.tuples(
                    st.text(alphabet="abcXYZ0189_-", min_size=11, max_size=11),
                    st.sampled_from(["", "?si=x", "#t", "x"]),
                ).map("".join),
            ),
            st.text(max_size=20),
        )
        def replace(base: str, tail: str, title: str) -> None:
            html = f'<p>x</p><iframe src="{base}{tail}" title="{escape(title)}"></iframe>'
            out = embed_videos(html, SERVICES, ui)
            if "<iframe" in out:
                seen["left alone"] += 1
                assert out == html  # left alone: the policy reports it
            else:
                seen["replaced"] += 1
                link = BeautifulSoup(out, "lxml").select_one("a[data-embed]")
                assert link["data-embed"].startswith("https://www.youtube-nocookie.com/embed/")
                read = title.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")  # as HTML reads it
                assert link["data-title"] == (read.strip() or "Video")
                assert findings_for(embed_videos(html, SERVICES, None), "", "p.md") == []  # nothing left to report

        replace()


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
