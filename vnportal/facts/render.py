"""A fact in a page's language: the number by Babel, the unit's words around it, the period, and a link to its
entry in the page's sources block (a numbered reference, like a footnote: no tooltip, no script)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_compact_decimal, format_decimal
from markupsafe import Markup

from vnportal.content.typography import apply
from vnportal.facts.register import LICENCES, Fact, Register, localised

FORMS = ("full", "value", "number", "period")


def number(fact: Fact, lang: str) -> str:
    """The value alone, formatted for ``lang``."""
    value, kind = fact.value, fact.data["format"]
    if kind == "text":
        return localised(value, lang)
    if kind == "date":
        text = format_date(value, "long", locale=lang)
        return "1er" + text[1:] if lang == "fr" and value.day == 1 else text  # « le 1er janvier »
    if kind == "compact":  # "429.7 billion"; languages without long forms (zh: "4297.2亿") use the short ones
        style = "long" if "long" in Locale.parse(lang).compact_decimal_formats else "short"
        return format_compact_decimal(value, format_type=style, locale=lang, fraction_digits=1)
    if kind.startswith("decimal:"):
        places = int(kind.split(":")[1])
        return format_decimal(value, format=f"#,##0.{'0' * places}", locale=lang)
    return format_decimal(value, format="#,##0", locale=lang)


def period(fact: Fact, lang: str) -> str:
    """The "as of" of a fact: a year as written, a month or a day in the language's words."""
    text = fact.period or ""
    if len(text) == 10:
        return format_date(dt.date.fromisoformat(text), "long", locale=lang)
    if len(text) == 7:
        return format_skeleton("yMMMM", dt.date.fromisoformat(f"{text}-01"), locale=lang)
    return text


def value(fact: Fact, register: Register, lang: str) -> str:
    """The number with the unit's words around it."""
    shown = number(fact, lang)
    unit = fact.data.get("unit")
    return localised(register.units[unit], lang).format(value=shown) if unit else shown


@dataclass
class Cited:
    """The facts a page cites, in order of first use (their reference numbers)."""

    order: list[str]

    def number_of(self, fact_id: str) -> int:
        if fact_id not in self.order:
            self.order.append(fact_id)
        return self.order.index(fact_id) + 1


def inline(fact: Fact, register: Register, lang: str, form: str, cited: Cited, ui: dict[str, str]) -> Markup:
    """The HTML that replaces ``[[fact:id|form]]`` (every part escaped; the result is Markup)."""
    if form == "period":
        return Markup('<span class="portal-fact">{}</span>').format(apply(lang, period(fact, lang)))
    shown = number(fact, lang) if form == "number" else value(fact, register, lang)
    if form == "full" and fact.period and fact.data["format"] not in ("date", "text"):
        shown = ui["fact_as_of"].format(value=shown, period=period(fact, lang))
    ref = cited.number_of(fact.id)
    shown = apply(lang, shown)
    return Markup(
        '<span class="portal-fact">{}</span><sup class="portal-fact__ref"><a href="#source-{}" '
        'aria-label="{}">{}</a></sup>'
    ).format(shown, ref, ui["fact_source"].format(number=ref), ref)


def licence(code: str, publisher: str, ui: dict[str, str]) -> dict[str, str]:
    """How a licence reads in the sources block: a name and, for open licences, where it is."""
    known = LICENCES.get(code)
    if known:
        return {"name": known[0], "url": known[1]}
    return {"name": ui["public_domain"] if code == "public-domain" else ui["rights_reserved"].format(publisher=publisher),
            "url": ""}  # fmt: skip


def sources_block(
    page_sources: list[dict[str, Any]], cited: Cited, register: Register, lang: str, ui: dict[str, str]
) -> list[dict[str, Any]]:
    """The entries of a page's sources block: each cited fact (numbered, with its value and period), then the
    page's own sources. Values are text; the template escapes them."""
    entries: list[dict[str, Any]] = []
    for position, fact_id in enumerate(cited.order, 1):
        fact = register.facts[fact_id]
        source = fact.data["source"]
        publisher = localised(source["publisher"], lang)
        entries.append(
            {
                "number": position,
                "label": localised(fact.data["label"], lang),
                "value": value(fact, register, lang),
                "period": period(fact, lang) if fact.data["format"] not in ("date", "text") else "",
                "publisher": publisher,
                "title": localised(source["title"], lang),
                "indicator": source.get("indicator", ""),
                "year": source.get("year", ""),
                "url": source["url"],
                "licence": licence(fact.data["licence"], publisher, ui),
            }
        )
    for item in page_sources:
        entries.append({"number": None, **{k: item.get(k, "") for k in ("publisher", "title", "year", "url")}})
    return entries
