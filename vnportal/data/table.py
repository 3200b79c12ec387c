"""Stream a CSV through its Frictionless Table Schema: typed rows out, or a finding naming
file, row, column, value and the rule broken. Memory stays flat whatever the number of rows
(primary keys are checked by order: published tables are sorted by their key)."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from vnportal.content.textpolicy import MAX_CSV_CELL, character_problem
from vnportal.core.findings import Finding, FindingsError
from vnportal.core.messages import tr

TYPES = ("string", "integer", "number", "boolean", "date", "year", "list")


def _cast(kind: str, text: str, delimiter: str = ";") -> Any:
    if kind == "string":
        return text
    if kind == "list":
        items = text.split(delimiter)
        if any(not item.strip() or item != item.strip() for item in items):
            raise ValueError(
                f"an empty item or spaces around '{delimiter}' (items are separated by '{delimiter}' alone)"
            )
        return items
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", text):
            raise ValueError(tr("not an integer"))
        return int(text)
    if kind == "number":
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", text):
            raise ValueError(tr("not a number (use . as decimal separator, no thousands separator)"))
        return float(text)
    if kind == "boolean":
        if text not in ("true", "false"):
            raise ValueError(tr("not true/false"))
        return text == "true"
    if kind == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(tr("not a date (YYYY-MM-DD)")) from None
    if kind == "year":
        if not re.fullmatch(r"\d{4}", text):
            raise ValueError(tr("not a year (YYYY)"))
        return int(text)
    raise ValueError(tr("unsupported type {kind}", kind=kind))


def _shorten(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"


def _not_utf8(path: Path, shown: str, exc: UnicodeDecodeError) -> Finding:
    """The line of the first byte that is not UTF-8 (the reader decodes in blocks, so find it again)."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
        line = 1
    except UnicodeDecodeError as first:
        line = data[: first.start].count(b"\n") + 1
    return Finding(shown, line, tr("the file is not UTF-8 ({reason})", reason=exc.reason),
                   tr("save it as CSV UTF-8 (in Excel: Save As → CSV UTF-8)"))  # fmt: skip


def read(
    path: Path, schema: dict[str, Any], shown: str, codes: dict[str, set[str]] | None = None
) -> Iterator[tuple[list[str], list[Any]]]:
    """Yield (cells as written, typed values with None for missing); raise FindingsError at the first violation.
    ``codes``: code list name -> its codes, for the columns that name a ``codelist``."""
    try:
        yield from _read(path, schema, shown, codes or {})
    except UnicodeDecodeError as exc:
        raise FindingsError(_not_utf8(path, shown, exc)) from None
    except csv.Error as exc:  # raised before the first row: the header, or a cell beyond csv's own limit
        if "field larger" in str(exc):
            raise FindingsError(Finding(shown, 1, tr("a cell has more than {limit:,} characters", limit=MAX_CSV_CELL),
                                   tr("shorten it; long text belongs in a document"))) from None  # fmt: skip
        raise FindingsError(
            Finding(shown, 1, tr("CSV syntax error ({error})", error=exc), tr("check the quoting"))
        ) from None


