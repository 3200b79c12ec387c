"""Options of ``vnportal/media`` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class MediaConfig(Config):
    folder = c.Type(str, default="assets/media")  # inside docs_dir: shared by every language
    widths = c.ListOfItems(c.Type(int), default=[480, 960, 1600])
    quality = c.Type(int, default=70)
    #: How wide a picture is shown: the content column of Material's layout, or the whole phone screen.
    sizes = c.Type(str, default="(min-width: 76.25em) 37rem, 100vw")
