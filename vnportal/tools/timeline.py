"""The build's timeline: which portal plugin does what at which MkDocs event, in the order MkDocs runs them.

Read from the plugin classes themselves (event methods, ``event_priority``, docstrings), so the table in
``vnportal/README.md`` cannot drift from the code: ``tests/test_compat.py`` compares the two, and
``make timeline`` (``python -m vnportal.tools.timeline --write``) rewrites the table between its markers.
"""

from __future__ import annotations

import argparse
import inspect
import sys
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path

from mkdocs.plugins import EVENTS, CombinedEvent

from vnportal.core.config import PROJECT_ROOT, site_config

PREFIX = "vnportal/"
README = PROJECT_ROOT / "vnportal" / "README.md"
START, END = "<!-- timeline:start -->", "<!-- timeline:end -->"
#: The events in the order one ``build()`` of MkDocs 1.6 runs them (mkdocs.commands.build): the page events
#: before ``env`` once per page as it is read and rendered, ``page_context`` and ``post_page`` once per page
#: as it is written, after the theme's templates. ``serve`` follows the first build of ``mkdocs serve``.
#: (``EVENTS`` lists them by kind instead; an event a newer MkDocs adds goes last until it is placed here.)
RUN_ORDER = ("startup", "config", "pre_build", "files", "nav", "pre_page", "page_read_source", "page_markdown",
             "page_content", "env", "pre_template", "template_context", "post_template", "page_context",
             "post_page", "post_build", "build_error", "serve", "shutdown")  # fmt: skip


def _events() -> list[str]:
    return [event for event in RUN_ORDER if event in EVENTS] + [event for event in EVENTS if event not in RUN_ORDER]


def _handlers(cls: type) -> Iterator[tuple[str, int, str]]:
    """(event, priority, what) of each handler a plugin class declares."""
    for event in EVENTS:
        attribute = inspect.getattr_static(cls, f"on_{event}", None)
        if attribute is None:
            continue
        methods = attribute.methods if isinstance(attribute, CombinedEvent) else (attribute,)
        for method in methods:
            doc = inspect.getdoc(method) or ""
            what = doc.split("\n\n")[0].replace("\n", " ") if doc else method.__name__.strip("_").replace("_", " ")
            yield event, getattr(method, "mkdocs_priority", 0), what


def rows() -> list[tuple[str, int, str, str]]:
    """(event, priority, plugin, what), in MkDocs' order: events in turn, then priority, then mkdocs.yml order."""
    plugins = {ep.name: ep for ep in entry_points(group="mkdocs.plugins") if ep.name.startswith(PREFIX)}
    order = [
        name
        for item in site_config(PROJECT_ROOT / "mkdocs.yml").get("plugins", [])
        for name in ([item] if isinstance(item, str) else list(item))
        if name in plugins
    ]
    events = _events()
    found = [
        (events.index(event), -priority, position, event, priority, name, what)
        for position, name in enumerate(order)
        for event, priority, what in _handlers(plugins[name].load())
    ]
    return [(event, priority, name, what) for *_, event, priority, name, what in sorted(found)]


def markdown() -> str:
    lines = ["| event | priority | plugin | what it does |", "|---|---:|---|---|"]
    lines += [
        f"| {event} | {priority} | `{name}` | {what.replace('|', '/')} |" for event, priority, name, what in rows()
    ]
    return "\n".join(lines) + "\n"


class MarkersError(ValueError):
    """The README has no place for the table: ``path:line: what — how to fix``."""


def _span(text: str, path: Path) -> tuple[int, int]:
    """Where the table goes in ``text``: after the start marker's line, up to the end marker."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start or text.count(START) > 1 or text.count(END) > 1:
        line = text.count("\n", 0, start) + 1 if start >= 0 else 1
        raise MarkersError(f"{path}:{line}: the timeline needs one {START} line and, below it, one {END} line — "
                           "put the two markers where the table goes")  # fmt: skip
    return start + len(START) + 1, end


def table_in(text: str, path: Path = README) -> str:
    """The table between the markers of ``text``, as ``markdown()`` prints it when it is up to date."""
    begin, end = _span(text, path)
    return text[begin:end]


def with_table(text: str, table: str, path: Path = README) -> str:
    """``text`` with ``table`` between its markers, the rest unchanged."""
    begin, end = _span(text, path)
    return text[: begin - 1] + "\n" + table + text[end:]


def write(path: Path = README) -> bool:
    """Rewrite the timeline in ``path`` from the plugins; whether it changed."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MarkersError(f"{path}:1: no such file — restore it from git (it holds the timeline's markers)") from None
    new = with_table(text, markdown(), path)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vnportal.tools.timeline", description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"rewrite the table in {README.relative_to(PROJECT_ROOT)}")
    args = parser.parse_args(argv)
    if not args.write:
        print(markdown(), end="")
        return 0
    try:
        changed = write()
    except MarkersError as exc:
        print(exc, file=sys.stderr)
        return 2
    shown = README.relative_to(PROJECT_ROOT)
    print(f"{shown}: timeline rewritten" if changed else f"{shown}: timeline already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
