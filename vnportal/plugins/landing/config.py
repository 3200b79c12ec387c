"""Options of ``vnportal/landing`` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class LandingConfig(Config):
    news_on_home = c.Type(int, default=3)
    #: Sections without cards on their landing page (the news page lists its items itself).
    no_cards = c.ListOfItems(c.Type(str), default=["news", "data", "status", "brand"])
