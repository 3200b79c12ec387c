"""sitemap.xml with xhtml:link alternates (real translations + x-default) and the robots.txt that points at it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from vnportal.core.xmlwrite import to_bytes

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


@dataclass(frozen=True)
class SitemapEntry:
    loc: str
    lastmod: dt.date | None
    alternates: tuple[tuple[str, str], ...]
    x_default: str | None

    def as_json(self) -> list:
        """The entry as JSON data (a language's state kept between builds is data, never pickled)."""
        return [self.loc, self.lastmod.isoformat() if self.lastmod else None, [list(a) for a in self.alternates],
                self.x_default]  # fmt: skip

    @classmethod
    def from_json(cls, item: list) -> SitemapEntry:
        loc, lastmod, alternates, x_default = item
        return cls(loc, dt.date.fromisoformat(lastmod) if lastmod else None, tuple(map(tuple, alternates)), x_default)


def sitemap_xml(entries: list[SitemapEntry]) -> bytes:
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    for entry in sorted(entries, key=lambda e: e.loc):
        url = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = entry.loc
        if entry.lastmod:
            ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = entry.lastmod.isoformat()
        links = [*entry.alternates, *([("x-default", entry.x_default)] if entry.x_default else [])]
        for lang, href in links:
            ET.SubElement(url, f"{{{XHTML}}}link", {"rel": "alternate", "hreflang": lang, "href": href})
    ET.indent(urlset)
    return to_bytes(urlset, {"": SITEMAP, "xhtml": XHTML}) + b"\n"


def robots_txt(site_url: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {site_url.rstrip('/')}/sitemap.xml\n"
