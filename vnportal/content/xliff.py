"""Translation exchange with agencies: XLIFF 2.0 out (``make xliff LOCALE=fr``), translations back in (``make import``).

The export holds, for each page a language lacks or whose original changed since it was translated, the
original's translatable front-matter fields and its body cut into segments (a paragraph, a list item, a
heading, a table row). What a translator must not change is kept out of the text as XLIFF placeholders
(``<ph>`` with the original in ``<originalData>``): inline code, link and image targets, ``[[fact:…]]``
references, inline HTML, attribute lists, footnote marks, table pipes. The rest of the page (code blocks,
HTML blocks, list markers, blank lines) travels in the file's ``<skeleton>``, so the import rebuilds the page
exactly as it was, with the translated text in place, and records the version of the original it was
translated from (``translation: {source, source_hash}``, as ``make stamp`` does). A page is written only when
every segment has a translation and kept every placeholder. Written with the standard library's XML tools:
ElementTree escapes every text and attribute; a file with a DOCTYPE or entities is refused on import.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from vnportal.content.frontmatter import parse, split
from vnportal.content.textpolicy import CONTROL_RE
from vnportal.content.translations import body_hash, status
from vnportal.core.messages import tr
from vnportal.core.xmlwrite import to_bytes

NS = "urn:oasis:names:tc:xliff:document:2.0"
Q = f"{{{NS}}}"
#: Front-matter fields a translator translates (the others are copied from the original).
TEXT_FIELDS = ("title", "subtitle", "description", "image_alt")
LIST_FIELDS = ("tags",)
MAX_FILE_BYTES = 50 * 1024 * 1024
FENCE_RE = re.compile(r"^\s*(```|~~~)")
#: Lines that are structure only: blank, HTML blocks, rules, link definitions, admonition and tab markers, table rules.
SKELETON_LINE_RE = re.compile(
    r"^\s*(?:$|<|(?:-{3,}|\*{3,}|_{3,})\s*$|\[[^\]^]+\]:\s|!!!|\?\?\?|===|\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$)"
)
#: What starts a line's text: indentation, heading marks, list markers, quote marks, footnote and abbreviation definitions.
PREFIX_RE = re.compile(
    r"^(\s*(?:>\s?)*(?:#{1,6}\s+|[-*+]\s+(?:\[[ xX]\]\s+)?|\d{1,9}[.)]\s+|\[\^[^\]]+\]:\s+|\*\[[^\]]+\]:\s+)?)"
)
#: Inline pieces that must come back unchanged.
PROTECTED_RE = re.compile(
    r"`+[^`\n]*?`+"  # inline code
    r"|\[\[fact:[^\]\n]*\]\]"  # facts register references
    r"|<[^>\n]+>"  # inline HTML and autolinks
    r"|\]\([^)\n]*\)"  # link and image targets
    r"|\]\s?\[[^\]\n]*\]"  # reference links
    r"|\{[#:.][^}\n]*\}"  # attribute lists
    r"|\[\^[^\]\n]+\]"  # footnote marks
)


class ExchangeError(Exception):
    """A plain message for the editor."""


@dataclass
class Segment:
    """One translatable text with its protected pieces (placeholder id -> original text)."""

    id: str
    text: str  # with \uE000<n>\uE001 where a protected piece was
    data: dict[str, str] = field(default_factory=dict)
    note: str = ""


def _protect(text: str, table_row: bool) -> tuple[str, dict[str, str]]:
    data: dict[str, str] = {}
    pattern = re.compile(PROTECTED_RE.pattern + (r"|\|" if table_row else ""))

    def keep(match: re.Match[str]) -> str:
        key = str(len(data) + 1)
        data[key] = match.group()
        return f"\ue000{key}\ue001"

    return pattern.sub(keep, text), data


def _restore(text: str, data: dict[str, str]) -> str:
    return re.sub("\ue000([0-9]+)\ue001", lambda m: data[m.group(1)], text)


def segment_body(body: str) -> tuple[list[Any], list[Segment]]:
    """The body as skeleton parts (text, or {"unit": id}) and its segments: joining them gives the body back."""
    parts: list[Any] = []
    segments: list[Segment] = []
    fence: str | None = None
    lines: list[str] = []  # the text being collected (a paragraph, a list item, a heading, a table row)
    end = ""
    row = False

    def close() -> None:
        if lines:
            protected, data = _protect("\n".join(lines), row)
            segments.append(Segment(f"u{len(segments) + 1}", protected, data))
            parts.extend([{"unit": segments[-1].id}, end])
            lines.clear()

    raw = body.split("\n")
    for index, line in enumerate(raw):
        newline = "\n" if index < len(raw) - 1 else ""
        marker = FENCE_RE.match(line)
        if fence is not None or marker:
            close()
            if fence is None:
                fence = marker.group(1)
            elif line.strip().startswith(fence):
                fence = None
            parts.append(line + newline)
            continue
        prefix = PREFIX_RE.match(line).group(1)
        if SKELETON_LINE_RE.match(line) or not line[len(prefix) :].strip():
            close()
            parts.append(line + newline)
            continue
        is_row = line.lstrip().startswith("|")
        if lines and not prefix.strip() and not is_row and not row:
            lines.append(line)  # the paragraph or list item goes on
            end = newline
            continue
        close()
        parts.append(prefix)
        lines.append(line[len(prefix) :])
        end, row = newline, is_row
    close()
    return [part for part in parts if part != ""], segments


def join(parts: list[Any], texts: dict[str, str]) -> str:
    return "".join(texts[part["unit"]] if isinstance(part, dict) else part for part in parts)


def _front_segments(data: dict[str, Any]) -> list[Segment]:
    segments = [Segment(f"fm-{key}", *_protect(str(data[key]), False), note=key) for key in TEXT_FIELDS
                if isinstance(data.get(key), str) and data[key].strip()]  # fmt: skip
    for key in LIST_FIELDS:
        values = data.get(key)
        if isinstance(values, list):
            segments += [Segment(f"fm-{key}-{i}", *_protect(str(v), False), note=key) for i, v in enumerate(values)]
    return segments


def _inline(parent: ET.Element, text: str, data: dict[str, str]) -> None:
    """Text with placeholders as XLIFF inline content: <ph id="n" dataRef="dn"/>."""
    pieces = re.split("\ue000([0-9]+)\ue001", text)
    parent.text = pieces[0]
    for index in range(1, len(pieces), 2):
        ph = ET.SubElement(parent, f"{Q}ph", id=pieces[index], dataRef=f"d{pieces[index]}", disp=data[pieces[index]])
        ph.tail = pieces[index + 1]


def _unit(file: ET.Element, segment: Segment) -> ET.Element:
    """One <unit>; returns its <source>, whose inline content is set once the file is indented."""
    unit = ET.SubElement(file, f"{Q}unit", id=segment.id)
    if segment.note:
        ET.SubElement(ET.SubElement(unit, f"{Q}notes"), f"{Q}note", category="field").text = segment.note
    if segment.data:
        original = ET.SubElement(unit, f"{Q}originalData")
        for key, value in segment.data.items():
            ET.SubElement(original, f"{Q}data", id=f"d{key}").text = value
    part = ET.SubElement(unit, f"{Q}segment", state="initial")
    source = ET.SubElement(part, f"{Q}source")
    source.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return source


def export(docs: Path, lang: str, languages: list[str], default: str) -> tuple[bytes, list[tuple[str, str]]]:
    """XLIFF 2.0 with every page ``lang`` lacks or whose original changed since; returns (file, [(page, state)])."""
    if lang not in languages or lang == default:
        others = ", ".join(code for code in languages if code != default)
        raise ExchangeError(tr("LOCALE={lang}: choose a language to translate into: {languages}, e.g.  make xliff LOCALE={example}",
                               lang=lang or "", languages=others, example=others.split(", ")[0]))  # fmt: skip
    root = ET.Element(f"{Q}xliff", version="2.0", srcLang=default, trgLang=lang)
    pages = [
        (s.path, s.state)
        for s in status(docs, languages, default)
        if s.lang == lang and s.state in ("missing", "stale")
    ]
    sources: list[tuple[ET.Element, Segment]] = []
    for number, (rel, state) in enumerate(pages, 1):
        path = docs / default / rel
        page = split(path.read_text(encoding="utf-8"))
        if CONTROL_RE.search(page.text) or "\ue000" in page.text or "\ue001" in page.text:
            raise ExchangeError(tr("{page}: contains invisible control characters — run  make check  and fix the page first",
                                   page=path.as_posix()))  # fmt: skip
        fm = parse(page.text, rel)[0]
        parts, segments = segment_body(page.body)
        file = ET.SubElement(root, f"{Q}file", id=f"f{number}", original=f"{default}/{rel}")
        skeleton = {"page": rel, "state": state, "source_hash": body_hash(page.text), "body": parts}
        ET.SubElement(file, f"{Q}skeleton").text = json.dumps(skeleton, ensure_ascii=False)
        sources += [(_unit(file, segment), segment) for segment in [*_front_segments(fm.data), *segments]]
    ET.indent(root, space=" ", level=0)  # readable, then each text exactly as it is (indenting would add spaces)
    for source, segment in sources:
        _inline(source, segment.text, segment.data)
    return to_bytes(root, {"": NS}) + b"\n", pages


PAGE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*(?:/[a-z0-9][a-z0-9_-]*)*\.md$")
KEY_RE = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*:")


def _read(path: Path) -> ET.Element:
    """The XLIFF file, refused when it is not one (or declares entities: nothing is expanded)."""
    shown = path.as_posix()
    if not path.is_file():
        raise ExchangeError(tr("{file}: no such file — give the XLIFF file the agency sent back, e.g.  make import FILE=build/xliff/fr.xlf",
                               file=shown))  # fmt: skip
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ExchangeError(tr("{file}: larger than {limit} MB — split the exchange into several files",
                               file=shown, limit=MAX_FILE_BYTES // 1024 // 1024))  # fmt: skip
    data = path.read_bytes()
    if re.search(rb"<!(?:DOCTYPE|ENTITY)", data, re.IGNORECASE):
        raise ExchangeError(
            tr("{file}: has a DOCTYPE or entity declaration — export it again as plain XLIFF 2.0", file=shown)
        )
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ExchangeError(tr("{file}:{line}: not well-formed XML ({error}) — export it again from the translation tool",
                               file=shown, line=exc.position[0], error=exc)) from None  # fmt: skip
    if root.tag != f"{Q}xliff" or root.get("version") != "2.0":
        raise ExchangeError(tr("{file}: not an XLIFF 2.0 file — export it again as XLIFF 2.0", file=shown))
    return root


def _target_text(unit: ET.Element, data: dict[str, str]) -> str | None:
    """The unit's translation with its placeholders put back; None when it has none yet."""
    target = unit.find(f"{Q}segment/{Q}target")
    if target is None:
        return None
    if any("\ue000" in piece or "\ue001" in piece for piece in target.itertext()):
        raise ExchangeError(tr("unit {unit}: the translation contains invisible control characters — retype it",
                               unit=unit.get("id")))  # fmt: skip

    def inline(element: ET.Element) -> list[str]:
        """The text in document order, each <ph> as its marker (<mrk> and other annotations: their text)."""
        out = [element.text or ""]
        for child in element:
            if child.tag == f"{Q}ph":
                key = (child.get("dataRef") or "").removeprefix("d")
                if key not in data:
                    raise ExchangeError(
                        tr("unit {unit}: placeholder {key} is not in the original", unit=unit.get("id"), key=key)
                    )
                out.append(f"\ue000{key}\ue001")
            else:
                out += inline(child)
            out.append(child.tail or "")
        return out

    pieces = inline(target)
    text = "".join(pieces)
    if not text.strip():
        return None
    kept = set(re.findall("\ue000([0-9]+)\ue001", text))
    if lost := sorted(set(data) - kept, key=int):
        raise ExchangeError(tr("unit {unit}: the translation lost {pieces} — put them back where they belong",
                               unit=unit.get("id"), pieces=", ".join(data[key] for key in lost)))  # fmt: skip
    return _restore(text, data)


