"""Translation tracking: a translation records the hash of the source page body it was made from.

``translation: {source: vi, source_hash: …}`` in a translation's front matter; when the Vietnamese page
changes, its hash changes and the translation is *stale* until a translator updates it and records the
new hash (``python -m vnportal stamp docs/en/page.md``). No git history needed, so shallow CI clones work.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from vnportal.frontmatter import FRONT_MATTER_RE, parse

HASH_LENGTH = 16


def body_hash(source: str) -> str:
    """Hash of the page body (front matter excluded, NFC, whitespace-insensitive)."""
    match = FRONT_MATTER_RE.match(source.lstrip("\ufeff"))
    body = source[match.end() :] if match else source
    normalised = re.sub(r"\s+", " ", unicodedata.normalize("NFC", body)).strip()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:HASH_LENGTH]


@dataclass(frozen=True)
class PageStatus:
    path: str  # relative to the language folder
    lang: str
    state: str  # translated | stale | missing | untracked | source
    title: str


def status(docs: Path, languages: list[str], default: str) -> list[PageStatus]:
    """State of every page of the default language in every language."""
    out: list[PageStatus] = []
    source_root = docs / default
    for source_path in sorted(source_root.rglob("*.md")):
        rel = source_path.relative_to(source_root).as_posix()
        source = source_path.read_text(encoding="utf-8", errors="replace")  # encoding errors: see checks
        current = body_hash(source)
        title = str(parse(source, rel)[0].data.get("title", rel))
        out.append(PageStatus(rel, default, "source", title))
        for lang in languages:
            if lang == default:
                continue
            path = docs / lang / rel
            if not path.is_file():
                out.append(PageStatus(rel, lang, "missing", title))
                continue
            data = parse(path.read_text(encoding="utf-8", errors="replace"), rel)[0].data
            record = data.get("translation") if isinstance(data.get("translation"), dict) else None
            own_title = str(data.get("title", title))
            if record is None:
                out.append(PageStatus(rel, lang, "untracked", own_title))
            elif record.get("source_hash") == current:
                out.append(PageStatus(rel, lang, "translated", own_title))
            else:
                out.append(PageStatus(rel, lang, "stale", own_title))
    return out


def stamp(path: Path, docs: Path, default: str) -> str:
    """Record in a translation's front matter the hash of its current source page; returns the hash."""
    lang = path.relative_to(docs).parts[0]
    rel = path.relative_to(docs / lang)
    current = body_hash((docs / default / rel).read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    line = f"translation: {{source: {default}, source_hash: {current}}}"
    if re.search(r"^translation:.*$", text, re.MULTILINE):
        text = re.sub(r"^translation:.*$", line, text, count=1, flags=re.MULTILINE)
    else:
        text = text.replace("---\n", f"---\n{line}\n", 1) if text.startswith("---\n") else text
    path.write_text(text, encoding="utf-8")
    return current
