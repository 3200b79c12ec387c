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

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from vnportal.content.htmlpolicy import clean, embed_videos, findings_for, mark_toc, video_services, violations
from vnportal.content.tree import tree_findings
from vnportal.core.findings import Finding, FindingsError, display_path
from vnportal.core.site import Site
from vnportal.plugins.safety.config import SafetyConfig


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
        """Checks and compiles the ``video_embeds`` services of mkdocs.yml; a bad one stops the build with its
        position."""
        try:
            self._services = video_services([dict(service) for service in self.config.video_embeds])
        except ValueError as exc:
            raise PluginError(str(exc)) from None
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Fails the build before MkDocs collects and copies the docs tree if anything it would publish is executable or
        comes from outside the tree (main build; the findings of ``make check``).

        vnportal.content.tree says what may be published."""
        if not Site.of(config).main_build:
            return  # the outermost build checked the whole tree
        if findings := tree_findings(Path(config.docs_dir), Path.cwd()):
            raise PluginError(str(FindingsError(findings)))

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Starts a language build with no findings."""
        self._findings = []
        return files

    @event_priority(-50)  # after every other content change: what is checked is what is published
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Sanitises every page's HTML with nh3 after every other content change, and reports what the allowlist
        removes as a finding with its source line; allowlisted video embeds become click-to-load links."""
        videos = bool(self._services) and "<iframe" in html
        real = Site.of(config).is_translation(page)
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
        """Marks the page's sanitised HTML and its table of contents as markup: the only editor-derived values the
        autoescaping templates may print unescaped."""
        page.content = Markup(page.content or "")
        mark_toc(page.toc)
        return context

    def drain_findings(self) -> list[Finding]:
        """The findings collected from pages since the language build started (or since the last call), cleared
        (``vnportal.core.findings.PageFindings``)."""
        found, self._findings = self._findings, []
        return found

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        """Fails the build with every page's unsafe markup at once, before any page is written."""
        if self._findings:
            raise PluginError(str(FindingsError(self._findings)))
        return env
