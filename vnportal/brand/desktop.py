"""Desktop fonts: the installable TTF files the kit ships, found in the npm packages the token file names.

The web keeps its unicode-range slices (``assets/brand/fonts``); designers need whole fonts they can install.
The packages (pinned in package-lock.json, installed by ``make fonts``) carry every weight as a static TTF;
each file is chosen by what it says it is (OS/2 weight class and italic bit), not by its file name, and
shipped unmodified under its PostScript name with the package's licence.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont, TTLibError

from vnportal.brand.tokens import Brand
from vnportal.core.findings import Finding, FindingsError
from vnportal.core.messages import tr
from vnportal.core.schema import YamlLines

LICENCE_NAMES = ("LICENSE_FONT", "OFL.txt", "OFL", "LICENSE")


@dataclass(frozen=True)
class DesktopFont:
    family_key: str  # "text" or "cjk" in the token file
    family: str  # e.g. "Be Vietnam Pro"
    weight: int
    style: str  # "normal" or "italic"
    path: Path
    name: str  # file name in the kit: <PostScript name>.ttf


@dataclass(frozen=True)
class DesktopFamily:
    key: str
    name: str
    slug: str  # folder in the kit, e.g. "be-vietnam-pro"
    fonts: tuple[DesktopFont, ...]
    licence: Path


def slug(name: str) -> str:
    return "-".join(name.lower().split())


def vietnamese_letters() -> str:
    """Every letter of the Vietnamese alphabet with every tone, lower and upper case (NFC, precomposed)."""
    bases = "aăâeêioôơuưy"
    tones = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
    letters = {unicodedata.normalize("NFC", b + t) for b in bases for t in tones} | set("bcdđghklmnpqrstvx")
    return "".join(sorted(letters | {c.upper() for c in letters}))


def common_chinese() -> str:
    """The 3,755 level-1 characters of GB 2312 (the most common simplified Chinese characters), from Python's codec."""
    return "".join(bytes([row, cell]).decode("gb2312") for row in range(0xB0, 0xD8) for cell in range(0xA1, 0xFF)
                   if not (row == 0xD7 and cell > 0xF9))  # fmt: skip


def _finding(brand: Brand, key: str, message: str, fix: str) -> Finding:
    line = YamlLines(brand.path.read_text(encoding="utf-8")).line(("typography", "families", key, "desktop"))
    return Finding(brand.path.as_posix(), line, message, fix)


def locate(brand: Brand, modules: Path) -> tuple[DesktopFamily, ...]:
    """Every desktop font the token file asks for, from ``modules`` (node_modules); FindingsError if one is missing."""
    families = []
    findings = []
    for key, family in brand.data["typography"]["families"].items():
        desktop = family["desktop"]
        package = modules / desktop["package"]
        if not package.is_dir():
            findings.append(_finding(brand, key, tr('the desktop fonts of {name} ({package}) are not installed', name=family['name'], package=desktop['package']),
                                     tr('run `make fonts` (npm ci from package-lock.json; needs Node.js and npm)')))  # fmt: skip
            continue
        found: dict[tuple[int, str], Path] = {}
        for path in sorted(package.rglob("*.ttf")):
            try:
                font = TTFont(path, lazy=True)
                weight, italic = font["OS/2"].usWeightClass, bool(font["OS/2"].fsSelection & 1)
            except (TTLibError, KeyError, OSError, AssertionError):
                continue
            found.setdefault((weight, "italic" if italic else "normal"), path)
        fonts = []
        for weight in desktop["weights"]:
            for style in desktop["styles"]:
                path = found.get((weight, style))
                if path is None:
                    findings.append(_finding(brand, key, tr('{package} has no {name} {weight} {style}', package=desktop['package'], name=family['name'], weight=weight, style=style),
                                             tr('remove that weight or style from typography.families.{key}.desktop, or pin a package that has it', key=key)))  # fmt: skip
                    continue
                postscript = TTFont(path, lazy=True)["name"].getDebugName(6) or path.stem
                fonts.append(DesktopFont(key, family["name"], weight, style, path, f"{postscript}.ttf"))
        licence = next((package / n for n in LICENCE_NAMES if (package / n).is_file()), None)
        if licence is None:
            findings.append(_finding(brand, key, tr('{package} ships no licence file', package=desktop['package']),
                                     tr("pin a package that includes the font's licence")))  # fmt: skip
            continue
        families.append(DesktopFamily(key, family["name"], slug(family["name"]), tuple(fonts), licence))
    if findings:
        raise FindingsError(findings)
    return tuple(families)


def digest(families: tuple[DesktopFamily, ...]) -> str:
    """Key for everything made from the desktop fonts: their names, bytes and licences."""
    h = hashlib.sha256()
    for family in families:
        for item in (*(f.path for f in family.fonts), family.licence):
            h.update(item.name.encode())
            h.update(hashlib.sha256(item.read_bytes()).digest())
        h.update(repr([(f.weight, f.style, f.name) for f in family.fonts]).encode())
    return h.hexdigest()[:16]


def font_for(families: tuple[DesktopFamily, ...], key: str, weight: int, style: str = "normal") -> DesktopFont:
    """The desktop file of a family nearest to ``weight`` in ``style`` (regular style when there is no italic)."""
    family = next(f for f in families if f.key == key)
    candidates = [f for f in family.fonts if f.style == style] or list(family.fonts)
    return min(candidates, key=lambda f: (abs(f.weight - weight), f.weight))
