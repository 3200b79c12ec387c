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

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from vnportal.core.site import Site

NNBSP, NBSP = "\u202f", "\u00a0"
SKIP = {"code", "pre", "kbd", "samp", "script", "style", "math"}
_AFTER = r"(?:(?<=[^\s(\[{«\"'/:])|^)"  # after a word or closing mark, or at the start of a text node
_FR_BEFORE_TIGHT = re.compile(rf"{_AFTER}[ \u00a0]?([;!?])(?=[ \t\n]|$|[»)\]])")
_FR_BEFORE_COLON = re.compile(rf"{_AFTER}[ \u202f]?(:)(?=[ \t\n]|$)")
#: "&para" before ";" is an entity, not a word (Python-Markdown holds "&" as AMP_SUBSTITUTE until the end).
_ENTITY_END = re.compile(rf"(?:&|{re.escape(AMP_SUBSTITUTE)})#?\w{{1,31}}$")
_FR_AFTER_OPEN = re.compile(r"«[ \u00a0\u202f]?")
_FR_BEFORE_CLOSE = re.compile(r"[ \u00a0\u202f]?»")
_FR_PERCENT = re.compile(r"(?<=\d)[ \u00a0]?%")
_FR_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3})((?: \d{3})+)(?![\d.]\d|\d)")
CJK = r"\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_BREAK = re.compile(rf"(?<=[{CJK}])[ \t]*\n[ \t]*(?=[{CJK}])")


def _tight(match: re.Match[str]) -> str:
    if match.group(1) == ";" and _ENTITY_END.search(match.string, 0, match.start()):
        return match.group()
    return NNBSP + match.group(1)


def french(text: str) -> str:
    text = _FR_BEFORE_TIGHT.sub(_tight, text)
    text = _FR_BEFORE_COLON.sub(lambda m: NBSP + m.group(1), text)
    text = _FR_AFTER_OPEN.sub("«" + NNBSP, text)
    text = _FR_BEFORE_CLOSE.sub(NNBSP + "»", text)
    text = _FR_PERCENT.sub(NNBSP + "%", text)
    return _FR_THOUSANDS.sub(lambda m: m.group(1) + m.group(2).replace(" ", NNBSP), text)


def cjk(text: str) -> str:
    return _CJK_BREAK.sub("", text)


RULES: dict[str, Callable[[str], str]] = {"fr": french, "zh": cjk, "ja": cjk, "ko": cjk}


def apply(lang: str, text: str) -> str:
    """``text`` with the typography of ``lang`` (unchanged for languages without rules)."""
    rule = RULES.get(lang.split("-")[0])
    return rule(text) if rule else text


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
        rules), in the typography of the language being built."""
        site = Site.of(config)
        env.filters["typeset"] = lambda text: apply(site.lang, str(text))
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
