"""Options of ``vnportal/strings`` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from vnportal.content.ui_strings import STRINGS_DIR


class StringsConfig(Config):
    """Options of the ``vnportal/strings`` plugin."""

    #: The interface strings, one file per language (vnportal.content.ui_strings reads this option from mkdocs.yml).
    strings_dir = c.Type(str, default=STRINGS_DIR)
