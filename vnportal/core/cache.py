"""The build cache is input, not trust: what it holds is checked before it is used or published.

Every cached file is checked against an HMAC of its content made with the cache key (``machine_key``), which lives
outside any cache folder: most beside it (``<name>.mac``), the ones a build writes thousands of (a page's compressed
copies, a social card, a search bundle) in the first line of the entry itself (``seal``), and the render cache's,
the kit's and the data exports' manifests through these. A file that does not match is made again, never published:
a stale or damaged entry, and one written by anyone without the key (a cache restored from elsewhere, an attacker
who can write the folder). The key is this machine's own, or ``PORTAL_CACHE_KEY`` where machines share a cache (CI:
a repository secret). Cached files are copied into the site, never hard-linked, so that a write to the site cannot
change the cache, and nothing in the cache is ever executed or unpickled.

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

MAC_SUFFIX = ".mac"
#: Longest size a sealed entry's first line may give (decimal digits): anything longer is no entry, not an error.
MAX_SIZE_DIGITS = 15


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary name in the same folder (parallel builds may write
    the same file; readers never see half a file). The temporary file is removed if anything fails."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        try:
            tmp.write_bytes(data)
        except FileNotFoundError:  # an empty folder unused for a month, swept by another build just now
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def mac(data: bytes) -> str:
    """The HMAC of ``data`` with the cache key (``machine_key``): what every cache entry is checked against. A plain
    digest proves an entry intact but anyone who can write the cache folder can compute it; this one only holders
    of the key can (this machine, or the runs sharing ``PORTAL_CACHE_KEY``)."""
    return hmac.new(machine_key(), data, "sha256").hexdigest()


def read_verified(path: Path) -> bytes | None:
    """The bytes of a cached file whose recorded HMAC matches them; None if missing, stale, corrupt or written
    with another key."""
    try:
        data = path.read_bytes()
        recorded = path.with_name(path.name + MAC_SUFFIX).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not hmac.compare_digest(mac(data), recorded):
        return None
    return data if touch(path) and touch(path.with_name(path.name + MAC_SUFFIX)) else None


def touch(path: Path) -> bool:
    """Mark a cache file as used by this build (its modification time is now): ``vnportal/cache_prune`` removes the
    files no build used for a while. False if the file is gone (swept by another build since it was read: a caller
    that would publish it from its path makes it again); a file that cannot be marked is only swept sooner."""
    try:
        os.utime(path)
    except FileNotFoundError:
        return False
    except OSError:
        pass
    return True


def store(path: Path, data: bytes) -> None:
    """Put ``data`` in the cache with its HMAC beside it."""
    write_atomic(path, data)
    write_atomic(path.with_name(path.name + MAC_SUFFIX), mac(data).encode())


def vouch(path: Path) -> bytes:
    """Put the HMAC beside a file just written into the cache by a writer of its own (a ZIP streamed to disk), as
    ``store`` does for bytes in memory; returns the bytes vouched for."""
    data = path.read_bytes()
    write_atomic(path.with_name(path.name + MAC_SUFFIX), mac(data).encode())
    return data


def cached(path: Path, make: Callable[[], bytes]) -> bytes:
    """The verified cached bytes at ``path``, or what ``make`` returns (stored for next time)."""
    data = read_verified(path)
    if data is None:
        data = make()
        store(path, data)
    return data


def seal(path: Path, *parts: bytes) -> None:
    """Put ``parts`` in the cache as one file: a line with the HMAC of their sizes and bytes and the sizes, then the
    bytes. One write where ``store`` makes two files, for the entries a build writes thousands of (a page's compressed
    copies, its social card) or that hold thousands of files (a search bundle); ``unseal`` checks it."""
    sizes = " ".join(str(len(part)) for part in parts).encode()
    body = b"".join(parts)
    write_atomic(path, mac(sizes + b"\n" + body).encode() + b" " + sizes + b"\n" + body)


def unseal(path: Path, count: int | None) -> tuple[bytes, ...] | None:
    """The ``count`` parts (any number if None) ``seal`` put at ``path``; None if missing, altered, truncated, of
    another shape or sealed with another key."""
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
    if not hmac.compare_digest(mac(sizes + b"\n" + body).encode(), digest):
        return None
    parts, start = [], 0
    for size in map(int, fields):
        parts.append(body[start : start + size])
        start += size
    return tuple(parts) if start == len(body) and touch(path) else None


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
    """The cache key, outside any cache folder (a restored or shared cache cannot carry it): derived from
    ``PORTAL_CACHE_KEY`` where it is set (the runs of one repository share it as a secret, so they use each other's
    entries; a fork's runs get no secrets), else a random key of this machine and user."""
    env = os.environ
    return _key(env.get(SHARED_KEY_ENV, ""), env.get("XDG_STATE_HOME", ""), env.get("HOME", ""))


@functools.lru_cache(maxsize=4)
def _key(shared: str, state_home: str, home: str) -> bytes:
    """The key for these settings (worked out once per process: every cache entry asks)."""
    if shared:
        return hashlib.sha256(b"vnportal cache key\0" + shared.encode()).digest()
    state = Path(state_home) if state_home else Path(home or Path.home()) / ".local" / "state"
    return _key_file(state / "vnportal" / "cache.key")


def _key_file(path: Path) -> bytes:
    """The key kept at ``path``, made there the first time."""
    try:
        key = path.read_bytes()
        if len(key) == 32:
            return key
    except OSError:
        pass
    key = os.urandom(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path.with_name(f".{path.name}.{os.getpid()}"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(key)
        os.replace(path.with_name(f".{path.name}.{os.getpid()}"), path)
    except OSError:
        pass  # a read-only home: entries are simply never reused
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
