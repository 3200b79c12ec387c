"""The build cache is input, not trust: what it holds is checked before it is used or published.

Each cached file is checked against a digest of its content: most beside it (``<name>.sha256``), the ones a build
writes thousands of (a page's compressed copies, a social card, a search bundle) in the first line of the entry
itself (``seal``); a file whose bytes do not match is made again, never published. Cached files are copied into the
site, never hard-linked, so that a write to the site cannot change the cache. Nothing in the cache is ever executed
or unpickled: where an entry holds code (compiled templates, a search bundle with its scripts) it carries an HMAC made
with a key that lives outside the cache folder (``vnportal.core.cache.machine_key``), so only entries this machine
wrote are loaded. A digest proves an entry intact, not who wrote it: a cache folder is trusted as far as whoever can
write it (in CI, the workflow runs of the branch that restores it; see README, "Continuous integration").

Also here: telling whether a folder of inputs changed since the previous build in the same process
(``mkdocs serve``), and writing a file atomically without leaving a temporary file behind on failure.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import importlib
import os
import threading
from collections.abc import Callable
from pathlib import Path

DIGEST_SUFFIX = ".sha256"
#: Longest size a sealed entry's first line may give (decimal digits): anything longer is no entry, not an error.
MAX_SIZE_DIGITS = 15


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary name in the same folder (parallel builds may write
    the same file; readers never see half a file). The temporary file is removed if anything fails."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def read_verified(path: Path) -> bytes | None:
    """The bytes of a cached file whose recorded digest matches them; None if missing, stale or corrupt."""
    try:
        data = path.read_bytes()
        recorded = path.with_name(path.name + DIGEST_SUFFIX).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return data if hmac.compare_digest(hashlib.sha256(data).hexdigest(), recorded) else None


def store(path: Path, data: bytes) -> None:
    """Put ``data`` in the cache with its digest."""
    write_atomic(path, data)
    write_atomic(path.with_name(path.name + DIGEST_SUFFIX), hashlib.sha256(data).hexdigest().encode())


def cached(path: Path, make: Callable[[], bytes]) -> bytes:
    """The verified cached bytes at ``path``, or what ``make`` returns (stored for next time)."""
    data = read_verified(path)
    if data is None:
        data = make()
        store(path, data)
    return data


def seal(path: Path, *parts: bytes, key: bytes | None = None) -> None:
    """Put ``parts`` in the cache as one file: a line with the digest of their sizes and bytes and the sizes, then the
    bytes. One write where ``store`` makes two files, for the entries a build writes thousands of (a page's compressed
    copies, its social card) or that hold thousands of files (a search bundle); ``unseal`` checks it. With ``key``
    (``machine_key``) the digest is an HMAC: for entries that hold code, which only this machine may have written."""
    sizes = " ".join(str(len(part)) for part in parts).encode()
    body = b"".join(parts)
    write_atomic(path, _seal_digest(sizes, body, key) + b" " + sizes + b"\n" + body)


def unseal(path: Path, count: int | None, key: bytes | None = None) -> tuple[bytes, ...] | None:
    """The ``count`` parts (any number if None) ``seal`` put at ``path`` (with the same ``key``); None if missing,
    altered, truncated or of another shape."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head, newline, body = data.partition(b"\n")
    digest, _, sizes = head.partition(b" ")
    fields = sizes.split(b" ")
    sizes_ok = all(field.isdigit() and len(field) <= MAX_SIZE_DIGITS for field in fields)  # ASCII digits, no 10**5000
    if not newline or (count is not None and len(fields) != count) or not sizes_ok:
        return None
    if not hmac.compare_digest(_seal_digest(sizes, body, key), digest):
        return None
    parts, start = [], 0
    for size in map(int, fields):
        parts.append(body[start : start + size])
        start += size
    return tuple(parts) if start == len(body) else None


def _seal_digest(sizes: bytes, body: bytes, key: bytes | None) -> bytes:
    message = sizes + b"\n" + body
    return (hashlib.sha256(message) if key is None else hmac.new(key, message, "sha256")).hexdigest().encode()


def place(data: bytes, target: Path) -> None:
    """Publish ``data`` at ``target`` in the site: a copy, written atomically."""
    write_atomic(target, data)


@functools.lru_cache(maxsize=32)
def code_digest(*packages: str) -> str:
    """Digest of the Python source of ``packages`` (dotted names, e.g. ``vnportal.brand``): a key part for files
    the code generates, so a change to the generator makes them again (taken once per process, at first use: the
    code it runs)."""
    digest = hashlib.sha256()
    for package in packages:
        folder = Path(importlib.import_module(package).__file__ or "").parent
        for path in sorted(folder.rglob("*.py")):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\x00" + path.read_bytes())
    return digest.hexdigest()[:16]


def file_stamp(path: str | Path) -> tuple[int, int]:
    """What tells a file's versions apart cheaply (modification time in ns, size): for in-process caches keyed
    by path, so an edit during ``mkdocs serve`` is read again."""
    stat = os.stat(path)
    return stat.st_mtime_ns, stat.st_size


#: A secret shared by the machines that may share a cache folder (CI: a repository secret); unset, each machine and
#: user has a key of its own.
SHARED_KEY_ENV = "PORTAL_CACHE_KEY"


def machine_key() -> bytes:
    """The HMAC key for cache entries that hold code, outside any cache folder (a restored or shared cache cannot
    carry it): derived from ``PORTAL_CACHE_KEY`` where it is set (the runs of one repository share it as a secret,
    so they reuse each other's entries; a fork's runs get no secrets), else a random key of this machine and user."""
    shared = os.environ.get(SHARED_KEY_ENV, "")
    if shared:
        return hashlib.sha256(b"vnportal cache key\0" + shared.encode()).digest()
    home = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "vnportal"
    path = home / "cache.key"
    try:
        key = path.read_bytes()
        if len(key) == 32:
            return key
    except OSError:
        pass
    key = os.urandom(32)
    try:
        home.mkdir(parents=True, exist_ok=True)
        write_atomic(path, key)
        path.chmod(0o600)
    except OSError:
        pass  # a read-only home: code entries are simply never reused
    return key


def tools_digest(project: Path) -> str:
    """Digest of the portal's whole code and of the package versions ``project``'s requirements.lock pins: a key
    part for what the code and its libraries write (a feed writer, rdflib, the YAML parser)."""
    lock = project / "requirements.lock"
    data = code_digest("vnportal").encode() + (lock.read_bytes() if lock.is_file() else b"-")
    return hashlib.sha256(data).hexdigest()[:16]


def tree_digest(root: Path) -> bytes:
    """Digest of every file under ``root`` (path and bytes; compiled Python left out): a key part that holds across
    processes, unlike ``fingerprint``."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


def fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Every file under ``root`` with its size and modification time: cheap, and enough to see an edit
    between two builds of one ``mkdocs serve`` session (content digests decide what goes on disk)."""
    return tuple(
        (p.relative_to(root).as_posix(), (st := p.stat()).st_size, st.st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    )
