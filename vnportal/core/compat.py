"""The one door to what MkDocs, Material, mkdocs-static-i18n and watchdog do not promise to keep.

Every use of another package's internals goes through a function here, so an upgrade has one list to review;
``tests/test_compat.py`` checks each against the pinned versions (``requirements.lock``), and the patched copy of
Material's ``partials/nav-item.html`` in ``overrides/`` against the upstream file it was made from.

- static-i18n's plugin state (``building``, ``current_language``, ``extra_alternate``): ``i18n_plugin``,
  ``set_i18n_build``; read through ``vnportal.core.site.Site``.
- static-i18n's File attributes (``locale``, ``locale_alternate_of``, ``localization``, ``norm_src_uri``,
  ``alternates``): ``as_translation``, ``norm_src_uri``, ``file_language``, ``alternates``, ``set_alternates``.
- static-i18n's logging: its logger's name and its filter (``STATIC_I18N_RECONFIGURE_LOGGER``,
  ``quiet_nested_builds``).
- static-i18n's warning that a language has no home page, hushed for a main build whose default language is kept
  (it has no pages of its own): ``no_homepage_warning``.
- ``mkdocs.utils.clean_directory``, replaced while languages are built in one run, as static-i18n's loop does:
  ``keep_site_directory``.
- ``Page.render`` and the attributes it sets, for a page taken from the render cache: ``skip_render``,
  ``rendered``, ``restore_render``.
- ``Page.render`` put back on a page the render cache skipped, when ``make serve`` renders it again:
  ``unskip_render``.
- MkDocs' per-page build steps (``mkdocs.commands.build._populate_page`` and ``_build_page``), a plugin object
  added to a loaded configuration (``PluginCollection.__setitem__`` registers its events) and a configuration's
  values copied apart from the object static-i18n keeps changing (``Config.data``), for ``make serve``'s page
  refresh: ``render_page``, ``add_plugin``, ``config_snapshot``.
- ``Theme.get_env``, wrapped to remember the theme's file listing: ``wrap_get_env``.
- watchdog's polling emitter ``_timeout``, for a quicker ``mkdocs serve``: ``poll_every``.
- static-i18n's ``folder.create_i18n_file``, which it calls for every file of every language in each language's
  build, replaced by an equivalent on plain path strings (its ``PurePath`` work was a tenth of a one-page edit of a
  large site); any path that is not plainly normalised goes to the original: ``fast_i18n_files``.
"""

from __future__ import annotations

import copy
import functools
import logging
import os
import posixpath
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import MethodType
from typing import Any

from mkdocs import utils
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.theme import Theme


def i18n_plugin(config: MkDocsConfig) -> Any:
    """static-i18n's plugin object: its configuration and its build state."""
    try:
        return config.plugins["i18n"]
    except KeyError as exc:
        raise PluginError("vnportal needs the mkdocs-static-i18n plugin ('i18n' in plugins)") from exc


def set_i18n_build(config: MkDocsConfig, lang: str, *, nested: bool) -> None:
    """What static-i18n's loop sets before it builds a language: the language, and whether it is nested."""
    plugin = i18n_plugin(config)
    plugin.current_language, plugin.building = lang, nested


def as_translation(file: File, lang: str, norm: str) -> None:
    """Make a generated file look to static-i18n like a page written in ``lang`` at ``norm`` (its path
    without the language folder), so it is sorted, linked and given alternates like the editors' pages."""
    file.locale = file.locale_alternate_of = file.localization = lang  # type: ignore[attr-defined]
    file.norm_src_uri = norm  # type: ignore[attr-defined]


def file_language(file: File, default: str) -> str:
    """The language a file's source is written in (static-i18n's ``locale``), else ``default``."""
    return getattr(file, "locale", default)


def alternates(file: File) -> dict[str, File]:
    """static-i18n's versions of a page in each language (fallbacks included), {} when it set none."""
    return getattr(file, "alternates", {}) or {}


def set_alternates(file: File, pages: dict[str, File]) -> None:
    """Give a generated page its versions in every language, as static-i18n does for the editors' pages."""
    file.alternates = pages  # type: ignore[attr-defined]


def norm_src_uri(file: File, default: str | None = None) -> str:
    """A page's path without its language folder (static-i18n sets it), else ``default`` or its source path."""
    return getattr(file, "norm_src_uri", file.src_uri if default is None else default)


@contextmanager
def keep_site_directory() -> Iterator[None]:
    """Builds inside the main build must not empty the site folder (static-i18n's loop does the same)."""
    clean, utils.clean_directory = utils.clean_directory, lambda _path: None
    try:
        yield
    finally:
        utils.clean_directory = clean


