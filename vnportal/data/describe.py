"""The files that describe a version's tables: the data dictionary, code lists, README, CSV on the Web
metadata (``csv-metadata.json``) and the Frictionless data package. Made from the version's own metadata,
with relative paths only: the bytes do not depend on where the site is hosted."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from vnportal.data.columns import FORMULA_START, LONG_COLUMNS, languages, series
from vnportal.data.model import Version

CSVW_TYPES = {"string": "string", "integer": "integer", "number": "double", "boolean": "boolean",
              "date": "date", "year": "gYear", "list": "string"}  # fmt: skip
LONG_TYPES = {"ref_area": "string", "indicator": "string", "time_period": "year", "value": "number",
              "unit_measure": "string", "unit_mult": "integer"}  # fmt: skip


def write_csv(path: Path, rows: list[list[Any]]) -> None:
    """A table of metadata text (code lists, the dictionary): a text cell a spreadsheet would run as a formula
    gets a leading apostrophe, as in the data tables."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(
            [f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_START) else cell for cell in row]
            for row in rows
        )


def codelist_rows(meta: dict[str, Any], entries: list[dict[str, Any]]) -> list[list[Any]]:
    langs = languages(meta)
    return [
        ["code", *(f"name_{lang}" for lang in langs)],
        *([c["code"], *(c["name"][lang] for lang in langs)] for c in entries),
    ]


def _constraints(field: dict[str, Any]) -> str:
    rules = field.get("constraints", {})
    parts = [f"{k}={rules[k]}" for k in ("minimum", "maximum", "pattern") if k in rules]
    parts += ["unique"] if rules.get("unique") else []
    parts += [f"one of {'|'.join(map(str, rules['enum']))}"] if "enum" in rules else []
    return "; ".join(parts)


def dictionary_rows(dataset_id: str, meta: dict[str, Any]) -> list[list[Any]]:
    """One row per column of every table, its titles, descriptions and unit in each language of the version."""
    langs = languages(meta)
    indicators = {s.column: s.indicator for s in series(meta)}
    header = ["file", "column", "type", "required", "unit", "unit_mult", "indicator", "codelist", "separator",
              "constraints", *(f"title_{lang}" for lang in langs), *(f"description_{lang}" for lang in langs),
              *(f"unit_{lang}" for lang in langs)]  # fmt: skip
    rows: list[list[Any]] = [header]
    for field in meta["schema"]["fields"]:
        unit = meta["units"].get(field.get("unit", ""), {})
        required = field.get("constraints", {}).get("required", False) or field["name"] in meta["schema"].get(
            "primaryKey", []
        )
        rows.append([f"{dataset_id}.csv", field["name"], field["type"], "yes" if required else "no", field.get("unit", ""),
                     0 if field["name"] in indicators else "", indicators.get(field["name"], ""), field.get("codelist", ""),
                     field.get("delimiter", ""), _constraints(field),
                     *(field["title"][lang] for lang in langs), *(field.get("description", {}).get(lang, "") for lang in langs),
                     *(unit.get("label", {}).get(lang, "") for lang in langs)])  # fmt: skip
    generated = meta["columns"]
    if series(meta):
        for name in LONG_COLUMNS:
            rows.append([f"{dataset_id}-long.csv", name, LONG_TYPES[name], "yes", "", "", "", "", "", "",
                         *(generated[name]["title"][lang] for lang in langs), *("" for _ in langs), *("" for _ in langs)])  # fmt: skip
    for list_name in meta.get("codelists") or {}:
        for name in ("code", *(f"name_{lang}" for lang in langs)):
            key = "code" if name == "code" else "name"
            rows.append([f"codelist-{list_name}.csv", name, "string", "yes", "", "", "", "", "", "",
                         *(generated[key]["title"][lang] for lang in langs), *("" for _ in langs), *("" for _ in langs)])  # fmt: skip
    return rows


def _datatype(field: dict[str, Any]) -> Any:
    base = CSVW_TYPES[field["type"]]
    rules = field.get("constraints", {})
    facets: dict[str, Any] = {}
    if field["type"] in ("integer", "number"):
        facets |= {k: rules[k] for k in ("minimum", "maximum") if k in rules}
    if "pattern" in rules and field["type"] == "string":
        facets["format"] = rules["pattern"]
    if field["type"] == "boolean":
        facets["format"] = "true|false"
    return {"base": base, **facets} if facets else base


def _multilingual(texts: dict[str, str], langs: list[str]) -> dict[str, str]:
    return {lang: texts[lang] for lang in langs if lang in texts}


