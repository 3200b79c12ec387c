"""``make serve``: MkDocs' live-reload server as an editor needs it.

``mkdocs serve`` leaves the browser loading forever once a rebuild fails (it waits for a good build before it
answers), ends in a traceback when its port is taken, watches only docs/ and mkdocs.yml, and injects an inline
script that the pages' own Content-Security-Policy blocks. Here: the port is taken before the first build (a
busy port is one plain sentence), a failed build is an error page in the editor's language listing what to fix
(every HTML address shows it until a save fixes the build, then the page reloads by itself), the data, brand
and template folders are watched too, and live reload is an external script that the policy allows.

``mkdocs serve`` also rebuilds the whole site after every save (17 s at 1,000 pages per language) and blocks every
request meanwhile. Here each full build runs in a process of its own (``devbuild.py``), into the one of two
folders not served now, and is swapped in when it succeeds; the server keeps answering from the other. A save
that changes only the bodies of pages the served build has (front matter byte for byte the same, so no title,
card, navigation entry or link elsewhere changes) is handed to the served build's process, which writes those
pages again with their language's state at once; the full build follows to bring everything else that depends
on a body up to date (search, feeds, translation status). An open page reloads when its own file changed, and
every open page after a change to more than page bodies.

A build never holds the server up for good: one whose processes use no CPU for ``STALL_SECONDS`` is stuck (builds
only compute and read local files, so even on a loaded machine they use some CPU every few seconds), so what it was
doing is printed (its stack, by faulthandler) and it is stopped and started again, as is one whose process died;
after ``RETRIES`` such builds in a row the error page says so and the next save tries again.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import html
import itertools
import logging
import multiprocessing
import os
import posixpath
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import watchdog.events
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import _SCRIPT_TEMPLATE, LiveReloadServer, _serve_url, _timestamp

from vnportal.cli import devbuild
from vnportal.content.frontmatter import split
from vnportal.core.findings import display_path
from vnportal.core.messages import language, tr

log = logging.getLogger("mkdocs.vnportal.serve")
SCRIPT_PATH = "/.livereload.js"
LOOP_SECONDS = 0.05  # how often the build loop looks at the running build between changes
REFRESH_LIMIT = 60  # seconds a page refresh may take before the full build is left to show the page
KEEP_REQUESTS = 1000  # pages served whose live reload is followed (the oldest are forgotten: they reload)


def stall_seconds(value: str | None) -> float | None:
    """PORTAL_SERVE_STALL_SECONDS in seconds (60 when unset); None if it is not a positive number."""
    try:
        seconds = float(value or 60)
    except ValueError:
        return None
    return seconds if 0 < seconds < float("inf") else None


STALL_SECONDS = stall_seconds(os.environ.get("PORTAL_SERVE_STALL_SECONDS")) or 60.0  # no CPU used that long: stuck
CHECK_SECONDS = 2.0  # how often the CPU time of the running build is read
RETRIES = 2  # builds lost in a row (stuck, or their process died) before the error page says so
_requests = itertools.count()


def error_page(messages: list[str]) -> str:
    """The page every address shows while the build is broken: what to fix, in the editor's language."""
    items = "".join(f"<li>{html.escape(m)}</li>" for m in messages) or f"<li>{html.escape(tr('unknown error'))}</li>"
    title = html.escape(tr("The site could not be built"))
    help_text = html.escape(tr("Fix what is listed below and save the file: this page reloads by itself."))
    return (
        f'<!doctype html><html lang="{language()}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>body{{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;"
        "padding:0 1rem;color:#1a1a1a}h1{color:#a5161c}li{margin:.5rem 0;white-space:pre-wrap;overflow-wrap:anywhere}@media (prefers-color-scheme:dark){body{background:#171412;color:#efe9e3}"
        "h1{color:#ff8f86}}</style></head>"
        f'<body><main><h1>{title}</h1><p>{help_text}</p><ul id="portal-build-errors">{items}</ul></main></body></html>'
    )


