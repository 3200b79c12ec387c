"""The site's sections are its content folders: which one a navigation item comes from, whatever its title in
the language being built (the navigation plugin orders sections by it, the landing pages find their pages by it)."""

from __future__ import annotations

from mkdocs.structure.nav import StructureItem
from mkdocs.structure.pages import Page

from vnportal.core.compat import norm_src_uri


def folder_of(item: StructureItem) -> str:
    """The content folder an item comes from, whatever its translated title."""
    if isinstance(item, Page):
        uri = norm_src_uri(item.file)
        return uri.split("/")[0] if "/" in uri else ""
    return next((f for f in map(folder_of, item.children) if f), "")
