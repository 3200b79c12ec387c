"""XMP packets (Dublin Core, IPTC Core, XMP Rights, Creative Commons) carrying a picture's rights inside the
file, so that a downloaded copy still says who made it and under which licence. Every value is escaped."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

NAMESPACES = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "cc": "http://creativecommons.org/ns#",
}


def _alt(values: dict[str, str], default: str) -> str:
    items = [f'<rdf:li xml:lang="x-default">{escape(values.get(default, next(iter(values.values()), "")))}</rdf:li>']
    items += [f"<rdf:li xml:lang={quoteattr(lang)}>{escape(text)}</rdf:li>" for lang, text in values.items()]
    return f"<rdf:Alt>{''.join(items)}</rdf:Alt>"


def packet(
    *, creator: str, credit: str, rights: str, source: str, licence_url: str, titles: dict[str, str],
    descriptions: dict[str, str], default: str = "en",
) -> str:  # fmt: skip
    """The XMP packet (UTF-8 text) for one picture."""
    declarations = " ".join(f"xmlns:{prefix}={quoteattr(uri)}" for prefix, uri in NAMESPACES.items() if prefix != "x")
    licence = f"<cc:license rdf:resource={quoteattr(licence_url)}/>" if licence_url else ""
    statement = licence_url or source
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        f'<rdf:RDF {declarations}><rdf:Description rdf:about="">'
        f"<dc:creator><rdf:Seq><rdf:li>{escape(creator)}</rdf:li></rdf:Seq></dc:creator>"
        f"<dc:rights>{_alt({default: rights}, default)}</dc:rights>"
        f"<dc:title>{_alt(titles, default)}</dc:title>"
        f"<dc:description>{_alt(descriptions, default)}</dc:description>"
        f"<photoshop:Credit>{escape(credit)}</photoshop:Credit>"
        f"<photoshop:Source>{escape(source)}</photoshop:Source>"
        f"<xmpRights:Marked>True</xmpRights:Marked>"
        f"<xmpRights:WebStatement>{escape(statement)}</xmpRights:WebStatement>"
        f"<xmpRights:UsageTerms>{_alt({default: rights}, default)}</xmpRights:UsageTerms>"
        f"{licence}</rdf:Description></rdf:RDF></x:xmpmeta>"
    )


def extract(data: bytes) -> str | None:
    """The XMP packet inside a file's bytes (JPEG, WebP, AVIF, SVG…), if there is one."""
    start = data.find(b"<x:xmpmeta")
    end = data.find(b"</x:xmpmeta>", start)
    return data[start : end + len(b"</x:xmpmeta>")].decode("utf-8") if start >= 0 and end > start else None
