"""MkDocs plugin ``vnportal/guard``: one build at a time per site folder, and a plain message (not a
traceback) for what an operator can cause: a full disk, a read-only or unwritable folder.

Two builds writing one ``site/`` at once would mix their files; the second is refused with a message naming
the folder. ``mkdocs serve`` builds into a folder of its own and never holds this lock.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger

from vnportal.core.findings import os_error_message
from vnportal.core.site import Site

log = get_plugin_logger(__name__)


def lock_path(cache_dir: Path, site_dir: str) -> Path:
    """The lock of one site folder, kept in the build cache (nothing is added beside or inside the site)."""
    key = hashlib.sha256(str(Path(site_dir).resolve()).encode()).hexdigest()[:16]
    return cache_dir / "locks" / f"{key}.lock"


class GuardPlugin(BasePlugin):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._lock: int | None = None
        self._command = "build"
        self._config: MkDocsConfig | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remembers the command: ``mkdocs serve`` takes no lock, and logs a file-system error instead of stopping."""
        self._command = command

    def _release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)  # closing the descriptor releases the lock
            self._lock = None

    @event_priority(1000)  # before anything is written
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Locks the site folder before anything is written (main build; not under ``mkdocs serve``): a second build
        into the same folder stops with a message instead of mixing its files in."""
        self._config = config
        if not Site.of(config).main_build or self._command == "serve" or self._lock is not None:
            return
        path = lock_path(Site.of(config).cache("guard"), config.site_dir)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
        except OSError as exc:
            raise PluginError(os_error_message(exc)) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise PluginError(
                f"{config.site_dir}: another build is writing this folder right now — wait for it to finish "
                "(or stop it), then build again"
            ) from None
        self._lock = fd

    @event_priority(-10000)  # after every plugin's post-build work
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Releases the site folder's lock once every plugin's post-build work is done (main build)."""
        if Site.of(config).main_build:
            self._release()

    @event_priority(-10000)  # the last handler: the other plugins have cleaned up
    def on_build_error(self, *, error: Exception) -> None:
        """Releases the lock after a failed build and turns a file-system error (full disk, read-only or unwritable
        folder) into ``path: what — how to fix`` instead of a traceback.

        ``mkdocs serve`` logs it and keeps serving; a nested language build leaves it to the main build."""
        if self._config is not None and not Site.of(self._config).main_build:
            return  # a nested language build: the error reaches the outermost build, which reports it
        self._release()
        if isinstance(error, OSError):
            message = os_error_message(error, self._config.site_dir if self._config else None)
            if self._command == "serve":
                log.error(message)  # the server stays up; the next save builds again
            else:
                raise Abort(message)
