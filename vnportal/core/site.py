"""The site as every plugin sees it: one object over MkDocs' configuration and mkdocs-static-i18n's state.

Plugins ask ``Site.of(config)`` and never ``config.plugins["i18n"]``: the languages in configuration order and
where each one's pages live, the language being built, whether this is the main build (the default language's,
which also writes the site-wide files after the other languages), a language's interface strings and a plugin's
cache folder. static-i18n changes its state while it builds one language after another, so the object reads it
live instead of keeping a copy.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from vnportal.core import compat

#: The folder, relative to the project (or absolute), that holds every plugin's cache; one variable for all.
CACHE_ENV = "PORTAL_CACHE_DIR"


def cache_root(project: Path) -> Path:
    """Where generated files are kept between builds (``PORTAL_CACHE_DIR``, else ``.cache`` in the project)."""
    return project / (os.environ.get(CACHE_ENV) or ".cache")  # set but empty: the default, never the project


@dataclass(frozen=True)
class Site:
    config: MkDocsConfig

    @classmethod
    def of(cls, config: MkDocsConfig) -> Site:
        return cls(config)

    @property
    def i18n(self) -> Any:
        """static-i18n's plugin object (its configuration and build state): read here, through the compat door."""
        return compat.i18n_plugin(self.config)

    @property
    def root(self) -> Path:
        """The project folder (where mkdocs.yml is)."""
        return Path(self.config.config_file_path).parent

    # -- languages -------------------------------------------------------------------------------

    @property
    def languages(self) -> list[str]:
        """Every configured language, in the order of ``plugins.i18n.languages``."""
        return [lang.locale for lang in self.i18n.config.languages]

    @property
    def build_languages(self) -> list[str]:
        """The languages this run builds (all of them, or the one ``make serve LOCALE=…`` asks for)."""
        return list(self.i18n.build_languages)

    @property
    def default(self) -> str:
        return self.i18n.default_language

    @property
    def lang(self) -> str:
        """The language being built now."""
        return self.i18n.current_language

    @property
    def main_build(self) -> bool:
        """True in the default language's build, which runs first and writes the site-wide files at its end;
        False inside the builds of the other languages, which static-i18n starts from it."""
        return not self.i18n.building

    @property
    def default_build(self) -> bool:
        """Whether the language being built is the default one."""
        return self.i18n.is_default_language_build

    def set_build(self, lang: str, *, nested: bool) -> None:
        """Set what static-i18n's own loop sets before it builds a language: the language, and ``nested`` (a
        language built inside the main build; static-i18n's loop skips its work while it is set)."""
        compat.set_i18n_build(self.config, lang, nested=nested)

    @property
    def kept_languages(self) -> frozenset[str]:
        """Languages this build keeps as the previous build left them, because none of their inputs changed:
        nothing of theirs is built or written (``vnportal/parallel``)."""
        return getattr(self.config.plugins.get("vnportal/parallel"), "kept", frozenset())

    @property
    def unchanged(self) -> bool:
        """Every language is kept: the site folder is as the previous build left it and nothing it is made from
        changed, so what the main build makes once per site (exports, kit, status, sitemap, headers) is there too."""
        kept = self.kept_languages
        return bool(kept) and kept.issuperset(self.build_languages)

    @property
    def kept_files(self) -> Mapping[str, list[int]]:
        """The files of the kept and reused languages' folders as the previous build left them (site-relative path ->
        size and modification time in ns; the root's with the default language): one written since is not as it was.
        """
        return getattr(self.config.plugins.get("vnportal/parallel"), "kept_files", {})

    def already_written(self, dest: str, data: bytes, *, compressed: bool = True) -> bool:
        """Whether the file ``dest`` (site-relative) of a language built into its previous folder holds ``data`` and
        is (with its compressed copies, if ``compressed``) as the previous build left it (``vnportal/parallel``)."""
        parallel = self.config.plugins.get("vnportal/parallel")
        if parallel is None or not getattr(parallel, "reused", None):
            return False
        return parallel.already_written(dest, data, compressed=compressed)

    @property
    def language_menu(self) -> list[dict[str, Any]]:
        """The language menu static-i18n made for the site (each language's home page), as Material reads it."""
        return self.i18n.extra_alternate

    def language_config(self, lang: str) -> Any:
        return next(item for item in self.i18n.config.languages if item.locale == lang)

    def prefix(self, lang: str) -> str:
        """Where a language's pages live below the site root: static-i18n's ``link`` ('' for '/', 'en/' for '/en/')."""
        return self.language_config(lang).link.lstrip("/")

    def page_lang(self, page: Page) -> str:
        """The language a page is written in (a fallback page is in the default language's words)."""
        return getattr(page.file, "locale", None) or self.lang

    def is_translation(self, page: Page) -> bool:
        """Whether the page exists in the language being built (not a fallback copy of another language's)."""
        return getattr(page.file, "locale", None) == self.lang

    # -- strings and caches ----------------------------------------------------------------------

    def ui(self, lang: str | None = None) -> Mapping[str, Any]:
        """A language's interface strings (``extra.ui`` of that language, else the site's)."""
        extra = self.language_config(lang or self.lang).extra or {}
        return extra.get("ui") or self.config.extra["ui"]

    def cache(self, plugin: str) -> Path:
        """A plugin's own cache folder."""
        return cache_root(self.root) / plugin
