"""Placing cached build outputs into the site (a hard link when possible, else a copy), and telling
whether a folder of inputs changed since the previous build in the same process (``mkdocs serve``)."""

from __future__ import annotations

import os
from pathlib import Path


def place(cached: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.unlink()
    try:
        os.link(cached, target)
    except OSError:
        target.write_bytes(cached.read_bytes())


def fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Every file under ``root`` with its size and modification time: cheap, and enough to see an edit
    between two builds of one ``mkdocs serve`` session (content digests decide what goes on disk)."""
    return tuple(
        (p.relative_to(root).as_posix(), (st := p.stat()).st_size, st.st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    )