def csvw(dataset_id: str, meta: dict[str, Any]) -> dict[str, Any]:
    """CSV on the Web metadata for the version's CSV tables (W3C, 2015): types, keys, code lists, titles."""
    langs = languages(meta)
    missing = meta["schema"].get("missingValues", [""])
    columns = []
    for field in meta["schema"]["fields"]:
        column: dict[str, Any] = {
            "name": field["name"],
            "titles": field["name"],  # the header cell: the human titles are dc:title
            "dc:title": _multilingual(field["title"], langs),
            "datatype": _datatype(field),
            "required": bool(
                field.get("constraints", {}).get("required") or field["name"] in meta["schema"].get("primaryKey", [])
            ),
        }
        if "description" in field:
            column["dc:description"] = _multilingual(field["description"], langs)
        if "delimiter" in field:
            column["separator"] = field["delimiter"]
        if "unit" in field:
            column["schema:unitText"] = field["unit"]
        columns.append(column)
    foreign = [
        {
            "columnReference": f["name"],
            "reference": {"resource": f"codelist-{f['codelist']}.csv", "columnReference": "code"},
        }
        for f in meta["schema"]["fields"]
        if "codelist" in f and f["type"] == "string"
    ]
    main: dict[str, Any] = {
        "url": f"{dataset_id}.csv",
        "dc:title": _multilingual(meta["title"], langs),
        "dc:license": {"@id": meta["licence"]["url"]},
        "tableSchema": {
            "columns": columns,
            **({"primaryKey": meta["schema"]["primaryKey"]} if meta["schema"].get("primaryKey") else {}),
            **({"foreignKeys": foreign} if foreign else {}),
        },
    }
    tables = [main]
    generated = meta["columns"]
    if series(meta):
        long_types = {"ref_area": {"base": "string", "format": "[A-Z]{3}"}, "indicator": "string", "time_period": "gYear",
                      "value": "double", "unit_measure": "string", "unit_mult": "integer"}  # fmt: skip
        tables.append(
            {
                "url": f"{dataset_id}-long.csv",
                "dc:title": {lang: f"{meta['title'][lang]} (long form)" for lang in langs},
                "dc:license": {"@id": meta["licence"]["url"]},
                "tableSchema": {
                    "columns": [
                        {
                            "name": n,
                            "titles": n,
                            "dc:title": _multilingual(generated[n]["title"], langs),
                            "datatype": long_types[n],
                            "required": True,
                        }
                        for n in LONG_COLUMNS
                    ],
                    "primaryKey": ["ref_area", "indicator", "time_period"],
                },
            }
        )
    for name in meta.get("codelists") or {}:
        tables.append(
            {
                "url": f"codelist-{name}.csv",
                "dc:title": {"en": f"Code list: {name}"},
                "tableSchema": {
                    "columns": [
                        {
                            "name": "code",
                            "titles": "code",
                            "dc:title": _multilingual(generated["code"]["title"], langs),
                            "datatype": "string",
                            "required": True,
                        },
                        *(
                            {
                                "name": f"name_{lang}",
                                "titles": f"name_{lang}",
                                "lang": lang,
                                "dc:title": _multilingual(generated["name"]["title"], langs),
                                "datatype": "string",
                                "required": True,
                            }
                            for lang in langs
                        ),
                    ],
                    "primaryKey": "code",
                },
            }
        )
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "dc:title": _multilingual(meta["title"], langs),
        "dc:description": _multilingual(meta["description"], langs),
        "dc:license": {"@id": meta["licence"]["url"]},
        "dc:source": {"@id": meta["source"]["url"]},
        "dialect": {
            "header": True,
            "delimiter": ",",
            "lineTerminators": ["\r\n"],
            "quoteChar": '"',
            "doubleQuote": True,
            "encoding": "utf-8",
        },
        "null": missing[0] if len(missing) == 1 else missing,
        "tables": tables,
    }


