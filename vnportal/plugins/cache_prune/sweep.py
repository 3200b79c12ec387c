"""Removing what no build has used for a while from the build cache.

Every entry is keyed by the digest of its inputs, so the cache only grows: each edit, each change to the code or the
brand leaves the old entries behind, and a CI cache that is restored and saved again on every run carries them all.
A build marks what it uses (``vnportal.core.cache.touch``: the file's modification time), and the sweep removes the
files whose time is older than the limit. Removing an entry is always safe: the cache is input, not trust, and a
missing file is made again. A folder emptied by the sweep goes too, if it had not changed either (a writer that has
just made a folder finds it still there).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: What is not a cache entry: the locks that keep two builds out of one site folder (removing a lock another build
#: holds would let a third one in).
KEPT = frozenset({"guard", "locks"})
#: The file whose time says when the cache was last swept (at most one sweep a day: walking the cache of a 4,000-page
#: site takes a tenth of a second, a no-change build about two seconds).
STAMP = ".swept"
SWEEP_EVERY = 24 * 3600


@dataclass
class Swept:
    files: int = 0
    bytes: int = 0


def due(root: Path, now: float) -> bool:
    """Whether the cache at ``root`` was last swept more than a day ago (or never)."""
    try:
        return now - (root / STAMP).stat().st_mtime >= SWEEP_EVERY
    except FileNotFoundError:
        return root.is_dir()
    except OSError:
        return False


def sweep(root: Path, cutoff: float) -> Swept:
    """Remove the files under ``root`` last modified before ``cutoff`` (seconds since the epoch), but the locks, and
    the folders that are then empty and were last modified before it too; mark the sweep with ``STAMP``."""
    swept = Swept()
    _sweep_folder(root, cutoff, swept, top=True)
    (root / STAMP).touch()
    return swept


def _sweep_folder(folder: Path, cutoff: float, swept: Swept, *, top: bool) -> bool:
    """Sweep ``folder``; True if it is now empty."""
    empty = True
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return False
    for entry in entries:
        if top and (entry.name in KEPT or entry.name == STAMP):
            empty = False
            continue
        try:
            stat = entry.stat(follow_symlinks=False)
            if entry.is_dir(follow_symlinks=False):
                if _sweep_folder(Path(entry.path), cutoff, swept, top=False) and stat.st_mtime < cutoff:
                    os.rmdir(entry.path)
                    continue
            elif stat.st_mtime < cutoff:
                os.unlink(entry.path)
                swept.files += 1
                swept.bytes += stat.st_size
                continue
        except OSError:
            pass  # gone already (another build swept it), or not ours to remove: left as it is
        empty = False
    return empty
