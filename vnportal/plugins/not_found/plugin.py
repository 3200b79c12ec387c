"""MkDocs plugin ``vnportal/not_found``: one 404 page per language.

MkDocs writes the 404 page of every language build to the same ``site/404.html``: each language after the
default one keeps its own at ``<lang>/404.html`` (the server answers a missing address under ``/<lang>/``
with it), and the default language's is written again once every language is built.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority

from vnportal.core.site import Site

NOT_FOUND = "404.html"


class NotFoundPlugin(BasePlugin):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._default: str | None = None  # the default language's 404 page, as its build wrote it

    @event_priority(-100)  # after the serving plugin added its policy: keep the final bytes
    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        """Keeps one 404 page per language: MkDocs writes each language's to site/404.html, so the others' go to
        ``<lang>/404.html`` and the default one's is put back at the end."""
        if template_name != NOT_FOUND:
            return output_content
        site = Site.of(config)
        if site.default_build:
            self._default = output_content
        else:
            target = Path(config.site_dir) / site.prefix(site.lang) / NOT_FOUND
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(output_content, encoding="utf-8")
        return output_content

    @event_priority(-200)  # after static-i18n (-100) has built every language (and written their 404.html over it)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Writes the default language's 404.html again once every language is built (main build)."""
        if Site.of(config).main_build and self._default is not None:
            (Path(config.site_dir) / NOT_FOUND).write_text(self._default, encoding="utf-8")
