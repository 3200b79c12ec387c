"""Options of ``vnportal/search`` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class SearchConfig(Config):
    enabled = c.Type(bool, default=True)
    bundle_dir = c.Type(str, default="pagefind")
    page = c.Type(str, default="search/index.md")
    #: Parts of an indexed page that are not its text: heading permalinks, share buttons.
    exclude_selectors = c.ListOfItems(c.Type(str), default=[".headerlink", ".portal-share"])
