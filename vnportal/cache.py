"""Placing cached build outputs into the site (a hard link when possible, else a copy), and telling
whether a folder of inputs changed since the previous build in the same process (``mkdocs serve``)."""

from __future__ import annotations

import os
from pathlib import Path


def place(cached: Path, target: Path) -> None:
    """Put ``cached`` at ``target``, atomically when something is already there: language builds run
    in parallel processes, and a fallback page places the same image variant as its source page."""
    try:
        os.link(cached, target)  # the usual case, one system call
        return
    except FileNotFoundError:  # its folder is not made yet (or ``cached`` is missing)
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        if os.path.samefile(cached, target):
            return
    except OSError:
        pass  # another file system: copied below
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        os.link(cached, tmp)
    except OSError:
        tmp.write_bytes(cached.read_bytes())  # a missing ``cached`` raises here
    os.replace(tmp, target)
    if tmp.exists():  # rename(2) does nothing when both names are links to one file: placed meanwhile
        tmp.unlink()


def fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Every file under ``root`` with its size and modification time: cheap, and enough to see an edit
    between two builds of one ``mkdocs serve`` session (content digests decide what goes on disk)."""
    return tuple(
        (p.relative_to(root).as_posix(), (st := p.stat()).st_size, st.st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    )
