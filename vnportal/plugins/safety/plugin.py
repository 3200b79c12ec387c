"""MkDocs plugin ``vnportal/safety``: nothing unsafe from Markdown reaches the published HTML.

Every page's rendered HTML goes through nh3 (the Rust ammonia sanitiser) with an allowlist of what
Markdown and its extensions produce. Anything the allowlist would remove is also reported as a finding
with the source line, so the build fails and the editor learns what to change: silently dropping part of
a page would hide the problem.

The one kind of frame allowed is a video from a service listed under ``video_embeds`` in mkdocs.yml:
the editor pastes the service's embed code, and the page gets a click-to-load link instead, so that
nothing is requested from the service until the visitor presses play (portal.js swaps in the player).
"""

from __future__ import annotations

import html as html_lib
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import nh3
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from vnportal.content.tree import tree_findings
from vnportal.core.findings import Finding, FindingsError, display_path
from vnportal.core.messages import N_, tr
from vnportal.plugins.safety.config import SafetyConfig

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "picture", "pre", "q", "s", "samp", "small", "source", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
}  # fmt: skip
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href", "hreflang", "type", "download", "data-embed", "data-title", "aria-label"},
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

#: (pattern, where to look in the source, message, fix): the messages are translated where reported.
DANGER = (
    (re.compile(r"<(script|style|iframe|object|embed|form|input|button|textarea|select|link|meta|base|svg|math|frame|frameset)\b", re.I),
     "<{0}", N_("raw <{name}> is not allowed in content"),
     N_("remove it; for a video, paste the embed code of a service listed under video_embeds in mkdocs.yml")),
    (re.compile(r"\s(data-embed)\s*=", re.I), "{0}", N_("attribute {name} is reserved for the build's video embeds"),
     N_("paste the video service's embed code (<iframe …>) instead")),
    (re.compile(r"\s(on[a-z]+)\s*=", re.I), "{0}", N_("event handler attribute {name} is not allowed"), N_("remove the attribute")),
    (re.compile(r"""(?:href|src|srcset|action|formaction)\s*=\s*["']?\s*((?:javascript|vbscript|data)\s*:)""", re.I),
     "{0}", N_("a {name} URL is not allowed"), N_("link to an https:// address or a page of the site")),
    (re.compile(r"<(?!th\b|td\b)([a-z0-9]+)\b[^>]*\sstyle\s*=", re.I), "style=", N_("inline style on <{name}> is not allowed"),
     N_("use the site's styles (Markdown, attr_list classes)")),
)  # fmt: skip


IFRAME_RE = re.compile(r"<iframe\b[^>]*>\s*</iframe>", re.I)


class _Attributes(HTMLParser):
    """The attributes of one pasted start tag, decoded the way a browser would."""

    def __init__(self, tag: str) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: dict[str, str] = {}
        self.feed(tag)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs = {name: value or "" for name, value in attrs}


