"""Options of ``vnportal/render_cache`` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class RenderCacheConfig(Config):
    enabled = c.Type(bool, default=True)
