"""Options of ``vnportal/navigation`` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class NavigationConfig(Config):
    """Options of the ``vnportal/navigation`` plugin."""

    #: The top-level sections' folders, in the order the tabs show them (the others follow).
    sections_order = c.ListOfItems(c.Type(str), default=[])
    #: The folder whose pages (about, contact, privacy, legal notice…) leave the tabs for every page's footer.
    footer_section = c.Type(str, default="")
