"""Translation tracking: a translation records the hash of the source page body it was made from.

``translation: {source: vi, source_hash: …}`` in a translation's front matter; when the Vietnamese page
changes, its hash changes and the translation is *stale* until a translator updates it and records the
new hash (``make stamp PAGE=docs/en/page.md``). No git history needed, so shallow CI clones work.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import astuple, dataclass
from pathlib import Path

from vnportal.content.frontmatter import parse, split
from vnportal.core.cache import read_verified
from vnportal.core.cache import store as write_store
from vnportal.core.messages import tr

HASH_LENGTH = 16


def body_hash(source: str) -> str:
    """Hash of the page body (front matter excluded, NFC, whitespace-insensitive)."""
    normalised = re.sub(r"\s+", " ", unicodedata.normalize("NFC", split(source).body)).strip()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:HASH_LENGTH]


@dataclass(frozen=True)
class PageStatus:
    path: str  # relative to the language folder
    lang: str
    state: str  # translated | stale | missing | untracked | source
    title: str


@dataclass(frozen=True)
class PageFacts:
    """What the status needs of one page file: its title, the source hash its translation record holds (None
    without a record; a value that is not text never matches) and the hash of its own body."""

    title: str | None
    recorded: str | None
    body: str


def page_facts(path: Path, rel: str) -> PageFacts:
    return facts_of(path.read_text(encoding="utf-8", errors="replace"), rel)  # encoding errors: see checks


def facts_of(source: str, rel: str) -> PageFacts:
    """What the status needs of a page's text."""
    data = parse(source, rel)[0].data
    record = data.get("translation") if isinstance(data.get("translation"), dict) else None
    recorded = None if record is None else record.get("source_hash")
    title = data.get("title")
    return PageFacts(
        None if title is None else str(title),
        None if record is None else recorded if isinstance(recorded, str) else "\0",
        body_hash(source),
    )


def status(
    docs: Path, languages: list[str], default: str, facts: Callable[[Path, str], PageFacts] = page_facts
) -> list[PageStatus]:
    """State of every page of the default language in every language (``facts`` reads a page file: the build
    passes one that remembers the pages it read before)."""
    out: list[PageStatus] = []
    source_root = docs / default
    for source_path in sorted(source_root.rglob("*.md")):
        rel = source_path.relative_to(source_root).as_posix()
        source = facts(source_path, rel)
        title = rel if source.title is None else source.title
        out.append(PageStatus(rel, default, "source", title))
        for lang in languages:
            if lang == default:
                continue
            path = docs / lang / rel
            if not path.is_file():
                out.append(PageStatus(rel, lang, "missing", title))
                continue
            page = facts(path, rel)
            own_title = title if page.title is None else page.title
            if page.recorded is None:
                out.append(PageStatus(rel, lang, "untracked", own_title))
            elif page.recorded == source.body:
                out.append(PageStatus(rel, lang, "translated", own_title))
            else:
                out.append(PageStatus(rel, lang, "stale", own_title))
    return out


def remembered_status(docs: Path, languages: list[str], default: str, store: Path) -> list[PageStatus]:
    """``status`` parsing again only the page files whose bytes changed since the call that wrote ``store`` (each
    file's facts are remembered by the digest of the bytes read now, so an edit during a build cannot pair one
    version's digest with another's facts); ``store`` is verified when read and rewritten when it changed."""
    known = json.loads(read_verified(store) or b"{}")
    used: dict[str, list[str | None]] = {}

    def facts(path: Path, rel: str) -> PageFacts:
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        item = known.get(digest)
        if item is None:  # read as read_text reads it: UTF-8 (errors replaced), universal newlines
            read = facts_of(data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n"), rel)
        else:
            read = PageFacts(*item)
        used[digest] = list(astuple(read))
        return read

    statuses = status(docs, languages, default, facts)
    if used != known:
        write_store(store, json.dumps(used, sort_keys=True).encode())
    return statuses


def _other(languages: list[str] | None, default: str) -> str:
    return next((lang for lang in languages or [] if lang != default), "en")


class StampError(Exception):
    """Why a file cannot be stamped, in words an editor can act on."""


def stamp(path: Path, docs: Path, default: str, languages: list[str] | None = None) -> str:
    """Record in a translation's front matter the hash of its current source page; returns the hash."""
    shown = path.as_posix()
    try:
        rel = path.resolve().relative_to(docs.resolve())
    except ValueError:
        raise StampError(tr("{page}: not a page of {docs}/ — give the translation's path, e.g.  make stamp PAGE={docs}/en/economy/index.md",
                            page=shown, docs=docs.as_posix())) from None  # fmt: skip
    lang, rest = rel.parts[0], Path(*rel.parts[1:]) if len(rel.parts) > 1 else Path()
    if not path.is_file() or path.suffix != ".md":
        raise StampError(tr("{page}: there is no such page — check the path (make stamp PAGE=docs/<language>/<page>.md)",
                            page=shown))  # fmt: skip
    if lang == default:
        raise StampError(tr("{page} is an original ({default}) page, not a translation — stamp the translation instead, e.g.  make stamp PAGE={example}",
                            page=shown, default=default, example=(docs / _other(languages, default) / rest).as_posix()))  # fmt: skip
    if languages is not None and lang not in languages:
        raise StampError(tr("{page}: '{lang}' is not a configured language", page=shown, lang=lang))
    source_path = docs / default / rest
    if not source_path.is_file():
        raise StampError(tr("{page}: there is no original {source} to compare it with — create the {default} page first",
                            page=shown, source=source_path.as_posix(), default=default))  # fmt: skip
    current = body_hash(source_path.read_text(encoding="utf-8"))
    parts = split(path.read_text(encoding="utf-8"))
    if parts.block is None:
        raise StampError(tr("{page}: the page has no front matter — start it with  ---, title: …, description: …, ---",
                            page=shown))  # fmt: skip
    line = f"translation: {{source: {default}, source_hash: {current}}}"
    block = parts.block
    existing = re.compile(r"^translation:.*\n(?:[ \t]+.*\n)*", re.MULTILINE)  # flow or block style
    block = existing.sub(lambda _match: line + "\n", block, count=1) if existing.search(block) else f"{block}{line}\n"
    path.write_text(parts.with_block(block), encoding="utf-8")
    return current
