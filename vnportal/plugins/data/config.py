"""Options of ``vnportal/data`` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class DataConfig(Config):
    data_dir = c.Type(str, default="data")
