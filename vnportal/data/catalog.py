"""The DCAT-AP 3 catalog of the portal's datasets (JSON-LD with an inline @context, and Turtle).

Each dataset is described as it is now (its current files under ``/data/<id>/latest/``) and has a
``dcat:hasVersion`` per published version (its immutable files under ``/data/<id>/<version>/``, with
version notes). Every IRI has at most one ``#``. Validated in the tests against the official DCAT-AP 3.0.1
SHACL shapes (main and ranges) with pyshacl.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from vnportal.data import addresses
from vnportal.data.export import Summary
from vnportal.data.model import FREQUENCIES, Dataset, Version

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
DCAT_VERSION = URIRef(f"{DCAT}version")  # DCAT 3 terms, not in rdflib's namespace yet
DCAT_HAS_VERSION = URIRef(f"{DCAT}hasVersion")
DCAT_IS_VERSION_OF = URIRef(f"{DCAT}isVersionOf")
EU = "http://publications.europa.eu/resource/authority/"
#: The EU data themes' English labels (http://publications.europa.eu/resource/authority/data-theme).
THEME_LABELS = {
    "AGRI": "Agriculture, fisheries, forestry and food", "ECON": "Economy and finance",
    "EDUC": "Education, culture and sport", "ENER": "Energy", "ENVI": "Environment",
    "GOVE": "Government and public sector", "HEAL": "Health", "INTR": "International issues",
    "JUST": "Justice, legal system and public safety", "REGI": "Regions and cities",
    "SOCI": "Population and society", "TECH": "Science and technology", "TRAN": "Transport",
}  # fmt: skip
FILE_TYPES = {".csv": "CSV", ".json": "JSON", ".xlsx": "XLSX", ".xml": "XML", ".txt": "TXT"}
#: What each kind of file conforms to ("csvw-of-version": the version's own CSV on the Web description).
STANDARDS = {
    "csv": "csvw-of-version",
    "csv-long": "csvw-of-version",
    "codelist": "csvw-of-version",
    "dictionary": "https://www.rfc-editor.org/rfc/rfc4180",
    "sdmx-csv": "https://github.com/sdmx-twg/sdmx-csv",
    "sdmx-ml": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message",
    "sdmx-structure": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message",
    "csvw": "http://www.w3.org/ns/csvw",
    "datapackage": "https://datapackage.org/profiles/2.0/datapackage.json",
}
CONTEXT = {
    "adms": str(ADMS),
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "spdx": str(SPDX),
    "vcard": str(VCARD),
    "xsd": str(XSD),
}


def _year(value: str) -> Literal:
    return Literal(str(value), datatype=XSD.gYear)


def _typed(g: Graph, node: URIRef, kind: URIRef) -> URIRef:
    g.add((node, RDF.type, kind))
    return node


def build(
    datasets: list[Dataset],
    exports: dict[str, dict[str, Summary]],
    site_url: str,
    meta: dict[str, Any],
    languages: list[str],
) -> Graph:
    g = Graph()
    for prefix, ns in CONTEXT.items():
        g.bind(prefix, ns)
    catalog = _typed(g, URIRef(f"{site_url}data/catalog"), DCAT.Catalog)
    publisher = _typed(g, URIRef(f"{site_url}#publisher"), FOAF.Agent)
    for lang in languages:
        g.add((publisher, FOAF.name, Literal(meta["publisher"][lang], lang=lang)))
    g.add((catalog, DCTERMS.publisher, publisher))
    homepage = _typed(g, URIRef(f"{site_url}data/"), FOAF.Document)
    g.add((catalog, FOAF.homepage, homepage))
    taxonomy = _typed(g, URIRef(f"{EU}data-theme"), SKOS.ConceptScheme)
    g.add((taxonomy, DCTERMS.title, Literal("Data theme", lang="en")))
    g.add((catalog, DCAT.themeTaxonomy, taxonomy))
    for lang in languages:
        g.add((catalog, DCTERMS.title, Literal(meta["title"][lang], lang=lang)))
        g.add((catalog, DCTERMS.description, Literal(meta["description"][lang], lang=lang)))
        language = _typed(g, URIRef(f"http://id.loc.gov/vocabulary/iso639-1/{lang}"), DCTERMS.LinguisticSystem)
        g.add((catalog, DCTERMS.language, language))
    contact = _contact(g, site_url, meta)
    for dataset in datasets:
        node = URIRef(f"{site_url}data/{dataset.id}/#dataset")
        g.add((catalog, DCAT.dataset, node))
        _dataset(g, node, dataset, exports[dataset.id], site_url, publisher, contact, languages)
    return g


def _contact(g: Graph, site_url: str, meta: dict[str, Any]) -> URIRef:
    """The data team's contact point: its e-mail once one is verified (make check says while it is not),
    and a contact page (the data catalog page until a contact form is configured)."""
    contact = _typed(g, URIRef(f"{site_url}data/#contact"), VCARD.Organization)
    g.add((contact, RDF.type, VCARD.Kind))
    g.add((contact, VCARD.fn, Literal(meta["publisher"].get("en") or next(iter(meta["publisher"].values())))))
    settings = meta.get("contact") or {}
    if settings.get("email"):
        g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{settings['email']}")))
    g.add((contact, VCARD.hasURL, URIRef(settings.get("url") or f"{site_url}data/")))
    return contact


def _dataset(
    g: Graph,
    node: URIRef,
    dataset: Dataset,
    exports: dict[str, Summary],
    site_url: str,
    publisher: URIRef,
    contact: URIRef,
    languages: list[str],
) -> None:
    meta = dataset.meta
    base = f"{site_url}data/{dataset.id}/"
    _typed(g, node, DCAT.Dataset)
    g.add((node, DCTERMS.identifier, Literal(dataset.id)))
    g.add((node, DCTERMS.publisher, publisher))
    for index, creator in enumerate(meta.get("creator") or [], 1):
        agent = _typed(g, URIRef(f"{base}#creator-{index}"), FOAF.Agent)
        for lang in languages:
            g.add((agent, FOAF.name, Literal(creator["name"][lang], lang=lang)))
        if "url" in creator:
            g.add((agent, FOAF.homepage, _typed(g, URIRef(creator["url"]), FOAF.Document)))
        g.add((node, DCTERMS.creator, agent))
    page = _typed(g, URIRef(base), FOAF.Document)
    g.add((node, DCAT.landingPage, page))
    g.add((node, DCAT_VERSION, Literal(dataset.latest.version)))
    g.add((node, DCTERMS.issued, Literal(dataset.versions[0].date.isoformat(), datatype=XSD.date)))
    g.add((node, DCTERMS.modified, Literal(dataset.latest.date.isoformat(), datatype=XSD.date)))
    for lang in languages:
        g.add((node, DCTERMS.title, Literal(meta["title"][lang], lang=lang)))
        g.add((node, DCTERMS.description, Literal(meta["description"][lang], lang=lang)))
        for keyword in meta["keywords"][lang]:
            g.add((node, DCAT.keyword, Literal(keyword, lang=lang)))
    for theme in meta["themes"]:
        concept = _typed(g, URIRef(f"{EU}data-theme/{theme}"), SKOS.Concept)
        g.add((concept, SKOS.inScheme, URIRef(f"{EU}data-theme")))
        g.add((concept, SKOS.prefLabel, Literal(THEME_LABELS[theme], lang="en")))
        g.add((node, DCAT.theme, concept))
    g.add((node, DCTERMS.accessRights, _typed(g, URIRef(f"{EU}access-right/PUBLIC"), DCTERMS.RightsStatement)))
    g.add((node, DCTERMS.accrualPeriodicity, _typed(g, URIRef(FREQUENCIES[meta["frequency"]]), DCTERMS.Frequency)))
    period = _typed(g, URIRef(f"{base}#temporal"), DCTERMS.PeriodOfTime)  # named nodes: same input, same bytes
    g.add((node, DCTERMS.temporal, period))
    g.add((period, DCAT.startDate, _year(meta["temporal"]["start"])))
    g.add((period, DCAT.endDate, _year(meta["temporal"]["end"])))
    g.add((node, DCTERMS.spatial, _typed(g, URIRef(f"{EU}country/{meta['spatial']}"), DCTERMS.Location)))
    g.add((node, DCAT.contactPoint, contact))
    provenance = _typed(g, URIRef(f"{base}#provenance"), DCTERMS.ProvenanceStatement)
    g.add((node, DCTERMS.provenance, provenance))
    g.add((provenance, RDFS.label, Literal(f"{meta['source']['name']} — {meta['source']['url']}", lang="en")))
    latest, latest_files = dataset.latest, site_url + addresses.folder(dataset.id, addresses.LATEST)
    _distributions(g, node, dataset, latest, exports[latest.version], latest_files, f"{base}#latest-", page, languages)
    for version in dataset.versions:
        version_node = _typed(g, URIRef(f"{base}#version-{version.version}"), DCAT.Dataset)
        g.add((node, DCAT_HAS_VERSION, version_node))
        g.add((version_node, DCAT_IS_VERSION_OF, node))
        g.add((version_node, DCTERMS.identifier, Literal(f"{dataset.id}/{version.version}")))
        g.add((version_node, DCAT_VERSION, Literal(version.version)))
        g.add((version_node, DCTERMS.issued, Literal(version.date.isoformat(), datatype=XSD.date)))
        g.add((version_node, DCTERMS.publisher, publisher))
        g.add((version_node, DCAT.landingPage, page))
        version_langs = [lang for lang in languages if lang in version.meta["title"]]
        for lang in version_langs:
            g.add(
                (version_node, DCTERMS.title, Literal(f"{version.meta['title'][lang]} — {version.version}", lang=lang))
            )
            g.add((version_node, DCTERMS.description, Literal(version.meta["description"][lang], lang=lang)))
            g.add((version_node, ADMS.versionNotes, Literal(version.notes[lang], lang=lang)))
        files = site_url + addresses.folder(dataset.id, version.version)
        _distributions(g, version_node, dataset, version, exports[version.version], files, f"{base}#v{version.version}-",
                       page, version_langs)  # fmt: skip


def _distributions(
    g: Graph,
    node: URIRef,
    dataset: Dataset,
    version: Version,
    summary: Summary,
    folder: str,
    prefix: str,
    page: URIRef,
    languages: list[str],
) -> None:
    licence = _typed(g, URIRef(version.meta["licence"]["url"]), DCTERMS.LicenseDocument)
    attribution = version.meta["licence"].get("attribution")
    rights = None
    if attribution:
        rights = _typed(g, URIRef(f"{prefix}rights"), DCTERMS.RightsStatement)
        for lang in (lang for lang in languages if lang in attribution):  # as published: a later language has none
            g.add((rights, RDFS.label, Literal(attribution[lang], lang=lang)))
    csvw = URIRef(f"{folder}csv-metadata.json")
    for name, info in sorted(summary.files.items()):
        dist = _typed(g, URIRef(f"{prefix}{name}"), DCAT.Distribution)
        g.add((node, DCAT.distribution, dist))
        g.add((dist, DCTERMS.title, Literal(f"{name} — {dataset.id} {version.version}", lang="en")))
        g.add((dist, DCAT.accessURL, page))
        g.add((dist, DCAT.downloadURL, URIRef(f"{folder}{name}")))
        media = _typed(
            g, URIRef(f"http://www.iana.org/assignments/media-types/{info['media_type']}"), DCTERMS.MediaType
        )
        g.add((dist, DCAT.mediaType, media))
        suffix = name[name.rfind(".") :]
        file_type = _typed(g, URIRef(f"{EU}file-type/{FILE_TYPES[suffix]}"), DCTERMS.MediaTypeOrExtent)
        g.add((dist, DCTERMS.format, file_type))
        g.add((dist, DCAT.byteSize, Literal(info["bytes"], datatype=XSD.nonNegativeInteger)))
        g.add((dist, DCTERMS.license, licence))
        if rights is not None:
            g.add((dist, DCTERMS.rights, rights))
        g.add((dist, DCTERMS.issued, Literal(version.date.isoformat(), datatype=XSD.date)))
        standard = STANDARDS.get(info["kind"])
        if standard:
            g.add(
                (
                    dist,
                    DCTERMS.conformsTo,
                    _typed(g, csvw if standard == "csvw-of-version" else URIRef(standard), DCTERMS.Standard),
                )
            )
        checksum = _typed(g, URIRef(f"{prefix}{name}-sha256"), SPDX.Checksum)
        g.add((dist, SPDX.checksum, checksum))
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
