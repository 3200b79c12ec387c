"""What editor-written text may contain, and how big inputs may be.

Control characters make feeds and XML ill-formed and hide text from reviewers; bidirectional overrides
can make a file name or a title read differently from what it is ("Trojan source"). Both are rejected
wherever an editor types text: front matter, Markdown, dataset metadata, CSV cells, file names. The size
limits keep a careless or hostile input from exhausting the build (and messages never echo the value).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from vnportal.core.messages import tr

#: C0 controls but tab, line feed and carriage return; DEL; C1 controls; the two XML non-characters.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
#: Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069); the marks LRM/RLM stay allowed.
BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")

MAX_PAGE_BYTES = 1024 * 1024  # a Markdown page (the full text of a resolution is under 100 KB)
MAX_FRONT_MATTER_BYTES = 16 * 1024
MAX_NESTING = 10  # nested lists or blockquotes
MAX_IMAGE_PIXELS = 60_000_000  # a 48-megapixel phone photo passes; a decompression bomb does not
MAX_CSV_CELL = 10_000  # characters in one CSV cell
MAX_TEXT = 2_000  # characters in a front-matter or metadata text value without a tighter limit


def character_problem(text: str) -> str | None:
    """What is wrong with ``text``'s characters (a description without the value), or None."""
    if match := CONTROL_RE.search(text):
        return tr("contains the control character U+{code:04X} (position {position})",
                  code=ord(match.group()), position=match.start() + 1)  # fmt: skip
    if match := BIDI_RE.search(text):
        return tr("contains the bidirectional override U+{code:04X} (position {position})",
                  code=ord(match.group()), position=match.start() + 1)  # fmt: skip
    return None


def text_values(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every string inside a parsed YAML value, with its key path (keys are text too)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield (*path, str(key)), str(key)
            yield from text_values(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from text_values(item, (*path, str(index)))


def nesting_problem(line: str) -> str | None:
    """A Markdown line nested deeper than MAX_NESTING lists or blockquotes (the parser recurses per level)."""
    quotes = len(re.match(r"(?:[ \t]*>)*", line).group().replace(" ", "").replace("\t", ""))
    if quotes > MAX_NESTING:
        return tr("{count} nested blockquotes (at most {limit})", count=quotes, limit=MAX_NESTING)
    indent = len(re.match(r"[ \t]*", line).group().expandtabs(4))
    if indent > 4 * MAX_NESTING and re.match(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]", line):
        return tr(
            "a list item indented {columns} columns, deeper than {limit} levels", columns=indent, limit=MAX_NESTING
        )
    return None
