"""Options of ``vnportal/facts`` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class FactsConfig(Config):
    data_dir = c.Type(str, default="data")  # the register is <data_dir>/facts.yml, beside the datasets
