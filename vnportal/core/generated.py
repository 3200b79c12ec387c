"""Pages the build writes itself (data pages, /status/), made to look like translated content to static-i18n."""

from __future__ import annotations

from typing import Any

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, InclusionLevel

from vnportal.core.compat import as_translation, set_alternates
from vnportal.core.languages import url_prefix
from vnportal.core.site import Site


def page_file(
    config: MkDocsConfig, lang: str, default: str, norm: str, meta: dict[str, Any], in_nav: bool = True
) -> File:
    """A generated Markdown page for one language, under that language's folder, served at its URL."""
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=True)
    prefix = url_prefix(lang, default)
    inclusion = InclusionLevel.INCLUDED if in_nav else InclusionLevel.NOT_IN_NAV
    file = File.generated(config, f"{lang}/{norm}", content=f"---\n{front}---\n", inclusion=inclusion)
    file.dest_uri = f"{prefix}{norm.removesuffix('index.md')}index.html"
    as_translation(file, lang, norm)
    return file


def in_every_language(
    config: MkDocsConfig, norm: str, meta_for: dict[str, dict[str, Any]], in_nav: bool = True
) -> File:
    """The current language's page, with real alternates in every built language (hreflang, switcher)."""
    site = Site.of(config)
    pages = {lang: page_file(config, lang, site.default, norm, meta, in_nav) for lang, meta in meta_for.items()}
    current = pages[site.lang]
    set_alternates(current, pages)
    return current
