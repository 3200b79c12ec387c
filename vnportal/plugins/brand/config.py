"""Options of ``vnportal/brand`` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class BrandConfig(Config):
    tokens = c.File(exists=True, default="assets/brand/tokens.yml")
    texts = c.File(exists=True, default="assets/brand/kit.yml")  # the kit's README, templates and page texts
    node_modules = c.Type(str, default="node_modules")  # where `make fonts` installs the desktop fonts
    cards = c.Type(bool, default=True)
    card_file = c.Type(str, default="card.png")
