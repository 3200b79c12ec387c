"""Export one dataset version to every download format, from the version's own CSV and metadata only.

- ``<id>.csv`` (RFC 4180, wide), ``<id>.json``, ``<id>.xlsx`` (with its data dictionary sheet);
- for statistical series: ``<id>-long.csv`` (one row per country × indicator × period, ISO 3166 alpha-3 and
  indicator codes: what joins with other data), ``<id>.sdmx.csv``, ``<id>.sdmx.xml`` and
  ``<id>.sdmx-structure.xml`` (SDMX 2.1);
- ``codelist-<name>.csv`` for every code list, ``data-dictionary.csv``, ``README.txt``;
- ``csv-metadata.json`` (CSV on the Web), ``datapackage.json`` (Frictionless v2) and ``SHA256SUMS``.

Streaming (rows pass through once, memory flat: XLSX in openpyxl's write-only mode), deterministic (same
input, same bytes: fixed timestamps, sorted ZIP entries) and independent of where the site is hosted, so
that a published version's files can be checked byte for byte against ``data/published.lock``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import zipfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vnportal.core.archive import rewrite_zip
from vnportal.data import describe, sdmx, table
from vnportal.data.columns import FORMULA_START, LONG_COLUMNS, codes, series
from vnportal.data.model import Dataset, Version

EXPORT_VERSION = "7"  # bump when the exported bytes change: the cache is keyed by it
# The preview is a sample of the first rows: up to PREVIEW_ROWS, fewer for wide tables so that a data page
# stays small (a table with long text cells stops at PREVIEW_TEXT characters of cells).
PREVIEW_ROWS = 10
PREVIEW_MIN_ROWS = 3
PREVIEW_TEXT = 2_500
CHART_LIMIT = 10_000
KEEP_ROWS = 1_000  # a table this small is kept whole for reading views (the task list)
MEDIA_TYPES = {
    ".csv": "text/csv",
    ".json": "application/json",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xml": "application/xml",
    ".txt": "text/plain",
    "": "text/plain",
}


@dataclass
class Summary:
    """What the pages and the catalog say about an exported version."""

    rows: int = 0
    preview: list[list[Any]] = field(default_factory=list)
    last: list[Any] = field(default_factory=list)
    series: dict[str, list[tuple[Any, Any]]] = field(default_factory=dict)
    records: list[list[Any]] = field(default_factory=list)  # every row, for tables of at most KEEP_ROWS
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> {bytes, sha256, media_type, kind}


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def csv_cells(raw: list[str], kinds: list[str]) -> list[str]:
    """Cells as written, but a text cell that a spreadsheet would run as a formula gets a leading
    apostrophe (OWASP's guidance); numbers and dates are never changed (their types exclude the case)."""
    return [
        f"'{cell}" if kind in ("string", "list") and cell.startswith(FORMULA_START) else cell
        for cell, kind in zip(raw, kinds, strict=True)
    ]


def xlsx_cells(sheet: Any, row: list[Any]) -> list[Any]:
    """Text is written as text cells: openpyxl would otherwise store "=..." as a formula."""
    from openpyxl.cell import WriteOnlyCell  # openpyxl: imported only by a build that writes a workbook

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


def file_names(dataset_id: str, meta: dict[str, Any]) -> dict[str, str]:
    """Every file a version publishes, name -> kind (what the index and the pages call it)."""
    names = {f"{dataset_id}.csv": "csv", f"{dataset_id}.json": "json", f"{dataset_id}.xlsx": "xlsx"}
    if series(meta):
        names |= {f"{dataset_id}-long.csv": "csv-long", f"{dataset_id}.sdmx.csv": "sdmx-csv",
                  f"{dataset_id}.sdmx.xml": "sdmx-ml", f"{dataset_id}.sdmx-structure.xml": "sdmx-structure"}  # fmt: skip
    names |= {f"codelist-{name}.csv": "codelist" for name in meta.get("codelists") or {}}
    names |= {"data-dictionary.csv": "dictionary", "README.txt": "readme", "csv-metadata.json": "csvw",
              "datapackage.json": "datapackage"}  # fmt: skip
    return names


def export_version(dataset: Dataset, version: Version, out: Path, shown: str) -> Summary:
    """Validate while exporting; FindingsError propagates with file, row, column, value and rule."""
    from openpyxl import Workbook  # openpyxl: imported only by a build that writes a workbook
    from openpyxl.writer.excel import ExcelWriter

    out.mkdir(parents=True, exist_ok=True)
    meta = version.meta
    schema = meta["schema"]
    for _ in table.read(version.csv, schema, shown, codes(meta)):  # every row valid before any writer opens
        pass
    names = [f["name"] for f in schema["fields"]]
    kinds = [f["type"] for f in schema["fields"]]
    delimiters = [f.get("delimiter", "") for f in schema["fields"]]
    chart = meta.get("chart") or {}
    summary = Summary(series={name: [] for name in chart.get("series", [])})
    x_index = names.index(chart["x"]) if chart else None
    measured = series(meta)
    period_index = names.index(meta["period"]) if measured else None
    measured_index = [names.index(s.column) for s in measured]
    stamp = dt.datetime.combine(version.date, dt.time())
    workbook = Workbook(write_only=True)
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.creator = "vnportal"
    sheet = workbook.create_sheet(dataset.id[:31])
    sheet.append(names)
    csv_path, json_path, long_path = (
        out / f"{dataset.id}.csv",
        out / f"{dataset.id}.json",
        out / f"{dataset.id}-long.csv",
    )
    with ExitStack() as files:
        writer = csv.writer(
            files.enter_context(csv_path.open("w", encoding="utf-8", newline="")), lineterminator="\r\n"
        )
        writer.writerow(names)
        json_file = files.enter_context(json_path.open("w", encoding="utf-8"))
        if measured:
            long_file = files.enter_context(long_path.open("w", encoding="utf-8", newline=""))
            long_writer = csv.writer(long_file, lineterminator="\r\n")
            long_writer.writerow(LONG_COLUMNS)
        json_file.write("[")
        preview_open, preview_text = True, 0
        for raw, row in table.read(version.csv, schema, shown, codes(meta)):
            writer.writerow(csv_cells(raw, kinds))  # the figures exactly as the source wrote them
            record = {name: _json_value(value) for name, value in zip(names, row, strict=True)}
            json_file.write(("\n  " if summary.rows == 0 else ",\n  ") + json.dumps(record, ensure_ascii=False))
            cells = [d.join(v) if isinstance(v, list) else v for v, d in zip(row, delimiters, strict=True)]
            sheet.append(xlsx_cells(sheet, cells))
            for s, index in zip(measured, measured_index, strict=True):
                if row[index] is not None:
                    long_writer.writerow(
                        [meta["spatial"], s.indicator, raw[period_index], raw[index], s.unit, s.unit_mult]
                    )
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
            if summary.rows < KEEP_ROWS:
                summary.records.append(row)
            summary.last = row
            summary.rows += 1
        json_file.write("\n]\n")
    if summary.rows > KEEP_ROWS:
        summary.records = []
    dictionary = describe.dictionary_rows(dataset.id, meta)
    dictionary_sheet = workbook.create_sheet("dictionary")
    for entry in dictionary:
        dictionary_sheet.append(xlsx_cells(dictionary_sheet, entry))
    scratch = out / ".workbook.xlsx"
    # Workbook.save() stamps "modified" with the clock; the writer keeps the version's date (same bytes).
    ExcelWriter(workbook, zipfile.ZipFile(scratch, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    rewrite_zip(scratch, out / f"{dataset.id}.xlsx", date_time=stamp.timetuple()[:6])
    scratch.unlink()
    if measured:
        sdmx.sdmx_csv(dataset.id, version.version, meta, csv_path, out / f"{dataset.id}.sdmx.csv")
        sdmx.generic_data(dataset.id, version.version, version.date, meta, csv_path, out / f"{dataset.id}.sdmx.xml")
        (out / f"{dataset.id}.sdmx-structure.xml").write_bytes(
            sdmx.structure(dataset.id, version.version, version.date, meta, meta["units"])
        )
    for name, entries in (meta.get("codelists") or {}).items():
        describe.write_csv(out / f"codelist-{name}.csv", describe.codelist_rows(meta, entries))
    describe.write_csv(out / "data-dictionary.csv", dictionary)
    (out / "README.txt").write_text(
        describe.readme(dataset.id, version, file_names(dataset.id, meta)), encoding="utf-8"
    )
    (out / "csv-metadata.json").write_text(_json(describe.csvw(dataset.id, meta)), encoding="utf-8")
    kinds_by_name = file_names(dataset.id, meta)
    for name, kind in kinds_by_name.items():
        if name != "datapackage.json":
            summary.files[name] = _describe(out / name, kind)
    package = describe.datapackage(dataset.id, version, summary.files)
    (out / "datapackage.json").write_text(_json(package), encoding="utf-8")
    summary.files["datapackage.json"] = _describe(out / "datapackage.json", "datapackage")
    (out / "SHA256SUMS").write_text(sha256sums(summary.files), encoding="utf-8")
    return summary


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _describe(path: Path, kind: str) -> dict[str, Any]:
    media = "application/json" if path.suffix == ".json" else MEDIA_TYPES[path.suffix]
    return {"bytes": path.stat().st_size, "sha256": sha256(path), "media_type": media, "kind": kind}


def artefacts(out: Path, summary: Summary) -> dict[str, str]:
    """Every published file of a version (SHA256SUMS included) -> its SHA-256: what the lock records."""
    return {name: info["sha256"] for name, info in summary.files.items()} | {"SHA256SUMS": sha256(out / "SHA256SUMS")}
