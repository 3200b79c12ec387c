"""MkDocs plugin ``vnportal/search``: per-language full-text search with Pagefind.

Material's own search plugin ships one index for every language, fetched on every page view. Here each
language gets its own Pagefind bundle (``/pagefind/``, ``/en/pagefind/``, …), written by the extended
Pagefind binary (it segments Chinese) as soon as that language is built, so indexing overlaps with the
other languages' builds. The bundle is split into chunks that the browser fetches only once the visitor
types a query; it matches Vietnamese with or without diacritics ("hue" finds "Huế"). Only pages that
carry ``data-pagefind-body`` are indexed: real pages in their own language (``main.html`` leaves it off
fallbacks and pages with ``search.exclude``).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from vnportal.core.cache import place, seal, unseal
from vnportal.core.generated import in_every_language
from vnportal.core.site import Site
from vnportal.plugins.search.config import SearchConfig

log = get_plugin_logger(__name__)

#: Pagefind's own ready-made interfaces; the portal has its own (search.html + portal-search.js).
UNUSED_BUNDLE_FILES = ("pagefind-ui.*", "pagefind-component-ui.*", "pagefind-modular-ui.*", "pagefind-highlight.js")
INDEXED_RE = re.compile(r"Indexed (\d+) pages")


def pagefind_binary() -> str:
    """The extended Pagefind binary from the pinned ``pagefind-bin-extended`` wheel (it segments Chinese)."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError as exc:  # pragma: no cover - the lock file installs it
        raise PluginError("search: pagefind-bin-extended is not installed — run `make install`") from exc
    return str(get_executable())


@dataclass
class Indexing:
    """A Pagefind run under way: its process, the file its output goes to (a pipe nobody read until the end could
    fill and stall it), and when it must be done by."""

    process: subprocess.Popen[bytes]
    output: IO[bytes]
    deadline: float  # time.monotonic()

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        self.output.close()


@dataclass
class LanguageRun:
    """A language's Pagefind run, from the start of its post-build work to its end: the run, the language's folder,
    the cache entry its bundle goes to, and when it started (for the log)."""

    indexing: Indexing
    root: Path
    cached: Path
    started: float  # time.perf_counter()


def start_index(site: Path, bundle: str, exclude: list[str], folders: list[str] | None = None) -> Indexing:
    """Start Pagefind on the ``data-pagefind-body`` pages of ``site`` (only ``folders`` of it, if given: the default
    language shares its root with the other languages' folders); ``finish_index`` waits for it (900 s at most)."""
    command = [pagefind_binary(), "--site", str(site), "--output-subdir", bundle]
    if folders is not None:
        command += ["--glob", "{" + ",".join(f"{f}/**/*.html" if (site / f).is_dir() else f for f in folders) + "}"]
    if exclude:
        command += ["--exclude-selectors", ", ".join(exclude)]
    output = tempfile.TemporaryFile()  # noqa: SIM115 - closed by finish_index or Indexing.stop
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT)
    except BaseException:
        output.close()
        raise
    return Indexing(process, output, time.monotonic() + 900)


def finish_index(run: Indexing, site: Path, bundle: str) -> tuple[int, int]:
    """Wait for the Pagefind run ``start_index`` started; return (pages, bundle bytes)."""
    try:
        run.process.wait(timeout=max(run.deadline - time.monotonic(), 0.0))
    except subprocess.TimeoutExpired:
        run.stop()
        raise PluginError(f"search: Pagefind took more than 900 s on {site}") from None
    run.output.seek(0)
    output = run.output.read().decode("utf-8", errors="replace")
    run.output.close()
    if run.process.returncode != 0:
        raise PluginError(f"search: Pagefind failed on {site}:\n{output[-3000:]}")
    out = site / bundle
    for pattern in UNUSED_BUNDLE_FILES:
        for path in out.glob(pattern):
            path.unlink()
    entry = out / "pagefind-entry.json"  # Pagefind writes its language map in hash order: sort it (same bytes)
    entry.write_text(json.dumps(json.loads(entry.read_text("utf-8")), sort_keys=True, separators=(",", ":")), "utf-8")
    match = INDEXED_RE.search(output)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return (int(match.group(1)) if match else 0), size


