"""MkDocs plugin ``vnportal/render_cache``: a page whose inputs did not change is not rendered again.

A page's HTML depends on its own source, on what the site is made of (every file's path and every
page's front matter: titles, dates and descriptions appear in navigation, listings and footers), and
on everything global: mkdocs.yml and the values it resolves (SITE_URL), the templates, the portal's
code, the brand assets, the versions of the packages that render and the npm packages the build copies
(package-lock.json: the kit's desktop fonts, the CMS bundle). The site digest covers the
global part and the structure; a page's key adds its language, its addresses and its source bytes.

On a hit the page is still read (its front matter feeds the sitemap, the feeds and the social card)
and every plugin's page events still run, but no Markdown converter is built for it (``Page.render``
is replaced on that page object by one that leaves an empty body) and the template is a one-line
one that returns the cached HTML, which is final: the serving plugin only records its
inline-script hashes. What rendering leaves on the page object for later steps (anchors for link
validation, a title taken from the first heading) is kept with the HTML and restored; files another
plugin writes while rendering (responsive images) are replayed through ``RenderSideEffects``.

Generated pages (data, status, search) are always rendered. Entries are written per language after
that language built without a single warning, so a page that produced one is never taken from the
cache, and a warning it would raise (a broken link) is raised again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import sys
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

import vnportal
from vnportal.content.frontmatter import split
from vnportal.core.cache import mac, touch, tree_digest, write_atomic
from vnportal.core.compat import rendered, restore_render, skip_render, unskip_render
from vnportal.core.site import Site
from vnportal.plugins.render_cache.config import RenderCacheConfig

log = get_plugin_logger(__name__)

#: Packages whose upgrade changes the HTML of every page.
TITLE_RE = re.compile(rb"^title\s*:\s*\S", re.M)
DESCRIPTION_RE = re.compile(rb"^description\s*:\s*\S", re.M)
RENDERERS = ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "markdown", "pymdown-extensions", "jinja2",
             "babel", "nh3", "pillow")  # fmt: skip
TEMPLATE = "portal-cached.html"


@runtime_checkable
class RenderSideEffects(Protocol):
    """A plugin that writes files while a page renders, and can write them again for a cached page."""

    def page_side_effects(self, page: Page, config: MkDocsConfig) -> Any: ...

    def replay_side_effects(self, page: Page, effects: Any, config: MkDocsConfig) -> None: ...


@runtime_checkable
class SiteInputs(Protocol):
    """A plugin whose output on every page depends on files outside the docs tree, the theme and the code (the
    facts register, the datasets, the audit results): they are part of the site's digest."""

    def site_inputs(self, config: MkDocsConfig) -> list[Path]: ...


@dataclass
class Entry:
    html: str
    anchors: set[str]
    links: dict[str, dict[str, str]]  # src_uri of the linked page -> {anchor: link as written}
    title: str | None
    effects: dict[str, Any] = field(default_factory=dict)


def save_entry(path: Path, entry: Entry) -> None:
    """An entry as its HMAC (the cache key's: a page's HTML is what visitors run), its fields but the HTML as one line
    of JSON (data, never code), and the HTML as it is (a page's HTML as a JSON string took longer to read back than
    the rest of its entry); the HMAC of what follows it is checked when read back."""
    fields = {**asdict(entry), "anchors": sorted(entry.anchors)}
    del fields["html"]
    payload = json.dumps(fields, ensure_ascii=False, sort_keys=True) + "\n" + entry.html
    write_atomic(path, f"{mac(payload.encode('utf-8'))}\n{payload}".encode())


def load_entry(path: Path) -> Entry | None:
    """What ``save_entry`` wrote, if it is there and intact; an unreadable or altered file is no entry."""
    try:
        data = path.read_bytes()
        digest, _, payload = data.partition(b"\n")
        if not hmac.compare_digest(mac(payload).encode(), digest):
            return None
        fields, _, html = payload.decode("utf-8").partition("\n")
        item = json.loads(fields)
        entry = Entry(**{**item, "html": html, "anchors": set(item["anchors"])})
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return entry if touch(path) else None


