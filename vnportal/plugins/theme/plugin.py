"""MkDocs plugin ``vnportal/theme``: Material's templates as the portal renders them, at less cost.

Every language build gets a Jinja environment that escapes every value, finds Material's own partials
under ``theme/``, drops the templates' indentation and loads compiled templates from a signed cache
(``theme.py``). The theme's assets are written once, by the default language's build, and Material's
lunr search files not at all.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import sys
from typing import Any

import jinja2
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files

from vnportal.core.cache import machine_key
from vnportal.core.site import Site
from vnportal.plugins.theme.theme import Dedent, SignedBytecodeCache, remember_theme_files

LUNR = "assets/javascripts/lunr/"  # Material's client-side search languages


class ThemePlugin(BasePlugin):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._theme_files: dict[tuple[Any, ...], list[str]] = {}  # theme.remember_theme_files: the file listing

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that MkDocs keeps this instance across ``mkdocs serve`` rebuilds: the theme's file listing made
        last time is reused."""

    @event_priority(90)  # where it ran within vnportal/i18n_seo: before static-i18n (-100) and any environment
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Keeps the theme's template listing across language builds."""
        remember_theme_files(config.theme, self._theme_files)
        return config

    @event_priority(-120)  # after static-i18n (-100) has sorted the language's files
    def _theme_assets_once(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Drops the theme's assets from the other languages' builds, after static-i18n (-100) sorted the files: they
        land at the same place whatever the language, so the default build's copy serves all.

        The others would only write the same bytes again (at the same time, in parallel)."""
        if Site.of(config).default_build:
            return files
        theme = tuple(os.path.join(os.path.abspath(d), "") for d in config.theme.dirs)
        for file in [f for f in files if not f.is_documentation_page() and (f.abs_src_path or "").startswith(theme)]:
            files.remove(file)
        return files

    @event_priority(-125)  # the theme's files are in the default build only (-120)
    def _no_lunr(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Drops Material's lunr language files (about 140 scripts, 1.5 MB): they serve Material's own search, which the
        portal does not use (its search is Pagefind's, vnportal/search); nothing loads them without that plugin."""
        if "material/search" in config.plugins or "search" in config.plugins:
            return files
        for file in [f for f in files if f.dest_uri.startswith(LUNR)]:
            files.remove(file)  # in place: static-i18n's own Files object resolves the fallback pages
        return files

    on_files = CombinedEvent(_theme_assets_once, _no_lunr)

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """Sets up this language's Jinja environment: autoescape, the ``theme/`` loader, dedent, the signed bytecode
        cache."""
        # Overrides that extend a Material partial include the original as "theme/partials/...".
        theme_dirs = [d for d in config.theme.dirs if d != config.theme.custom_dir]
        env.loader = ChoiceLoader([env.loader, PrefixLoader({"theme": FileSystemLoader(theme_dirs)})])
        # Material's templates are mostly indentation: dropping the lines that only hold a block tag, and the
        # indentation of the others (theme.Dedent), costs nothing per page; content is never touched.
        env.trim_blocks = env.lstrip_blocks = True
        env.add_extension(Dedent)
        # Every value a template prints is escaped unless it is Markup: front matter, dataset metadata and
        # UI strings are text. The HTML the build made itself (page content after the safety plugin's
        # sanitiser, the TOC, charts) is marked as Markup where it is made (vnportal.plugins.safety.plugin.on_page_context).
        env.autoescape = True
        # JSON in the pages (Material's __config, the language suggestions) keeps its letters as UTF-8, the pages'
        # charset, instead of six-byte \u escapes; htmlsafe_json_dumps still escapes <, >, & and ' in every value.
        env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
        # Every language build starts a new environment: without a bytecode cache each one recompiles all of
        # Material's templates (a second per build). The cache is keyed by template source; the folder by
        # everything else that shapes the compiled code.
        # Extensions rewrite template sources before compiling (theme.Dedent, vnportal.content.inline_scripts).
        modules = sorted({type(ext).__module__ for ext in env.extensions.values()})
        rewrites = "".join(inspect.getsource(sys.modules[name]) for name in modules)
        digest = hashlib.sha256(rewrites.encode()).hexdigest()[:8]
        python = f"{sys.version_info[0]}.{sys.version_info[1]}"
        compiled = f"{jinja2.__version__}-{python}-{env.trim_blocks}-{env.autoescape}-{digest}"
        folder = Site.of(config).cache("theme") / f"jinja-signed-{compiled}"
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = SignedBytecodeCache(str(folder), machine_key())
        return env
