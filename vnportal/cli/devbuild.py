"""``make serve``'s build process: one full build into a site folder, then single pages refreshed in it.

Every full build of ``make serve`` runs in a process of its own (multiprocessing's spawn: none of the server's
threads in it), so the server keeps serving the previous build, and refreshing its pages, while the next one
builds into the other folder on the other core. While it builds, the process keeps what each language's build
made: the configuration as it was for that language (static-i18n rewrites it in place for the next one), the
Files, the navigation, the Jinja environment and every plugin's attributes. Once the build is done, the process
waits for pages to refresh: a page whose body alone changed is read, converted and written again with its
language's state and every plugin's page events, in a fraction of a second. A refresh that warns or finds a
problem puts the old file back and says why: the full build that follows reports it.
"""

from __future__ import annotations

import contextlib
import faulthandler
import logging
import os
import re
import signal
import time
import traceback
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.utils import CountHandler

from vnportal.core.compat import add_plugin, config_snapshot, render_page
from vnportal.core.findings import FindingsError, PageFindings
from vnportal.core.messages import tr
from vnportal.core.site import Site

#: Log lines that are the build's own noise, not something an editor can fix.
NOISE_RE = re.compile(r"^(Aborted with .* in strict mode!|Aborted with a BuildError!)$")
CAPTURE = "serve-capture"  # (not a vnportal/ plugin: none of their settings)


class Collect(logging.Handler):
    """The warnings and errors one build logs: in strict mode, each of them is why it failed."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        lines = [line.strip() for line in record.getMessage().splitlines()]
        self.messages += [line for line in lines if line and not NOISE_RE.match(line)]


def log_to_terminal() -> None:
    """The build's messages on the terminal, as ``mkdocs serve`` prints them."""
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


