"""MkDocs plugin ``vnportal/cache_prune``: the build cache keeps what builds use, not everything they ever made.

Each build marks the cache files it uses (an entry is marked when it is verified before use, see
``vnportal.core.cache.touch``), and once a day the main build removes the files no build has used for
``unused_days`` (``sweep``), so a cache restored and saved by every CI run stays the size of what the site needs. A
removed entry is made again by the build that needs it; the output never depends on the sweep.
"""

from __future__ import annotations

import time
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger

from vnportal.core.findings import line_of
from vnportal.core.site import Site, cache_root
from vnportal.plugins.cache_prune import sweep
from vnportal.plugins.cache_prune.config import CachePruneConfig

log = get_plugin_logger(__name__)
DAY = 24 * 3600


class CachePrunePlugin(BasePlugin[CachePruneConfig]):
    supports_multiple_instances = False

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Refuses a cache folder that holds the project or is home (``PORTAL_CACHE_DIR``: the sweep would remove the
        project's files), and a limit under a day (the sweep would remove what a build made moments ago)."""
        refusal = sweep.refusal(cache_root(Site.of(config).root), Site.of(config).root)
        if refusal:
            raise PluginError(f"vnportal/cache_prune: {refusal}")
        days = self.config.unused_days
        if self.config.enabled and (isinstance(days, bool) or days < 1):
            line = line_of(Path(config.config_file_path), "unused_days")
            raise PluginError(
                f"{config.config_file_path}:{line}: vnportal/cache_prune: unused_days is {days!r} — "
                "give a number of days of at least 1 (or enabled: false to keep every cache file)"
            )
        return config

    @event_priority(-9000)  # after every plugin's post-build work, before the guard lets the next build in
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Removes the cache files no build used for ``unused_days`` (main build, at most once a day)."""
        site = Site.of(config)
        root, now = cache_root(site.root), time.time()
        if not self.config.enabled or not site.main_build or not sweep.due(root, now):
            return
        swept = sweep.sweep(root, now - self.config.unused_days * DAY)
        if swept.files:
            log.info(
                f"Build cache: removed {swept.files} files ({swept.bytes / 1e6:.1f} MB) no build had used for "
                f"{self.config.unused_days} days"
            )
