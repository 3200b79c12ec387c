"""Options of ``vnportal/parallel`` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class ParallelConfig(Config):
    #: Processes building languages at once (the parent included); 0 means one per CPU core.
    workers = c.Type(int, default=0)