def store_bundle(bundle: Path, cached: Path) -> None:
    """Keep a copy of a language's bundle as one sealed cache file: the list of its files, then their bytes (a file
    per bundle file took 0.8 s for a thousand pages' bundle, a seventh of a one-page edit), sealed with the cache key
    like every entry: the bundle holds code that visitors' browsers run (Pagefind's scripts and WebAssembly)."""
    paths = sorted(p for p in bundle.rglob("*") if p.is_file())
    names = json.dumps([p.relative_to(bundle).as_posix() for p in paths]).encode()
    seal(cached, names, *(p.read_bytes() for p in paths))


def restore_bundle(cached: Path, bundle: Path) -> bool:
    """Publish a kept bundle if its sealed file is intact and names only files inside the bundle; False, with nothing
    published, otherwise."""
    parts = unseal(cached, None)
    if parts is None:
        return False
    try:
        names = json.loads(parts[0])
    except ValueError:
        return False
    if not isinstance(names, list) or len(names) != len(parts) - 1 or not all(_inside(name) for name in names):
        return False
    folders = {name.rsplit("/", i)[0] for name in names for i in range(1, name.count("/") + 1)}
    if len(set(names)) != len(names) or folders & set(names):  # twice, or a file where a folder must be
        return False
    for name, data in zip(names, parts[1:], strict=True):
        place(data, bundle / name)
    return True


def _inside(name: object) -> bool:
    """A bundle file's name: relative, without a step up or an empty step."""
    return (
        isinstance(name, str)
        and bool(name)
        and not name.startswith("/")
        and "" not in (steps := name.split("/"))
        and ".." not in steps
        and "." not in steps
        and "\0" not in name
    )


