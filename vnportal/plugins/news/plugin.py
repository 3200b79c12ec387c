"""MkDocs plugin ``vnportal/news``: news and press releases, listed newest first and syndicated.

A national portal publishes news for years: thousands of items. So that no page grows with them, news
items are not entries of the navigation (the news page lists them, the feeds syndicate them), and the
listing shows ``per_page`` items per page: ``/news/``, then ``/news/page/2/`` and on, in every language,
with the untranslated items of the default language marked as such. Each language gets an Atom feed of
its own items (``/news/feed.xml``, ``/en/news/feed.xml``, …).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

from babel import Locale
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from vnportal.content import feeds
from vnportal.core.compat import file_language
from vnportal.core.generated import in_every_language
from vnportal.core.languages import absolute, local_date
from vnportal.core.site import Site
from vnportal.plugins.news.config import NewsConfig


class NewsPlugin(BasePlugin[NewsConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._items: list[feeds.NewsItem] = []
        self._pages = 1  # listing pages, the same in every language

    def _count(self, docs_dir: Path, languages: list[str]) -> int:
        """News items of the site: every path under a language's news folder (fallbacks fill the gaps)."""
        paths = {
            p.relative_to(docs_dir / lang).as_posix()
            for lang in languages
            for p in (docs_dir / lang / self.config.news_dir).rglob("*.md")
            if p.name != "index.md"
        }
        return len(paths)

    def _listing(self, number: int) -> str:
        return f"{self.config.news_dir}/" if number == 1 else f"{self.config.news_dir}/page/{number}/"

    @event_priority(-110)  # after static-i18n (-100) has sorted the language's files
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Adds the news listing pages 2 to n (``news/page/<n>/``) in every language, as many as the site's news
        items need."""
        site = Site.of(config)
        languages = site.build_languages
        self._pages = max(1, math.ceil(self._count(Path(config.docs_dir), languages) / self.config.per_page))
        for number in range(2, self._pages + 1):
            meta = {}
            for code in site.languages:
                ui = site.ui(code)
                title = f"{ui['news_feed']} — {ui['news_page'].format(page=number)}"
                meta[code] = {"title": title, "description": title, "type": "listing", "listing_page": number}
            files.append(in_every_language(config, f"{self._listing(number)}index.md", meta, in_nav=False))
        return files

    @event_priority(-140)  # after static-i18n (-100), before the portal orders the sections (-150)
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Takes the news items out of the navigation: the news section shows its listing page alone, so that no page
        grows with years of news."""
        for item in nav.items:
            if isinstance(item, Section):
                item.children = [
                    child
                    for child in item.children
                    if not (isinstance(child, Page) and self._is_item(child.file.src_uri))
                ]
        return nav

    def _is_item(self, src_uri: str) -> bool:
        parts = src_uri.split("/")
        return len(parts) > 2 and parts[1] == self.config.news_dir and parts[-1] != "index.md"

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Collects this language's news items (its own and the originals of the rest), newest first, now that every
        page's front matter is read: the listings, the feed and the home page use them."""
        lang = Site.of(config).lang
        items = []
        for file in files.documentation_pages():
            page = file.page
            if page is None or page.meta.get("type") != "news":
                continue
            published = page.meta["date"]
            items.append(
                feeds.NewsItem(
                    title=page.meta["title"],
                    description=page.meta["description"],
                    url=absolute(config.site_url, file.url),
                    published=published,
                    updated=page.meta.get("updated", published),
                    lang=file_language(file, lang),
                    path=file.url,
                )
            )
        self._items = feeds.newest_first(items)
        return env

    def latest(self, count: int) -> list[feeds.NewsItem]:
        """The newest items shown in the language being built (its own, and the originals of the rest)."""
        return self._items[:count]

    def _feed(self, config: MkDocsConfig) -> str:
        site = Site.of(config)
        return f"{site.prefix(site.lang)}{self.config.news_dir}/{self.config.feed_file}"

    def _empty(self, config: MkDocsConfig) -> dict[str, Any]:
        """What every template may use: the language's feed; listings add their entries and pages."""
        return {"feed": self._feed(config), "entries": [], "pages": []}

    def on_page_context(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any]:
        """Gives every page the language's feed address, and a listing page its share of the items (an untranslated
        one marked with its language) and the links to the other listing pages."""
        context["portal_news"] = self._empty(config)
        if page.meta.get("type") != "listing":
            return context
        site = Site.of(config)
        lang, prefix = site.lang, site.prefix(site.lang)
        number = int(page.meta.get("listing_page", 1))
        shown = self._items[(number - 1) * self.config.per_page : number * self.config.per_page]
        context["portal_news"] |= {
            "entries": [
                {
                    "item": item,
                    "date": local_date(item.published, lang),
                    "foreign": item.lang != lang,
                    "language": Locale.parse(item.lang).get_display_name(lang),
                }
                for item in shown
            ],
            "page": number,
            "pages": [(n, f"{prefix}{self._listing(n)}") for n in range(1, self._pages + 1)] if self._pages > 1 else [],
        }
        return context

    def on_template_context(
        self, context: dict[str, Any], *, template_name: str, config: MkDocsConfig
    ) -> dict[str, Any]:
        """Gives the pages made from templates alone (404.html) the language's feed address."""
        context["portal_news"] = self._empty(config)
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Writes this language's Atom feed with its own items only (a fallback is not news in this language), unless
        the language is kept as the previous build left it."""
        site = Site.of(config)
        lang = site.lang
        if lang in site.kept_languages:  # the default language, kept: the main build read none of its pages
            return
        own = [item for item in self._items if item.lang == lang]
        news_home = f"{config.site_url}{site.prefix(lang)}{self.config.news_dir}/"
        data = feeds.atom_feed(
            feed_url=f"{news_home}{self.config.feed_file}",
            home_url=news_home,
            title=f"{config.site_name} — {config.extra['ui']['news_feed']}",
            lang=lang,
            author=config.site_author or config.site_name,
            items=own,
            limit=self.config.feed_size,
            empty_updated=max((item.updated for item in self._items), default=dt.date(1970, 1, 1)),
        )
        out = Path(config.site_dir) / self._feed(config)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
