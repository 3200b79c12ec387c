"""Atom feed (RFC 4287) of a language's news items, written with the standard library's XML tools."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from vnportal.core.xmlwrite import to_bytes

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class NewsItem:
    """One dated news item or press release as listed and syndicated."""

    title: str
    description: str
    url: str  # absolute
    published: dt.date
    updated: dt.date
    lang: str  # language of the text (differs from the listing's language for a fallback)
    path: str  # page URL relative to the site root, for links inside the site


def newest_first(items: list[NewsItem]) -> list[NewsItem]:
    return sorted(items, key=lambda i: (i.published, i.title), reverse=True)


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def atom_feed(
    *,
    feed_url: str,
    home_url: str,
    title: str,
    lang: str,
    author: str,
    items: list[NewsItem],
    limit: int,
    empty_updated: dt.date,
) -> bytes:
    """Serialise the newest ``limit`` items.

    The feed's updated time is its newest entry's, or ``empty_updated`` when the language has none
    yet, so the same content always gives the same bytes.
    """
    items = newest_first(items)[:limit]
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: lang})
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_url
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    newest = max((i.updated for i in items), default=empty_updated)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _stamp(newest)
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": feed_url, "type": "application/atom+xml"})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": home_url, "type": "text/html"})
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = author
    for item in items:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry", {XML_LANG: item.lang})
        ET.SubElement(entry, f"{{{ATOM}}}id").text = item.url
        ET.SubElement(entry, f"{{{ATOM}}}title").text = item.title
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": item.url, "type": "text/html"})
        ET.SubElement(entry, f"{{{ATOM}}}published").text = _stamp(item.published)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _stamp(item.updated)
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = item.description
    ET.indent(feed)
    return to_bytes(feed, {"": ATOM}) + b"\n"
