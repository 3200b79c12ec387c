"""MkDocs plugin ``vnportal/i18n_seo``: the multilingual head, fallbacks, sitemap.xml and robots.txt, and the
official contact details.

It runs beside mkdocs-static-i18n, which builds one language after another in nested builds.
Per-language work happens in the usual events; site-wide outputs (sitemap, robots.txt) are
written once, after the last language, by a low-priority ``on_post_build``.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging
import re
from pathlib import Path
from typing import Any

from babel import Locale
from babel.numbers import format_decimal
from jinja2 import Environment
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from vnportal.core import compat
from vnportal.core.config import CONTACT_KEYS
from vnportal.core.languages import (
    PageLanguages,
    is_cjk,
    local_date,
    og_locale,
    page_languages,
    url_prefix,
)
from vnportal.core.site import Site
from vnportal.plugins.i18n_seo import sitemap
from vnportal.plugins.i18n_seo.config import PortalConfig

log = get_plugin_logger(__name__)

SERVE_POLL_SECONDS = 0.1
FIRST_PARAGRAPH_RE = re.compile(r"<p>(.*?)</p>", re.DOTALL)


def _quiet_overrides(record: logging.LogRecord) -> bool:
    message = str(record.msg)
    return not (" config '" in message and ("Updating '" in message or "Overriding '" in message))


class PortalPlugin(BasePlugin[PortalConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._sitemap: dict[str, list[sitemap.SitemapEntry]] = {}  # per language, merged in config order
        self._suggest: dict[str, dict[str, str]] = {}  # each language's "read this page in ..." strings

    # -- helpers ---------------------------------------------------------------------------------

    def _localdate(self, value: dt.date | None, config: MkDocsConfig) -> str:
        return local_date(value, Site.of(config).lang)

    # -- events ----------------------------------------------------------------------------------

    def site_inputs(self, config: MkDocsConfig) -> list[Path]:
        """The audit results the accessibility statement prints (vnportal.plugins.render_cache.plugin.SiteInputs)."""
        return [Path(config.config_file_path).parent / self.config.audit_file]

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Hushes static-i18n's log of every language's configuration overrides (pages of INFO lines per build)."""
        # static-i18n logs every language's whole extra/site_name overrides at INFO: pages of noise.
        logging.getLogger(compat.STATIC_I18N_RECONFIGURE_LOGGER).addFilter(_quiet_overrides)

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        """Makes ``mkdocs serve`` poll the watched files every 0.1 s instead of every half second, so that a save
        shows sooner."""
        compat.poll_every(server, SERVE_POLL_SECONDS)
        return server

    @event_priority(90)  # a wrong link stops the build before static-i18n (-100) makes the language menu from it
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Checks that each language's static-i18n ``link`` is the folder its pages are written to and takes
        sitemap.xml over from MkDocs and static-i18n."""
        site = Site.of(config)
        for code in site.languages:  # static-i18n writes a language's pages in its folder, whatever link says
            folder = url_prefix(code, site.default)
            if site.prefix(code) != folder:
                raise PluginError(
                    f"mkdocs.yml: plugins.i18n.languages[{code}].link is {site.language_config(code).link!r}, "
                    f"but the pages of {code} are written under /{folder} — remove link or set it to /{folder}"
                )
        # The sitemap (with real alternates only) is ours; stop MkDocs/static-i18n writing theirs.
        config.theme.static_templates.discard("sitemap.xml")
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Starts a new sitemap when a site's main build begins (the language builds add their entries to it)."""
        if Site.of(config).main_build:  # outermost build: a new site begins
            self._sitemap = {}

    # -- vnportal.plugins.parallel.plugin.LanguageState: the sitemap entries of a language built in another process or
    # kept from the previous build

    def language_state(self, lang: str) -> list[list]:
        return [entry.as_json() for entry in self._sitemap.get(lang, [])]

    def merge_language_state(self, lang: str, state: list[list]) -> None:
        self._sitemap[lang] = [sitemap.SitemapEntry.from_json(item) for item in state]

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Gives a page without a ``description`` (an imported page without front matter) the start of its first
        paragraph, for its meta description and its card."""
        if not page.meta.get("description"):
            # Pages without front matter (imported trees): describe them by their first paragraph.
            first = FIRST_PARAGRAPH_RE.search(html)
            text = Markup(first.group(1)).striptags() if first else page.title or ""
            page.meta["description"] = text[:200].rsplit(" ", 1)[0] if len(text) > 200 else text
        return html

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """Gives this language's templates the date and number filters; fails on missing ``extra.ui`` strings."""
        env.filters["localdate"] = lambda value: self._localdate(value, config)
        env.filters["localnumber"] = lambda value: format_decimal(value, locale=Site.of(config).lang)
        site = Site.of(config)
        self._suggest = {code: site.ui(code)["suggest"] for code in site.build_languages}
        return env

    def on_page_context(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any]:
        """Gives each page the language facts its head and footer print (canonical, hreflang alternates, Open Graph
        locales, local dates, contact) and records its sitemap entry unless it is a fallback."""
        site = Site.of(config)
        lang = site.lang
        info = page_languages(page.file, lang, site.build_languages, site.default, config.site_url)
        page.canonical_url = info.canonical
        meta = page.meta
        last = meta.get("updated") or meta.get("date")
        if not info.is_fallback:
            entry = sitemap.SitemapEntry(info.url, last, info.alternates, info.x_default)
            self._sitemap.setdefault(lang, []).append(entry)
        context["portal"] = {
            "lang": lang,
            "info": info,
            "source_name": Locale.parse(info.source_lang).get_display_name(lang),
            "og_locale": og_locale(lang),
            "cjk": is_cjk(lang),  # the CJK web fonts (overrides/main.html): zh, ja, ko, by script not by name
            "og_alternates": [og_locale(code) for code, _ in info.alternates if code != lang],
            "published": self._localdate(meta.get("date"), config),
            "published_iso": meta["date"].isoformat() if isinstance(meta.get("date"), dt.date) else "",
            "updated": self._localdate(meta.get("updated"), config),
            "updated_iso": meta["updated"].isoformat() if isinstance(meta.get("updated"), dt.date) else "",
            # For the visitor whose browser prefers another language this page exists in (portal.js)
            "suggest": {code: self._suggest[code] for code, _ in info.alternates if code != lang},
            "contact": [{"key": key, "value": self.config.contact[key]} for key in CONTACT_KEYS],
            "audit": self._audit(config) if page.meta.get("generated") == "accessibility" else None,
        }
        return context

    def _audit(self, config: MkDocsConfig) -> dict[str, Any] | None:
        path = Path(config.config_file_path).parent / self.config.audit_file
        try:
            audit = json.loads(path.read_text(encoding="utf-8"))
            audit["date"] = dt.date.fromisoformat(audit["date"])
            return audit
        except (OSError, ValueError, KeyError, TypeError):
            return None  # no audit recorded yet: the page says so

    def on_template_context(
        self, context: dict[str, Any], *, template_name: str, config: MkDocsConfig
    ) -> dict[str, Any]:
        """Gives the pages made from templates alone (404.html) the language facts the head needs, and resets the
        language menu to each language's home page."""
        menu = Site.of(config).language_menu
        if menu:
            # static-i18n sets the language menu as an attribute of config.extra for each page and resets it
            # only for the next page, so a template built after another language's pages would offer that
            # language's last page: offer each language's home page, the way static-i18n sets it.
            config.extra.alternate = copy.deepcopy(menu)
        lang = Site.of(config).lang
        url = f"{config.site_url}{Site.of(config).prefix(Site.of(config).lang)}{template_name}"
        context["portal"] = {
            "lang": lang,
            "info": PageLanguages(lang, lang, url, url, (), None),
            "og_locale": og_locale(lang),
            "cjk": is_cjk(lang),
            "og_alternates": [],
        }
        return context

    @event_priority(-200)  # after static-i18n (-100) has built every language
    def _write_site_files(self, *, config: MkDocsConfig) -> None:
        """Writes the site-wide files once every language is built (main build): sitemap.xml with real alternates (and
        each language's own), robots.txt; an unchanged site's are there."""
        if not Site.of(config).main_build or Site.of(config).unchanged:
            return
        site = Path(config.site_dir)
        default = Site.of(config).default
        languages = Site.of(config).build_languages
        entries = [entry for lang in languages for entry in self._sitemap.get(lang, [])]
        (site / "sitemap.xml").write_bytes(sitemap.sitemap_xml(entries))
        for lang in languages:  # Material's language menu reads <language>/sitemap.xml (a kept language has it)
            if lang != default and lang not in Site.of(config).kept_languages:
                target = site / Site.of(config).prefix(lang) / "sitemap.xml"
                target.write_bytes(sitemap.sitemap_xml(self._sitemap.get(lang, [])))
        (site / "robots.txt").write_text(sitemap.robots_txt(config.site_url), encoding="utf-8")
        log.info(f"Wrote sitemap.xml with {len(entries)} pages")

    on_post_build = _write_site_files
