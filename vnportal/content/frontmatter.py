"""The content model: front matter parsed with line numbers and validated against a JSON Schema.

MkDocs silently treats malformed YAML as "no metadata"; editors need the opposite: every
problem reported with the file, the line and the fix, so this module parses the raw source itself.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import material
import yaml
from jsonschema.exceptions import ValidationError
from mkdocs.utils.meta import YAML_RE

from vnportal.content.textpolicy import MAX_FRONT_MATTER_BYTES, character_problem, text_values
from vnportal.core.config import PROJECT_ROOT
from vnportal.core.findings import Finding
from vnportal.core.messages import N_, every_language, tr
from vnportal.core.schema import (
    LOADER,
    VALUE_ERRORS,
    YamlLines,
    YamlValidator,
    describe_error,
    is_date,
    mark_line,
    required_key,
    schema_findings,
    unreadable_line,
)

#: Where icons are looked up: Material's bundled sets and the portal's overrides.
THEME_DIRS = (Path(material.__file__).parent / "templates", PROJECT_ROOT / "overrides")


#: home: the landing page; topic: a page about the country; factsheet: figures from the register only;
#: policy: a policy document; news: a dated item; listing: the news list; about: a page about the portal
#: itself (contact, privacy, legal notice, accessibility, credits, sitemap).
PAGE_TYPES = ("home", "topic", "news", "factsheet", "policy", "listing", "about")
SOURCED_TYPES = ("topic", "factsheet", "policy")
#: Blocks the build writes under a page's text: the HTML sitemap, the contact details (from mkdocs.yml),
#: the accessibility results (from make audit) and the image credits (from the media library).
GENERATED = ("sitemap", "contact", "accessibility", "credits")
MATERIAL_HIDE = ("navigation", "toc", "footer", "path", "tags", "feedback")
#: Templates an editor may choose; the others (data, status, search pages) are set by the build itself.
EDITOR_TEMPLATES = ("main.html", "brand.html")
#: Material's page statuses (config.extra.status gives their tooltips).
STATUSES = ("new", "deprecated")
ICON_PATTERN = r"^(material|fontawesome/(brands|regular|solid)|octicons|simple)/[a-z0-9]+(-[a-z0-9]+)*$"

PAGE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Portal page front matter",
    "type": "object",
    "required": ["title", "description"],
    "additionalProperties": False,
    "properties": {
        "title": {"type": "string", "minLength": 1, "maxLength": 120},
        "description": {"type": "string", "minLength": 1, "maxLength": 300},
        "date": {"type": "date"},
        "updated": {"type": "date"},
        "tags": {
            "type": "array",
            "items": {"type": "string", "minLength": 1, "maxLength": 60},
            "uniqueItems": True,
            "maxItems": 20,
        },
        # A picture of the media library (docs/assets/media/), by file name: its alt text, caption and rights
        # come from its metadata file.
        "image": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]*\.(jpg|jpeg|png|webp|avif|svg)$"},
        "type": {"enum": list(PAGE_TYPES)},
        "source": {"type": "string", "minLength": 1, "maxLength": 300},
        "sources": {
            "type": "array",
            "minItems": 1,
            "maxItems": 40,
            "items": {
                "type": "object",
                "required": ["publisher", "title", "year", "url"],
                "additionalProperties": False,
                "properties": {
                    "publisher": {"type": "string", "minLength": 1, "maxLength": 200},
                    "title": {"type": "string", "minLength": 1, "maxLength": 300},
                    "year": {"type": "integer", "minimum": 1900, "maximum": 2100},
                    "url": {"type": "string", "pattern": r"^https://[^\s\"'<>`\\]+$", "maxLength": 500},
                },
            },
        },
        "generated": {"enum": list(GENERATED)},
        "tagline": {"type": "string", "minLength": 1, "maxLength": 160},
        "paths": {
            "type": "array",
            "maxItems": 4,
            "uniqueItems": True,
            "items": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9/_-]*\.md$", "maxLength": 200},
        },
        "featured_dataset": {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"},
        "figures": {
            "type": "array",
            "minItems": 1,
            "maxItems": 8,
            "uniqueItems": True,
            "items": {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"},
        },
        "translation": {
            "type": "object",
            "required": ["source", "source_hash"],
            "additionalProperties": False,
            "properties": {
                "source": {"type": "string", "pattern": "^[a-z]{2,3}(-[A-Za-z]{2,4})?$"},
                "source_hash": {"type": "string", "pattern": "^[0-9a-f]{12,64}$"},
            },
        },
        # Keys Material for MkDocs itself understands.
        "hide": {"type": "array", "items": {"enum": list(MATERIAL_HIDE)}},
        "template": {"enum": list(EDITOR_TEMPLATES)},
        "icon": {"type": "string", "pattern": ICON_PATTERN, "maxLength": 100},
        "status": {"enum": list(STATUSES)},
        "subtitle": {"type": "string", "minLength": 1, "maxLength": 120},
        "search": {"type": "object", "additionalProperties": False, "properties": {"exclude": {"type": "boolean"}}},
    },
    "allOf": [
        {
            "if": {"properties": {"type": {"const": "news"}}, "required": ["type"]},
            "then": {"required": ["date"]},
        },
        {
            "if": {"properties": {"type": {"enum": list(SOURCED_TYPES)}}, "required": ["type"]},
            "then": {"required": ["updated", "sources"]},
        },
        {
            "if": {"properties": {"type": {"const": "about"}}, "required": ["type"]},
            "then": {"required": ["updated"]},
        },
    ],
}

#: How to fix each key, marked for the message catalog and translated where shown (``hint``).
HINTS: dict[str, str] = {
    "title": N_('add a line such as  title: "Viet Nam at a glance"'),
    "description": N_("add a one-sentence summary (at most 300 characters) as  description: ..."),
    "date": N_("write the date as YYYY-MM-DD, e.g.  date: 2024-04-15"),
    "updated": N_("write the date as YYYY-MM-DD, e.g.  updated: 2024-04-15"),
    "tags": N_("write tags as a list, e.g.  tags: [culture, heritage]"),
    "image": N_("write the file name of a picture in docs/assets/media/, e.g.  image: hoi-an.jpg"),
    "type": N_("use one of: {types}"),
    "translation": N_(
        "do not write it by hand: run  make stamp PAGE=<this file>  once the translation matches the source"
    ),
    "sources": N_("list each source as  - {{publisher: ..., title: ..., year: 2025, url: https://...}}"),
    "figures": N_("list fact ids from data/facts.yml, e.g.  figures: [population, gdp]"),
    "generated": N_("use one of: {generated}"),
    "paths": N_("list up to four pages of the language, e.g.  paths: [discover/index.md, visit/index.md]"),
    "featured_dataset": N_("the id of a dataset in data/, e.g.  featured_dataset: vn-population-gdp"),
    "template": N_("leave it out (the default page) or use one of: {templates}"),
    "icon": N_(
        "use a Material icon name such as  material/earth  (https://squidfunk.github.io/mkdocs-material/reference/icons-emojis/)"
    ),
    "status": N_("use one of: {statuses}"),
    "search": N_("write  search: {{exclude: true}}  to keep the page out of search"),
}
_HINT_FIELDS = {
    "types": ", ".join(PAGE_TYPES),
    "generated": ", ".join(GENERATED),
    "templates": ", ".join(EDITOR_TEMPLATES),
    "statuses": ", ".join(STATUSES),
}


def hint(key: str | None, default: str = "") -> str:
    """How to fix ``key``, in the editor's language (``default`` when the schema has no hint for it)."""
    return tr(HINTS[key], **_HINT_FIELDS) if key in HINTS else default


