"""What a data page shows, in one language: values at a readable precision, years and codes as written,
charts with their data table, the programme view of the task list, citations and schema.org JSON-LD.

Metadata and CSV cells are hostile: everything here is plain text that the templates escape, except the
charts (built by chart.py from escaped parts) and the JSON-LD (written with ``htmlsafe_json_dumps``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel.core import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_compact_decimal, format_decimal
from jinja2.utils import htmlsafe_json_dumps

from vnportal.data import addresses
from vnportal.data.chart import line_chart
from vnportal.data.columns import area_name, code_names, series
from vnportal.data.export import Summary
from vnportal.data.model import Dataset

#: The files that hold the data (the page's download table, schema.org's distribution); the others document it
#: (README, data dictionary, CSVW, Data Package, SDMX structure, code lists). Every file is in SHA256SUMS and the
#: DCAT catalog with its SHA-256.
DATA_KINDS = ("csv", "json", "xlsx", "csv-long", "sdmx-csv", "sdmx-ml")


def quantity(value: float, decimals: int, lang: str) -> str:
    """A measured value as the language writes it, at the unit's precision (no fraction of a dollar)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(round(value, decimals), format=pattern, locale=lang)


def compact(value: float, lang: str) -> str:
    """Axis ticks: "400 tỷ", "400 billion", "400 milliards", "4000亿" (CLDR's long form where the language
    has one, else its short form)."""
    kind = "long" if "long" in Locale.parse(lang).compact_decimal_formats else "short"
    return format_compact_decimal(value, format_type=kind, locale=lang, fraction_digits=1)


def _tick_formatter(values: list[float], decimals: int, lang: str) -> Any:
    if max(abs(v) for v in values) >= 10_000:
        return lambda v: compact(v, lang)
    return lambda v: format_decimal(v, format="#,##0.#", locale=lang)


def expected(value: str, lang: str) -> str:
    """``next_update`` (YYYY-MM or YYYY-MM-DD) as the language writes a month or a day."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 2:
        return format_skeleton("yMMMM", dt.date(parts[0], parts[1], 1), locale=lang)
    return format_date(dt.date(*parts), "long", locale=lang)


def _organisations(meta: dict[str, Any]) -> list[dict[str, Any]]:
    return meta.get("creator") or [meta["publisher"]]


class Cells:
    """Formats the cells of a table for a language: quantities with their unit's precision, years and
    codes plainly, code lists by name, lists joined."""

    def __init__(self, meta: dict[str, Any], lang: str) -> None:
        self.fields = meta["schema"]["fields"]
        self.units = meta["units"]
        self.names = code_names(meta, lang)
        self.lang = lang

    def cell(self, field: dict[str, Any], value: Any) -> str:
        if value is None or value == []:
            return "—"
        names = self.names.get(field.get("codelist", ""), {})
        if isinstance(value, list):
            return "; ".join(names.get(v, v) for v in value)
        if names:
            return names.get(str(value), str(value))
        if "unit" in field and isinstance(value, int | float):
            return quantity(value, self.units[field["unit"]]["decimals"], self.lang)
        if field["type"] == "number" and isinstance(value, float):
            return format_decimal(value, locale=self.lang)
        return str(value)  # years, identifiers, integers without a unit: as written

    def row(self, values: list[Any]) -> list[str]:
        return [self.cell(f, v) for f, v in zip(self.fields, values, strict=True)]


def downloads(dataset_id: str, version: str, summary: Summary, ui: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    base = addresses.folder(dataset_id, version)
    kinds = ui["kinds"]
    out = []
    for name, info in summary.files.items():
        label = kinds[info["kind"]]
        if info["kind"] == "codelist":
            label = f"{label}: {name.removeprefix('codelist-').removesuffix('.csv')}"
        out.append({
            "label": label, "name": name, "path": f"{base}{name}", "bytes": info["bytes"],
            "size": format_decimal(max(info["bytes"] / 1024, 0.1), format="#,##0.0", locale=lang) + " KB",
            "sha256": info["sha256"], "media_type": info["media_type"], "kind": info["kind"],
            "data": info["kind"] in DATA_KINDS,
        })  # fmt: skip
    return out


def group_page(page: str, code: str) -> str:
    """A task group's own page, below its dataset's ``page``: the programme is read a group at a time (the whole
    list on one page was 73 KB of HTML)."""
    return f"{page}group-{code}/"


def agencies_page(page: str) -> str:
    """The programme's tasks by lead agency, on a page of their own below its dataset's ``page``."""
    return f"{page}agencies/"


def programme(meta: dict[str, Any], records: list[list[Any]], lang: str, page: str) -> dict[str, Any]:
    """The task list as people read it: by group (a page each), with lead and coordinating agencies by name, and
    an index by lead agency. Titles in the page's language where the table has them, else the Vietnamese original."""
    names = [f["name"] for f in meta["schema"]["fields"]]
    agency = code_names(meta, lang)["agency"]
    groups = code_names(meta, lang)["group"]
    title_column = f"title_{lang}" if f"title_{lang}" in names else "title_vi"
    tasks = []
    for values in records:
        row = dict(zip(names, values, strict=True))
        tasks.append({
            "id": row["id"], "anchor": "task-" + row["id"].replace(".", "-"), "group": str(row["group"]),
            "path": group_page(page, str(row["group"])),
            "title": row[title_column], "title_lang": title_column.removeprefix("title_"),
            "lead": [{"code": c, "name": agency[c]} for c in row["lead_agencies"] or []],
            "coordinating": [{"code": c, "name": agency[c]} for c in row["coordinating_agencies"] or []],
            "timeframe": row["timeframe"],
        })  # fmt: skip
    by_group = [
        {"code": code, "name": name, "path": group_page(page, code),
         "tasks": [t for t in tasks if t["group"] == code]}
        for code, name in groups.items()
    ]  # fmt: skip
    return {"groups": by_group, "agencies": by_lead_agency(tasks), "agencies_path": agencies_page(page),
            "count": len(tasks)}  # fmt: skip