@dataclass
class LanguageBuild:
    """What one language's build had when its pages were written."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: Any
    plugins: dict[str, dict[str, Any]]  # plugin name -> its attributes
    pages: dict[str, File]  # real source path -> the page file written from it (fallback copies included)


class Capture(BasePlugin):
    """Added to the build's plugins: keeps each language's state as it is just before its pages are written."""

    def __init__(self) -> None:
        super().__init__()
        self.languages: dict[str, LanguageBuild] = {}
        self._nav: Navigation | None = None

    @event_priority(-10_000)  # after every plugin changed the navigation
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self._nav = nav
        return nav

    @event_priority(-10_000)  # after every plugin prepared the environment and checked the pages
    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        assert self._nav is not None
        pages = {os.path.realpath(f.abs_src_path): f for f in files.documentation_pages() if f.abs_src_path}
        plugins = {name: dict(vars(plugin)) for name, plugin in config.plugins.items() if name != CAPTURE}
        self.languages[Site.of(config).lang] = LanguageBuild(config_snapshot(config), files, self._nav, env, plugins,
                                                             pages)  # fmt: skip
        return env


def refresh(capture: Capture, docs: Path, paths: list[str]) -> tuple[list[str], list[str]]:
    """Write again every page made from ``paths`` (real paths of Markdown pages in ``docs``), in every language
    built here. Returns (the site paths written, []) or ([], why nothing was written)."""
    targets: list[tuple[LanguageBuild, File]] = []
    for path in paths:
        if not Path(path).is_relative_to(docs):
            return [], [tr("{path} is not a page of the site", path=path)]
        lang = Path(path).relative_to(docs).parts[0]
        # Not built, or the default language kept as it was (its build read no page).
        if lang not in capture.languages or not capture.languages[lang].pages:
            return [], [tr("'{lang}' was not built by the last build (nothing of it had changed)", lang=lang)]
        found = [(state, state.pages[path]) for state in capture.languages.values() if path in state.pages]
        if not any(state is capture.languages[lang] for state, _ in found):
            return [], [tr("{path} is not a page of the site", path=Path(path).relative_to(docs).as_posix())]
        targets += found
    written: dict[str, bytes | None] = {}
    problems = Collect()
    counter = CountHandler()
    counter.setLevel(logging.WARNING)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(problems)
    logger.addHandler(counter)
    try:
        for state, file in targets:
            for name, plugin in state.config.plugins.items():
                if name in state.plugins:
                    vars(plugin).update(state.plugins[name])
                if isinstance(plugin, PageFindings):
                    plugin.drain_findings()
            cache = state.config.plugins.get("vnportal/render_cache")
            if cache is not None and hasattr(cache, "forget"):
                cache.forget(file.page)
            dest = file.abs_dest_path
            if dest not in written:
                written[dest] = Path(dest).read_bytes() if os.path.isfile(dest) else None
            assert file.page is not None
            render_page(file.page, state.config, state.files, state.nav, state.env)
            findings = [
                f for p in state.config.plugins.values() if isinstance(p, PageFindings) for f in p.drain_findings()
            ]
            if findings:
                problems.messages.append(str(FindingsError(findings)))
            if problems.messages or counter.get_counts():
                break
    except Exception as exc:  # the full build that follows reports it with its context
        problems.messages.append(f"{type(exc).__name__}: {exc}")
    finally:
        logger.removeHandler(problems)
        logger.removeHandler(counter)
    if problems.messages or counter.get_counts():
        for dest, old in written.items():  # the site stays as the last build left it
            if old is None:
                Path(dest).unlink(missing_ok=True)
            else:
                Path(dest).write_bytes(old)
        return [], problems.messages or [tr("a warning")]
    return sorted(written), []


def warm_up() -> None:
    """Import the portal's plugins and static-i18n before the build is asked for (the process waits as a spare
    while the previous build runs): what is left when it is asked is the build itself."""
    for entry in entry_points(group="mkdocs.plugins"):
        if entry.value.startswith(("vnportal.", "mkdocs_static_i18n")):
            with contextlib.suppress(Exception):  # load_config reports it, with its context
                entry.load()


def run(conn: Any, config_file: str, url: str, dev_addr: str) -> None:
    """In the build process: wait for the folder to build into, build, report, then refresh pages on request until
    told to stop (or until the server is gone)."""
    log_to_terminal()
    faulthandler.register(signal.SIGUSR1, all_threads=True)  # a build that stops moving can be asked where it is
    try:
        warm_up()
        request = conn.recv()
    except (EOFError, KeyboardInterrupt):
        return
    if request[0] != "build":
        return
    site_dir: str = request[1]
    collect = Collect()
    logging.getLogger("mkdocs").addHandler(collect)
    config: MkDocsConfig | None = None
    capture = Capture()
    started = time.perf_counter()
    failure: list[str] | None = None
    try:
        config = load_config(config_file=config_file, site_dir=site_dir, strict=True, dev_addr=dev_addr)
        config.site_url = url
        add_plugin(config, CAPTURE, capture)
        config.plugins.on_startup(command="serve", dirty=False)
        build(config, serve_url=url)
    except KeyboardInterrupt:
        return
    except SystemExit as exc:  # mkdocs' Abort: the reasons were logged
        failure = collect.messages or [str(exc)]
    except Exception as exc:  # a bug, not the editor's mistake: still a page, and the details in the terminal
        traceback.print_exc()
        failure = [*collect.messages, f"{type(exc).__name__}: {exc}"]
    finally:
        logging.getLogger("mkdocs").removeHandler(collect)
    try:
        conn.send(("built", failure, time.perf_counter() - started))
        while failure is None:
            request = conn.recv()
            if request[0] != "refresh":
                break
            started = time.perf_counter()
            written, problems = refresh(capture, Path(config.docs_dir).resolve(), request[1])  # type: ignore[union-attr]
            conn.send(("refreshed", [os.path.relpath(p, site_dir) for p in written], problems,
                       time.perf_counter() - started))  # fmt: skip
    except (EOFError, BrokenPipeError, KeyboardInterrupt):  # the server stopped
        pass
    finally:
        if config is not None:
            config.plugins.on_shutdown()