def video_services(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ``video_embeds`` entries of mkdocs.yml, checked and compiled; ValueError names a bad one."""
    services = []
    for index, service in enumerate(entries):
        where = f"mkdocs.yml: plugins.vnportal/safety.video_embeds[{index}] ({service.get('name')})"
        try:
            pattern = re.compile(service["match"])
        except re.error as exc:
            raise ValueError(tr("{where}: 'match' is not a valid regular expression ({error}) — fix the pattern",
                                where=where, error=exc)) from None  # fmt: skip
        embed = service["embed"]
        if "id" not in pattern.groupindex or "{id}" not in embed or not embed.startswith("https://"):
            raise ValueError(tr("{where}: 'match' needs a group (?P<id>...) and 'embed' an https:// address with {{id}}",
                                where=where))  # fmt: skip
        services.append({"name": service["name"], "pattern": pattern, "embed": embed, "link": service["link"]})
    return services


def video_link(service: dict[str, Any], video_id: str, title: str, ui: dict[str, str]) -> str:
    """A click-to-load video: a link to the service's page that portal.js turns into the player."""
    text = ui["play"].format(title=title, service=service["name"])
    note = ui["notice"].format(service=service["name"])
    return (
        f'<figure class="portal-video"><a class="portal-video__link" href="{html_lib.escape(service["link"].format(id=video_id))}" '
        f'data-embed="{html_lib.escape(service["embed"].format(id=video_id))}" data-title="{html_lib.escape(title)}">'
        f'<span class="portal-video__play"></span><span>{html_lib.escape(text)}</span></a>'
        f"<figcaption>{html_lib.escape(note)}</figcaption></figure>"
    )


def embed_videos(html: str, services: list[dict[str, Any]], ui: dict[str, str] | None) -> str:
    """Replace the pasted embed codes of allowlisted services (by nothing if ``ui`` is None, to judge what is
    left); leave any other frame for the policy to report."""

    def replace(match: re.Match[str]) -> str:
        attrs = _Attributes(match.group()).attrs
        for service in services:
            found = service["pattern"].match(attrs.get("src", "").strip())
            if found:
                title = attrs.get("title", "").strip()
                return "" if ui is None else video_link(service, found["id"], title or ui["untitled"], ui)
        return match.group()

    return IFRAME_RE.sub(replace, html)


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


def _mark_toc(items: list[AnchorLink]) -> None:
    """TOC titles are Python-Markdown's escaped heading text; tags are dropped again so that nothing but
    text and entities can be printed from them."""
    for item in items:
        if not isinstance(item.title, Markup):
            item.title = Markup(nh3.clean(item.title, tags=set()))
        _mark_toc(item.children)


def violations(html: str) -> list[tuple[str, str, str]]:
    """(needle to find in the source, message, fix) for everything the policy forbids."""
    found = []
    for pattern, needle, message, fix in DANGER:
        for match in pattern.finditer(html):
            name = match.group(1).lower()
            found.append((needle.format(name), tr(message, name=name), tr(fix)))
    return found


def _line(source: str, needle: str) -> int:
    index = source.lower().find(needle.lower())
    return source.count("\n", 0, index) + 1 if index >= 0 else 1


def findings_for(html: str, source: str, path: str) -> list[Finding]:
    return sorted({Finding(path, _line(source, needle), message, fix) for needle, message, fix in violations(html)})


class SafetyPlugin(BasePlugin[SafetyConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._findings: list[Finding] = []
        self._services: list[dict[str, Any]] = []

    @property
    def frame_origins(self) -> list[str]:
        """Where the allowlisted players live: the only frames the Content-Security-Policy permits."""
        return sorted({"{0.scheme}://{0.netloc}".format(urlsplit(s["embed"])) for s in self.config.video_embeds})

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        try:
            self._services = video_services([dict(service) for service in self.config.video_embeds])
        except ValueError as exc:
            raise PluginError(str(exc)) from None
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Before MkDocs collects (and copies) the docs tree: nothing it would publish may be executable or
        come from outside the tree (vnportal.content.tree); the same findings as ``make check``."""
        if config.plugins["i18n"].building:
            return  # the outermost build checked the whole tree
        if findings := tree_findings(Path(config.docs_dir), Path.cwd()):
            raise PluginError(str(FindingsError(findings)))

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        self._findings = []
        return files

    @event_priority(-50)  # after every other content change: what is checked is what is published
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        videos = bool(self._services) and "<iframe" in html
        real = getattr(page.file, "locale", None) == config.plugins["i18n"].current_language
        judged = embed_videos(html, self._services, None) if videos else html
        if real and page.file.abs_src_path and violations(judged):  # the source only to say on which line
            source_path = Path(page.file.abs_src_path)
            source = source_path.read_text(encoding="utf-8")
            self._findings += findings_for(judged, source, display_path(source_path, Path.cwd()))
        if videos:
            html = embed_videos(html, self._services, config.extra["ui"]["video"])
        return clean(html)

    @event_priority(-900)  # after every plugin that sets page.content: what is marked is what was sanitised
    def on_page_context(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any]:
        """The templates escape every value (autoescape): the page's sanitised HTML and its table of
        contents are the only editor-derived values they may print as markup."""
        page.content = Markup(page.content or "")
        _mark_toc(page.toc)
        return context

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        if self._findings:
            raise PluginError(str(FindingsError(self._findings)))
        return env
