"""MkDocs plugin ``vnportal/preview``: a build reviewers open from a downloaded ZIP (``make preview``).

Opened from ``file://``, a browser neither resolves ``folder/`` to ``folder/index.html`` nor lets a page fetch
its search index. With ``enabled`` (``PORTAL_PREVIEW=true``) the build links every page by its file
(``use_directory_urls: false``, relative links, the language menu included, no hreflang alternates naming
the public site), shows a notice on the search
page instead of the search form, and leaves out what only a server uses: compressed copies and the CMS.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from jinja2 import Environment, pass_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from vnportal.core.site import Site
from vnportal.plugins.preview.config import PreviewConfig


class PreviewPlugin(BasePlugin[PreviewConfig]):
    supports_multiple_instances = False

    @event_priority(100)  # before static-i18n builds its language menu from use_directory_urls
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """In a preview build, links pages by their file (``use_directory_urls: false``) and turns off the compressed
        copies and the CMS."""
        if self.config.enabled:
            config.use_directory_urls = False
            for name, option, value in (
                ("vnportal/serving", "precompress", False),
                ("vnportal/cms", "enabled", False),
            ):
                plugin: Any = config.plugins.get(name)
                if plugin is not None:
                    plugin.config[option] = value
        return config

    @event_priority(-50)  # after vnportal/i18n_seo computed the page's languages
    def on_page_context(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any]:
        """In a preview build, drops the hreflang alternates and links the canonical page relatively: the preview names
        no public address.

        Material's language menu would try to fetch a sitemap beside each alternate; its own links are relative and
        are what a reviewer clicks. The canonical page (a fallback's "original" link) is linked relatively too."""
        portal = context.get("portal")
        if self.config.enabled and portal and "info" in portal:
            info = portal["info"]
            canonical = info.canonical
            if config.site_url and canonical.startswith(config.site_url):
                canonical = get_relative_url(canonical[len(config.site_url) :] or "index.html", page.url)
            portal["info"] = dataclasses.replace(info, alternates=(), x_default=None, canonical=canonical)
        return context

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """Tells the templates whether this is a preview, and in one links a folder by its index.html (from file:// a
        folder is a directory listing)."""
        env.globals["portal_preview"] = self.config.enabled
        if self.config.enabled:
            site = Site.of(config)
            prefix = site.prefix(site.lang)
            pages = {f.dest_uri for f in files} | {f.dest_uri.removeprefix(prefix) for f in files}  # all mirror
            env.filters["url"] = _file_urls(env.filters["url"], pages)
        return env


def _file_urls(url: Callable[..., str], built: set[str]) -> Callable[..., str]:
    """Material's and the portal's templates link folders (``data/<id>/``, ``news/page/2/``): from file://
    a folder is a directory listing, so a folder whose index.html is built (in this language or, the trees
    mirroring each other, the default one) is linked by that file."""

    @pass_context
    def file_url(context: Any, value: str) -> str:
        path, mark, fragment = str(value).partition("#")
        if path.endswith("/") and f"{path.lstrip('/')}index.html" in built:
            path += "index.html"
        return url(context, path + mark + fragment)

    return file_url
