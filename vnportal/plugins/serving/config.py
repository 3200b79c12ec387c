"""Options of ``vnportal/serving`` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class ServingConfig(Config):
    precompress = c.Type(bool, default=True)
