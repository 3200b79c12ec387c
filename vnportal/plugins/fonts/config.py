"""Options of ``vnportal/fonts`` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class FontsConfig(Config):
    """Options of the ``vnportal/fonts`` plugin."""

    #: The self-hosted web fonts (each family's faces and its CSS), published with the default language.
    fonts_dir = c.Dir(exists=True, default="assets/brand/fonts")
    #: Where they are published in the site.
    fonts_dest = c.Type(str, default="assets/fonts")
