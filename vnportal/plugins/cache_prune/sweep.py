"""Removing what no build has used for a while from the build cache.

Every entry is keyed by the digest of its inputs, so the cache only grows: each edit, each change to the code or the
brand leaves the old entries behind, and a CI cache that is restored and saved again on every run carries them all.
A build marks what it uses (``vnportal.core.cache.touch``: the file's modification time), and the sweep removes the
files whose time is older than the limit. Removing an entry is always safe: the cache is input, not trust, and a
missing file is made again. A folder left empty goes too, if it had not changed either (a writer that has just made
a folder finds it still there).

Only the portal's own folders are swept (``FOLDERS``), never a link (it may lead anywhere; what is behind it is not the
cache's), and never a cache folder that holds the project (``PORTAL_CACHE_DIR`` pointing at it, its parent or home).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: The plugins' cache folders (``Site.cache(name)``; tests/test_cache_prune.py checks the list against the code), and
#: those earlier versions of the portal used. The site folders' locks (``guard``) are not entries.
FOLDERS = frozenset({"brand", "data", "fonts", "media", "parallel", "render_cache", "search", "serving", "status",
                     "theme"})  # fmt: skip
FORMER = frozenset({"cards", "compressed", "fonts-css", "i18n_seo", "render-py3.11", "render-py3.11-json"})
FORMER_PREFIXES = ("jinja-signed-",)
#: The file whose time says when the cache was last swept (at most one sweep a day: walking the cache of a 4,000-page
#: site takes a tenth of a second, a no-change build about two seconds).
STAMP = ".swept"
SWEEP_EVERY = 24 * 3600


@dataclass
class Swept:
    files: int = 0
    bytes: int = 0


def refusal(root: Path, project: Path) -> str | None:
    """Why the folder ``root`` must not be swept as a cache (it holds the project, or is home), or None."""
    real, home = root.resolve(), Path.home().resolve()
    if real == project.resolve() or real in project.resolve().parents or real == home:
        return f"{root} holds the project or is the home folder: PORTAL_CACHE_DIR must name a folder of its own"
    return None


def due(root: Path, now: float) -> bool:
    """Whether the cache at ``root`` was last swept more than a day ago (or never)."""
    try:
        return now - (root / STAMP).stat().st_mtime >= SWEEP_EVERY
    except FileNotFoundError:
        return root.is_dir()
    except OSError:
        return False


def sweep(root: Path, cutoff: float) -> Swept:
    """Remove from the portal's folders under ``root`` the files last modified before ``cutoff`` (seconds since the
    epoch), and the folders then empty that were last modified before it too; mark the sweep with ``STAMP``."""
    swept = Swept()
    with os.scandir(root) as entries:
        for entry in entries:
            if entry.name in FOLDERS or entry.name in FORMER or entry.name.startswith(FORMER_PREFIXES):
                _sweep_entry(entry, cutoff, swept)
    (root / STAMP).touch()
    return swept


def _sweep_entry(entry: os.DirEntry[str], cutoff: float, swept: Swept) -> bool:
    """Sweep a file or folder; True if it is gone."""
    try:
        if entry.is_symlink():
            return False  # not the cache's to remove, and what it leads to is not the cache's either
        stat = entry.stat(follow_symlinks=False)
        if entry.is_dir(follow_symlinks=False):
            with os.scandir(entry.path) as entries:
                left = [child for child in entries if not _sweep_entry(child, cutoff, swept)]
            if left or stat.st_mtime >= cutoff:
                return False
            os.rmdir(entry.path)
            return True
        if stat.st_mtime >= cutoff:
            return False
        os.unlink(entry.path)
    except OSError:
        return False  # gone already (another build swept it), or not ours to remove: left as it is
    swept.files += 1
    swept.bytes += stat.st_size
    return True