def _render_nothing(page: Page, config: MkDocsConfig, files: Any) -> None:
    """``Page.render`` for a cached page: what an empty body renders to, without a Markdown instance
    (building one, with every extension, is most of the cost of a page that is not rendered)."""
    page.content, page.toc, page._title_from_render = "", get_toc([]), None
    page.present_anchor_ids, page.links_to_anchors = set(), {}


def rendered(page: Page) -> tuple[set[str], dict[File, dict[str, Any]], str | None]:
    """What ``Page.render`` left beside the HTML: the anchors the page has, the links it makes to other pages'
    anchors, and the title from its first heading (for a page whose front matter has none)."""
    return set(page.present_anchor_ids or ()), dict(page.links_to_anchors or {}), page._title_from_render


def restore_render(page: Page, anchors: set[str], links: dict[File, dict[str, Any]], title: str | None) -> None:
    """Put back on a page taken from the render cache what ``rendered`` read from it when it was rendered."""
    page.present_anchor_ids, page.links_to_anchors, page._title_from_render = anchors, links, title


def skip_render(page: Page) -> None:
    """The page's Markdown is not rendered in this build (its HTML comes from the render cache)."""
    page.render = MethodType(_render_nothing, page)  # type: ignore[method-assign]


def unskip_render(page: Page) -> None:
    """Undo ``skip_render``: the page's Markdown is rendered again (its class's ``render``)."""
    page.__dict__.pop("render", None)


def render_page(page: Page, config: MkDocsConfig, files: Files, nav: Navigation, env: Any) -> None:
    """Read, convert and write one page with every plugin's page events, as MkDocs' build does for each page
    (``files``, ``nav`` and ``env``: the ones its language's build made)."""
    from mkdocs.commands import build

    build._populate_page(page, config, files)
    build._build_page(page, config, files.documentation_pages(), nav, env)


def add_plugin(config: MkDocsConfig, name: str, plugin: Any) -> None:
    """Add a plugin object to a loaded configuration: its ``on_*`` methods run with the others' (priorities
    included)."""
    config.plugins[name] = plugin


def config_snapshot(config: MkDocsConfig) -> MkDocsConfig:
    """A copy of the configuration as it is now: its own values, its own theme options and ``extra`` (static-i18n
    rewrites them in place for each language), the same plugins."""
    snapshot = copy.copy(config)
    snapshot.data["theme"] = copy.deepcopy(config.theme)
    snapshot.data["extra"] = copy.deepcopy(config.extra)
    return snapshot


def wrap_get_env(theme: Theme, wrap: Callable[[Any], Any]) -> None:
    """Every Jinja environment the theme makes passes through ``wrap`` first (once per theme object)."""
    if getattr(theme.get_env, "portal_wrapped", False):
        return
    make_env = theme.get_env

    def get_env() -> Any:
        return wrap(make_env())

    get_env.portal_wrapped = True  # type: ignore[attr-defined]
    theme.get_env = get_env  # type: ignore[method-assign]


#: static-i18n's logger for its per-language reconfiguration (it logs each language's overrides at INFO).
STATIC_I18N_RECONFIGURE_LOGGER = "mkdocs.plugins.mkdocs_static_i18n.reconfigure"


@contextmanager
def quiet_nested_builds() -> Iterator[None]:
    """Hush MkDocs' per-build lines while languages are built inside the main build, with static-i18n's own
    filter, as its loop does."""
    from mkdocs_static_i18n.utils import I18nLoggingFilter

    quiet = I18nLoggingFilter()
    quiet.filtered_prefixes |= {"Documentation built in", "Building documentation to directory"}
    quiet.filtered_prefixes.add("Template skipped: '404.html'")  # vnportal/not_found writes the language's own
    logger = logging.getLogger("mkdocs.commands.build")
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


#: static-i18n's plugin logger, which warns when a language build's navigation has no home page.
STATIC_I18N_PLUGIN_LOGGER = "mkdocs.plugins.mkdocs_static_i18n.plugin"


class _NoHomepageWarning(logging.Filter):
    def __init__(self, lang: str) -> None:
        super().__init__()
        self.message = f"Could not find a homepage for locale '{lang}'"

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().endswith(self.message)  # the plugin logger prefixes its name


@contextmanager
def no_homepage_warning(lang: str) -> Iterator[None]:
    """Without static-i18n's warning that ``lang``'s build has no home page (a strict build fails on it): a main
    build whose default language is kept has no pages of its own."""
    with _filtered(STATIC_I18N_PLUGIN_LOGGER, _NoHomepageWarning(lang)):
        yield


@contextmanager
def _filtered(name: str, quiet: logging.Filter) -> Iterator[None]:
    """The logger ``name`` with ``quiet`` as a filter, for the time of the block."""
    logger = logging.getLogger(name)
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


