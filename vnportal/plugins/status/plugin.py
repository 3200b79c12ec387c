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

from vnportal.content.translations import PageStatus, status
from vnportal.core.generated import in_every_language

STATES = ("translated", "stale", "untracked", "missing")


class StatusPlugin(BasePlugin):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._status: list[PageStatus] = []
        self._json = ""
        self._ui: dict[str, dict[str, str]] = {}

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        i18n = config.plugins["i18n"]
        if i18n.building:
            return
        docs = Path(config.docs_dir)
        languages = list(i18n.build_languages)
        self._status = status(docs, languages, i18n.default_language) if (docs / i18n.default_language).is_dir() else []
        self._ui = {
            lang.locale: (lang.extra or {}).get("ui", config.extra["ui"])["status"] for lang in i18n.config.languages
        }
        summary = self.summary(languages, i18n.default_language)
        self._json = json.dumps(
            {"languages": summary, "pages": [vars(s) for s in self._status if s.state != "source"]},
            ensure_ascii=False,
            indent=2,
            sort_keys=True,
        )

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
        i18n = config.plugins["i18n"]
        self._ui[i18n.current_language] = config.extra["ui"]["status"]
        if i18n.is_default_language_build:
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
        if page.meta.get("template") == "status.html":
            i18n = config.plugins["i18n"]
            languages = list(i18n.build_languages)
            context["translation_status"] = {
                "summary": self.summary(languages, i18n.default_language),
                "todo": [s for s in self._status if s.state in ("stale", "untracked", "missing")],
                "default": i18n.default_language,
            }
        return context
