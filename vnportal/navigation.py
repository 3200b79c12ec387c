"""Navigation clean-up after mkdocs-static-i18n: one section per folder, in the configured order.

With folder layout and Vietnamese fallbacks, static-i18n's auto navigation keeps a second copy of a
section holding only the fallback pages (it comes from the ``vi/`` tree) and sorts top-level
sections by title. Editors expect one section per folder, ordered as in mkdocs.yml.
"""

from __future__ import annotations

from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

StructureItem = Section | Page


def _folder(item: StructureItem) -> str:
    """The content folder an item comes from, whatever its translated title."""
    if isinstance(item, Page):
        uri = getattr(item.file, "norm_src_uri", item.file.src_uri)
        return uri.split("/")[0] if "/" in uri else ""
    return next((f for f in map(_folder, item.children) if f), "")


def _sort_key(item: StructureItem) -> tuple[int, str]:
    if isinstance(item, Page):
        uri = getattr(item.file, "norm_src_uri", item.file.src_uri)
        return (0 if uri.endswith("index.md") else 1, uri.removesuffix(".md"))
    return (1, _folder(item))


def merge_sections(items: list) -> list:
    """Fold sections that share a title into the first one, recursively."""
    merged: list = []
    seen: dict[str, Section] = {}
    for item in items:
        if isinstance(item, Section) and item.title in seen:
            target = seen[item.title]
            for child in item.children:
                child.parent = target
            target.children = sorted(merge_sections(target.children + item.children), key=_sort_key)
            continue
        if isinstance(item, Section):
            seen[item.title] = item
            item.children = merge_sections(item.children)
        merged.append(item)
    return merged


def collapse_single_pages(items: list) -> list:
    """A folder holding only its index page (e.g. data/<id>/) is shown as that page, titled by its content."""
    out: list = []
    for item in items:
        if isinstance(item, Section):
            item.children = collapse_single_pages(item.children)
            if len(item.children) == 1 and isinstance(item.children[0], Page):
                item.children[0].parent = item.parent
                out.append(item.children[0])
                continue
        out.append(item)
    return out


def order_top_level(nav: Navigation, order: list[str]) -> None:
    rank = {name: i for i, name in enumerate(order)}

    def key(item: StructureItem) -> tuple[int, int]:
        if isinstance(item, Page) and _folder(item) == "":
            return (0, 0)  # pages at the language root (the home page) first
        return (1, rank.get(_folder(item), len(rank)))

    nav.items = sorted(collapse_single_pages(merge_sections(nav.items)), key=key)
