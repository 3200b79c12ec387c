"""The brand fonts for raster work (social cards): a character -> font file index, built from each
woff2 file's real character map (cached), so every character is drawn with a font that has its glyph.

The self-hosted web fonts are subset slices (latin, latin-ext, vietnamese; ~100 slices for Chinese);
Pillow cannot fall back between fonts, so text is split into runs by the font that covers each character.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont

from vnportal.core.cache import read_verified, store
from vnportal.core.findings import Finding
from vnportal.core.messages import tr

#: Search order for each weight: Latin/Vietnamese family first, then the Chinese slices.
FAMILIES = (
    ("be-vietnam-pro", "be-vietnam-pro-*-{weight}-normal.woff2"),
    ("noto-sans-sc", "noto-sans-sc-*-400-normal.woff2"),
)


@dataclass(frozen=True)
class FontIndex:
    """Which cached TTF draws which character, for one weight."""

    files: tuple[str, ...]
    by_char: dict[int, int]

    def font_for(self, char: str) -> str | None:
        index = self.by_char.get(ord(char))
        return None if index is None else self.files[index]

    def missing(self, text: str) -> list[str]:
        return sorted({c for c in text if not c.isspace() and ord(c) not in self.by_char})


def _slice_key(path: Path) -> tuple[int, str]:
    # fontsource names Chinese slices by number; keep a stable order whatever the file system says.
    parts = path.stem.split("-")
    number = next((int(p) for p in parts if p.isdigit()), -1)
    return number, path.name


def build_index(fonts_dir: Path, cache_dir: Path, weight: int) -> FontIndex:
    """Decompress the woff2 slices to TTF (once) and index their character maps."""
    sources = [
        path
        for family, pattern in FAMILIES
        for path in sorted((fonts_dir / family).glob(pattern.format(weight=weight)), key=_slice_key)
    ]
    digest = hashlib.sha256(
        b"".join(p.name.encode() + hashlib.sha256(p.read_bytes()).digest() for p in sources)
    ).hexdigest()[:16]
    target = cache_dir / f"fonts-{weight}-{digest}"
    manifest = target / "index.json"
    known = read_verified(manifest)  # written with the cache key: which font draws each character
    if known is not None:
        data = json.loads(known)
        allowed = {str(p.resolve()) for p in sources}  # the cache may only name the fonts it was made from
        if all(name in allowed for name in data["files"]):
            return FontIndex(tuple(data["files"]), {int(k): v for k, v in data["by_char"].items()})
    target.mkdir(parents=True, exist_ok=True)
    names: list[str] = []
    by_char: dict[int, int] = {}
    for source in sources:
        # Reading the cmap only decompresses the woff2 stream; FreeType (Pillow) draws from woff2 directly.
        cmap = TTFont(source, lazy=True).getBestCmap()
        index = len(names)
        names.append(str(source.resolve()))
        for code in cmap:
            by_char.setdefault(code, index)
    store(manifest, json.dumps({"files": names, "by_char": by_char}).encode())
    return FontIndex(tuple(names), by_char)


def coverage_findings(index: FontIndex, text: str, where: str, line: int = 1) -> list[Finding]:
    missing = index.missing(text)
    if not missing:
        return []
    shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing[:5])
    return [
        Finding(
            where,
            line,
            tr("the brand fonts have no glyph for {characters}", characters=shown),
            tr("rephrase the text, or add a font covering these characters to assets/brand/fonts"),
        )
    ]
