"""The DCAT-AP 3 catalog of the portal's datasets (JSON-LD with an inline @context, and Turtle).

Validated in the tests against the official DCAT-AP 3.0.1 SHACL shapes with pyshacl.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, XSD

from vnportal.data.export import FORMATS, Summary
from vnportal.data.model import FREQUENCIES, LANGS, Dataset

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
DCAT_VERSION = URIRef(f"{DCAT}version")  # DCAT 3 term, not in rdflib's namespace yet
EU_LANG = {
    "vi": "VIE",
    "en": "ENG",
    "fr": "FRA",
    "zh": "ZHO",
    "ja": "JPN",
    "ko": "KOR",
    "de": "DEU",
    "es": "SPA",
    "ru": "RUS",
    "th": "THA",
    "lo": "LAO",
    "km": "KHM",
}
EU_FILE_TYPE = {"csv": "CSV", "json": "JSON", "xlsx": "XLSX"}
CONTEXT = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "vcard": str(VCARD),
    "spdx": str(SPDX),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}


def _year(value: str) -> Literal:
    return Literal(str(value), datatype=XSD.gYear)


def build(
    datasets: list[Dataset], exports: dict[str, dict[str, Summary]], site_url: str, meta: dict[str, Any]
) -> Graph:
    g = Graph()
    for prefix, ns in CONTEXT.items():
        g.bind(prefix, ns)
    catalog = URIRef(f"{site_url}data/catalog")
    publisher = URIRef(f"{site_url}#publisher")
    g.add((publisher, RDF.type, FOAF.Agent))
    for lang in LANGS:
        g.add((publisher, FOAF.name, Literal(meta["publisher"][lang], lang=lang)))
    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCTERMS.publisher, publisher))
    homepage = URIRef(f"{site_url}data/")
    g.add((catalog, FOAF.homepage, homepage))
    g.add((homepage, RDF.type, FOAF.Document))
    for lang in LANGS:
        g.add((catalog, DCTERMS.title, Literal(meta["title"][lang], lang=lang)))
        g.add((catalog, DCTERMS.description, Literal(meta["description"][lang], lang=lang)))
        language = URIRef(f"http://publications.europa.eu/resource/authority/language/{EU_LANG[lang]}")
        g.add((catalog, DCTERMS.language, language))
        g.add((language, RDF.type, DCTERMS.LinguisticSystem))
    for dataset in datasets:
        node = URIRef(f"{site_url}data/{dataset.id}/#dataset")
        g.add((catalog, DCAT.dataset, node))
        _dataset(g, node, dataset, exports[dataset.id], site_url, publisher)
    return g


def _dataset(
    g: Graph, node: URIRef, dataset: Dataset, exports: dict[str, Summary], site_url: str, publisher: URIRef
) -> None:
    meta = dataset.meta
    g.add((node, RDF.type, DCAT.Dataset))
    g.add((node, DCTERMS.identifier, Literal(dataset.id)))
    g.add((node, DCTERMS.publisher, publisher))
    page = URIRef(f"{site_url}data/{dataset.id}/")
    g.add((node, DCAT.landingPage, page))
    g.add((page, RDF.type, FOAF.Document))
    g.add((node, DCAT_VERSION, Literal(dataset.latest.version)))
    g.add((node, DCTERMS.issued, Literal(dataset.versions[0].date.isoformat(), datatype=XSD.date)))
    g.add((node, DCTERMS.modified, Literal(dataset.latest.date.isoformat(), datatype=XSD.date)))
    for lang in LANGS:
        g.add((node, DCTERMS.title, Literal(meta["title"][lang], lang=lang)))
        g.add((node, DCTERMS.description, Literal(meta["description"][lang], lang=lang)))
        for keyword in meta["keywords"][lang]:
            g.add((node, DCAT.keyword, Literal(keyword, lang=lang)))
    frequency = URIRef(FREQUENCIES[meta["frequency"]])
    g.add((node, DCTERMS.accrualPeriodicity, frequency))
    g.add((frequency, RDF.type, DCTERMS.Frequency))
    period = URIRef(f"{node}#temporal")  # named nodes, not blank: same input, same bytes
    g.add((node, DCTERMS.temporal, period))
    g.add((period, RDF.type, DCTERMS.PeriodOfTime))
    g.add((period, DCAT.startDate, _year(meta["temporal"]["start"])))
    g.add((period, DCAT.endDate, _year(meta["temporal"]["end"])))
    place = URIRef(f"http://publications.europa.eu/resource/authority/country/{meta['spatial']}")
    g.add((node, DCTERMS.spatial, place))
    g.add((place, RDF.type, DCTERMS.Location))
    contact = URIRef(f"{node}#contact")
    g.add((node, DCAT.contactPoint, contact))
    g.add((contact, RDF.type, VCARD.Kind))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal(meta["publisher"]["name"]["en"])))
    g.add((contact, VCARD.hasURL, URIRef(f"{site_url}data/")))
    provenance = URIRef(f"{node}#provenance")
    g.add((node, DCTERMS.provenance, provenance))
    g.add((provenance, RDF.type, DCTERMS.ProvenanceStatement))
    g.add((provenance, RDFS.label, Literal(f"{meta['source']['name']} — {meta['source']['url']}", lang="en")))
    licence = URIRef(meta["licence"]["url"])
    g.add((licence, RDF.type, DCTERMS.LicenseDocument))
    for version in dataset.versions:
        summary = exports[version.version]
        base = f"{site_url}data/{dataset.id}/{version.version}/"
        for ext, (media, label) in FORMATS.items():
            name = f"{dataset.id}.{ext}"
            info = summary.files[name]
            dist = URIRef(f"{base}#{ext}")
            g.add((node, DCAT.distribution, dist))
            g.add((dist, RDF.type, DCAT.Distribution))
            g.add((dist, DCTERMS.title, Literal(f"{label} — {dataset.id} {version.version}", lang="en")))
            g.add((dist, DCAT.accessURL, page))
            g.add((dist, DCAT.downloadURL, URIRef(f"{base}{name}")))
            media_type = URIRef(f"http://www.iana.org/assignments/media-types/{media}")
            g.add((dist, DCAT.mediaType, media_type))
            g.add((media_type, RDF.type, DCTERMS.MediaType))
            file_type = URIRef(f"http://publications.europa.eu/resource/authority/file-type/{EU_FILE_TYPE[ext]}")
            g.add((dist, DCTERMS.format, file_type))
            g.add((file_type, RDF.type, DCTERMS.MediaTypeOrExtent))
            g.add((dist, DCAT.byteSize, Literal(info["bytes"], datatype=XSD.nonNegativeInteger)))
            g.add((dist, DCTERMS.license, licence))
            g.add((dist, DCTERMS.issued, Literal(version.date.isoformat(), datatype=XSD.date)))
            checksum = URIRef(f"{base}#{ext}-sha256")
            g.add((dist, SPDX.checksum, checksum))
            g.add((checksum, RDF.type, SPDX.Checksum))
            g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
            g.add((SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm))
            g.add((checksum, SPDX.checksumValue, Literal(info["sha256"], datatype=XSD.hexBinary)))


def _canonical(node: Any) -> Any:
    """rdflib emits nodes and multi-valued properties in set order, which changes with the process's hash
    seed; JSON-LD arrays are unordered (except @list), so sorting them makes the file byte-identical."""
    if isinstance(node, dict):
        return {k: [_canonical(v) for v in value] if k == "@list" else _canonical(value) for k, value in node.items()}
    if isinstance(node, list):
        return sorted((_canonical(v) for v in node), key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return node


def serialise(graph: Graph) -> tuple[str, str]:
    """(JSON-LD with an inline @context, Turtle), both byte-identical for the same graph."""
    jsonld = json.loads(graph.serialize(format="json-ld", context=CONTEXT))
    text = json.dumps(_canonical(jsonld), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    turtle = graph.serialize(format="turtle")
    return text, turtle
