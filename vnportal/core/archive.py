"""Deterministic ZIP files: the same entries give the same bytes, whoever writes them and whenever.

Every entry gets one fixed date, the permissions ``rw-r--r--`` and its place in name order (unless a format
prescribes its own order): no build time, file date, umask or directory order leaks into an archive. The brand
kit, the Office templates inside it, the data exports' XLSX files and the bulk data download are written here.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from pathlib import Path
from typing import IO

#: The earliest date a ZIP entry can hold: every entry's date unless the caller gives one (e.g. a release's).
EPOCH = (1980, 1, 1, 0, 0, 0)
_BLOCK = 1 << 20

#: An entry's content: its bytes, a file to copy, or a function that opens a stream to copy (memory stays flat).
Source = bytes | Path | Callable[[], IO[bytes]]


def write_zip(
    target: Path | IO[bytes],
    entries: Mapping[str, Source] | Iterable[tuple[str, Source]],
    *,
    date_time: tuple[int, ...] = EPOCH,
    stored: tuple[str, ...] = (),
    keep_order: bool = False,
) -> None:
    """Write ``entries`` (name, content) into ``target``, deflated, or stored as they are when the name ends
    with one of ``stored`` (formats compressed already); in name order unless ``keep_order``."""
    items = list(entries.items() if isinstance(entries, Mapping) else entries)
    if not keep_order:
        items.sort(key=lambda item: item[0])
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, source in items:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_STORED if stored and name.endswith(stored) else zipfile.ZIP_DEFLATED
            if isinstance(source, bytes):
                archive.writestr(info, source)
                continue
            if isinstance(source, Path):
                info.file_size = source.stat().st_size  # as writestr does: a file of 2 GB or more gets ZIP64
            with source.open("rb") if isinstance(source, Path) else source() as reader, archive.open(info, "w") as out:
                for block in iter(lambda: reader.read(_BLOCK), b""):
                    out.write(block)


def zip_bytes(entries: Mapping[str, Source] | Iterable[tuple[str, Source]], **options) -> bytes:
    """The ZIP ``write_zip`` writes, as bytes."""
    out = io.BytesIO()
    write_zip(out, entries, **options)
    return out.getvalue()


def rewrite_zip(
    source: Path | bytes, target: Path | IO[bytes], *, date_time: tuple[int, ...] = EPOCH, keep_order: bool = False
) -> None:
    """A ZIP that another library wrote (a workbook, a presentation), rewritten entry by entry, streamed."""
    with zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source)) as archive:
        entries = [(name, partial(archive.open, name)) for name in archive.namelist()]
        write_zip(target, entries, date_time=date_time, keep_order=keep_order)
