"""Options of ``vnportal/guard`` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class GuardConfig(Config):
    cache_dir = c.Type(str, default=".cache")
