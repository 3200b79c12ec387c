"""The build's timeline: which portal plugin does what at which MkDocs event, in the order MkDocs runs them.

Read from the plugin classes themselves (event methods, ``event_priority``, docstrings), so the table in
``vnportal/README.md`` cannot drift from the code: ``tests/test_compat.py`` compares the two.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from importlib.metadata import entry_points

from mkdocs.plugins import EVENTS, CombinedEvent

from vnportal.core.config import PROJECT_ROOT, site_config

PREFIX = "vnportal/"


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
    found = [
        (EVENTS.index(event), -priority, position, event, priority, name, what)
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


def main() -> int:
    print(markdown(), end="")
    return 0
