"""One entry point to all the open data: ``/data/index.json`` (every dataset, version, file, checksum and
licence), a Project Open Data ``/data/data.json``, an Atom feed of dataset releases per language and one
bulk ZIP of every dataset's latest version with its metadata (byte-identical across builds)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from vnportal.content import feeds
from vnportal.core.archive import write_zip
from vnportal.core.languages import url_prefix
from vnportal.data import addresses
from vnportal.data.columns import series
from vnportal.data.export import Summary
from vnportal.data.model import Dataset

BULK = "data/open-data-latest.zip"
POD_FREQUENCY = {"annual": "R/P1Y", "quarterly": "R/P3M", "monthly": "R/P1M", "irregular": "irregular"}


def _files(dataset: Dataset, version: str, summary: Summary, site_url: str) -> list[dict[str, Any]]:
    base = site_url + addresses.folder(dataset.id, version)
    return [
        {"name": name, "kind": info["kind"], "media_type": info["media_type"], "bytes": info["bytes"],
         "sha256": info["sha256"], "url": f"{base}{name}"}
        for name, info in sorted(summary.files.items())
    ]  # fmt: skip


def index(
    datasets: list[Dataset],
    exports: dict[str, dict[str, Summary]],
    site_url: str,
    catalog: dict[str, Any],
    languages: list[str],
    default: str,
    bulk: dict[str, Any],
) -> dict[str, Any]:
    """``/data/index.json``: everything a harvester needs, absolute URLs, no page to scrape."""
    entries = []
    for dataset in datasets:
        meta = dataset.meta
        licence = meta["licence"]
        entries.append(
            {
                "id": dataset.id,
                "title": meta["title"],
                "description": meta["description"],
                "pages": {lang: f"{site_url}{url_prefix(lang, default)}data/{dataset.id}/" for lang in languages},
                "licence": {k: licence[k] for k in ("id", "title", "url", "terms", "attribution") if k in licence},
                "creator": meta.get("creator") or [meta["publisher"]],
                "publisher": meta["publisher"],
                "themes": meta["themes"],
                "spatial": meta["spatial"],
                "temporal": meta["temporal"],
                "frequency": meta["frequency"],
                "next_update": meta.get("next_update"),
                "series": [
                    {
                        "column": s.column,
                        "indicator": s.indicator,
                        "unit": s.unit,
                        "unit_mult": s.unit_mult,
                        "source": s.url,
                        "upstream": s.upstream,
                    }
                    for s in series(meta)
                ],
                "latest": {
                    "version": dataset.latest.version,
                    "url": site_url + addresses.folder(dataset.id, addresses.LATEST),
                },
                "versions": [
                    {
                        "version": v.version,
                        "date": v.date.isoformat(),
                        "notes": v.notes,
                        "url": site_url + addresses.folder(dataset.id, v.version),
                        "checksums": f"{site_url}{addresses.folder(dataset.id, v.version)}SHA256SUMS",
                        "files": _files(dataset, v.version, exports[dataset.id][v.version], site_url),
                    }
                    for v in dataset.versions
                ],
            }
        )
    return {
        "title": catalog["title"],
        "description": catalog["description"],
        "publisher": catalog["publisher"],
        "catalog": {
            "dcat_ap_jsonld": f"{site_url}data/catalog.jsonld",
            "dcat_ap_turtle": f"{site_url}data/catalog.ttl",
            "project_open_data": f"{site_url}data/data.json",
            "releases": {lang: f"{site_url}{url_prefix(lang, default)}data/releases.xml" for lang in languages},
        },
        "bulk": bulk,
        "datasets": entries,
    }


def data_json(
    datasets: list[Dataset],
    exports: dict[str, dict[str, Summary]],
    site_url: str,
    catalog: dict[str, Any],
    languages: list[str],
) -> dict[str, Any]:
    """Project Open Data metadata schema v1.1 (``data.json``), in English where a field takes one text."""

    def en(texts: dict[str, str]) -> str:
        return texts.get("en") or next(iter(texts.values()))

    contact = catalog.get("contact") or {}
    entries = []
    for dataset in datasets:
        meta, latest = dataset.meta, dataset.latest
        described = site_url + addresses.folder(dataset.id, latest.version)
        point: dict[str, Any] = {"@type": "vcard:Contact", "fn": en(catalog["publisher"])}
        if contact.get("email"):
            point["hasEmail"] = f"mailto:{contact['email']}"
        entry: dict[str, Any] = {
            "@type": "dcat:Dataset",
            "title": en(meta["title"]),
            "description": en(meta["description"]),
            "keyword": meta["keywords"].get("en") or next(iter(meta["keywords"].values())),
            "modified": latest.date.isoformat(),
            "issued": dataset.versions[0].date.isoformat(),
            "publisher": {"@type": "org:Organization", "name": en(meta["publisher"]["name"])},
            "contactPoint": point,
            "identifier": f"{site_url}data/{dataset.id}/",
            "accessLevel": "public",
            "license": meta["licence"]["url"],
            "spatial": meta["spatial"],
            "temporal": f"{meta['temporal']['start']}/{meta['temporal']['end']}",
            "accrualPeriodicity": POD_FREQUENCY[meta["frequency"]],
            "language": languages,
            "landingPage": f"{site_url}data/{dataset.id}/",
            "theme": meta["themes"],
            "describedBy": f"{described}datapackage.json",
            "describedByType": "application/json",
            "distribution": [
                {
                    "@type": "dcat:Distribution",
                    "title": f["name"],
                    "downloadURL": f["url"],
                    "mediaType": f["media_type"],
                    "format": f["kind"],
                }
                for f in _files(dataset, latest.version, exports[dataset.id][latest.version], site_url)
            ],
        }
        if "attribution" in meta["licence"]:
            entry["rights"] = en(meta["licence"]["attribution"])
        entries.append(entry)
    return {
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@id": f"{site_url}data/data.json",
        "@type": "dcat:Catalog",
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
        "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
        "dataset": entries,
    }


def release_feed(datasets: list[Dataset], site_url: str, catalog: dict[str, Any], lang: str, default: str) -> bytes:
    """Atom feed of dataset releases in ``lang``: one entry per published version, newest first."""
    prefix = url_prefix(lang, default)
    items = [
        feeds.NewsItem(
            title=f"{dataset.meta['title'][lang]} — {version.version}",
            description=version.notes.get(lang) or next(iter(version.notes.values())),
            url=f"{site_url}{prefix}data/{dataset.id}/#version-{version.version}",
            published=version.date,
            updated=version.date,
            lang=lang if lang in version.notes else next(iter(version.notes)),
            path=f"{prefix}data/{dataset.id}/",
        )
        for dataset in datasets
        for version in dataset.versions
    ]
    return feeds.atom_feed(
        feed_url=f"{site_url}{prefix}data/releases.xml",
        home_url=f"{site_url}{prefix}data/",
        title=catalog["title"][lang],
        lang=lang,
        author=catalog["publisher"][lang],
        items=items,
        limit=200,
        empty_updated=dt.date(2024, 4, 15),
    )


def bulk_zip(
    datasets: list[Dataset], folders: dict[str, Path], catalog: dict[str, Any], out: Path, languages: list[str]
) -> None:
    """Every dataset's latest version, its files under ``<id>/<version>/``, and a README: sorted entries and
    the newest version's date as every timestamp, so the same data gives the same bytes."""
    newest = max(d.latest.date for d in datasets)
    stamp = (newest.year, newest.month, newest.day, 0, 0, 0)
    lines = [catalog["title"].get("en") or next(iter(catalog["title"].values())), ""]
    for dataset in datasets:
        licence = dataset.latest.meta["licence"]
        lines += [f"{dataset.id}/{dataset.latest.version}/ — {dataset.meta['title'].get('en', dataset.id)}",
                  f"  licence: {licence.get('title', licence['id'])} ({licence['url']})"]  # fmt: skip
        if "attribution" in licence:
            lines.append(
                f"  attribution: {licence['attribution'].get('en', next(iter(licence['attribution'].values())))}"
            )
    lines += ["", "Each folder holds the data (CSV, JSON, XLSX; long form and SDMX for statistical series), its data",
              "dictionary, CSV on the Web and Data Package metadata, a README and SHA256SUMS."]  # fmt: skip
    entries: list[tuple[str, Path | bytes]] = [("README.txt", ("\n".join(lines) + "\n").encode("utf-8"))]
    for dataset in datasets:
        folder = folders[dataset.id]
        for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
            entries.append((f"{dataset.id}/{dataset.latest.version}/{path.name}", path))
    tmp = out.with_suffix(".tmp")
    write_zip(tmp, entries, date_time=stamp)
    tmp.replace(out)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