def _field(field: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
    """A Frictionless v2 field: English title and description, the other languages beside them."""
    out: dict[str, Any] = {"name": field["name"], "type": field["type"], "title": field["title"].get("en", "")}
    if "description" in field:
        out["description"] = field["description"].get("en", "")
    if field["type"] == "list":
        out |= {"delimiter": field["delimiter"], "itemType": "string"}
    if "format" in field:
        out["format"] = field["format"]
    if "constraints" in field:
        out["constraints"] = field["constraints"]
    if "unit" in field:
        out["unit"] = field["unit"]
    if "codelist" in field and field["type"] == "string":
        out["categories"] = [
            {"value": c["code"], "label": c["name"].get("en", c["code"])} for c in meta["codelists"][field["codelist"]]
        ]
    return out


def datapackage(dataset_id: str, version: Version, files: dict[str, dict[str, Any]]) -> dict[str, Any]:
    meta = version.meta
    dialect = {"header": True, "delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"'}
    missing = meta["schema"].get("missingValues", [""])

    def resource(name: str, path: str, title: str, schema: dict[str, Any]) -> dict[str, Any]:
        return {"name": name, "path": path, "title": title, "type": "table", "format": "csv", "mediatype": "text/csv",
                "encoding": "utf-8", "bytes": files[path]["bytes"], "hash": f"sha256:{files[path]['sha256']}",
                "dialect": dialect, "schema": {**schema, "missingValues": missing}}  # fmt: skip

    foreign = [
        {"fields": [f["name"]], "reference": {"resource": f"codelist-{f['codelist']}", "fields": ["code"]}}
        for f in meta["schema"]["fields"]
        if "codelist" in f and f["type"] == "string"
    ]
    resources = [
        resource(dataset_id, f"{dataset_id}.csv", meta["title"].get("en", dataset_id), {
            "fields": [_field(f, meta) for f in meta["schema"]["fields"]],
            "primaryKey": meta["schema"].get("primaryKey", []),
            **({"foreignKeys": foreign} if foreign else {}),
        }),
    ]  # fmt: skip
    langs = languages(meta)
    if series(meta):
        long_fields = [{"name": n, "type": LONG_TYPES[n], "title": meta["columns"][n]["title"].get("en", n),
                        "constraints": {"required": True}} for n in LONG_COLUMNS]  # fmt: skip
        resources.append(resource(f"{dataset_id}-long", f"{dataset_id}-long.csv", f"{meta['title'].get('en', dataset_id)} (long form)",
                                  {"fields": long_fields, "primaryKey": ["ref_area", "indicator", "time_period"]}))  # fmt: skip
    for name in meta.get("codelists") or {}:
        fields = [{"name": "code", "type": "string", "constraints": {"required": True, "unique": True}},
                  *({"name": f"name_{lang}", "type": "string"} for lang in langs)]  # fmt: skip
        resources.append(
            resource(
                f"codelist-{name}",
                f"codelist-{name}.csv",
                f"Code list: {name}",
                {"fields": fields, "primaryKey": ["code"]},
            )
        )
    licence = meta["licence"]
    sources = [{"title": meta["source"]["name"], "path": meta["source"]["url"]}]
    sources += [{"title": f"{s.indicator}: {s.upstream['repository']}/blob/{s.upstream['commit']}/{s.upstream['path']}",
                 "path": s.url, "version": s.upstream["commit"]} for s in series(meta)]  # fmt: skip
    creators = meta.get("creator") or [meta["publisher"]]
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": dataset_id,
        "title": meta["title"].get("en", dataset_id),
        "description": meta["description"].get("en", ""),
        "version": version.version,
        "created": f"{version.date.isoformat()}T00:00:00Z",
        "keywords": meta["keywords"].get("en", []),
        "licenses": [{"name": licence["id"], "path": licence["url"], "title": licence.get("title", licence["id"])}],
        "sources": sources,
        "contributors": [
            *({"title": c["name"].get("en", ""), "path": c.get("url", ""), "roles": ["creator"]} for c in creators),
            {"title": meta["publisher"]["name"].get("en", ""), "roles": ["publisher"]},
        ],
        "resources": resources,
    }


def readme(dataset_id: str, version: Version, names: dict[str, str]) -> str:
    """A plain-text guide that travels with the files (in the bulk ZIP and every folder)."""
    meta = version.meta
    langs = languages(meta)
    licence = meta["licence"]
    lines = [f"{dataset_id} {version.version} ({version.date.isoformat()})", ""]
    for lang in langs:
        lines += [f"[{lang}] {meta['title'][lang]}", meta["description"][lang], f"({version.notes.get(lang, '')})", ""]
    lines += [f"Licence: {licence.get('title', licence['id'])} — {licence['url']}"]
    if "terms" in licence:
        lines.append(f"Terms: {licence['terms']}")
    if "attribution" in licence:
        lines.append(
            f"Attribution (required): {licence['attribution'].get('en', next(iter(licence['attribution'].values())))}"
        )
    lines += [f"Source: {meta['source']['name']} — {meta['source']['url']}"]
    for s in series(meta):
        lines.append(f"Series {s.column}: {s.indicator}, copied from {s.upstream['repository']} at commit "
                     f"{s.upstream['commit']}, file {s.upstream['path']}")  # fmt: skip
    publisher = meta["publisher"]["name"].get("en", "")
    author = ", ".join(c["name"].get("en", "") for c in meta["creator"]) if meta.get("creator") else publisher
    by = f" {publisher}." if author != publisher else ""
    lines += ["", f"How to cite: {author}. ({version.date.year}). {meta['title'].get('en', dataset_id)} "
              f"(Version {version.version}) [Data set].{by}", "", "Files (checksums in SHA256SUMS):"]  # fmt: skip
    purpose = {
        "csv": "the table, CSV (RFC 4180, UTF-8)",
        "json": "the table, JSON (an array of records; list columns are arrays)",
        "xlsx": "the table and its data dictionary, Excel workbook",
        "csv-long": "long form: one row per country x indicator x period (ISO 3166 alpha-3, indicator code)",
        "sdmx-csv": "SDMX-CSV 2.0 (one observation a row)",
        "sdmx-ml": "SDMX-ML 2.1 generic data message",
        "sdmx-structure": "SDMX-ML 2.1 structure message (code lists, data structure, dataflow)",
        "codelist": "a code list: codes and their names in each language",
        "dictionary": "data dictionary: every column of every table, type, unit, titles and descriptions",
        "readme": "this file",
        "csvw": "CSV on the Web metadata (W3C) for the CSV tables",
        "datapackage": "Frictionless Data Package v2 descriptor",
    }
    lines += [f"  {name}: {purpose[kind]}" for name, kind in names.items()]
    return "\n".join(lines) + "\n"