def _front_matter(data: bytes) -> bytes:
    """The front matter of a Markdown file's bytes, read as MkDocs reads them (universal newlines)."""
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    return (split(text).block or "").encode()


def _shown_elsewhere(data: bytes) -> bytes:
    """What other pages show of a Markdown page (its title and description in navigation, cards, feeds): its
    front matter, or the whole file when the front matter lacks a title or a description (they then come
    from the first heading and the first paragraph of the body)."""
    front = _front_matter(data)
    described = TITLE_RE.search(front) and DESCRIPTION_RE.search(front)
    return front if described else data


class RenderCachePlugin(BasePlugin[RenderCacheConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._site = b""  # digest of the global inputs and of the site's structure
        self._sources: dict[str, bytes] = {}  # src_uri -> digest of the file's bytes
        self._self_described: set[str] = set()  # pages whose front matter gives their title and description
        self._stored: dict[str, dict[str, Entry]] = {}  # language -> key -> entry, as read or stored (serve)
        self._used: dict[str, Entry] = {}  # this language build's entries
        self._hits: dict[str, tuple[str, Entry]] = {}  # src_uri -> (key, entry) for pages served from the cache
        self._keys: dict[str, str] = {}  # src_uri -> key for pages rendered now
        self._effects: dict[str, RenderSideEffects] = {}  # plugins whose side effects on a page its entry records
        self._warnings: CountHandler | None = None
        self.hits = self.renders = 0
        self._counts: dict[str, dict[str, int]] = {}  # language -> pages reused and rendered, for the site's summary

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that MkDocs keeps this instance across ``mkdocs serve`` rebuilds: the entries
        stay in memory instead of being read back from disk after every edit."""

    def _folder(self, config: MkDocsConfig) -> Path:
        """This language's entries, one file each named by its key: a one-page edit reads the entries its pages use
        and writes one (a file per language had a large site's edit read and write tens of megabytes)."""
        version = f"{sys.version_info[0]}.{sys.version_info[1]}"
        return Site.of(config).cache("render_cache") / f"render-py{version}-entries" / Site.of(config).lang

    def _site_digest(self, config: MkDocsConfig) -> bytes:
        root = Path(config.config_file_path).parent
        digest = hashlib.sha256()
        digest.update(Path(config.config_file_path).read_bytes())
        for lock in (  # the packages the build runs and copies: renderers, Pagefind, brotli; desktop fonts, the CMS
            root / "requirements.lock",
            root / "package-lock.json",
            root / "node_modules" / ".package-lock.json",  # what npm installed (absent: not installed)
        ):
            digest.update(lock.name.encode() + b"\0" + (lock.read_bytes() if lock.is_file() else b"-") + b"\0")
        for value in (config.site_url, config.docs_dir, config.use_directory_urls, config.theme.name, sys.version):
            digest.update(str(value).encode() + b"\0")
        for name in RENDERERS:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        for folder in (
            Path(vnportal.__file__).parent,
            Path(config.theme.custom_dir or root / "overrides"),
            root / "assets",
        ):
            if folder.is_dir():
                digest.update(tree_digest(folder))
        for name, plugin in sorted(config.plugins.items()):
            if isinstance(plugin, SiteInputs):
                for path in plugin.site_inputs(config):
                    data = tree_digest(path) if path.is_dir() else path.read_bytes() if path.is_file() else b"-"
                    digest.update(f"{name}\0{path}\0".encode() + data + b"\0")
        docs = Path(config.docs_dir)
        self._sources = {}
        self._self_described = set()
        for path in sorted(p for p in docs.rglob("*") if p.is_file()):
            rel = path.relative_to(docs).as_posix()
            data = path.read_bytes()
            self._sources[rel] = hashlib.sha256(data).digest()
            # A page shows its front matter elsewhere; any other file, all of it (a picture's size names the files
            # made from it, and the srcset of every page showing it).
            shown = _shown_elsewhere(data) if path.suffix == ".md" else hashlib.sha256(data).digest()
            if shown is data:
                self._self_described.discard(rel)
            else:
                self._self_described.add(rel)
            digest.update(rel.encode() + b"\0" + shown + b"\0")
        return digest.digest()

    def _key(self, page: Page, config: MkDocsConfig) -> str | None:
        source = self._sources.get(page.file.src_uri)
        if source is None or not page.file.abs_src_path:
            return None  # generated, or not from the docs tree
        if page.file.src_uri.endswith(".md") and page.file.src_uri not in self._self_described:
            return None  # its title or description comes from its rendered body: render it every time
        lang = Site.of(config).lang
        parts = (self._site, lang.encode(), page.file.src_uri.encode(), page.file.dest_uri.encode(), source)
        return hashlib.sha256(b"\0".join(parts)).hexdigest()

    def inputs(self) -> tuple[bytes, dict[str, bytes]] | None:
        """This site's digest (global inputs and structure) and the digest of every file of its docs tree by
        path, as computed at the start of the main build; None when the cache is off."""
        return (self._site, self._sources) if self.config.enabled and self._site else None

    def reused(self, page: Page) -> bool:
        """Whether this page comes from the cache in the current build: it passed every check when stored."""
        return page.file.src_uri in self._hits

    def forget(self, page: Page) -> None:
        """The page's source changed after this build read it (``make serve``'s page refresh): it is rendered from
        its file again and nothing about it is stored."""
        uri = page.file.src_uri
        self._sources.pop(uri, None)
        self._hits.pop(uri, None)
        self._keys.pop(uri, None)
        unskip_render(page)

    # -- events -------------------------------------------------------------------------------------

    @event_priority(600)  # before vnportal/parallel (500) chooses the languages to keep from it
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Computes the site digest once per site (main build) and counts this language build's warnings: only a
        build without one stores its pages."""
        if not self.config.enabled:
            return
        if Site.of(config).main_build:  # outermost build: the digest holds for every language
            self._site = self._site_digest(config)
            self._counts = {}
        self._warnings = CountHandler()
        self._warnings.setLevel(logging.WARNING)
        logging.getLogger("mkdocs").addHandler(self._warnings)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Starts this language build's hits and keys, and finds the plugins with side effects to record (once: a
        protocol check per plugin and page cost a quarter of a millisecond a page)."""
        self._used, self._hits, self._keys = {}, {}, {}
        self._effects = {name: p for name, p in config.plugins.items() if isinstance(p, RenderSideEffects)}
        return files

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        """Skips rendering a page that has a stored entry for its key: the page is not converted and reads only its
        front matter (the sitemap, feeds and social card still need it). The page's text is read here, once, and
        used only if its bytes are those the key was made from: a page saved since the build began is rendered
        from what it holds now and stored under no key (its HTML must never answer for the bytes it had)."""
        if not self.config.enabled:
            return None
        key = self._key(page, config)
        if key is None:
            return None
        try:
            data = Path(page.file.abs_src_path or "").read_bytes()
            text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")  # as MkDocs reads it
        except (OSError, ValueError):
            return None  # MkDocs reads it and says what is wrong
        if hashlib.sha256(data).digest() != self._sources.get(page.file.src_uri):
            return text
        entry = self._stored.get(Site.of(config).lang, {}).get(key) or load_entry(self._folder(config) / key)
        if entry is None:
            self._keys[page.file.src_uri] = key
            return text
        self._hits[page.file.src_uri] = (key, entry)
        skip_render(page)
        block = split(text).block
        return "" if block is None else f"---\n{block}---\n"

    def on_build_error(self, *, error: Exception) -> None:
        """Stops counting warnings when a build fails (nothing is stored)."""
        if self._warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self._warnings)
            self._warnings = None

    @event_priority(1000)  # first: the rendered (empty) body is replaced before anyone looks at it
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Restores on a cached page what rendering would have left (anchors, links to anchors, a title from its
        first heading), gives it the cached-page template and replays other plugins' side effects."""
        hit = self._hits.get(page.file.src_uri)
        if hit is None:
            return html
        _, entry = hit
        links = {
            target: links for uri, links in entry.links.items() if (target := files.get_file_from_path(uri)) is not None
        }
        restore_render(page, set(entry.anchors), links, entry.title)
        page.meta["template"] = TEMPLATE
        for name, effects in entry.effects.items():
            if (plugin := self._effects.get(name)) is not None:
                plugin.replay_side_effects(page, effects, config)
        return html

    @event_priority(-1000)
    def on_page_context(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any]:
        """Hands a cached page's stored HTML, final as it is, to its one-line template."""
        hit = self._hits.get(page.file.src_uri)
        if hit is not None:
            context["portal_cached_html"] = Markup(hit[1].html)
        return context

    @event_priority(-2000)  # after every other plugin: the bytes written to the site
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Records each page's entry: a cached one as still used, a rendered one with its final HTML, anchors, links,
        title and other plugins' side effects."""
        uri = page.file.src_uri
        if uri in self._hits:
            key, entry = self._hits[uri]
            self._used[key] = entry
            self.hits += 1
        elif uri in self._keys:
            anchors, linked, title = rendered(page)
            links = {target.src_uri: dict(to) for target, to in linked.items()}
            effects = {name: plugin.page_side_effects(page, config) for name, plugin in self._effects.items()}
            entry = Entry(output, anchors, links, title, effects)
            self._used[self._keys[uri]] = entry
            self.renders += 1
        return output

    @event_priority(-90)  # after this language's pages and their validation, before the next language
    def _store(self, *, config: MkDocsConfig) -> None:
        """Stores this language's entries if its build raised no warning; otherwise drops them, so that a page that
        warned is rendered (and warns) again next time. A kept language's stored entries stay as they are."""
        if not self.config.enabled or self._warnings is None:
            return
        logging.getLogger("mkdocs").removeHandler(self._warnings)
        lang = Site.of(config).lang
        clean = not self._warnings.get_counts()
        self._warnings = None
        if lang in Site.of(config).kept_languages:  # the default language, kept: its pages were not even read
            return
        log.info(f"Render cache ({lang}): {self.hits} pages reused, {self.renders} rendered")
        self._counts[lang] = {"reused": self.hits, "rendered": self.renders}
        self.hits = self.renders = 0
        if not clean:  # a page that warned must be rendered (and warn) again next time
            self._stored.pop(lang, None)
            return
        folder = self._folder(config)
        for key in self._keys.values():  # rendered now
            if key in self._used:
                save_entry(folder / key, self._used[key])
        if folder.is_dir():
            for path in folder.iterdir():  # what no page of this build used (not a write under way: ".…tmp")
                if path.name not in self._used and not path.name.startswith("."):
                    path.unlink(missing_ok=True)
        self._stored[lang] = self._used

    # -- vnportal.plugins.parallel.plugin.LanguageState: the counts of languages built elsewhere or kept

    def language_state(self, lang: str) -> dict[str, int]:
        return self._counts.get(lang, {"reused": 0, "rendered": 0})

    def merge_language_state(self, lang: str, state: dict[str, int]) -> None:
        self._counts[lang] = state

    @event_priority(-150)  # every language is built (-99 … -101)
    def _summary(self, *, config: MkDocsConfig) -> None:
        """States the build cache's hit rate for the whole site (main build): the pages of kept languages count as
        reused, as they were not even read."""
        site = Site.of(config)
        if not self.config.enabled or not site.main_build:
            return
        reused = rendered = 0
        for lang, counts in self._counts.items():
            if lang in site.kept_languages:
                reused += counts["reused"] + counts["rendered"]
            else:
                reused, rendered = reused + counts["reused"], rendered + counts["rendered"]
        total = reused + rendered
        kept = f"; kept as they were: {', '.join(sorted(site.kept_languages))}" if site.kept_languages else ""
        log.info(f"Build cache: {reused} of {total} pages reused ({reused / max(total, 1):.0%}){kept}")

    on_post_build = CombinedEvent(_store, _summary)
