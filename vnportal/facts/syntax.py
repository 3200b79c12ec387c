"""``[[fact:id]]`` in Markdown: where references are, and what is left of a line without them.

Content stays data: a reference is a fixed pattern with an id and an optional form (``|value``,
``|number``, ``|period``), never an expression. Code spans and fenced code keep their text as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

FACT_RE = re.compile(r"\[\[fact:(?P<id>[^\]|\s]+)(?:\|(?P<form>[a-z]+))?\]\]")
CODE_SPAN_RE = re.compile(r"(`+)(?:(?!\1).)+?\1")
FENCE_RE = re.compile(r"^\s*(```|~~~)")


def references(markdown: str) -> Iterator[tuple[int, re.Match[str]]]:
    """(line number within ``markdown``, match) for every reference outside code."""
    fenced = False
    for number, line in enumerate(markdown.split("\n"), 1):
        if FENCE_RE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        for match in FACT_RE.finditer(CODE_SPAN_RE.sub(lambda m: " " * len(m.group()), line)):
            yield number, match


def substitute(line: str, replace) -> str:
    """``line`` with each reference outside code spans replaced by ``replace(match)``."""
    spans = [m.span() for m in CODE_SPAN_RE.finditer(line)]

    def outside(match: re.Match[str]) -> str:
        if any(start <= match.start() < end for start, end in spans):
            return match.group()
        return replace(match)

    return FACT_RE.sub(outside, line)
