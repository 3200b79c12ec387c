"""MkDocs plugin ``vnportal/status``: translation status per language at /status/ and in /status.json.

The measure editors and managers use: for every Vietnamese page, whether each language has an
up-to-date translation, a stale one (the source changed since), an untracked one (never stamped: nothing
says which version of the original it matches, so it counts as to do, not as translated), or none.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from vnportal.content.translations import PageStatus, remembered_status
from vnportal.core.cache import tools_digest
from vnportal.core.generated import in_every_language
from vnportal.core.site import Site

STATES = ("translated", "stale", "untracked", "missing")
#: What the /status/ page lists, most urgent first: a stale translation misleads readers, a missing one leaves them
#: the original, an untracked one is probably right but unproven.
TODO_ORDER = ("stale", "missing", "untracked")
#: At most this many of them on the page, so that it stays a page (under 40 KB) on a site of thousands of pages;
#: status.json has them all.
TODO_SHOWN = 150


def todo(statuses: list[PageStatus], shown: int = TODO_SHOWN) -> tuple[list[PageStatus], int]:
    """The translations still to do, most urgent first, at most ``shown`` of them; and how many more there are."""
    waiting = sorted((s for s in statuses if s.state in TODO_ORDER), key=lambda s: TODO_ORDER.index(s.state))
    return waiting[:shown], max(len(waiting) - shown, 0)


class StatusPlugin(BasePlugin):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._status: list[PageStatus] = []
        self._json = ""
        self._ui: dict[str, dict[str, str]] = {}

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Computes every page's translation status once per site (main build, unless the site is unchanged) and the
        /status.json made from it."""
        site = Site.of(config)
        if not site.main_build or site.unchanged:
            return
        docs = Path(config.docs_dir)
        languages = site.build_languages
        self._status = self._statuses(config, docs, languages) if (docs / site.default).is_dir() else []
        self._ui = {code: site.ui(code)["status"] for code in site.languages}
        summary = self.summary(languages, site.default)
        self._json = json.dumps(
            {"languages": summary, "pages": [vars(s) for s in self._status if s.state != "source"]},
            ensure_ascii=False,
            indent=2,
            sort_keys=True,
        )

    @staticmethod
    def _statuses(config: MkDocsConfig, docs: Path, languages: list[str]) -> list[PageStatus]:
        """Every page's status, parsing again only the page files whose bytes changed since the previous build: the
        front matter of every page of every language was most of what a one-page edit of a large site spent before
        its pages were built. The memo is kept per version of the code and of the YAML parser."""
        folder = Site.of(config).cache("status")
        store = folder / f"pages-{tools_digest(Path(config.config_file_path).parent)}.json"
        for old in folder.glob("pages-*"):  # another version's
            if not old.name.startswith(store.name):
                old.unlink(missing_ok=True)
        return remembered_status(docs, languages, Site.of(config).default, store)

    def summary(self, languages: list[str], default: str) -> dict[str, dict[str, Any]]:
        sources = sum(1 for s in self._status if s.state == "source")
        out = {}
        for lang in languages:
            if lang == default:
                out[lang] = {"pages": sources, "source": True}
                continue
            counts = Counter(s.state for s in self._status if s.lang == lang)
            done = counts["translated"]  # untracked: nobody recorded that it matches the original
            out[lang] = {
                **{state: counts[state] for state in STATES},
                "pages": sources,
                "percent_translated": round(100 * done / sources, 1) if sources else 0.0,
            }
        return out

    @event_priority(-110)  # after static-i18n (-100) has sorted the language's files
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Adds /status.json (in the default language's build) and the /status/ page in every language."""
        site = Site.of(config)
        if site.unchanged:
            return files
        self._ui[site.lang] = config.extra["ui"]["status"]
        if site.default_build:
            files.append(File.generated(config, "status.json", content=self._json + "\n"))
        meta = {
            code: {"title": ui["title"], "description": ui["description"], "type": "topic", "template": "status.html"}
            for code, ui in self._ui.items()
        }
        page = in_every_language(config, "status/index.md", meta)
        files.append(page)
        return files

    def on_page_context(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any]:
        """Gives the /status/ page the per-language summary and the stale, untracked and missing translations."""
        if page.meta.get("template") == "status.html":
            site = Site.of(config)
            languages = site.build_languages
            context["translation_status"] = {
                "summary": self.summary(languages, site.default),
                "todo": (listed := todo(self._status))[0],
                "more": listed[1],
                "default": site.default,
            }
        return context