def by_lead_agency(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Lead agencies, most tasks first, each with the tasks it leads."""
    leads: dict[str, dict[str, Any]] = {}
    for task in tasks:
        for lead in task["lead"]:
            leads.setdefault(lead["code"], {**lead, "tasks": []})["tasks"].append(task)
    return sorted(leads.values(), key=lambda a: (-len(a["tasks"]), a["name"]))


def programme_group(view: dict[str, Any], code: str) -> dict[str, Any]:
    """One task group's page: its tasks, its lead agencies, and the groups before and after it."""
    groups = view["programme"]["groups"]
    index = next(i for i, g in enumerate(groups) if g["code"] == code)
    group = groups[index]
    return {
        **group,
        "agencies": by_lead_agency(group["tasks"]),
        "previous": groups[index - 1] if index > 0 else None,
        "next": groups[index + 1] if index + 1 < len(groups) else None,
    }


def _chart_table(
    table_id: str, x_title: str, charted: list[tuple[dict[str, Any], str, list[Any]]], cells: Cells
) -> dict[str, Any]:
    """Every charted series in one table, a row per x value (a dash where a series has no value)."""
    values: dict[Any, dict[str, str]] = {}
    for field, _, points in charted:
        for x, y in points:
            values.setdefault(x, {})[field["name"]] = cells.cell(field, y)
    return {
        "id": table_id,
        "x": x_title,
        "columns": [heading for _, heading, _ in charted],
        "rows": [
            (str(x), [row.get(field["name"], "—") for field, _, _ in charted])
            for x, row in sorted(values.items(), key=lambda item: float(item[0]))
        ],
    }


def page_view(
    dataset: Dataset,
    summaries: dict[str, Summary],
    lang: str,
    prefix: str,
    site_url: str,
    catalog: dict[str, Any],
    ui: dict[str, Any],
    brief: bool = False,
) -> dict[str, Any]:
    meta = dataset.meta
    latest = dataset.latest
    summary = summaries[latest.version]
    url = f"{site_url}data/{dataset.id}/"
    files = downloads(dataset.id, latest.version, summary, ui, lang)
    licence = meta["licence"]
    view: dict[str, Any] = {
        "id": dataset.id,
        "title": meta["title"][lang],
        "description": meta["description"][lang],
        "path": f"data/{dataset.id}/",  # its files' folder, one for every language
        "page": f"{prefix}data/{dataset.id}/",  # its page in ``lang`` (``prefix``: the language's URL folder)
        "rows": format_decimal(summary.rows, locale=lang),
        "version": latest.version,
        "updated": format_date(latest.date, "long", locale=lang),
        "updated_iso": latest.date.isoformat(),
        "downloads": files,
        "licence": {
            "id": licence["id"],
            "title": licence.get("title", licence["id"]),
            "url": licence["url"],
            "terms": licence.get("terms", ""),
            "attribution": licence.get("attribution", {}).get(lang, ""),
        },
        "creators": [{"name": c["name"][lang], "url": c.get("url", "")} for c in _organisations(meta)],
    }
    if brief:
        return view
    cells = Cells(meta, lang)
    fields = meta["schema"]["fields"]
    by_name = {f["name"]: f for f in fields}
    units = meta["units"]
    measured = {s.column: s for s in series(meta)}
    creators = ", ".join(c["name"] for c in view["creators"])
    key_figures, charts, charted = [], [], []
    x_field = by_name[meta["chart"]["x"]] if meta.get("chart") else None
    table_id = f"chart-{dataset.id}-data"  # one table of every chart's data: the charts' text alternative
    for column, points in summary.series.items():
        if not points:
            continue
        field = by_name[column]
        unit = units.get(field.get("unit", ""), {"label": {lang: ""}, "decimals": 2})
        key_figures.append({"label": field["title"][lang], "value": cells.cell(field, points[-1][1]),
                            "unit": unit["label"][lang], "at": str(points[-1][0])})  # fmt: skip
        if len(points) < 2:
            continue
        chart_id = f"chart-{dataset.id}-{column}"
        indicator = f" ({measured[column].indicator})" if column in measured else ""
        title = field["title"][lang]
        y_label = unit["label"][lang]
        ticks = _tick_formatter([float(y) for _, y in points], unit["decimals"], lang)
        charts.append({
            "id": chart_id,
            "title": title,
            "svg": line_chart([(float(x), float(y)) for x, y in points], title, ticks, chart_id,
                              x_field["title"][lang], y_label, table_id),
            "source": ui["chart_source"].format(source=f"{creators}{indicator}"),
        })  # fmt: skip
        charted.append((field, f"{title} ({y_label})", points))
    table = _chart_table(table_id, x_field["title"][lang], charted, cells) if x_field and charted else None
    publisher = meta["publisher"]["name"][lang]
    author = creators if meta.get("creator") else publisher
    year = latest.date.year
    bib_author = ", ".join(c["name"]["en"] for c in _organisations(meta))
    view |= {
        "fields": [
            {
                "name": f["name"],
                "title": f["title"][lang],
                "type": f["type"],
                "description": f.get("description", {}).get(lang, ""),
                "unit": units[f["unit"]]["label"][lang] if "unit" in f else "",
                "unit_key": f.get("unit", ""),
                "indicator": measured[f["name"]].indicator if f["name"] in measured else "",
                "delimiter": f.get("delimiter", ""),
                "codelist": f.get("codelist", ""),
            }
            for f in fields
        ],
        "preview": [cells.row(r) for r in summary.preview],
        "preview_count": format_decimal(len(summary.preview), locale=lang),
        "key_figures": key_figures,
        "charts": charts,
        "chart_table": table,
        # the charts' table holds every column and row of the data: a preview of its first rows would repeat it
        "preview_shown": not (
            table
            and {f["name"] for f in fields} == {x_field["name"], *(f["name"] for f, _, _ in charted)}
            and len(table["rows"]) == summary.rows
        ),
        "programme": programme(meta, summary.records, lang, f"{prefix}data/{dataset.id}/")
        if meta.get("view") == "programme"
        else None,
        "source": meta["source"],
        "series": [
            {
                "column": s.column,
                "title": s.field["title"][lang],
                "indicator": s.indicator,
                "url": s.url,
                "repository": s.upstream["repository"],
                "commit": s.upstream["commit"],
                "file": s.upstream["path"],
                "commit_url": f"{s.upstream['repository']}/blob/{s.upstream['commit']}/{s.upstream['path']}",
            }
            for s in measured.values()
        ],
        "temporal": meta["temporal"],
        "area": area_name(meta["spatial"], lang),
        "next_update": expected(meta["next_update"], lang) if meta.get("next_update") else "",
        "versions": [
            {
                "version": v.version,
                "date": format_date(v.date, "long", locale=lang),
                "notes": v.notes.get(lang, ""),
                "path": f"data/{dataset.id}/{v.version}/",
                "anchor": f"version-{v.version}",
            }
            for v in reversed(dataset.versions)
        ],
        "apa": f"{author}. ({year}). {meta['title'][lang]} (Version {latest.version}) [Data set]. "
        + (f"{publisher}. " if author != publisher else "")
        + url,
        "bibtex": (
            f"@misc{{{dataset.id.replace('-', '_')}_{latest.version.replace('.', '_')},\n"
            f"  title = {{{meta['title']['en'] if 'en' in meta['title'] else meta['title'][lang]}}},\n"
            f"  author = {{{{{bib_author}}}}},\n  publisher = {{{meta['publisher']['name'].get('en', publisher)}}},\n"
            f"  year = {{{year}}},\n  version = {{{latest.version}}},\n  url = {{{url}}},\n  note = {{Data set}}\n}}"
        ),
        # <, >, & and ' as \u escapes: no metadata value can end the script element or open a comment
        "json_ld": htmlsafe_json_dumps(
            schema_org(dataset, summary, lang, prefix, site_url, catalog, files),
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        ),
    }
    return view


def _organisation(org: dict[str, Any], lang: str, fallback_url: str) -> dict[str, Any]:
    return {"@type": "Organization", "name": org["name"][lang], "url": org.get("url", fallback_url)}


def variables(meta: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """schema.org variableMeasured: every column, with the indicator code and unit of the series."""
    measured = {s.column: s for s in series(meta)}
    out = []
    for field in meta["schema"]["fields"]:
        variable: dict[str, Any] = {
            "@type": "PropertyValue",
            "name": field["title"][lang],
            "alternateName": field["name"],
        }
        if "description" in field:
            variable["description"] = field["description"][lang]
        variable["propertyID"] = measured[field["name"]].indicator if field["name"] in measured else field["name"]
        if "unit" in field:
            unit = meta["units"][field["unit"]]
            variable["unitText"] = unit.get("currency") or unit["label"][lang]
            if "uncefact" in unit:
                variable["unitCode"] = unit["uncefact"]
        out.append(variable)
    return out


def schema_org(
    dataset: Dataset,
    summary: Summary,
    lang: str,
    prefix: str,
    site_url: str,
    catalog: dict[str, Any],
    files: list[dict[str, Any]],
) -> dict[str, Any]:
    meta = dataset.meta
    url = f"{site_url}data/{dataset.id}/"  # the dataset's identity: the same in every language
    licence = meta["licence"]
    graph: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": meta["title"][lang],
        "description": meta["description"][lang],
        "url": f"{site_url}{prefix}data/{dataset.id}/",  # this language's page
        "identifier": f"{url}#dataset",
        "version": dataset.latest.version,
        "inLanguage": lang,
        "keywords": meta["keywords"][lang],
        "license": licence["url"],
        "isAccessibleForFree": True,
        "datePublished": dataset.versions[0].date.isoformat(),
        "dateModified": dataset.latest.date.isoformat(),
        "temporalCoverage": f"{meta['temporal']['start']}/{meta['temporal']['end']}",
        "spatialCoverage": {"@type": "Place", "name": area_name(meta["spatial"], lang), "identifier": meta["spatial"]},
        "isBasedOn": [
            meta["source"]["url"],
            *meta["source"].get("also", []),
            *(f"{s.upstream['repository']}/blob/{s.upstream['commit']}/{s.upstream['path']}" for s in series(meta)),
        ],
        "creator": [_organisation(c, lang, site_url) for c in _organisations(meta)],
        "publisher": _organisation(meta["publisher"], lang, site_url),
        "variableMeasured": variables(meta, lang),
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "name": catalog["title"][lang],
            "url": f"{site_url}{prefix}data/",
        },
        "distribution": [
            {
                "@type": "DataDownload",
                "name": d["name"],
                "encodingFormat": d["media_type"],
                "contentUrl": f"{site_url}{d['path']}",
                "contentSize": f"{d['bytes']} B",
            }
            for d in files
            if d["kind"] in DATA_KINDS
        ],
    }
    if "attribution" in licence:
        graph["creditText"] = licence["attribution"][lang]
    return graph


def catalog_json_ld(views: list[dict[str, Any]], lang: str, prefix: str, site_url: str, catalog: dict[str, Any]) -> str:
    """schema.org DataCatalog for the catalog page: every dataset with its licence and producer."""
    data = {
        "@context": "https://schema.org",
        "@type": "DataCatalog",
        "name": catalog["title"][lang],
        "description": catalog["description"][lang],
        "url": f"{site_url}{prefix}data/",
        "inLanguage": lang,
        "publisher": {"@type": "Organization", "name": catalog["publisher"][lang], "url": site_url},
        "dataset": [
            {
                "@type": "Dataset",
                "name": v["title"],
                "description": v["description"],
                "url": f"{site_url}{v['page']}",
                "identifier": f"{site_url}{v['path']}#dataset",
                "license": v["licence"]["url"],
                "version": v["version"],
                "creator": [
                    {"@type": "Organization", "name": c["name"], **({"url": c["url"]} if c["url"] else {})}
                    for c in v["creators"]
                ],
            }
            for v in views
        ],
    }
    return htmlsafe_json_dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
