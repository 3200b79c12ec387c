"""MkDocs plugin ``vnportal/parallel``: build the languages side by side, one process per CPU core.

mkdocs-static-i18n builds the default language, then each other language in turn, in one process.
The languages do not depend on each other until the site-wide files (sitemap, search index, headers)
are written at the very end, so on ``mkdocs build`` this plugin forks workers as soon as the site
directory is clean: while the parent builds the default language, the workers build the others,
exactly as static-i18n would (its own nested ``build``), then send back what the site-wide steps need.
Plugins that collect such things implement ``LanguageState``. Every worker's own failure (a content
error, a warning in strict mode) fails the whole build.

``mkdocs serve`` and single-core machines build the languages one after the other, as static-i18n's loop
would.

A language none of whose inputs changed since the previous build into the same folder is not built at all:
its folder stays as it is, byte for byte, and what the site-wide steps need from it comes from the record
of that build (``reuse.py``). That holds for the default language too: the main build then has no pages of
its own (its files are dropped before static-i18n sorts them) and only runs the site-wide steps.

Clearing the previous site (tens of thousands of files) would hold up the start of every build, so
its entries are first moved aside, which is instant, and deleted by a background ``rm`` while the
languages build; the build waits for it before it ends.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from mkdocs.commands.build import build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

from vnportal.core import compat
from vnportal.core.compat import keep_site_directory, no_homepage_warning, quiet_nested_builds
from vnportal.core.findings import os_error_message
from vnportal.core.site import Site
from vnportal.plugins.parallel import reuse
from vnportal.plugins.parallel.config import ParallelConfig

log = get_plugin_logger(__name__)


@runtime_checkable
class LanguageState(Protocol):
    """A plugin whose site-wide output needs what each language build collected (as JSON data: it travels from
    worker processes and is kept between builds)."""

    def language_state(self, lang: str) -> Any: ...

    def merge_language_state(self, lang: str, state: Any) -> None: ...


def clear_in_background(site_dir: str) -> subprocess.Popen[bytes] | None:
    """Empty ``site_dir`` as MkDocs would (hidden entries stay) and delete the old files behind its back.
    Whatever cannot be moved aside (a read-only parent, a mount point) is left for MkDocs to clear."""
    site = Path(site_dir).resolve()
    entries = [e for e in site.iterdir() if not e.name.startswith(".")] if site.is_dir() else []
    if not entries:
        return None
    try:
        trash = Path(tempfile.mkdtemp(prefix=f".{site.name}-old-", dir=site.parent))
    except OSError:
        return None  # a read-only parent folder: MkDocs clears the site itself
    try:
        for entry in entries:
            entry.rename(trash / entry.name)
    except OSError:
        pass
    return subprocess.Popen(["rm", "-rf", "--", str(trash)], stdin=subprocess.DEVNULL)


@contextmanager
def nested_builds() -> Iterator[None]:
    """What static-i18n does around its own loop: keep the site directory, hush per-language timings."""
    with quiet_nested_builds(), keep_site_directory():
        yield


class ParallelPlugin(BasePlugin[ParallelConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._parallel = False
        self._queue: list[str] = []
        self._next: Any = None  # shared index into the queue
        self._workers: list[tuple[int, Any]] = []  # (pid, read end of its pipe)
        self._handed_over = False
        self._clearing: subprocess.Popen[bytes] | None = None
        self._reuse = False
        self.kept: frozenset[str] = frozenset()  # languages kept as the previous build left them
        self.reused: frozenset[str] = frozenset()  # languages built into their previous folder (same pages)
        self.kept_files: reuse.Snapshot = {}  # the files of both, as the previous build left them (site-relative)
        self._base = ""  # the digest of what every language shares (reuse.base_digest)
        self._skipped = compat.SkippedPages()  # the pages not written again: MkDocs logs each
        self._previous: dict[str, reuse.KeptLanguage] = {}
        self._digests: dict[str, str] = {}  # language -> digest of its inputs (main build, reuse on)
        self._held: Path | None = None  # where the kept languages' folders wait while MkDocs clears the site
        self._site_dir = Path()
        self._held_entries: list[str] = []  # the top-level entries of the site folder held there
        self._hush = ExitStack()  # static-i18n's missing-homepage warning, hushed while the kept default builds
        self._warnings: CountHandler | None = None
        self._states: dict[str, dict[str, Any]] = {}  # language -> its LanguageState, from a worker
        self._last_written: tuple[str, bytes, bool, bool] = ("", b"", False, False)  # already_written's last answer

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Builds languages in parallel only for ``mkdocs build`` and ``gh-deploy`` without ``--dirty`` (``mkdocs
        serve`` and ``make serve``, which run threads, build them in turn); keeps unchanged languages unless dirty."""
        self._parallel = command in ("build", "gh-deploy") and not dirty  # serve: threads; stay sequential
        self._reuse = not dirty  # a dirty build keeps stale files: nothing it leaves can be vouched for

    @event_priority(10000)  # first of all: a warning any plugin logs from here on keeps this build from being recorded
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Counts the build's warnings from its very start (main build): a strict build that warned fails, and must
        not leave a record the next build would trust. Has static-i18n sort each language's files on strings
        (``compat.fast_i18n_files``)."""
        compat.fast_i18n_files()
        if Site.of(config).main_build:
            self._stop_counting()
            self._warnings = CountHandler()
            self._warnings.setLevel(logging.WARNING)
            logging.getLogger("mkdocs").addHandler(self._warnings)
        return config

    @event_priority(500)  # after the render cache digested the site's inputs (600), before the once-per-site steps (0)
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Chooses the languages to keep and holds their folders aside, then moves the rest of the previous site aside
        and deletes it in the background (parallel only): clearing tens of thousands of files would hold up the
        start of the build (main build)."""
        if not Site.of(config).main_build:
            return
        self.kept, self.kept_files, self._previous, self._digests, self._states = frozenset(), {}, {}, {}, {}
        self.reused, self._base = frozenset(), ""
        self._last_written = ("", b"", False, False)
        self._skipped.pages.clear()
        self._skipped.templates.clear()
        if self._reuse:
            self._choose_kept(config)
        if self._parallel:
            self._clearing = clear_in_background(config.site_dir)

    def _record_file(self, config: MkDocsConfig) -> Path:
        return reuse.record_path(Site.of(config).cache("parallel"), config.site_dir)

    def _choose_kept(self, config: MkDocsConfig) -> None:
        site = Site.of(config)
        render_cache = config.plugins.get("vnportal/render_cache")
        inputs = render_cache.inputs() if render_cache is not None else None
        if inputs is None:
            return
        record = self._record_file(config)
        previous = reuse.load(record)
        record.unlink(missing_ok=True)  # a build that fails or warns leaves nothing to keep
        settings = reuse.settings_digest(config)
        self._digests = {
            lang: reuse.language_digest(*inputs, settings, lang, site.default, site.languages)
            for lang in site.build_languages
        }
        self._base = reuse.base_digest(inputs[0], settings)
        out = Path(config.site_dir)
        intact = [
            lang
            for lang in site.build_languages
            if (old := previous.get(lang)) is not None
            and old.base == self._base  # the same pages at the same addresses
            and reuse.own_snapshot(out, self._entries(config, lang)) == old.files  # untouched since
        ]
        kept = [lang for lang in intact if previous[lang].digest == self._digests[lang]]
        entries = [name for lang in intact for name in self._entries(config, lang)]
        if intact:
            self._held = reuse.hold_aside(out, entries)
            if self._held is not None:
                self.kept, self.reused = frozenset(kept), frozenset(intact) - frozenset(kept)
                self._held_entries = entries
                self._previous = {lang: previous[lang] for lang in kept}
                self.kept_files = {rel: stat for lang in intact for rel, stat in previous[lang].files.items()}
                self._site_dir = out

    def already_written(self, dest: str, data: bytes, *, compressed: bool = True) -> bool:
        """Whether the site-relative file ``dest`` of a reused language holds ``data`` and is (with its compressed
        copies, if it has them) as the previous build left it: a file that need not be written again."""
        if self._last_written[:3] == (dest, data, compressed):  # vnportal/serving asked about these bytes just before
            return self._last_written[3]
        written = self._written(dest, data, compressed=compressed)
        self._last_written = (dest, data, compressed, written)
        return written

    def _written(self, dest: str, data: bytes, *, compressed: bool) -> bool:
        old = self.kept_files.get(dest)
        if old is None or old[0] != len(data):
            return False
        if compressed and not {f"{dest}.br", f"{dest}.gz"} <= self.kept_files.keys():
            return False
        path = self._site_dir / dest
        try:
            stat = path.stat()
            return [stat.st_size, stat.st_mtime_ns] == old and path.read_bytes() == data
        except OSError:
            return False

    def _entries(self, config: MkDocsConfig, lang: str) -> list[str]:
        """The top-level entries of the site folder that are ``lang``'s (``reuse.root_entries`` for the default)."""
        site = Site.of(config)
        if lang != site.default:
            return [site.prefix(lang).strip("/")]
        others = {site.prefix(other).strip("/") for other in site.build_languages if other != site.default}
        return reuse.root_entries(Path(config.site_dir), others)

    def _wait_for_clearing(self) -> None:
        if self._clearing is not None:
            self._clearing.wait()
            self._clearing = None

    def on_build_error(self, *, error: Exception) -> None:
        """Waits for the background deletion of the previous site when a build fails, and drops the folders held
        aside (a failed build keeps nothing)."""
        self._wait_for_clearing()
        self._stop_counting()
        self._hush.close()
        if self._held is not None:
            shutil.rmtree(self._held, ignore_errors=True)
            self._held = None

    def _stop_counting(self) -> int:
        """Stops counting the build's warnings; returns how many there were."""
        if self._warnings is None:
            return 0
        logging.getLogger("mkdocs").removeHandler(self._warnings)
        count = sum(n for _, n in self._warnings.get_counts())
        self._warnings = None
        return count

    def _language_states(self, config: MkDocsConfig, lang: str) -> dict[str, Any]:
        return {
            name: plugin.language_state(lang)
            for name, plugin in config.plugins.items()
            if isinstance(plugin, LanguageState)
        }

    @staticmethod
    def _build_language(config: MkDocsConfig, lang: str) -> None:
        """One language, the way static-i18n's loop builds it (``building`` tells plugins it is nested)."""
        Site.of(config).set_build(lang, nested=True)
        build(config, dirty=False)

    def _take(self) -> str | None:
        with self._next.get_lock():
            index = self._next.value
            self._next.value += 1
        return self._queue[index] if index < len(self._queue) else None

    def _work(self, config: MkDocsConfig, pipe: Any) -> None:
        """In a worker: build languages from the queue until it is empty, then report (as JSON) and exit."""
        results: dict[str, Any] = {"states": {}}
        code, lang = 0, None
        try:
            with nested_builds():
                while (lang := self._take()) is not None:
                    self._build_language(config, lang)
                    results["states"][lang] = self._language_states(config, lang)
            results["warnings"] = self._stop_counting()  # inherited from the parent: this process's own count
        except Abort:  # MkDocs has logged what went wrong
            results, code = {"error": f"'{lang}' (see the errors above)"}, 1
        except OSError as exc:  # a full disk, a read-only folder: the operator's to fix, no traceback
            results, code = {"error": f"'{lang}': {os_error_message(exc)}"}, 1
        except BaseException as exc:
            results, code = {"error": f"'{lang}': {''.join(traceback.format_exception(exc))}"}, 1
        try:
            pipe.send_bytes(json.dumps(results).encode())
        finally:
            for stream in (sys.stdout, sys.stderr):
                stream.flush()
            os._exit(code)  # never return into the parent's build

    @event_priority(100)  # first of all: the site directory is clean and the site-wide inputs are ready
    def _start_languages(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Puts the kept languages' folders back, then forks one worker per spare core to build the languages that
        changed while this process builds the default one, or none of its files if it is kept (main build)."""
        site = Site.of(config)
        if not site.main_build:  # a language build nested in this one
            return files
        if self._held is not None:
            reuse.put_back(self._held, Path(config.site_dir), self._held_entries)
            self._held = None
            if self.kept:
                log.info(
                    f"Kept {', '.join(sorted(self.kept))} as the previous build left them: nothing they are made of "
                    "changed"
                )
            if self.reused:
                log.info(
                    f"Building {', '.join(sorted(self.reused))} into their folders: unchanged pages stay as they are"
                )
                self._hush.enter_context(compat.quiet_skipped_pages(self._skipped))
        context = multiprocessing.get_context("fork")
        self._workers, self._next = [], context.Value("i", 0)
        self._queue = [lang for lang in site.build_languages if lang != site.lang and lang not in self.kept]
        workers = min((self.config.workers or os.cpu_count() or 1) - 1, len(self._queue))
        if not self._parallel or workers < 1:
            return self._own_files(files, config)
        for _ in range(workers):
            receive, send = context.Pipe(duplex=False)
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the worker, which never returns
                receive.close()
                self._work(config, send)
            send.close()
            self._workers.append((pid, receive))
        log.info(f"Building {', '.join(self._queue)} in {len(self._workers)} worker process(es) beside {site.lang}")
        return self._own_files(files, config)

    def _own_files(self, files: Files, config: MkDocsConfig) -> Files:
        """The main build's files: none of the docs tree's if the default language is kept (its pages are there, as
        they were), so that static-i18n sorts nothing and no page is read; the plugins after this one still add
        theirs, and ``_leave_kept_alone`` drops those that land in a kept folder."""
        lang = Site.of(config).lang
        if lang not in self.kept:
            return files
        self._hush.enter_context(no_homepage_warning(lang))  # its navigation is empty: no home page, none needed
        self._skipped.templates.add("404.html")  # kept too: vnportal/not_found leaves it unwritten
        self._hush.enter_context(compat.quiet_skipped_pages(self._skipped))
        return Files([])

    @event_priority(-1000)  # last: every plugin has added its files
    def _leave_kept_alone(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Drops from the main build the files it would write into a kept language's folder (that language's
        data feed, say; with the default language kept, its pages and the shared files): they are there, as they
        were (main build)."""
        site = Site.of(config)
        if not self.kept or not site.main_build:
            return files
        others = {site.prefix(lang): lang for lang in site.build_languages if lang != site.default}

        def owner(dest: str) -> str:
            return next((lang for prefix, lang in others.items() if dest.startswith(prefix)), site.default)

        for file in [f for f in files if owner(f.dest_uri) in self.kept]:
            files.remove(file)  # in place: static-i18n's own Files object resolves the fallback pages
        return files

    on_files = CombinedEvent(_start_languages, _leave_kept_alone)

    @event_priority(-5000)  # the very last: every plugin has seen the page's final bytes
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Leaves a page of a reused language unwritten when its file holds these very bytes, as the previous build left
        it (MkDocs writes nothing for an empty output; vnportal/serving did not compress it again either)."""
        if self.reused and self.already_written(page.file.dest_uri, output.encode("utf-8", errors="xmlcharrefreplace")):
            self._skipped.pages.add(page.file.src_uri)
            return ""
        return output

    @event_priority(-99)  # after this language's own post-build work, just before static-i18n's loop (-100)
    def _finish_languages(self, *, config: MkDocsConfig) -> None:
        """Builds the parent's share of the remaining languages, collects every worker's result (one failure fails
        the build) and merges their ``LanguageState`` and the kept languages', so static-i18n's loop has nothing
        left. Without workers or kept languages, static-i18n's loop builds the others."""
        site = Site.of(config)
        if not site.main_build or not (self._workers or self.kept):
            return
        default = site.lang
        try:
            with nested_builds():
                while (lang := self._take()) is not None:  # the parent takes its share of the queue too
                    self._build_language(config, lang)  # its plugins keep this language's state themselves
        except BaseException:
            for pid, _ in self._workers:
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
            self._workers = []
            raise
        finally:
            site.set_build(default, nested=False)
        failures = []
        for pid, pipe in self._workers:
            try:
                data = pipe.recv_bytes()
            except EOFError:  # the worker died before reporting
                data = b""
            _, status = os.waitpid(pid, 0)
            result = json.loads(data) if data else {"error": f"worker {pid} exited with status {status}"}
            if "error" in result:
                failures.append(result["error"])
            else:
                self._states.update(result["states"])
                if result["warnings"] and self._warnings is not None:
                    self._warnings.counts[logging.WARNING] += result["warnings"]
        self._workers = []
        if failures:
            raise PluginError(f"language build failed: {', '.join(failures)}")
        kept = {lang: self._previous[lang].state for lang in self.kept}
        for lang in site.build_languages:
            for name, state in {**self._states.get(lang, {}), **kept.get(lang, {})}.items():
                config.plugins[name].merge_language_state(lang, state)
        site.set_build(site.lang, nested=True)  # nested: static-i18n's own loop skips its languages
        self._handed_over = True  # every language is built: static-i18n's loop (-100) skips

    @event_priority(-101)
    def _after_static_i18n(self, *, config: MkDocsConfig) -> None:
        """Makes the build the main one again right after static-i18n's loop (-100), for the site-wide steps that
        follow, and waits for the old site's deletion."""
        if self._handed_over:
            Site.of(config).set_build(Site.of(config).lang, nested=False)  # the site-wide steps come next
            self._handed_over = False
        if Site.of(config).main_build:
            self._wait_for_clearing()
            self._hush.close()  # every language is built

    @event_priority(-5000)  # the very end: every file of every language is in place
    def _record_languages(self, *, config: MkDocsConfig) -> None:
        """Records, for the next build into this folder, each language's input digest, files and state (main build,
        only if it raised no warning: a language that warned is built, and warns, again)."""
        site = Site.of(config)
        if not site.main_build:
            return
        warnings = self._stop_counting()
        if not self._digests or warnings:
            return
        out = Path(config.site_dir)
        record = {}
        for lang in site.build_languages:
            if lang in self.kept and (lang != site.default or site.unchanged):  # as verified when the build began
                record[lang] = self._previous[lang]  # (a file written into it since is noticed next time); the
                continue  # default's root too when no site-wide step wrote into it
            if lang in self.kept:
                state = self._previous[lang].state
            else:
                state = self._states.get(lang) or self._language_states(config, lang)
            files = reuse.own_snapshot(out, self._entries(config, lang))  # the root: with the site-wide files too
            record[lang] = reuse.KeptLanguage(self._digests[lang], files, state, self._base)
        reuse.save(self._record_file(config), record)

    on_post_build = CombinedEvent(_finish_languages, _after_static_i18n, _record_languages)
