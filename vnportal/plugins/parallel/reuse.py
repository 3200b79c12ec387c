"""Keeping a language as the previous build left it, when nothing it is made from changed.

A language is kept when two things hold. Its inputs' digest equals the one recorded after the previous
successful build into the same site folder; the inputs are the site's digest (mkdocs.yml, templates, brand
assets, code, package versions, package-lock.json, the files plugins read outside the docs tree, and what
every page shows of itself elsewhere: paths and front matter — vnportal/render_cache), the resolved settings
of the portal's plugins (values from the environment included), and the bytes of every file in its own docs
folder, in the default language's (its fallback pages) and outside any language's folder (shared pictures).
And the files of its site folder are exactly the recorded ones, with the same sizes and modification times:
nothing touched them since. The default language's folder is the site's root without the other languages'
folders: its pages and everything the site shares (assets, data files, the brand kit, the site-wide files the
last build wrote), all made from inputs its digest covers.

A language whose own pages changed but not what every language shares (the same ``base_digest``: the site's
structure, global inputs and settings, so the same pages at the same addresses), and whose folder is intact,
is built into that folder instead of an empty one: a page (or social card) whose file already holds the very
bytes the build makes is not written again, nor compressed; everything else of the language is written as
usual, so what the folder holds after the build is what a cold build writes.

The record also holds what the site-wide steps need from the language (``LanguageState``: its sitemap
entries, its pages' script hashes), as JSON with its digest beside it (data, never code). It is removed
when a build starts and written when the build ends without a warning, so a build that fails or warns
leaves nothing to keep.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import tempfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

from vnportal.core.cache import mac, write_atomic

Snapshot = dict[str, list[int]]  # site-relative path -> [size, modification time in ns]


@dataclass
class KeptLanguage:
    digest: str  # of the language's inputs
    files: Snapshot  # what its site folder held after the build
    state: dict[str, Any]  # plugin name -> its LanguageState, as JSON
    base: str = ""  # of the inputs but the page sources: the site's structure, global inputs and settings


def language_digest(
    site: bytes, sources: Mapping[str, bytes], settings: bytes, lang: str, default: str, languages: Collection[str]
) -> str:
    """The digest of everything a language's pages are made from (``sources``: docs-relative path -> digest)."""
    digest = hashlib.sha256(site + b"\0" + settings + b"\0" + lang.encode() + b"\0")
    for rel, source in sorted(sources.items()):
        folder = rel.split("/", 1)[0]
        if folder in (lang, default) or folder not in languages:
            digest.update(rel.encode() + b"\0" + source)
    return digest.hexdigest()


def base_digest(site: bytes, settings: bytes) -> str:
    """The digest of what every language shares: while it holds, a language's pages are the same set of files."""
    return hashlib.sha256(site + b"\0" + settings).hexdigest()


def settings_digest(config: MkDocsConfig) -> bytes:
    """The portal's plugins' settings as resolved for this build (``!ENV`` values included)."""
    settings = {name: dict(plugin.config) for name, plugin in config.plugins.items() if name.startswith("vnportal/")}
    text = json.dumps(
        settings, sort_keys=True, default=lambda value: dict(value) if isinstance(value, Mapping) else str(value)
    )
    return hashlib.sha256(text.encode()).digest()


def snapshot(folder: Path) -> Snapshot:
    """Every file below ``folder`` with its size and modification time."""
    files: Snapshot = {}
    pending = [(str(folder), "")]
    while pending:
        path, prefix = pending.pop()
        try:
            entries = list(os.scandir(path))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append((entry.path, f"{prefix}{entry.name}/"))
            else:
                stat = entry.stat()
                files[f"{prefix}{entry.name}"] = [stat.st_size, stat.st_mtime_ns]
    return files


def root_entries(site: Path, others: Collection[str]) -> list[str]:
    """The default language's share of the site folder: every visible top-level entry but the other languages'
    folders (``others``: ``en``, …)."""
    try:
        return sorted(e.name for e in os.scandir(site) if not e.name.startswith(".") and e.name not in others)
    except FileNotFoundError:
        return []


def own_snapshot(site: Path, entries: list[str]) -> Snapshot:
    """Every file of the site folder's ``entries`` (site-relative) with its size and modification time."""
    files: Snapshot = {}
    for name in entries:
        path = site / name
        if path.is_dir() and not path.is_symlink():
            files.update({f"{name}/{rel}": stat for rel, stat in snapshot(path).items()})
        elif path.exists():
            stat = path.stat()
            files[name] = [stat.st_size, stat.st_mtime_ns]
    return files


def record_path(cache: Path, site_dir: str) -> Path:
    """One record per site folder."""
    return cache / f"languages-{hashlib.sha256(str(Path(site_dir).resolve()).encode()).hexdigest()[:16]}.json"


def load(path: Path) -> dict[str, KeptLanguage]:
    """The record ``save`` wrote, if it is intact; anything else is an empty record (every language is built)."""
    try:
        digest, _, payload = path.read_text(encoding="utf-8").partition("\n")
        if not hmac.compare_digest(mac(payload.encode("utf-8")), digest):
            return {}
        return {lang: KeptLanguage(**item) for lang, item in json.loads(payload).items()}
    except (OSError, ValueError, TypeError):
        return {}


def save(path: Path, record: dict[str, KeptLanguage]) -> None:
    """Writes the record with the HMAC of its text (``vars``, not ``asdict``: its deep copy of tens of thousands of
    file entries took longer than the JSON)."""
    payload = json.dumps({lang: vars(kept) for lang, kept in record.items()}, sort_keys=True)
    write_atomic(path, f"{mac(payload.encode('utf-8'))}\n{payload}".encode())


def hold_aside(site: Path, folders: list[str]) -> Path | None:
    """Move the kept languages' folders out of the site folder before MkDocs clears it (a rename: instant), to
    a hidden folder beside it; None if that cannot be done (then every language is built)."""
    try:
        held = Path(tempfile.mkdtemp(prefix=f".{site.name}-kept-", dir=site.parent))
    except OSError:
        return None
    moved: list[str] = []
    try:
        for folder in folders:
            (site / folder).rename(held / folder)
            moved.append(folder)
    except OSError:
        put_back(held, site, moved)
        return None
    return held


def put_back(held: Path, site: Path, folders: list[str]) -> None:
    """Move held folders back into the site folder and remove the holding folder."""
    site.mkdir(parents=True, exist_ok=True)
    for folder in folders:
        (held / folder).rename(site / folder)
    held.rmdir()