#: MkDocs' build logger, which says "Page skipped" for a page whose output a plugin left empty.
BUILD_LOGGER = "mkdocs.commands.build"


class SkippedPages(logging.Filter):
    """Without MkDocs' line for each page in ``pages`` (source paths) and each template in ``templates`` it did not
    write because a plugin left its output empty (vnportal/parallel: the file already holds it)."""

    FORMS = (("Page skipped: '", "'. Generated empty output.", "pages"),
             ("Template skipped: '", "' generated empty output.", "templates"))  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.pages: set[str] = set()
        self.templates: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for prefix, suffix, names in self.FORMS:
            if message.startswith(prefix) and message.endswith(suffix):
                return message[len(prefix) : -len(suffix)] not in getattr(self, names)
        return True


@contextmanager
def quiet_skipped_pages(skipped: SkippedPages) -> Iterator[None]:
    """MkDocs' build logger with ``skipped`` as a filter."""
    with _filtered(BUILD_LOGGER, skipped):
        yield


def poll_every(server: Any, seconds: float) -> None:
    """``mkdocs serve`` on a polling observer checks the files every ``seconds`` (watchdog's default: 1 s)."""
    for emitter in getattr(server.observer, "emitters", ()):
        if hasattr(emitter, "_timeout"):  # watchdog's polling emitter reads it before every poll
            emitter._timeout = seconds


def _plain(path: str) -> bool:
    """A relative, normalised POSIX path with at least one part, on which string tests equal ``PurePath``'s."""
    return bool(path) and path != "." and not path.startswith("/") and posixpath.normpath(path) == path


@functools.lru_cache(maxsize=64)
def _plain_names(names: tuple[str, ...]) -> bool:
    """``_plain`` for every language code (the same few for every file)."""
    return all(_plain(name) for name in names)


def _under(path: str, folder: str) -> bool:
    """``PurePath(path).is_relative_to(folder)`` for plain paths, ``path`` itself excluded (the caller falls back)."""
    return path.startswith(folder + "/")


def _create_i18n_file(given: File, current: str, default: str, languages: list[str], config: MkDocsConfig) -> File:
    """static-i18n's ``folder.create_i18n_file`` (1.3.1), step for step, on strings."""
    from mkdocs_static_i18n.config import RE_LOCALE

    original = _ORIGINAL_CREATE_I18N_FILE[0]
    src, dest = given.src_path, given.dest_path
    plain = _plain(src) and _plain(dest) and _plain_names((current, default, *languages))
    if os.sep != "/" or not plain or src in languages:
        return original(given, current, default, languages, config)
    file = File(
        src, config.docs_dir, dest, config.use_directory_urls, dest_uri=given.dest_uri, inclusion=given.inclusion
    )
    locale, localization = default, None
    for language in languages:
        if _under(src, language):
            locale = localization = language
            break
        first = src.split("/", 1)[0]
        if RE_LOCALE.match(first):
            locale = localization = first
            break
    head, _, name = dest.rpartition("/")
    if name.endswith("README.html"):
        dest = f"{head}/index.html" if head else "index.html"
    if dest == locale:  # PurePath's relative_to would give "."
        return original(given, current, default, languages, config)
    if locale != current:
        if _under(dest, locale):
            file.dest_path = f"{current}/{dest[len(locale) + 1 :]}"
        elif current != default:
            file.dest_path = f"{current}/{dest}"
    elif locale == default:
        if _under(dest, locale):
            file.dest_path = dest[len(locale) + 1 :]
        elif current != default:
            file.dest_path = f"{current}/{dest}"
    file.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, file.dest_path))
    if file.name == "README":
        file.name = "index"
    file.url = file._get_url(config.use_directory_urls)
    file.alternates = {current: file}  # type: ignore[attr-defined]
    file.locale = locale  # type: ignore[attr-defined]
    file.locale_alternate_of = current  # type: ignore[attr-defined]
    file.localization = localization  # type: ignore[attr-defined]
    file.norm_src_uri = file.src_uri  # type: ignore[attr-defined]
    if localization:
        if not _under(file.src_uri, localization):  # "." or an error from the original
            return original(given, current, default, languages, config)
        file.norm_src_uri = file.src_uri[len(localization) + 1 :]  # type: ignore[attr-defined]
    return file


_ORIGINAL_CREATE_I18N_FILE: list[Callable[..., File]] = []


def fast_i18n_files() -> None:
    """Has static-i18n make its per-language files with ``_create_i18n_file`` (once per process)."""
    from mkdocs_static_i18n import folder

    if not _ORIGINAL_CREATE_I18N_FILE:
        _ORIGINAL_CREATE_I18N_FILE.append(folder.create_i18n_file)
        folder.create_i18n_file = _create_i18n_file
