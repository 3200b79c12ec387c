"""MkDocs plugin ``vnportal/navigation``: one section per folder in the configured order, the footer's pages
apart, and navigation items rendered at a constant cost per page (``navigation.py``)."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from vnportal.plugins.navigation.config import NavigationConfig
from vnportal.plugins.navigation.navigation import item_cache, order_top_level, split_section


class NavigationPlugin(BasePlugin[NavigationConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._footer: list[Page] = []  # this language's footer pages (footer_section), titled once read

    @event_priority(-150)  # after static-i18n (-100) has built the language's navigation
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Orders the top-level sections as ``sections_order`` says and moves the ``footer_section`` out of the
        navigation into the footer links."""
        order_top_level(nav, self.config.sections_order)
        if self.config.footer_section:
            nav.items, footer = split_section(nav.items, self.config.footer_section)
            self._footer = footer
        return nav

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """Gives this language's templates a new navigation item cache (``portal_nav_item``)."""
        env.globals["portal_nav_item"] = item_cache()
        return env

    def on_page_context(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any]:
        """Gives each page the footer links (``portal_footer``): the ``footer_section``'s pages, titled."""
        context["portal_footer"] = self._footer_links()
        return context

    def on_template_context(
        self, context: dict[str, Any], *, template_name: str, config: MkDocsConfig
    ) -> dict[str, Any]:
        """Gives the pages made from templates alone (404.html) the footer links (``portal_footer``)."""
        context["portal_footer"] = self._footer_links()
        return context

    def _footer_links(self) -> list[dict[str, str]]:
        return [{"title": page.title or "", "url": page.url} for page in self._footer]
