"""What the portal needs to know about each page's languages, derived from mkdocs-static-i18n's files.

static-i18n gives every built file ``locale`` (the language of its source) and ``alternates``
(language -> File, including Vietnamese fallbacks). A *real* translation is an alternate whose
source language is the language it is served in; only those may be announced with hreflang.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from urllib.parse import urljoin

from babel.core import get_global
from babel.dates import format_date
from mkdocs.structure.files import File

from vnportal.core import compat

#: Scripts written with Han characters, kana or Hangul (Babel's likely subtags: ja → ja_Jpan_JP).
CJK_SCRIPTS = ("Hans", "Hant", "Jpan", "Kore", "Hani")


@cache
def script(lang: str) -> str:
    """The script a language is usually written in (ISO 15924, from Babel's likely subtags): vi → Latn."""
    likely = get_global("likely_subtags").get(lang.replace("-", "_"), lang)
    return next((part for part in likely.split("_")[1:] if len(part) == 4), "Latn")


def is_cjk(lang: str) -> bool:
    """Whether pages in ``lang`` need the CJK fonts (Chinese, Japanese, Korean)."""
    return script(lang) in CJK_SCRIPTS


@cache
def language_territory(lang: str, separator: str = "-") -> str:
    """The language with its usual territory, from Babel's likely subtags: vi → vi-VN, zh → zh-CN (the language
    alone when CLDR names none). Office documents write it with "-", Open Graph with "_"."""
    likely = get_global("likely_subtags").get(lang, lang)
    parts = likely.split("_")
    territory = next((p for p in parts[1:] if len(p) == 2 and p.isupper()), None)
    return f"{parts[0]}{separator}{territory}" if territory else parts[0]


def og_locale(lang: str) -> str:
    """Open Graph wants language_TERRITORY."""
    return language_territory(lang, "_")


def local_date(value: object, lang: str) -> str:
    """A date as the language writes it (Babel's long format): 15 tháng 4, 2024 · 15 avril 2024 · 2024年4月15日."""
    return format_date(value, "long", locale=lang) if isinstance(value, date) else ""


def url_prefix(lang: str, default: str) -> str:
    """Where a language's pages live below the site root: '' for the default language, 'en/' for English."""
    return "" if lang == default else f"{lang}/"


def absolute(site_url: str, url: str) -> str:
    """Absolute URL of a built file's URL ('' and './' mean the site root)."""
    return urljoin(site_url, "" if url in ("", ".", "./") else url)


@dataclass(frozen=True)
class PageLanguages:
    """Language facts for one built page."""

    lang: str
    source_lang: str
    url: str
    canonical: str
    alternates: tuple[tuple[str, str], ...]  # (lang, absolute URL) of real translations, config order
    x_default: str | None

    @property
    def is_fallback(self) -> bool:
        return self.lang != self.source_lang


def page_languages(file: File, lang: str, order: list[str], default: str, site_url: str) -> PageLanguages:
    """Compute canonical and alternates of a built file for the language being built."""
    versions = compat.alternates(file) or {lang: file}
    source_lang = compat.file_language(file, lang)
    url = absolute(site_url, file.url)
    if source_lang != lang:
        original = versions.get(source_lang)
        canonical = absolute(site_url, original.url) if original is not None else url
        return PageLanguages(lang, source_lang, url, canonical, (), None)
    real = tuple(
        (code, absolute(site_url, versions[code].url))
        for code in order
        if code in versions and compat.file_language(versions[code], code) == code
    )
    real_map = dict(real)
    x_default = real_map.get(default) or (real[0][1] if real else None)
    return PageLanguages(lang, source_lang, url, url, real, x_default)
