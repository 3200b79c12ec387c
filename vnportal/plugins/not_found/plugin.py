"""MkDocs plugin ``vnportal/not_found``: one 404 page per language.

MkDocs writes the 404 page of every language build to the same ``site/404.html``: each language after the
default one writes its own to ``<lang>/404.html`` instead (the server answers a missing address under
``/<lang>/`` with it), so ``site/404.html`` is the default language's alone, and stays as it was when that
language is kept.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority

from vnportal.core.site import Site

NOT_FOUND = "404.html"


class NotFoundPlugin(BasePlugin):
    supports_multiple_instances = False

    @event_priority(-100)  # after the serving plugin added its policy: keep the final bytes
    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        """Keeps one 404 page per language: MkDocs would write each language's to site/404.html, so the others' go to
        ``<lang>/404.html``; the default one's is written where MkDocs writes it, unless the language is kept."""
        if template_name != NOT_FOUND:
            return output_content
        site = Site.of(config)
        if site.default_build:
            return "" if site.lang in site.kept_languages else output_content  # MkDocs writes no empty page
        target = Path(config.site_dir) / site.prefix(site.lang) / NOT_FOUND
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(output_content, encoding="utf-8")
        return ""