def _read(
    path: Path, schema: dict[str, Any], shown: str, codes: dict[str, set[str]]
) -> Iterator[tuple[list[str], list[Any]]]:
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    missing = set(schema.get("missingValues", [""]))
    key = [names.index(k) for k in schema.get("primaryKey", [])]
    uniques = {i: set() for i, f in enumerate(fields) if f.get("constraints", {}).get("unique")}
    patterns = {
        i: re.compile(f["constraints"]["pattern"])
        for i, f in enumerate(fields)
        if "pattern" in f.get("constraints", {})
    }
    previous_key: tuple | None = None
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            raise FindingsError(
                Finding(
                    shown, 1, tr("the CSV file is empty"), tr("write the header row: {header}", header=",".join(names))
                )
            ) from None
        if header != names:
            raise FindingsError(
                Finding(
                    shown,
                    1,
                    tr("header {header} does not match the schema", header=_shorten(str(header))),
                    tr("use exactly: {header}", header=",".join(names)),
                )
            )
        try:
            for line, raw in enumerate(reader, start=2):
                if len(raw) != len(names):
                    raise FindingsError(
                        Finding(shown, line, tr("row has {cells} cells, the schema has {columns} columns", cells=len(raw), columns=len(names)),
                                tr("check for an unquoted comma or a missing cell"))
                    )  # fmt: skip
                row: list[Any] = []
                for index, (field, text) in enumerate(zip(fields, raw, strict=True)):
                    rules = field.get("constraints", {})
                    if len(text) > MAX_CSV_CELL:
                        raise FindingsError(Finding(shown, line, tr("row {row}, column '{column}': the cell has {length:,} characters (at most {limit:,})",
                                                               row=line, column=field["name"], length=len(text), limit=MAX_CSV_CELL),
                                               tr("shorten it; long text belongs in a document, not a table cell")))  # fmt: skip
                    if problem := character_problem(text):
                        raise FindingsError(Finding(shown, line, tr("row {row}, column '{column}': the cell {problem}",
                                                               row=line, column=field["name"], problem=problem),
                                               tr("retype the cell")))  # fmt: skip
                    where = tr(
                        "row {row}, column '{column}', value {value!r}",
                        row=line,
                        column=field["name"],
                        value=_shorten(text),
                    )
                    if text in missing:
                        if rules.get("required") or index in key:
                            raise FindingsError(Finding(shown, line, tr("{where}: a value is required", where=where),
                                                   tr("fill in the cell")))  # fmt: skip
                        row.append(None)
                        continue
                    try:
                        value = _cast(field["type"], text, field.get("delimiter", ";"))
                    except ValueError as exc:
                        raise FindingsError(
                            Finding(
                                shown,
                                line,
                                tr("{where}: type {type} — {problem}", where=where, type=field["type"], problem=exc),
                                tr("write a valid {type}", type=field["type"]),
                            )
                        ) from None
                    if "minimum" in rules and value < rules["minimum"]:
                        raise FindingsError(
                            Finding(
                                shown,
                                line,
                                tr("{where}: below the minimum {limit}", where=where, limit=rules["minimum"]),
                                tr("correct the value"),
                            )
                        )
                    if "maximum" in rules and value > rules["maximum"]:
                        raise FindingsError(
                            Finding(
                                shown,
                                line,
                                tr("{where}: above the maximum {limit}", where=where, limit=rules["maximum"]),
                                tr("correct the value"),
                            )
                        )
                    if "enum" in rules and value not in rules["enum"]:
                        raise FindingsError(
                            Finding(
                                shown,
                                line,
                                tr("{where}: not one of {values}", where=where, values=rules["enum"]),
                                tr("use an allowed value"),
                            )
                        )
                    if index in patterns and not patterns[index].fullmatch(text):
                        raise FindingsError(
                            Finding(
                                shown,
                                line,
                                tr("{where}: does not match {pattern}", where=where, pattern=rules["pattern"]),
                                tr("correct the format"),
                            )
                        )
                    if field.get("codelist") in codes:
                        unknown = [
                            v
                            for v in (value if isinstance(value, list) else [text])
                            if v not in codes[field["codelist"]]
                        ]
                        if unknown:
                            raise FindingsError(Finding(shown, line, tr("{where}: {code!r} is not a code of the '{codelist}' code list", where=where, code=_shorten(unknown[0]), codelist=field['codelist']), tr('use a code listed under codelists:')))  # fmt: skip
                    if index in uniques:
                        if value in uniques[index]:
                            raise FindingsError(
                                Finding(
                                    shown,
                                    line,
                                    tr("{where}: duplicate of an earlier row (unique)", where=where),
                                    tr("remove the duplicate"),
                                )
                            )
                        uniques[index].add(value)
                    row.append(value)
                if key:
                    current = tuple(row[i] for i in key)
                    if previous_key is not None and current <= previous_key:
                        raise FindingsError(
                            Finding(shown, line, tr("row {row}: primary key {current} is not after {previous}", row=line, current=current, previous=previous_key),
                                    tr("keep rows sorted by the primary key, without duplicates"))
                        )  # fmt: skip
                    previous_key = current
                yield raw, row
        except csv.Error as exc:
            raise FindingsError(
                Finding(shown, reader.line_num, tr("CSV syntax error ({error})", error=exc), tr("check the quoting"))
            ) from None
