"""Placing cached build outputs into the site: a hard link when possible (no copy), else a copy."""

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
