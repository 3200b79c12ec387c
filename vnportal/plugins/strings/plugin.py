"""MkDocs plugin ``vnportal/strings``: the interface strings (overrides/locales/<lang>.yml) where templates read them.

What the templates and plugins write around the content is read and checked once per site
(vnportal.content.ui_strings) and handed to each language as mkdocs-static-i18n's per-language ``extra`` would.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from vnportal.content import ui_strings
from vnportal.core.findings import FindingsError
from vnportal.core.site import Site
from vnportal.plugins.strings.config import StringsConfig


class StringsPlugin(BasePlugin[StringsConfig]):
    supports_multiple_instances = False

    @event_priority(90)  # before the plugins that read a language's extra.ui, and static-i18n (-100) applies it
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Reads and checks the interface strings once per site (main build) and sets them where the templates and
        plugins read them: ``config.extra.ui`` in the default language, each language's ``extra.ui``.

        static-i18n puts a language's ``extra`` in ``config.extra`` while that language builds; a finding in the
        files stops the build."""
        site = Site.of(config)
        if not site.main_build:  # a language after the first: static-i18n sets its extra.ui from what was set here
            return config
        config_file = Path(config.config_file_path)
        strings, findings = ui_strings.load(config_file, config_file.parent)
        if findings:
            raise PluginError(str(FindingsError(findings)))
        config.extra["ui"] = strings[site.default]
        for code in site.languages:  # vnportal/typography then sets French and Chinese typography in them
            language = site.language_config(code)
            language["extra"] = {**(language.extra or {}), "ui": strings[code]}
        return config
