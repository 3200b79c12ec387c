"""Options of ``vnportal/news`` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class NewsConfig(Config):
    news_dir = c.Type(str, default="news")
    feed_file = c.Type(str, default="feed.xml")
    feed_size = c.Type(int, default=30)
    per_page = c.Type(int, default=20)
