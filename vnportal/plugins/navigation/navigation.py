"""Navigation: one section per folder in the configured order, rendered at a constant cost per page.

With folder layout and Vietnamese fallbacks, static-i18n's auto navigation keeps a second copy of a
section holding only the fallback pages (it comes from the ``vi/`` tree) and sorts top-level
sections by title. Editors expect one section per folder, ordered as in mkdocs.yml.

Material renders the whole navigation tree on every page, so a section of n pages costs n item
renders on each of its n pages. Only the items on the current page's path differ from page to page:
``item_cache`` lets ``overrides/partials/nav-item.html`` render every other item once per language
build and per folder, and reuse it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from vnportal.content.sections import folder_of
from vnportal.core.compat import norm_src_uri

StructureItem = Section | Page
BLANKS_RE = re.compile(r"\s*\n\s*")  # navigation markup holds no <pre>: any blank run renders as one space


def _sort_key(item: StructureItem) -> tuple[int, str]:
    if isinstance(item, Page):
        uri = norm_src_uri(item.file)
        return (0 if uri.endswith("index.md") else 1, uri.removesuffix(".md"))
    return (1, folder_of(item))


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
        if isinstance(item, Page) and folder_of(item) == "":
            return (0, 0)  # pages at the language root (the home page) first
        return (1, rank.get(folder_of(item), len(rank)))

    nav.items = sorted(collapse_single_pages(merge_sections(nav.items)), key=key)


def split_section(items: list, folder: str) -> tuple[list, list[Page]]:
    """The navigation without the section (or page) from ``folder``, and that section's pages in order."""
    kept, pages = [], []
    for item in items:
        if folder_of(item) == folder:
            pages += [item] if isinstance(item, Page) else _pages(item)
        else:
            kept.append(item)
    return kept, sorted(pages, key=_sort_key)


def _pages(section: Section) -> list[Page]:
    return [p for child in section.children for p in ([child] if isinstance(child, Page) else _pages(child))]


def relative_base(url: str) -> tuple[str, int]:
    """Pages with the same folder and depth get the same relative link to any other page.

    From ``s00/page-1/`` and ``s00/page-2/`` a link to ``s01/x/`` is ``../../s01/x/``; only a page's
    link to itself (the active item, never cached) depends on the page.
    """
    path = url.rstrip("/")
    return (posixpath.dirname(path), path.count("/") + 1 if path else 0)


def item_cache() -> Callable[..., Markup]:
    """A Jinja global, one per language build: ``portal_nav_item(item, path, level, parent, render)``."""
    rendered: dict[tuple[Any, ...], Markup] = {}

    @pass_context
    def portal_nav_item(context: Context, item: Any, path: str, level: int, parent: Any, render: Any) -> Markup:
        page = context.get("page")  # None on 404.html, whose links are absolute
        key = (id(item), path, level, relative_base(page.url) if page is not None else None)
        html = rendered.get(key)
        if html is None:  # Material's indentation is a third of the markup: a run of blanks is one newline
            # The macro's output is Markup (escaped where it printed values): squeezing blanks keeps it so.
            html = rendered[key] = Markup(BLANKS_RE.sub("\n", render(item, path, level, parent)))
        return html

    return portal_nav_item