def hint_in_every_language(key: str) -> str:
    """The hint in every language of the messages, e.g. for the CMS form (``vi / en``)."""
    return " / ".join(dict.fromkeys(every_language(HINTS[key], **_HINT_FIELDS))) if key in HINTS else ""


_VALIDATOR = YamlValidator(PAGE_SCHEMA)


@dataclass(frozen=True)
class Split:
    """A Markdown source cut where MkDocs cuts it (``mkdocs.utils.meta``): a ``---`` line at the very start,
    the YAML block, then a ``---`` or ``...`` line. A byte-order mark is dropped first, as MkDocs' reader does."""

    text: str  # the source without its byte-order mark
    block: str | None  # the YAML between the delimiter lines; None: the page has no front matter
    start: int  # where the block starts in ``text``
    end: int  # where the body starts in ``text``

    @property
    def body(self) -> str:
        return self.text[self.end :]

    @property
    def body_line(self) -> int:
        """Lines before the body: add it to a line of the body to get the line in the file."""
        return self.text.count("\n", 0, self.end)

    @property
    def unclosed(self) -> bool:
        """Starts like front matter, but no delimiter line ends it."""
        return self.block is None and self.text.startswith("---")

    def with_block(self, block: str) -> str:
        """The source with ``block`` in place of its front matter (between the same delimiter lines)."""
        assert self.block is not None, "a page without front matter"
        return self.text[: self.start] + block + self.text[self.start + len(self.block) :]


