"""MkDocs plugin ``vnportal/typography``: the typography a language expects, applied by the build to the text of
rendered Markdown (never to code, URLs or attributes), so that editors type ordinary spaces.

- French: a narrow no-break space (U+202F) before ; ! ? % and inside « », a no-break space (U+00A0) before :,
  and a narrow no-break space between groups of thousands (1 650);
- Chinese (and any language written without spaces): a line break inside a paragraph between two Chinese
  characters or punctuation marks is removed, since a browser would show it as a space.

It is a Python-Markdown tree processor: it sees text nodes only, after inline Markdown, before the HTML is
written; raw HTML and the facts' stashed HTML are not touched (facts apply the same function to their text).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from vnportal.content.typography import RULES, SKIP, apply, colon, label
from vnportal.core.site import Site


def _walk(element: ET.Element, rule: Callable[[str], str]) -> None:
    if element.tag in SKIP:
        return
    if element.text:
        element.text = rule(element.text)
    for child in element:
        _walk(child, rule)
        if child.tail:
            child.tail = rule(child.tail)


class _Processor(Treeprocessor):
    def __init__(self, md: Markdown, plugin: TypographyPlugin) -> None:
        super().__init__(md)
        self.plugin = plugin

    def run(self, root: ET.Element) -> None:
        rule = RULES.get(self.plugin.lang.split("-")[0])
        if rule is not None:
            _walk(root, rule)


class _Extension(Extension):
    def __init__(self, plugin: TypographyPlugin) -> None:
        super().__init__()
        self.plugin = plugin

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_Processor(md, self.plugin), "vnportal_typography", 1)  # after inline


class TypographyPlugin(BasePlugin):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.lang = ""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Adds the typography tree processor and sets each language's interface strings and copyright line in that
        language's typography (templates print them outside the Markdown)."""
        if not any(isinstance(e, _Extension) for e in config.markdown_extensions):
            config.markdown_extensions.append(_Extension(self))
        site = Site.of(config)
        for language in map(site.language_config, site.languages):  # the interface strings and licence line too
            rule = RULES.get(language.locale.split("-")[0])
            if rule is not None:
                language.extra = _typeset(language.extra, rule)
                if language.copyright:
                    language.copyright = rule(language.copyright)
        return config

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Adds the ``typeset`` filter for text a template takes from data files (e.g. the brand tokens' usage
        rules), and ``label``/``colon()`` for a label the template puts before a value, in the typography of the
        language being built."""
        site = Site.of(config)
        env.filters["typeset"] = lambda text: apply(site.lang, str(text))
        env.filters["label"] = lambda text: label(site.lang, str(text))  # "Licence : ", "许可：" before a value
        env.globals["colon"] = lambda: colon(site.lang)  # the same separator after markup (</strong>: …)
        return env

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Chooses the page's own language for the tree processor (a page shown from its original keeps that language's
        typography) and applies it to the title and description.

        The title and description are printed by the templates, outside the Markdown."""
        self.lang = Site.of(config).page_lang(page)
        rule = RULES.get(self.lang.split("-")[0])
        if rule is not None:
            for key in ("title", "description"):
                if isinstance(page.meta.get(key), str):
                    page.meta[key] = rule(page.meta[key])
        return markdown


def _typeset(value: Any, rule: Callable[[str], str]) -> Any:
    """Every string of a configuration value set in the language's typography (format fields kept)."""
    if isinstance(value, str):
        return rule(value)
    if isinstance(value, dict):
        return {key: _typeset(item, rule) for key, item in value.items()}
    if isinstance(value, list):
        return [_typeset(item, rule) for item in value]
    return value