def watched(config: MkDocsConfig) -> list[Path]:
    """What an edit can change: content, configuration, templates, datasets and facts, brand source."""
    root = Path(config.config_file_path).parent
    paths = [Path(config.docs_dir), Path(config.config_file_path)]
    if config.theme.custom_dir:
        paths.append(Path(config.theme.custom_dir))
    for name, key in (("vnportal/data", "data_dir"), ("vnportal/facts", "data_dir"), ("vnportal/brand", "tokens")):
        plugin = config.plugins.get(name)
        if plugin is not None and key in plugin.config:
            target = root / plugin.config[key]
            paths.append(target.parent if key == "tokens" else target)
    paths += [Path(p) for p in config.watch]
    return sorted({p.resolve() for p in paths if p.exists()})


def bind(server: LiveReloadServer, port: int) -> bool:
    """Take the port now, before a build of many seconds; a port in use is a sentence, not a traceback."""
    try:
        server.server_bind()
        server.server_activate()
    except OSError as exc:
        server.server_close()
        if exc.errno == errno.EADDRINUSE:
            print(tr("port {port} is already in use (is another make serve running?) — stop it, or choose another port: make serve PORT={other}",
                     port=port, other=port + 1), file=sys.stderr)  # fmt: skip
        else:
            print(tr("cannot listen on 127.0.0.1:{port} ({error}) — choose another port: make serve PORT={other}",
                     port=port, error=exc.strerror or exc, other=port + 1), file=sys.stderr)  # fmt: skip
        return False
    return True


def front_matter(docs: Path) -> dict[str, str | None]:
    """Every Markdown page's front matter block, by real path (None: the page has none)."""
    blocks: dict[str, str | None] = {}
    for path in docs.rglob("*.md"):
        try:
            blocks[os.path.realpath(path)] = split(path.read_text(encoding="utf-8")).block
        except (OSError, UnicodeDecodeError):
            blocks[os.path.realpath(path)] = "\0"  # unreadable: whatever it becomes differs
    return blocks


def process_tree(pid: int) -> dict[int, int]:
    """Process ``pid`` and every process under it (Pagefind, a pool's workers), each with the CPU time it used so far
    (clock ticks, the children it waited for included), from /proc; empty without /proc (not Linux) or once ``pid``
    is gone."""
    parents: dict[int, list[int]] = defaultdict(list)
    used: dict[int, int] = {}
    try:
        entries = [int(e) for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        return {}
    for entry in entries:
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:  # it ended meanwhile
            continue
        fields = stat[stat.rindex(b")") + 2 :].split()  # after "pid (name) ": state, ppid, … utime is field 14
        parents[int(fields[1])].append(entry)
        used[entry] = sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    if pid not in used:
        return {}
    tree, todo = {}, [pid]
    while todo:
        current = todo.pop()
        tree[current] = used.get(current, 0)
        todo += parents.get(current, [])
    return tree


class Build:
    """A build process: the folder it writes, the pages' front matter when it started, what changed since."""

    def __init__(
        self, process: BaseProcess, conn: Connection, folder: str, pages: dict[str, str | None], loud: bool
    ) -> None:
        self.process, self.conn, self.folder, self.pages = process, conn, folder, pages
        self.loud = loud  # made for more than page bodies: every open page reloads when it is served
        self.changed: set[str] = set()
        self._ticks: int | None = None
        self._moved = self._checked = time.monotonic()  # when it was last seen using CPU; last looked at

    def stuck(self) -> bool:
        """Whether the build's processes used no CPU for STALL_SECONDS (never known without /proc)."""
        now = time.monotonic()
        if now - self._checked < CHECK_SECONDS:
            return False
        self._checked = now
        tree = process_tree(self.process.pid) if self.process.pid is not None else {}
        ticks = sum(tree.values()) if tree else None
        if ticks is None or ticks != self._ticks:
            self._ticks, self._moved = ticks, now
            return False
        return now - self._moved >= STALL_SECONDS

    def ask(self, pages: list[str]) -> tuple[list[str], list[str], float]:
        """Have the process write ``pages`` again: (site paths written, problems, seconds)."""
        try:
            self.conn.send(("refresh", pages))
            if self.conn.poll(REFRESH_LIMIT):
                _, written, problems, seconds = self.conn.recv()
                return written, problems, seconds
            self.stop(at_once=True)  # its late answer would be taken for the next one's: no more refreshes from it
        except (EOFError, OSError):
            pass
        return [], [tr("the build process did not answer")], 0.0

    def stop(self, *, at_once: bool = False) -> None:
        """Ask the process to end (``at_once``: a stuck one is not asked), ending it if it does not."""
        if not at_once:
            with contextlib.suppress(OSError):
                self.conn.send(("stop",))
            self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=10)
        if self.process.is_alive():  # stopped (SIGSTOP, SIGTTIN) or deaf to SIGTERM
            self.process.kill()
            self.process.join(timeout=10)
        self.conn.close()


