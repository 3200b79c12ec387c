"""``make serve``: MkDocs' live-reload server as an editor needs it.

``mkdocs serve`` leaves the browser loading forever once a rebuild fails (it waits for a good build before it
answers), ends in a traceback when its port is taken, watches only docs/ and mkdocs.yml, and injects an inline
script that the pages' own Content-Security-Policy blocks. Here: the port is taken before the first build (a
busy port is one plain sentence), a failed build is an error page in the editor's language listing what to fix
(every HTML address shows it until a save fixes the build, then the page reloads by itself), the data, brand
and template folders are watched too, and live reload is an external script that the policy allows.
"""

from __future__ import annotations

import errno
import html
import logging
import re
import shutil
import sys
import tempfile
import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import _SCRIPT_TEMPLATE, LiveReloadServer, _serve_url, _timestamp

from vnportal.core.messages import language, tr

log = logging.getLogger("mkdocs.vnportal.serve")
SCRIPT_PATH = "/.livereload.js"
#: Log lines that are the build's own noise, not something an editor can fix.
NOISE_RE = re.compile(r"^(Aborted with .* in strict mode!|Aborted with a BuildError!)$")


class PortalServer(LiveReloadServer):
    """LiveReloadServer that reports a failed build in the browser and reloads under the site's CSP."""

    failure: list[str] | None = None  # what the last build reported, or None when it succeeded

    def run(self) -> None:
        """Serve and rebuild on changes (the socket is bound already: see ``serve``)."""
        if self._watched_paths:
            self.observer.start()
        self.serve_thread.start()
        self._build_loop()

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        try:
            body_end = content.rindex(b"</body>")
        except ValueError:
            body_end = len(content)
        script = f'<script src="{SCRIPT_PATH}?epoch={epoch}&amp;request={_timestamp()}"></script>'.encode()
        return content[:body_end] + script + content[body_end:]

    def _serve_request(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes] | None:
        path = environ["PATH_INFO"]
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
        return super()._serve_request(environ, start_response)


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


class _Collect(logging.Handler):
    """The warnings and errors one build logs: in strict mode, each of them is why it failed."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        lines = [line.strip() for line in record.getMessage().splitlines()]
        self.messages += [line for line in lines if line and not NOISE_RE.match(line)]


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


def serve(config_file: str, port: int, host: str = "127.0.0.1") -> int:
    """Build, serve on ``host:port`` and rebuild on every change until interrupted."""
    _log_to_terminal()
    site_dir = tempfile.mkdtemp(prefix="vnportal-serve-")
    url = _serve_url(host, port, "/")

    def get_config() -> MkDocsConfig:
        config = load_config(config_file=config_file, site_dir=site_dir, strict=True, dev_addr=f"{host}:{port}")
        config.site_url = url
        return config

    config = get_config()
    server = PortalServer(builder=lambda: None, host=host, port=port, root=site_dir)
    if not bind(server, port):
        shutil.rmtree(site_dir, ignore_errors=True)
        return 1

    def builder(loaded: MkDocsConfig | None = None) -> None:
        collect = _Collect()
        logging.getLogger("mkdocs").addHandler(collect)
        try:
            build(loaded or get_config(), serve_url=url)
            server.failure = None
        except SystemExit as exc:  # mkdocs' Abort: the reasons were logged
            server.failure = collect.messages or [str(exc)]
        except Exception as exc:  # a bug, not the editor's mistake: still a page, and the details in the terminal
            traceback.print_exc()
            server.failure = [*collect.messages, f"{type(exc).__name__}: {exc}"]
        finally:
            logging.getLogger("mkdocs").removeHandler(collect)
        if server.failure is not None:
            log.error(tr("the site could not be built — the browser shows what to fix; the server keeps running"))

    server.builder = builder
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        builder(config)
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
    finally:
        config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
    return 0


def _log_to_terminal() -> None:
    """The build's messages on the terminal, as ``mkdocs serve`` prints them."""
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