class SearchPlugin(BasePlugin[SearchConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._pages = hashlib.sha256()  # what this language's build wrote: the bundle depends on nothing else
        self._indexing: LanguageRun | None = None  # Pagefind at work, until -95
        self._aside: Path | None = None  # the previous bundle, moved out of the site until it is deleted

    @event_priority(-110)  # after static-i18n (-100) has sorted the language's files
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Adds the search page in every language and starts the digest of what this language's build writes."""
        if not self.config.enabled:
            return files
        site = Site.of(config)
        meta = {}
        for code in site.languages:
            ui = site.ui(code)["search"]
            meta[code] = {
                "title": ui["title"],
                "description": ui["description"],
                "type": "topic",
                "template": "search.html",
                "search": {"exclude": True},
            }
        files.append(in_every_language(config, self.config.page, meta, in_nav=False))
        self._pages = hashlib.sha256(f"{pagefind_binary()}{self.config.exclude_selectors}".encode())
        return files

    def _context(self, config: MkDocsConfig) -> dict[str, str] | None:
        if not self.config.enabled:
            return None
        site = Site.of(config)
        prefix = site.prefix(site.lang)
        page = self.config.page.removesuffix("index.md")
        if not config.use_directory_urls:  # the preview opened from files (vnportal/preview) links files
            page = self.config.page.removesuffix(".md") + ".html"
        return {"page": f"{prefix}{page}", "bundle": f"{prefix}{self.config.bundle_dir}/", "root": prefix}

    def on_page_context(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any]:
        """Gives every page the addresses of its language's search page and Pagefind bundle."""
        context["portal_search"] = self._context(config)
        return context

    def on_template_context(
        self, context: dict[str, Any], *, template_name: str, config: MkDocsConfig
    ) -> dict[str, Any]:
        """Gives the pages made from templates alone (404.html) the addresses of their language's search page and
        Pagefind bundle."""
        context["portal_search"] = self._context(config)
        return context

    @event_priority(-3000)  # the bytes written: after every plugin's changes
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Adds the page's final bytes to the digest that says whether this language's search bundle can be reused."""
        self._pages.update(f"{page.file.dest_uri}\0{len(output)}\0".encode() + output.encode("utf-8", "replace"))
        return output

    @event_priority(100)  # first: every page of this language is written; Pagefind runs while the steps after do
    def _start_indexing(self, *, config: MkDocsConfig) -> None:
        """Starts Pagefind on this language's pages as soon as they are written (while this language draws its cards
        and stores its pages, and the other languages build), or restores the bundle of a build that wrote the same
        pages; a kept language's bundle is left as it is."""
        site = Site.of(config)
        lang = site.lang
        self._indexing, self._aside = None, None
        if not self.config.enabled or lang in site.kept_languages:  # kept: the default's, in a main build of no pages
            return
        root = Path(config.site_dir) / site.prefix(lang)
        bundle = root / self.config.bundle_dir
        start = time.perf_counter()
        cached = Site.of(config).cache("search") / f"{lang}-{self._pages.hexdigest()[:24]}.bundle"
        self._aside = self._move_aside(bundle, Path(config.site_dir))  # none of its files may stay in the new bundle
        if restore_bundle(cached, bundle):  # the same pages as a previous build: the same bundle
            pages = (
                json.loads((bundle / "pagefind-entry.json").read_text())["languages"].get(lang, {}).get("page_count", 0)
            )
            log.info(f"Search ({lang}): {pages} pages unchanged, index reused")
        else:
            folders = None
            if lang == site.default:  # its root holds the other languages' folders, maybe being built right now
                others = {*site.build_languages, self.config.bundle_dir}
                folders = sorted(
                    p.name for p in root.iterdir() if p.name not in others and (p.is_dir() or p.suffix == ".html")
                )
            run = start_index(root, self.config.bundle_dir, self.config.exclude_selectors, folders)
            self._indexing = LanguageRun(run, root, cached, start)
            return
        self._drop_aside()

    def _drop_aside(self) -> None:
        if self._aside is not None:
            shutil.rmtree(self._aside, ignore_errors=True)
            self._aside = None

    @staticmethod
    def _move_aside(bundle: Path, site_dir: Path) -> Path | None:
        """Moves the previous bundle out of the site (beside it: a rename), to be deleted while Pagefind runs; deletes
        it at once where that cannot be done. Returns the folder to delete."""
        if not bundle.is_dir():
            return None
        try:
            aside = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-search-", dir=site_dir.parent))
        except OSError:
            shutil.rmtree(bundle, ignore_errors=True)
            return None
        try:
            bundle.rename(aside / bundle.name)
        except OSError:  # another file system, no right to move it
            shutil.rmtree(aside, ignore_errors=True)
            shutil.rmtree(bundle, ignore_errors=True)
            return None
        return aside

    @event_priority(-95)  # after the render cache stored this language's pages (-90), before the next language (-99)
    def _finish_indexing(self, *, config: MkDocsConfig) -> None:
        """Waits for this language's Pagefind run and keeps a copy of its bundle for a build that writes the same
        pages."""
        if self._indexing is None:
            return
        running = self._indexing
        lang = Site.of(config).lang
        self._drop_aside()  # while Pagefind finishes
        # One bundle kept per language in the cache: the latest.
        for previous in running.cached.parent.glob(f"{lang}-*"):
            if previous.is_dir():  # as an earlier version kept them
                shutil.rmtree(previous, ignore_errors=True)
            else:
                previous.unlink(missing_ok=True)
        self._indexing = None
        pages, size = finish_index(running.indexing, running.root, self.config.bundle_dir)
        store_bundle(running.root / self.config.bundle_dir, running.cached)
        elapsed = time.perf_counter() - running.started
        log.info(f"Search ({lang}): indexed {pages} pages, {size / 1024:.0f} KB, in {elapsed:.2f} s")

    on_post_build = CombinedEvent(_start_indexing, _finish_indexing)

    def on_build_error(self, *, error: Exception) -> None:
        """Stops a Pagefind run the failed build started and deletes the previous bundle it moved aside."""
        if self._indexing is not None:
            self._indexing.indexing.stop()
            self._indexing = None
        self._drop_aside()
