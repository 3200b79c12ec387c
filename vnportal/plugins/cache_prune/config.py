"""Options of ``vnportal/cache_prune`` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class CachePruneConfig(Config):
    """Options of the ``vnportal/cache_prune`` plugin."""

    enabled = c.Type(bool, default=True)
    #: A cache file no build has used for this many days is removed (a build that needs it again makes it again).
    unused_days = c.Type(int, default=30)
