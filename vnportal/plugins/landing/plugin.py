"""MkDocs plugin ``vnportal/landing``: the home page and the sections' landing pages, built from front matter,
navigation, news and data (no language's HTML is written by hand).

- ``type: home`` selects ``home.html``: a hero with the mark, the title, ``tagline`` and the main ``paths``
  (pages of the language), the Markdown introduction, the key ``figures`` (vnportal/facts), the top-level
  sections as cards, the latest news as cards and a ``featured_dataset``.
- A section's index page shows the section's other pages as cards (title, description, picture).

Every card has a picture: the page's credited image when it has one, else its own illustration
(vnportal.brand.illustrations, seeded by the page's path: different for each page, the same every build).
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from vnportal.brand import illustrations
from vnportal.content.sections import folder_of
from vnportal.core.compat import norm_src_uri
from vnportal.core.languages import local_date
from vnportal.core.site import Site
from vnportal.plugins.landing.config import LandingConfig

#: Templates whose pages list their own children (the data catalog lists its datasets itself).
SELF_LISTING = ("data-catalog.html", "dataset.html", "status.html", "search.html")


def _norm(page: Page) -> str:
    return norm_src_uri(page.file)


def _index_page(item: Section | Page) -> Page | None:
    if isinstance(item, Page):
        return item
    return next((child for child in item.children if isinstance(child, Page)), None)


def card(page: Page, title: str | None = None) -> dict[str, Any]:
    """A page as a card: its title, address, description and picture."""
    return {
        "title": title or page.title,
        "url": page.url,
        "description": page.meta.get("description", ""),
        "image": page.meta.get("portal_card_image"),  # set by vnportal/media for a page with an image
        "art": illustrations.inline(_norm(page)),
    }


def _short_title(page: Page) -> str:
    """A section's index page goes by the section's (navigation) title: "Open data", not the page's title."""
    section = page.parent
    if isinstance(section, Section) and _index_page(section) is page:
        return section.title
    return page.title


class LandingPlugin(BasePlugin[LandingConfig]):
    supports_multiple_instances = False

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Gives the page with ``type: home`` the home.html template."""
        if page.meta.get("type") == "home":
            page.meta["template"] = "home.html"
        return markdown

    def _home(self, page: Page, nav: Navigation, config: MkDocsConfig) -> dict[str, Any]:
        site = Site.of(config)
        lang = site.lang
        by_path = {_norm(p): p for p in nav.pages}
        paths = [by_path[path] for path in page.meta.get("paths") or [] if path in by_path]
        sections = []
        for item in nav.items:
            index = _index_page(item)
            if index is None or index is page or folder_of(item) in ("", "status"):
                continue
            sections.append(card(index, item.title) | {"art": illustrations.inline(folder_of(item))})
        news_plugin = config.plugins.get("vnportal/news")
        news = []
        for item in news_plugin.latest(self.config.news_on_home) if news_plugin else []:
            news.append({
                "title": item.title,
                "url": item.path,
                "description": item.description,
                "date": local_date(item.published, lang),
                "date_iso": item.published.isoformat(),
                "lang": item.lang if item.lang != lang else "",
                "art": illustrations.inline(item.path),
            })  # fmt: skip
        dataset = None
        data = config.plugins.get("vnportal/data")
        if data is not None and page.meta.get("featured_dataset"):
            dataset = data.card(str(page.meta["featured_dataset"]), lang, config)
            if dataset is not None:
                dataset["art"] = illustrations.inline(dataset["url"], "rings")
        return {
            "art": illustrations.inline(f"home:{lang}", "drum"),
            "paths": [{"title": _short_title(p), "url": p.url} for p in paths],
            "sections": sections,
            "news": news,
            "news_url": f"{site.prefix(lang)}{news_plugin.config.news_dir}/" if news_plugin else "",
            "dataset": dataset,
        }

    def _cards(self, page: Page) -> list[dict[str, Any]]:
        """The other pages of the section this page is the index of."""
        section = page.parent
        if not isinstance(section, Section) or _index_page(section) is not page or not _norm(page).endswith("index.md"):
            return []
        if folder_of(section) in self.config.no_cards or page.meta.get("template") in SELF_LISTING:
            return []
        cards = []
        for child in section.children:
            index = _index_page(child)
            if index is not None and index is not page:
                cards.append(card(index, child.title if isinstance(child, Section) else None))
        return cards

    @event_priority(-60)  # after the news and data plugins have set up this language's items
    def on_page_context(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any]:
        """Gives the home page its paths, section cards, latest news and featured dataset, and a section's index page
        the cards of the section's other pages."""
        context["portal_home"] = self._home(page, nav, config) if page.meta.get("type") == "home" else None
        context["portal_cards"] = self._cards(page)
        return context
