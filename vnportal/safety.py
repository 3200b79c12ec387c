"""MkDocs plugin ``vnportal/safety``: nothing unsafe from Markdown reaches the published HTML.

Every page's rendered HTML goes through nh3 (the Rust ammonia sanitiser) with an allowlist of what
Markdown and its extensions produce. Anything the allowlist would remove is also reported as a finding
with the source line, so the build fails and the editor learns what to change: silently dropping part of
a page would hide the problem.
"""

from __future__ import annotations

import re
from pathlib import Path

import nh3
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from vnportal.checks import display_path
from vnportal.findings import ContentError, Finding

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "picture", "pre", "q", "s", "samp", "small", "source", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
}  # fmt: skip
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href", "hreflang", "type", "download"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "source": {"srcset", "sizes", "type", "media"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "td": {"colspan", "rowspan", "style"},
    "ol": {"start", "reversed", "type"},
    "time": {"datetime"},
    "details": {"open"},
    "col": {"span"},
    "colgroup": {"span"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
STYLE_PROPERTIES = {"text-align"}  # tables' column alignment; nothing else

DANGER = (
    (re.compile(r"<(script|style|iframe|object|embed|form|input|button|textarea|select|link|meta|base|svg|math|frame|frameset)\b", re.I),
     "<{0}", "raw <{0}> is not allowed in content", "remove it; for a video, ask for an allowlisted embed"),
    (re.compile(r"\s(on[a-z]+)\s*=", re.I), "{0}", "event handler attribute {0} is not allowed", "remove the attribute"),
    (re.compile(r"""(?:href|src|srcset|action|formaction)\s*=\s*["']?\s*((?:javascript|vbscript|data)\s*:)""", re.I),
     "{0}", "a {0} URL is not allowed", "link to an https:// address or a page of the site"),
    (re.compile(r"<(?!th\b|td\b)([a-z0-9]+)\b[^>]*\sstyle\s*=", re.I), "style=", "inline style on <{0}> is not allowed",
     "use the site's styles (Markdown, attr_list classes)"),
)  # fmt: skip


def clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
        filter_style_properties=STYLE_PROPERTIES,
    )


def violations(html: str) -> list[tuple[str, str, str]]:
    """(needle to find in the source, message, fix) for everything the policy forbids."""
    found = []
    for pattern, needle, message, fix in DANGER:
        for match in pattern.finditer(html):
            name = match.group(1).lower()
            found.append((needle.format(name), message.format(name), fix))
    return found


def _line(source: str, needle: str) -> int:
    index = source.lower().find(needle.lower())
    return source.count("\n", 0, index) + 1 if index >= 0 else 1


def findings_for(html: str, source: str, path: str) -> list[Finding]:
    return sorted({Finding(path, _line(source, needle), message, fix) for needle, message, fix in violations(html)})


class SafetyPlugin(BasePlugin):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._findings: list[Finding] = []

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        self._findings = []
        return files

    @event_priority(-50)  # after every other content change: what is checked is what is published
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        real = getattr(page.file, "locale", None) == config.plugins["i18n"].current_language
        if real and page.file.abs_src_path:
            source_path = Path(page.file.abs_src_path)
            source = source_path.read_text(encoding="utf-8")
            self._findings += findings_for(html, source, display_path(source_path, Path.cwd()))
        return clean(html)

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        if self._findings:
            raise PluginError(str(ContentError(self._findings)))
        return env
