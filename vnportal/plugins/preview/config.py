"""Options of ``vnportal/preview`` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class PreviewConfig(Config):
    enabled = c.Type(bool, default=False)