class PortalServer(LiveReloadServer):
    """LiveReloadServer that reports a failed build in the browser, reloads under the site's CSP, refreshes a page
    whose body alone changed at once and runs every full build in a process of its own, into the folder it does
    not serve from, swapped in when the build succeeds."""

    failure: list[str] | None = None  # what the last build reported, or None when it succeeded

    def setup(self, config_file: str, url: str, dev_addr: str, docs: Path, project: Path) -> None:
        self._config_file, self._url, self._dev_addr, self._docs, self._project = (
            config_file, url, dev_addr, docs, project)  # fmt: skip
        self._folders = (os.path.join(self.root, "a"), os.path.join(self.root, "b"))
        self._changed: set[str] = set()
        self._building: Build | None = None
        self._serving: Build | None = None  # the process of the build served now, which refreshes its pages
        self._spare: tuple[BaseProcess, Connection] | None = None  # the next build's process, waiting
        self._rebuild = False  # a full build is wanted
        self._loud_pending = True  # the next build changes more than page bodies: every open page reloads after it
        self._loud = 0  # the last epoch after which every open page reloads, changed or not
        self._lost = 0  # builds in a row that never reported (stuck, or their process died)
        self._pages: dict[str, tuple[str, str | None]] = {}  # live-reload request -> (page's file, its digest)
        self._checked: dict[str, int] = {}  # live-reload request -> the epoch its page was last found unchanged
        self._requested = threading.local()  # the file the serving thread is answering with
        self.root = self._folders[0]

    # -- watching --------------------------------------------------------------------------------

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        """MkDocs' ``watch``, noting which files changed."""
        path = os.path.abspath(path)
        if path in self._watched_paths:
            self._watched_paths[path] += 1
            return
        self._watched_paths[path] = 1

        def callback(event: Any) -> None:
            if event.is_directory:
                return
            with self._rebuild_cond:
                self._changed.update(p for p in (event.src_path, getattr(event, "dest_path", "")) if p)
                self._want_rebuild = True
                self._rebuild_cond.notify_all()

        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = callback  # type: ignore[method-assign]
        self._watch_refs[path] = self.observer.schedule(handler, path, recursive=recursive)

    # -- serving ---------------------------------------------------------------------------------

    def run(self) -> None:
        """Serve and rebuild on changes (the socket is bound and the first build done already: see ``serve``)."""
        if self._watched_paths:
            self.observer.start()
        self.serve_thread.start()
        self._build_loop()

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        try:
            body_end = content.rindex(b"</body>")
        except ValueError:
            body_end = len(content)
        request = f"{_timestamp()}{next(_requests) % 1000:03d}"
        page = getattr(self._requested, "path", None)
        with self._epoch_cond:
            self._pages[request] = (page, hashlib.sha256(content).hexdigest()) if page else ("", None)
            while len(self._pages) > KEEP_REQUESTS:
                self._checked.pop(next(iter(self._pages)), None)
                del self._pages[next(iter(self._pages))]
        script = f'<script src="{SCRIPT_PATH}?epoch={epoch}&amp;request={request}"></script>'.encode()
        return content[:body_end] + script + content[body_end:]

    def _poll(self, epoch: int, request: str, start_response: Any) -> list[bytes]:
        """MkDocs' live-reload poll, except that a new epoch reloads the page only if its file changed, unless the
        change was more than page bodies (a template, a title, a failure: the page may look different)."""
        start_response("200 OK", [("Content-Type", "text/plain")])
        deadline = time.monotonic() + self.poll_response_timeout
        with self._epoch_cond:
            while True:
                checked = max(epoch, self._checked.get(request, epoch))
                if not self._epoch_cond.wait_for(
                    lambda: self._visible_epoch > checked and self._visible_epoch == self._wanted_epoch,  # noqa: B023
                    timeout=max(0.0, deadline - time.monotonic()),
                ):
                    return [b"%d" % epoch]  # nothing new for this page: the script asks again
                if self._loud > checked or self._page_changed(request):
                    return [b"%d" % self._visible_epoch]
                self._checked[request] = self._visible_epoch

    def _page_changed(self, request: str) -> bool:
        path, digest = self._pages.get(request, ("", None))
        try:
            return digest is None or hashlib.sha256(Path(self.root, path).read_bytes()).hexdigest() != digest
        except OSError:
            return True

    def _serve_request(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes] | None:
        path = environ["PATH_INFO"]
        if (poll := re.fullmatch(r"/livereload/([0-9]+)/([0-9]+)", path)) and poll[2] in self._pages:
            return self._poll(int(poll[1]), poll[2], start_response)
        if path == SCRIPT_PATH:
            query = parse_qs(environ.get("QUERY_STRING", ""))
            epoch, request = (int(query.get(k, ["0"])[0]) if query.get(k, ["0"])[0].isdigit() else 0
                              for k in ("epoch", "request"))  # fmt: skip
            body = _SCRIPT_TEMPLATE.substitute(epoch=epoch, request_id=request).encode()
            start_response("200 OK", [("Content-Type", "application/javascript"), ("Cache-Control", "no-store")])
            return [body]
        with self._epoch_cond:
            self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch)
            failure, epoch = self.failure, self._visible_epoch
        if failure is not None and (path.endswith(("/", ".html")) or "." not in path.rsplit("/", 1)[-1]):
            page = self._inject_js_into_html(error_page(failure).encode(), epoch)
            start_response("500 Internal Server Error", [("Content-Type", "text/html; charset=utf-8"),
                                                        ("Cache-Control", "no-store")])  # fmt: skip
            return [page]
        file = path[len(self.mount_path) :] + ("index.html" if path.endswith("/") else "")
        self._requested.path = posixpath.normpath("/" + file).lstrip("/")  # as MkDocs finds it
        try:
            return super()._serve_request(environ, start_response)
        finally:
            self._requested.path = None

    def _publish(self, *, loud: bool) -> None:
        """Browsers show what is in the served folder now: a page reloads if its file changed, every page if
        ``loud``."""
        with self._epoch_cond:
            self._visible_epoch = self._wanted_epoch = _timestamp()
            if loud:
                self._loud = self._visible_epoch
            self._epoch_cond.notify_all()

    # -- building --------------------------------------------------------------------------------

    def _build_loop(self) -> None:
        """Wait for changes (or for the running build's result) and act on each batch of them."""
        while True:
            with self._rebuild_cond:
                self._rebuild_cond.wait_for(lambda: self._want_rebuild or self._shutdown, timeout=LOOP_SECONDS)
                if self._shutdown:
                    break
                changed: set[str] = set()
                if self._want_rebuild:
                    while self._rebuild_cond.wait(timeout=self.build_delay):  # until saving stops
                        pass
                    changed, self._changed, self._want_rebuild = self._changed, set(), False
            if self._building is not None:
                self._check_build()
            if changed:
                self._on_change(changed)
            if self._rebuild and self._building is None:
                self._start_build()

    def _page_only(self, paths: set[str], pages: dict[str, str | None]) -> tuple[list[str], str | None]:
        """The Markdown pages among ``paths`` if nothing else changed and their front matter is as it was in
        ``pages``; else why not (one changed file named). Files that came and went (an editor's temporary
        copy) do not count."""
        found = []
        for path in sorted(paths):
            real = os.path.realpath(path)
            shown = display_path(Path(real), self._project)
            exists = os.path.isfile(real)
            if real not in pages:
                if not exists:
                    continue
                return [], tr("{path} changed", path=shown)
            if not exists:
                return [], tr("{path} was deleted", path=shown)
            try:
                block = split(Path(real).read_text(encoding="utf-8")).block
            except (OSError, UnicodeDecodeError):
                block = "\0"
            if block != pages[real]:
                return [], tr("the front matter of {path} changed", path=shown)
            found.append(real)
        return found, None

    def _on_change(self, changed: set[str]) -> None:
        """Refresh the changed pages at once if only their bodies changed, and have a full build follow."""
        self._lost = 0  # a save tries again, however many builds were lost before
        if self._building is not None:
            self._building.changed |= changed  # what it read may be older: another build follows it
        serving = self._serving
        pages, reason = self._page_only(changed, serving.pages if serving else {})
        if not pages and reason is None:
            self._rebuild |= self._building is not None
            return
        self._rebuild = True
        if reason is None and (self.failure is not None or serving is None):
            reason = tr("the last build failed")
        if reason is None and serving is not None:
            with self._epoch_cond:
                self._wanted_epoch = _timestamp()  # requests wait until the pages are written
            written, problems, seconds = serving.ask(pages)
            if written:
                self._publish(loud=False)
                log.info(tr("page refreshed in {seconds} s: {pages}; full rebuild follows",
                            seconds=f"{seconds:.2f}", pages=", ".join(written)))  # fmt: skip
                return
            with self._epoch_cond:
                self._wanted_epoch = self._visible_epoch
                self._epoch_cond.notify_all()
            reason = tr("the page could not be refreshed alone ({problem})", problem="; ".join(problems))
        self._loud_pending = True
        log.info(tr("{reason}: full rebuild", reason=reason))

    def _spawn(self) -> tuple[BaseProcess, Connection]:
        """A build process, which imports the plugins and waits to be told where to build."""
        context = multiprocessing.get_context("spawn")  # none of this process's threads in it
        receive, send = context.Pipe()
        process = context.Process(target=devbuild.run, args=(send, self._config_file, self._url, self._dev_addr))
        process.start()
        send.close()
        return process, receive

    def _start_build(self) -> None:
        """A full build, into the folder not served now, by the spare process (started during the previous build:
        its imports are done), and a new spare for the next one."""
        folder = self._folders[1] if self.root == self._folders[0] and self._serving is not None else self._folders[0]
        pages = front_matter(self._docs)  # before the process reads them: a later change is noticed
        process, conn = self._spare or self._spawn()
        self._spare = None
        try:
            conn.send(("build", folder))
        except OSError:  # the spare is gone
            process, conn = self._spawn()
            conn.send(("build", folder))
        self._building, self._rebuild = Build(process, conn, folder, pages, self._loud_pending), False
        self._loud_pending = False
        self._spare = self._spawn()

    def wait_for_build(self) -> None:
        """Block until the first build is served or has failed (a lost build is built again, as later on)."""
        while self._building is not None:
            self._check_build(LOOP_SECONDS)
            if self._building is None and self._rebuild:
                self._start_build()

    def _check_build(self, wait: float = 0.0) -> None:
        """Finish the running build if it reported or its process ended; stop and replace it if it is stuck."""
        build = self._building
        assert build is not None
        if build.conn.poll(wait) or not build.process.is_alive():
            self._finish_build()
        elif build.stuck():
            self._building = None
            pid = build.process.pid
            assert pid is not None
            under = process_tree(pid).keys() - {pid}  # (Pagefind, say): nothing of it may write the folder later
            with contextlib.suppress(OSError):  # what it is doing, on the terminal (faulthandler, see devbuild.run)
                os.kill(pid, signal.SIGUSR1)
            time.sleep(1)  # the time to print it
            build.stop(at_once=True)
            for child in under:
                with contextlib.suppress(OSError):
                    os.kill(child, signal.SIGKILL)
            self._build_lost(build, tr("the build made no progress for {seconds} s (what it was doing is printed above)",
                                       seconds=f"{STALL_SECONDS:.0f}"))  # fmt: skip

    def _build_lost(self, build: Build, why: str) -> None:
        """A build that will never report: build again, unless RETRIES builds in a row were lost (then the error
        page says why, and the next save tries again)."""
        self._lost += 1
        self._rebuild |= self._lost < RETRIES or bool(build.changed)
        if self._lost < RETRIES:
            log.error(tr("{why}: building again", why=why))
            return
        self.failure = [why]
        self._publish(loud=True)
        log.error(tr("the site could not be built — the browser shows what to fix; the server keeps running"))

    def _finish_build(self) -> None:
        """Serve the build that just ended (its folder, its process for page refreshes), or its failure."""
        build, self._building = self._building, None
        assert build is not None
        try:
            _, failure, seconds = build.conn.recv()
        except (EOFError, OSError):
            build.stop(at_once=True)
            self._build_lost(build, tr("the build process stopped unexpectedly (exit code {code})",
                                       code=build.process.exitcode))  # fmt: skip
            return
        self._lost = 0
        if failure is not None:
            build.stop()
            self.failure = failure
            self._rebuild |= bool(build.changed)
            self._publish(loud=True)
            log.error(tr("the site could not be built — the browser shows what to fix; the server keeps running"))
            return
        if build.changed:  # saved while it built: what it read may be older
            self._rebuild = True
            pages, _ = self._page_only(build.changed, build.pages)
            if pages:
                build.ask(pages)
        previous, self._serving = self._serving, build
        loud = build.loud or self.failure is not None
        self.root, self.failure = build.folder, None
        self._publish(loud=loud)
        log.info(tr("site built in {seconds} s", seconds=f"{seconds:.1f}"))
        if previous is not None:
            previous.stop()

    def stop_builds(self) -> None:
        """Stop the build processes (before this one exits: multiprocessing waits for them)."""
        spare = Build(*self._spare, "", {}, loud=False) if self._spare is not None else None
        for build in (self._building, self._serving, spare):
            if build is not None:
                build.stop()
        self._building = self._serving = self._spare = None


