"""MkDocs plugin ``vnportal/checks``: ``make check``'s per-file checks on every page the build reads.

A page that would not pass ``make check`` does not get published by a build that skipped it: its findings
(encoding, characters, front matter, text) are collected while pages are read and fail the build at
``env``, all at once.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from vnportal.content.checks import check_file
from vnportal.core.findings import Finding, FindingsError
from vnportal.core.site import Site


class ChecksPlugin(BasePlugin):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._findings: list[Finding] = []

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Clears the previous language build's page findings."""
        self._findings = []
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Runs ``make check``'s per-file checks (encoding, characters, front matter, text) on each page that exists in
        the language being built; its findings fail the build at ``on_env``.

        A fallback copy is checked in its own language's build; a page from the render cache was checked when stored."""
        cache = config.plugins.get("vnportal/render_cache")
        reused = cache is not None and cache.reused(page)  # passed these checks when it was cached
        if (
            Site.of(config).is_translation(page) and page.file.abs_src_path and not reused
        ):  # fallbacks: in their own build
            self._findings.extend(check_file(Path(page.file.abs_src_path), Path.cwd()))
        return markdown

    def drain_findings(self) -> list[Finding]:
        """The findings collected from pages since the language build started (or since the last call), cleared
        (``vnportal.core.findings.PageFindings``)."""
        found, self._findings = self._findings, []
        return found

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """Fails the build with every page's findings at once, before any page is written."""
        if self._findings:
            raise PluginError(str(FindingsError(self._findings)))
        return env