def _front_matter(block: str, texts: dict[str, str], hash_: str, default: str) -> str:
    """The original's front matter with the translated fields and the translation record."""
    spans: list[tuple[str | None, list[str]]] = []
    for line in block.splitlines(keepends=True):
        key = KEY_RE.match(line)
        if key or not spans:
            spans.append((key.group(1) if key else None, [line]))
        else:
            spans[-1][1].append(line)
    out = []
    for key, lines in spans:
        if key == "translation":
            continue
        if key in TEXT_FIELDS and f"fm-{key}" in texts:
            lines = [f"{key}: {json.dumps(texts[f'fm-{key}'], ensure_ascii=False)}\n"]
        elif key in LIST_FIELDS and f"fm-{key}-0" in texts:
            values = [texts[f"fm-{key}-{i}"] for i in range(len([k for k in texts if k.startswith(f"fm-{key}-")]))]
            lines = [f"{key}: {json.dumps(values, ensure_ascii=False)}\n"]
        out += lines
    return "".join(out) + f"translation: {{source: {default}, source_hash: {hash_}}}\n"


def import_file(path: Path, docs: Path, languages: list[str], default: str) -> list[tuple[str, bool, str]]:
    """Write back every page of the file whose segments are all translated: [(page, written, message)]."""
    root = _read(path)
    lang = root.get("trgLang") or ""
    if lang not in languages or lang == default or root.get("srcLang") != default:
        raise ExchangeError(tr("{file}: translates {source} into {target}; this site translates {default} into {languages}",
                               file=path.as_posix(), source=root.get("srcLang"), target=lang, default=default,
                               languages=", ".join(c for c in languages if c != default)))  # fmt: skip
    results = []
    for file in root.findall(f"{Q}file"):
        try:
            skeleton = json.loads(file.findtext(f"{Q}skeleton") or "")
            page, hash_, body = skeleton["page"], skeleton["source_hash"], skeleton["body"]
            valid = isinstance(page, str) and PAGE_RE.match(page) and re.fullmatch(r"[0-9a-f]{12,64}", str(hash_))
            if not valid or not all(
                isinstance(p, str) or (isinstance(p, dict) and isinstance(p.get("unit"), str)) for p in body
            ):
                raise ValueError
        except (ValueError, KeyError, TypeError):
            raise ExchangeError(tr("{file}: file {id} has no skeleton this portal wrote — export the pages again with make xliff",
                                   file=path.as_posix(), id=file.get("id"))) from None  # fmt: skip
        target = docs / lang / page
        source_path = docs / default / page
        if not source_path.is_file():
            results.append(
                (
                    target.as_posix(),
                    False,
                    tr("the original {source} no longer exists — not written", source=source_path.as_posix()),
                )
            )
            continue
        texts: dict[str, str] = {}
        missing = 0
        for unit in file.findall(f"{Q}unit"):
            data = {d.get("id", "").removeprefix("d"): d.text or "" for d in unit.iterfind(f"{Q}originalData/{Q}data")}
            text = _target_text(unit, data)
            if text is None:
                missing += 1
            else:
                texts[unit.get("id") or ""] = text
        units = {p["unit"] for p in body if isinstance(p, dict)}
        if missing or not units <= set(texts):
            results.append((target.as_posix(), False, tr("{missing} of {total} segments have no translation yet — not written",
                                                         missing=missing or len(units - set(texts)), total=len(file.findall(f"{Q}unit")))))  # fmt: skip
            continue
        block = split(source_path.read_text(encoding="utf-8")).block or ""
        head = f"---\n{_front_matter(block, texts, hash_, default)}---\n"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(head + join(body, texts), encoding="utf-8")
        results.append((target.as_posix(), True, tr("written and recorded as the translation of {source} (source_hash {hash})",
                                                    source=source_path.as_posix(), hash=hash_)))  # fmt: skip
    return results