def split(source: str) -> Split:
    """Front matter and body of a Markdown source: the one place the portal tells them apart."""
    text = source.removeprefix("\ufeff")
    match = YAML_RE.match(text)
    if match is None:
        return Split(text, None, 0, 0)
    return Split(text, match.group(1), match.start(1), match.end())


@dataclass
class FrontMatter:
    """Parsed front matter plus where each top-level key sits in the file (1-based lines)."""

    data: dict[str, Any] = field(default_factory=dict)
    block: str = ""
    present: bool = False

    @cached_property
    def lines(self) -> YamlLines:
        """Composed only when a finding needs a line: most pages are valid and skip this work."""
        return YamlLines(self.block, first=2)

    def line_of(self, key: str | None) -> int:
        """The line of a top-level key (of the block's first line when it is not there)."""
        return self.lines.line([key] if key else []) if self.present else 1


def _first_alias(block: str) -> int | None:
    """File line of the first YAML alias: a few anchors and aliases can stand for billions of values."""
    try:
        for event in yaml.parse(block, Loader=LOADER):
            if isinstance(event, yaml.AliasEvent):
                return mark_line(block, event.start_mark) + 2
    except yaml.YAMLError:
        return None  # reported by the parser below
    return None


def parse(source: str, path: str) -> tuple[FrontMatter, list[Finding]]:
    """Split out and parse the front matter block; report YAML errors with their file line."""
    parts = split(source)
    block = parts.block
    if block is None:
        if parts.unclosed:
            return FrontMatter(), [
                Finding(path, 1, tr("front matter is not closed"), tr("end the block with a line containing only ---"))
            ]
        return FrontMatter(), []
    if len(block.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        size = len(block.encode("utf-8")) // 1024
        return FrontMatter(present=True), [
            Finding(
                path,
                2,
                tr("front matter is {size} KB (at most {limit} KB)", size=size, limit=MAX_FRONT_MATTER_BYTES // 1024),
                tr("keep only short fields there; long text belongs in the page body"),
            )
        ]
    if "*" in block and (alias := _first_alias(block)):
        return FrontMatter(present=True), [
            Finding(path, alias, tr("front matter uses a YAML alias (*name)"), tr("write the value out in full"))
        ]
    try:
        data = yaml.load(block, Loader=LOADER)
    except VALUE_ERRORS as exc:  # syntactically fine, but e.g. date: 2024-13-01
        line = unreadable_line(block, first=2)
        return FrontMatter(present=True), [
            Finding(
                path,
                line,
                tr("front matter value cannot be read ({error})", error=exc),
                tr("correct the value on this line"),
            )
        ]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark_line(block, mark) + 2
        rows = block.split("\n")
        if line - 2 >= len(rows) - 1:  # an unclosed [ or " is reported at the end: point at the last written line
            line = 2 + max((i for i, row in enumerate(rows) if row.strip()), default=0)
        return FrontMatter(present=True), [
            _yaml_finding(exc, path, line, rows[line - 2] if line - 2 < len(rows) else "")
        ]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return FrontMatter(present=True), [
            Finding(path, 2, tr("front matter must be a list of  key: value  lines"), tr("write e.g.  title: ..."))
        ]
    return FrontMatter(data=data, block=block, present=True), []


def _yaml_finding(exc: yaml.MarkedYAMLError, path: str, line: int, row: str) -> Finding:
    """What the YAML parser found, in the words of the mistakes editors make (a tab, a colon in a value)."""
    problem = exc.problem or ""
    if "'\\t'" in problem or "\t" in problem or "\t" in row.split(":")[0]:
        return Finding(path, line, tr("front matter has a tab character at the start of a line or before a value"),
                       tr("YAML allows spaces only: replace the tab with spaces (two per level of indentation)"))  # fmt: skip
    if "mapping values are not allowed" in problem and not row[:1].isspace():
        return Finding(path, line, tr("front matter value contains an unquoted colon ( : )"),
                       tr('put the value in double quotes, e.g.  title: "Huế: the old capital"'))  # fmt: skip
    return Finding(path, line, tr("front matter is not valid YAML ({problem})", problem=problem or "?"),
                   tr('check indentation and quote values containing ":" or "#", e.g.  title: "Huế: the old capital"'))  # fmt: skip


def _schema_findings(fm: FrontMatter, path: str) -> list[Finding]:
    def word(err: ValidationError) -> list[tuple[list[str], str, str]]:
        key = str(err.path[0]) if err.path else None
        where = [key] if key else []  # editors fix a page key by key: the line of the top-level key
        if err.validator == "required":
            name = required_key(err)
            if name == "date" and fm.data.get("type") == "news":
                what = tr("missing '{key}' for type: news", key=name)
            elif name in ("updated", "sources"):
                what = tr("missing '{key}' for type: {type} (the date it was last checked, and what it rests on)",
                          key=name, type=fm.data.get("type"))  # fmt: skip
            else:
                what = tr("missing '{key}'", key=name)
            return [(where, what, hint(name, tr("add  {key}: ...", key=name)))]
        if err.validator == "additionalProperties" and key is None:
            known = list(PAGE_SCHEMA["properties"])
            unknown = []
            for extra in sorted(set(map(str, fm.data)) - set(known)):
                close = difflib.get_close_matches(extra, known, n=1)
                fix = (tr("did you mean '{key}'?", key=close[0]) if close
                       else tr("remove it; allowed keys: {keys}", keys=", ".join(known)))  # fmt: skip
                unknown.append(([extra], tr("unknown front matter key '{key}'", key=extra), fix))
            return unknown
        dotted = ".".join(str(p) for p in err.path) or "front matter"
        fix = tr("shorten it") if err.validator in ("maxLength", "maxItems") else hint(key, tr("fix the value"))
        return [(where, tr("'{key}' {problem}", key=dotted, problem=describe_error(err)), fix)]

    return schema_findings(_VALIDATOR, fm.data, path, fm.lines, word)


def _text_findings(fm: FrontMatter, path: str) -> Iterator[Finding]:
    for keys, text in text_values(fm.data):
        if problem := character_problem(text):
            where = ".".join(keys) or "front matter"
            yield Finding(path, fm.line_of(keys[0] if keys else None), tr("'{key}' {problem}", key=where, problem=problem),
                          tr("retype the value; invisible control and direction characters are not allowed"))  # fmt: skip


def _icon_findings(fm: FrontMatter, path: str, theme_dirs: tuple[Path, ...]) -> Iterator[Finding]:
    icon = fm.data.get("icon")
    known = isinstance(icon, str) and re.match(ICON_PATTERN, icon)
    if known and not any((folder / ".icons" / f"{icon}.svg").is_file() for folder in theme_dirs):
        yield Finding(path, fm.line_of("icon"), tr("icon {icon!r} does not exist", icon=icon), hint("icon"))


H1_RE = re.compile(r"^#[ \t]+\S", re.MULTILINE)


def validate(source: str, path: str) -> tuple[FrontMatter, list[Finding]]:
    """Parse and validate the front matter of one Markdown source.

    A page with no front matter at all is accepted when it starts its body with a ``# Title``
    (MkDocs' own convention, used by imported trees): the plugin then derives the title from
    that heading and the description from the first paragraph.
    """
    fm, findings = parse(source, path)
    if findings:
        return fm, findings
    if not fm.present:
        if H1_RE.search(source):
            return fm, []
        return fm, [
            Finding(
                path,
                1,
                tr("page has no front matter and no # title"),
                tr("start the file with  ---, title: ..., description: ..., ---  (one per line)"),
            )
        ]
    findings = [*_schema_findings(fm, path), *_text_findings(fm, path), *_icon_findings(fm, path, THEME_DIRS)]
    date, updated = fm.data.get("date"), fm.data.get("updated")
    if is_date(date) and is_date(updated) and updated < date:
        findings.append(
            Finding(
                path,
                fm.line_of("updated"),
                tr("'updated' ({updated}) is before 'date' ({date})", updated=updated, date=date),
                tr("correct one of the two dates"),
            )
        )
    return fm, findings
