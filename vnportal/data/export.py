"""Export one dataset version to CSV, JSON, XLSX, datapackage.json and SHA256SUMS.

Streaming (rows pass through once, memory flat: XLSX in openpyxl's write-only mode), deterministic
(same input, same bytes: fixed timestamps, sorted ZIP entries) and cached by the digest of the inputs.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.writer.excel import ExcelWriter

from vnportal.data import table
from vnportal.data.model import Dataset, Version

EXPORT_VERSION = "5"  # bump when the exported bytes change: the cache is keyed by it
# The preview is a sample of the first rows: up to PREVIEW_ROWS, fewer for wide tables so that a data page
# stays small (the task list, with its text in four languages, stops at PREVIEW_TEXT characters of cells).
PREVIEW_ROWS = 10
PREVIEW_MIN_ROWS = 3
PREVIEW_TEXT = 2_500
CHART_LIMIT = 10_000
FORMATS = {
    "csv": ("text/csv", "CSV"),
    "json": ("application/json", "JSON"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
}


@dataclass
class Summary:
    """What the pages and the catalog say about an exported version."""

    rows: int = 0
    preview: list[list[Any]] = field(default_factory=list)
    last: list[Any] = field(default_factory=list)
    series: dict[str, list[tuple[Any, Any]]] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> {bytes, sha256, media_type}


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _deterministic_zip(source_path: Path, target_path: Path, stamp: tuple[int, ...]) -> None:
    """Rewrite a ZIP with sorted entries and fixed timestamps, streaming each entry (memory stays flat)."""
    with zipfile.ZipFile(source_path) as source, zipfile.ZipFile(target_path, "w", zipfile.ZIP_DEFLATED) as target:
        for name in sorted(source.namelist()):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with source.open(name) as reader, target.open(info, "w") as writer:
                for block in iter(lambda: reader.read(1 << 20), b""):
                    writer.write(block)


#: A text cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cells(raw: list[str], kinds: list[str]) -> list[str]:
    """Cells as written, but a text cell that a spreadsheet would run as a formula gets a leading
    apostrophe (OWASP's guidance); numbers and dates are never changed (their types exclude the case)."""
    return [
        f"'{cell}" if kind == "string" and cell.startswith(FORMULA_START) else cell
        for cell, kind in zip(raw, kinds, strict=True)
    ]


def xlsx_cells(sheet: Any, row: list[Any]) -> list[Any]:
    """Text is written as text cells: openpyxl would otherwise store "=..." as a formula."""
    cells: list[Any] = []
    for value in row:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=None)
            cell._value, cell.data_type = value, "s"  # set as text without openpyxl's formula detection
            if value.startswith(FORMULA_START):
                cell.quotePrefix = True  # Excel keeps it text when the cell is edited
            cells.append(cell)
        else:
            cells.append(value)
    return cells


def sha256sums(files: dict[str, dict[str, Any]]) -> str:
    """The SHA256SUMS file of a version (``sha256sum -c`` reads it)."""
    return "".join(f"{info['sha256']}  {name}\n" for name, info in sorted(files.items()))


def export_version(dataset: Dataset, version: Version, out: Path, page_url: str, shown: str) -> Summary:
    """Validate while exporting; RowError propagates with file, row, column, value and rule."""
    out.mkdir(parents=True, exist_ok=True)
    schema = dataset.schema
    for _ in table.read(version.csv, schema, shown):  # every row valid before any writer opens a file
        pass
    names = [f["name"] for f in schema["fields"]]
    kinds = [f["type"] for f in schema["fields"]]
    chart = dataset.meta.get("chart") or {}
    summary = Summary(series={name: [] for name in chart.get("series", [])})
    x_index = names.index(chart["x"]) if chart else None
    stamp = dt.datetime.combine(version.date, dt.time())
    workbook = Workbook(write_only=True)
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.creator = "vnportal"
    sheet = workbook.create_sheet(dataset.id[:31])
    sheet.append(names)
    csv_path, json_path = out / f"{dataset.id}.csv", out / f"{dataset.id}.json"
    with (
        csv_path.open("w", encoding="utf-8", newline="") as csv_file,
        json_path.open("w", encoding="utf-8") as json_file,
    ):
        writer = csv.writer(csv_file, lineterminator="\r\n")
        writer.writerow(names)
        json_file.write("[")
        preview_open, preview_text = True, 0
        for raw, row in table.read(version.csv, schema, shown):
            writer.writerow(csv_cells(raw, kinds))  # the figures exactly as the source wrote them
            record = {name: _json_value(value) for name, value in zip(names, row, strict=True)}
            json_file.write(("\n  " if summary.rows == 0 else ",\n  ") + json.dumps(record, ensure_ascii=False))
            sheet.append(xlsx_cells(sheet, row))
            if preview_open:
                preview_text += sum(map(len, raw))
                preview_open = len(summary.preview) < PREVIEW_MIN_ROWS or preview_text <= PREVIEW_TEXT
                if preview_open:
                    summary.preview.append(row)
                    preview_open = len(summary.preview) < PREVIEW_ROWS
            if x_index is not None and summary.rows < CHART_LIMIT:
                for name in summary.series:
                    value = row[names.index(name)]
                    if value is not None:
                        summary.series[name].append((row[x_index], value))
            summary.last = row
            summary.rows += 1
        json_file.write("\n]\n")
    scratch = out / ".workbook.xlsx"
    # Workbook.save() stamps "modified" with the clock; the writer keeps the version's date (same bytes).
    ExcelWriter(workbook, zipfile.ZipFile(scratch, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    _deterministic_zip(scratch, out / f"{dataset.id}.xlsx", stamp.timetuple()[:6])
    scratch.unlink()
    for name in (f"{dataset.id}.{ext}" for ext in FORMATS):
        summary.files[name] = _describe(out / name, FORMATS[name.rsplit(".", 1)[1]][0])
    package = datapackage(dataset, version, summary, page_url)
    (out / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    summary.files["datapackage.json"] = _describe(out / "datapackage.json", "application/json")
    (out / "SHA256SUMS").write_text(sha256sums(summary.files), encoding="utf-8")
    return summary


def _describe(path: Path, media_type: str) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return {"bytes": path.stat().st_size, "sha256": digest.hexdigest(), "media_type": media_type}


def datapackage(dataset: Dataset, version: Version, summary: Summary, page_url: str) -> dict[str, Any]:
    meta = dataset.meta
    csv_name = f"{dataset.id}.csv"
    fields = [{k: v for k, v in f.items()} for f in dataset.schema["fields"]]
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": dataset.id,
        "id": page_url,
        "title": meta["title"]["en"],
        "description": meta["description"]["en"],
        "version": version.version,
        "created": f"{version.date.isoformat()}T00:00:00Z",
        "homepage": page_url,
        "keywords": meta["keywords"]["en"],
        "licenses": [
            {"name": meta["licence"]["id"], "path": meta["licence"]["url"], "title": meta["licence"].get("title", "")}
        ],
        "sources": [{"title": meta["source"]["name"], "path": meta["source"]["url"]}],
        "contributors": [{"title": meta["publisher"]["name"]["en"], "roles": ["publisher"]}],
        "resources": [
            {
                "name": dataset.id,
                "path": csv_name,
                "type": "table",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": summary.files[csv_name]["bytes"],
                "hash": f"sha256:{summary.files[csv_name]['sha256']}",
                "dialect": {"header": True, "delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"'},
                "schema": {
                    "fields": fields,
                    "primaryKey": dataset.schema.get("primaryKey", []),
                    "missingValues": dataset.schema.get("missingValues", [""]),
                },
            }
        ],
    }
