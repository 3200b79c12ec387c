"""Options of ``vnportal/cms`` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class CmsConfig(Config):
    enabled = c.Type(bool, default=True)
    repo = c.Type(str, default="")  # owner/name on GitHub
    branch = c.Type(str, default="main")
    base_url = c.Type(str, default="")  # the OAuth client's address (GitHub sign-in)
    local_backend = c.Type(str, default="")  # decap-server's API address, for `make cms` only
    path = c.Type(str, default="admin")