def _stop_on_terminate(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def serve(config_file: str, port: int, host: str = "127.0.0.1") -> int:
    """Build, serve on ``host:port`` and rebuild on every change until interrupted."""
    if stall_seconds(stall := os.environ.get("PORTAL_SERVE_STALL_SECONDS")) is None:
        print(tr("PORTAL_SERVE_STALL_SECONDS={value}: not a number of seconds — set a positive number, or unset it for 60",
                 value=stall), file=sys.stderr)  # fmt: skip
        return 1
    devbuild.log_to_terminal()
    site_root = tempfile.mkdtemp(prefix="vnportal-serve-")
    url = _serve_url(host, port, "/")
    config = load_config(config_file=config_file, site_dir=site_root, strict=True, dev_addr=f"{host}:{port}")
    config.site_url = url
    server = PortalServer(builder=lambda: None, host=host, port=port, root=site_root)
    if not bind(server, port):
        shutil.rmtree(site_root, ignore_errors=True)
        return 1
    server.setup(config_file or config.config_file_path, url, f"{host}:{port}", Path(config.docs_dir).resolve(),
                 Path(config.config_file_path).parent)  # fmt: skip
    signal.signal(signal.SIGTERM, _stop_on_terminate)  # stop the build processes and remove the folders

    def builder() -> None:
        with server._rebuild_cond:
            server._want_rebuild = True
            server._rebuild_cond.notify_all()

    server.builder = builder
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        server._start_build()
        server.wait_for_build()
        for path in watched(config):
            server.watch(str(path))
        server = config.plugins.on_serve(server, config=config, builder=builder)
        log.info(tr("serving on {url} (stop with Ctrl+C)", url=url))
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
    except KeyboardInterrupt:  # during the first build
        pass
    finally:
        server.stop_builds()
        config.plugins.on_shutdown()
        shutil.rmtree(site_root, ignore_errors=True)
    return 0
