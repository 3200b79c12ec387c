"""The docs tree as files: what may be published from it, and nothing from outside the repository.

MkDocs copies every file it finds under ``docs/`` into the site, following symbolic links. An editor's
pull request can therefore publish an ``.html`` page or a ``.js`` file that runs on the portal's own
origin, an SVG with a script, or (through a link) any file of the machine that builds the site. Only the
asset types a page needs are allowed, SVG only as plain artwork, and no link may leave the docs folder.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

from vnportal.content.textpolicy import MAX_PAGE_BYTES, character_problem
from vnportal.core.findings import Finding
from vnportal.core.messages import tr

#: What a page may publish beside itself: pages, pictures and documents.
ASSET_SUFFIXES = (".md", ".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif", ".svg", ".pdf")
MEDIA_FOLDER = "assets/media"  # the media library, shared by every language (vnportal/media)
SVG_FORBIDDEN = {"script", "foreignobject", "iframe", "object", "embed", "audio", "video", "animate", "set", "handler"}
SVG_URL_RE = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def _line(source: str, needle: str) -> int:
    index = source.lower().find(needle.lower())
    return source.count("\n", 0, index) + 1 if index >= 0 else 1


def svg_findings(source: str, shown: str) -> list[Finding]:
    """An SVG published as a picture may hold shapes, text, gradients and styles, nothing that runs or
    fetches: no scripts, event handlers, foreign content, external references or entity declarations."""
    if re.search(r"<!DOCTYPE|<!ENTITY", source, re.IGNORECASE):
        return [Finding(shown, _line(source, "<!"), tr("SVG has a DOCTYPE or entity declaration"),
                        tr("export the SVG again as plain SVG (no DOCTYPE)"))]  # fmt: skip
    try:
        root = ET.fromstring(source)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else 1
        return [Finding(shown, line, tr("SVG does not parse"), tr("export the SVG again from the drawing program"))]
    findings = []
    for element in root.iter():
        tag = str(element.tag).split("}")[-1].lower()
        if tag in SVG_FORBIDDEN:
            findings.append(Finding(shown, _line(source, f"<{tag}"), tr("SVG contains <{tag}>", tag=tag),
                                    tr("remove it: a picture on the portal is shapes and text only")))  # fmt: skip
        if tag == "style" and (SVG_URL_RE.search(element.text or "") or "@import" in (element.text or "")):
            findings.append(Finding(shown, _line(source, "<style"), tr("SVG style loads a resource (url() or @import)"),
                                    tr("remove the reference; embed the shapes instead")))  # fmt: skip
        for attr, value in element.attrib.items():
            name = attr.split("}")[-1].lower()
            if name.startswith("on"):
                findings.append(Finding(shown, _line(source, name), tr("SVG attribute {name} runs code", name=name),
                                        tr("remove it")))  # fmt: skip
            elif name == "href" and not value.strip().startswith("#"):
                findings.append(Finding(shown, _line(source, "href"), tr("SVG refers to another file or address"),
                                        tr('keep only references inside the file (href="#id")')))  # fmt: skip
            elif SVG_URL_RE.search(value) or "javascript:" in value.lower():
                findings.append(Finding(shown, _line(source, name), tr("SVG attribute {name} loads a resource", name=name),
                                        tr("remove the reference")))  # fmt: skip
    return findings


def walk(docs_dir: Path) -> Iterator[Path]:
    """Every file under ``docs_dir`` that MkDocs would consider, without following linked folders."""
    return (path for path, is_dir in _walk(docs_dir) if not is_dir)


def _walk(docs_dir: Path) -> Iterator[tuple[Path, bool]]:
    """Every entry under ``docs_dir`` (not following links), with whether it is a folder; dot-files
    are skipped, as MkDocs does not publish them."""
    for folder, dirs, files in os.walk(docs_dir, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in dirs:
            yield Path(folder) / name, True
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(folder) / name, False


def _address(rel: str) -> str:
    """The published address of a docs file."""
    if rel.endswith(".md"):
        rel = rel.removesuffix(".md").removesuffix("index").rstrip("/")
    return rel


def tree_findings(docs_dir: Path, root: Path) -> list[Finding]:
    """File-level problems of a docs tree: links out, file types, names, sizes, SVG content, case clashes."""
    findings: list[Finding] = []
    base = docs_dir.resolve()
    addresses: dict[str, tuple[str, str]] = {}  # casefolded address -> (address, docs file)
    for path, is_dir in _walk(docs_dir):
        shown = _shown(path, root)
        if problem := character_problem(path.name):
            shown = shown.encode("unicode_escape").decode("ascii")  # the name as it is, not as it displays
            findings.append(Finding(shown, 1, tr("file name {problem}", problem=problem),
                                    tr("rename it with plain letters, digits and -")))  # fmt: skip
            continue
        if path.is_symlink():
            target = path.resolve()
            if not _inside(target, base):
                findings.append(Finding(shown, 1, tr("symbolic link to something outside the docs folder"),
                                        tr("replace the link by the file or folder itself (nothing outside docs/ is published)")))  # fmt: skip
                continue
        if is_dir:
            continue
        rel = path.relative_to(docs_dir).as_posix()
        suffix = path.suffix.lower()
        if suffix == ".yml" and path.parent.relative_to(docs_dir).as_posix() == MEDIA_FOLDER:
            continue  # a media item's metadata: read by the build, never published
        if suffix not in ASSET_SUFFIXES:
            findings.append(Finding(shown, 1, tr("files of type {suffix} are not published from docs/", suffix=suffix or "(none)"),
                                    tr("keep only pages and pictures or documents there ({suffixes})", suffixes=", ".join(ASSET_SUFFIXES))))  # fmt: skip
            continue
        if unicodedata.normalize("NFC", path.name) != path.name and suffix != ".md":  # pages: checks._nfc_findings
            findings.append(Finding(shown, 1, tr("file name is not Unicode NFC"), tr("rename the file")))
        size = path.stat().st_size
        if suffix == ".md" and size > MAX_PAGE_BYTES:
            findings.append(Finding(shown, 1, tr("page is {size:,} KB (at most {limit:,} KB)", size=size // 1024, limit=MAX_PAGE_BYTES // 1024),
                                    tr("split it into several pages")))  # fmt: skip
        elif suffix == ".svg":
            try:
                findings += svg_findings(path.read_text(encoding="utf-8"), shown)
            except UnicodeDecodeError:
                findings.append(Finding(shown, 1, tr("SVG is not UTF-8"), tr("export it again as UTF-8 SVG")))
        address = _address(rel)
        if (seen := addresses.get(address.casefold())) is not None:
            within = address.split("/", 1)[-1]  # the address inside its language folder
            other = _shown(docs_dir / seen[1], root)
            message = (tr("same address /{address}/ as {other}", address=within, other=other) if seen[0] == address
                       else tr("same address /{address}/ as {other} except for upper/lower case (one address on most disks and hosts)",
                               address=within, other=other))  # fmt: skip
            findings.append(Finding(shown, 1, message, tr("rename one of the two")))
        else:
            addresses[address.casefold()] = (address, rel)
    return findings


def leaves(target: Path, folder: Path) -> bool:
    """Whether ``target`` (a path written in content, resolved) is outside ``folder``."""
    return not _inside(target.resolve(), folder.resolve())
