"""Datasets in ``data/<id>/``: metadata validated against its JSON Schema, versions located with the metadata
each was released with, and the published-versions lock checked so a published URL never disappears.

A version's downloads are made from ``data/<id>/<version>/`` only: its CSV and its frozen ``metadata.yml``
(written by ``python -m vnportal dataset --release``, units included). Editing ``data/<id>/metadata.yml``
changes the dataset's page and the catalog, never the bytes of a published version: a fix to the
downloads is a new version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from vnportal.content.textpolicy import character_problem, text_values
from vnportal.content.tree import leaves
from vnportal.core.findings import Finding, display_path
from vnportal.core.messages import tr
from vnportal.core.schema import (
    VALUE_ERRORS,
    YamlLines,
    YamlValidator,
    load_yaml,
    mark_line,
    schema_findings,
    unreadable_line,
    worded,
)
from vnportal.data.schema import catalog_schema, columns_schema, describe, metadata_schema, units_schema

FREQUENCIES = {
    "annual": "http://publications.europa.eu/resource/authority/frequency/ANNUAL",
    "irregular": "http://publications.europa.eu/resource/authority/frequency/IRREG",
    "monthly": "http://publications.europa.eu/resource/authority/frequency/MONTHLY",
    "quarterly": "http://publications.europa.eu/resource/authority/frequency/QUARTERLY",
}
LOCK = "published.lock"
UNITS = "units.yml"
COLUMNS = "columns.yml"
CATALOG = "catalog.yml"
FROZEN = "metadata.yml"


@dataclass(frozen=True)
class Version:
    version: str
    date: dt.date
    notes: dict[str, str]
    csv: Path
    sha256: str  # of the CSV
    meta: dict[str, Any]  # the metadata this version's downloads are made from (units resolved)
    frozen: bool  # False: not released yet, made from the dataset's current metadata

    @property
    def languages(self) -> list[str]:
        return list(self.meta["title"])


@dataclass(frozen=True)
class Dataset:
    id: str
    meta: dict[str, Any]  # current metadata, units resolved
    versions: tuple[Version, ...]  # oldest first

    @property
    def latest(self) -> Version:
        return self.versions[-1]

    @property
    def schema(self) -> dict[str, Any]:
        return self.meta["schema"]

    def text(self, key: str, lang: str) -> str:
        return self.meta[key][lang]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_yaml(path: Path, shown: str) -> tuple[Any, str, list[Finding]]:
    """(value, text, findings) of a YAML file, every failure located."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        return (
            None,
            "",
            [Finding(shown, line, tr("file is not UTF-8 ({reason})", reason=exc.reason), tr("save the file as UTF-8"))],
        )
    try:
        return load_yaml(text), text, []
    except VALUE_ERRORS as exc:  # well-formed, but e.g. a date that does not exist
        line = unreadable_line(text)
        return (
            None,
            text,
            [Finding(shown, line, tr("a value cannot be read ({exc})", exc=exc), tr("correct the value"))],
        )
    except yaml.MarkedYAMLError as exc:
        line = mark_line(text, exc.problem_mark) + 1
        return (
            None,
            text,
            [
                Finding(
                    shown, line, tr("not valid YAML ({problem})", problem=exc.problem), tr("fix indentation or quoting")
                )
            ],
        )


def _validate(value: Any, text: str, shown: str, schema: dict[str, Any]) -> list[Finding]:
    if not isinstance(value, dict):
        return [Finding(shown, 1, tr("must be a list of  key: value  lines"), tr("see data/README.md"))]
    lines = YamlLines(text)
    fix = tr("fix the value (data/README.md lists every key)")
    findings = schema_findings(YamlValidator(schema), value, shown, lines, worded(fix, "metadata", describe))
    findings += [
        Finding(
            shown,
            lines.line(path),
            tr("'{path}' {problem}", path=".".join(path), problem=problem),
            tr("retype the text"),
        )
        for path, value in text_values(value)
        if (problem := character_problem(value))
    ]
    return findings


def load_registry(root: Path, languages: list[str]) -> tuple[dict[str, Any], list[Finding]]:
    """The shared definitions every dataset's metadata is resolved with: ``units`` and generated ``columns``."""
    registry, findings = {}, []
    for key, name, schema in (("units", UNITS, units_schema), ("columns", COLUMNS, columns_schema)):
        path = root / name
        shown = display_path(path, root.parent)
        if not path.is_file():
            findings.append(Finding(shown, 1, tr("{name} is missing", name=name), tr("restore data/{name}", name=name)))
            continue
        value, text, found = _read_yaml(path, shown)
        found = found or _validate(value, text, shown, schema(languages))
        findings += found
        registry[key] = value if not found else {}
    return registry, findings


def load_catalog(root: Path, languages: list[str]) -> tuple[dict[str, Any], list[Finding]]:
    path = root / CATALOG
    shown = display_path(path, root.parent)
    if not path.is_file():
        return {}, [Finding(shown, 1, tr("the catalog description is missing"), tr("restore data/catalog.yml"))]
    meta, text, findings = _read_yaml(path, shown)
    findings = findings or _validate(meta, text, shown, catalog_schema(languages))
    return (meta if not findings else {}), findings


def _consistency(meta: dict[str, Any], text: str, shown: str, folder: str) -> list[Finding]:
    """What the schema cannot say: columns named elsewhere exist and have what their role needs."""
    findings: list[Finding] = []
    lines = YamlLines(text)

    def need(ok: bool, path: tuple[str, ...], message: str, fix: str) -> None:
        if not ok:
            findings.append(Finding(shown, lines.line(path), message, fix))

    need(
        meta["id"] == folder,
        ("id",),
        tr("id must equal the folder name '{folder}'", folder=folder),
        tr("write  id: {folder}", folder=folder),
    )
    fields = {f["name"]: f for f in meta["schema"]["fields"]}
    need(
        all(k in fields for k in meta["schema"].get("primaryKey", [])),
        ("schema", "primaryKey"),
        tr("primaryKey names a column that does not exist"),
        tr("fix schema.primaryKey"),
    )
    chart = meta.get("chart")
    if chart:
        need(
            all(k in fields for k in [chart["x"], *chart["series"]]),
            ("chart",),
            tr("chart names a column that does not exist"),
            tr("use column names from schema.fields"),
        )
    for index, field in enumerate(meta["schema"]["fields"]):
        where = ("schema", "fields", str(index))
        need(
            (field["type"] == "list") == ("delimiter" in field),
            where,
            tr("column '{name}': a list column needs a delimiter, and only a list column has one", name=field["name"]),
            tr("write  type: list  with  delimiter: ';'  (or remove the delimiter)"),
        )
        if "codelist" in field:
            need(
                field["codelist"] in meta.get("codelists", {}),
                where,
                tr(
                    "column '{name}': code list '{codelist}' is not defined",
                    name=field["name"],
                    codelist=field["codelist"],
                ),
                tr("add it under codelists:"),
            )
    series = meta.get("series") or {}
    if series:
        period = meta.get("period")
        need(
            period in fields and fields[period]["type"] == "year",
            ("period",),
            tr("statistical series need  period:  naming their year column"),
            tr("write  period: <the year column>"),
        )
    for name in series:
        field = fields.get(name)
        need(
            field is not None and field["type"] in ("integer", "number") and "unit" in field,
            ("series", name),
            tr("series '{name}' must be a number column with a unit", name=name),
            tr("name a numeric column of schema.fields that has  unit:"),
        )
    return findings


def load_metadata(
    path: Path, root: Path, languages: list[str], registry: dict[str, Any], folder: str
) -> tuple[dict[str, Any] | None, list[Finding]]:
    """Metadata validated against the schema and made self-contained (``units`` and ``columns`` resolved)."""
    shown = display_path(path, root.parent)
    meta, text, findings = _read_yaml(path, shown)
    if findings:
        return None, findings
    units, columns = registry["units"], registry["columns"]
    if isinstance(meta, dict) and isinstance(meta.get("units"), dict):
        units = meta["units"]  # a released version carries its own definitions
    if isinstance(meta, dict) and isinstance(meta.get("columns"), dict):
        columns = meta["columns"]
    findings = _validate(meta, text, shown, metadata_schema(languages, list(units)))
    if findings:
        return None, findings
    findings = _consistency(meta, text, shown, folder)
    if findings:
        return None, findings
    used = sorted({f["unit"] for f in meta["schema"]["fields"] if "unit" in f})
    return {**meta, "units": {key: units[key] for key in used}, "columns": columns}, []


def load_dataset(
    folder: Path, root: Path, languages: list[str], registry: dict[str, Any]
) -> tuple[Dataset | None, list[Finding]]:
    meta_path = folder / "metadata.yml"
    shown = display_path(meta_path, root.parent)
    if not meta_path.is_file():
        return None, [Finding(shown, 1, tr("dataset folder without metadata.yml"), tr("add data/<id>/metadata.yml"))]
    meta, findings = load_metadata(meta_path, root, languages, registry, folder.name)
    if meta is None:
        return None, findings
    lines = YamlLines(meta_path.read_text(encoding="utf-8"))
    versions: list[Version] = []
    for index, entry in enumerate(meta["versions"]):
        name = entry["version"]
        csv_path = folder / name / f"{folder.name}.csv"
        if not csv_path.is_file():
            findings.append(Finding(shown, lines.line(("versions", str(index))),
                                    tr('version {version}: {file} not found in data/{folder}/{version}/', version=name, file=csv_path.name, folder=folder.name),
                                    tr('add the CSV or remove the version entry')))  # fmt: skip
            continue
        frozen_path = folder / name / FROZEN
        frozen = frozen_path.is_file()
        if frozen:
            first, _, _ = _read_yaml(frozen_path, str(frozen_path))
            # released before a language was added: it is checked in the languages it was released in
            released = list(first["title"]) if isinstance(first, dict) and isinstance(first.get("title"), dict) else []
            version_meta, problems_ = load_metadata(frozen_path, root, released or languages, registry, folder.name)
            findings += problems_
            if version_meta is None:
                continue
            entries = {v["version"]: v for v in version_meta["versions"]}
            if name not in entries:
                findings.append(Finding(display_path(frozen_path, root.parent), 1,
                                        tr('the metadata of version {name} has no  versions:  entry for {name}', name=name),
                                        tr('release it again: python -m vnportal dataset --release {name}', name=folder.name)))  # fmt: skip
                continue
            entry = entries[name]
        else:
            version_meta = meta
        versions.append(Version(name, entry["date"], entry["notes"], csv_path, _sha256(csv_path), version_meta, frozen))
    if findings:
        return None, findings
    return Dataset(folder.name, meta, tuple(sorted(versions, key=lambda v: (v.date, v.version)))), []


def outside_links(root: Path) -> list[Finding]:
    """Links that leave the data folder: nothing behind them may be read (its text would reach the logs)."""
    return [
        Finding(display_path(link, root.parent), 1, tr("symbolic link to something outside the data folder"),
                tr("replace the link by the file itself"))
        for link in sorted(root.rglob("*"))
        if link.is_symlink() and leaves(link, root)
    ]  # fmt: skip


def load_all(root: Path, languages: list[str]) -> tuple[list[Dataset], list[Finding]]:
    """Every dataset under ``root`` (the site's languages from mkdocs.yml), or the findings that stop it."""
    datasets: list[Dataset] = []
    findings = outside_links(root)
    if findings:
        return [], findings
    registry, findings = load_registry(root, languages)
    findings += load_catalog(root, languages)[1]
    if findings:
        return [], findings
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        dataset, problems_ = load_dataset(folder, root, languages, registry)
        findings += problems_
        if dataset:
            datasets.append(dataset)
    findings += check_lock_presence(root, datasets)
    return datasets, findings


# -- the published-versions lock: every artefact of every published version, byte for byte ----------------


def read_lock(root: Path) -> tuple[dict[str, dict[str, str]], list[str]]:
    """(version key -> {file name: sha256}, the lock's lines for locating findings)."""
    path = root / LOCK
    if not path.is_file():
        return {}, []
    text = path.read_text(encoding="utf-8")
    return json.loads(text), text.splitlines()


def _lock_line(lines: list[str], key: str, name: str | None = None) -> int:
    start = next((i for i, row in enumerate(lines) if f'"{key}"' in row), 0)
    if name is None:
        return start + 1
    return next((i + 1 for i, row in enumerate(lines[start:], start) if f'"{name}"' in row), start + 1)


def check_lock_presence(root: Path, datasets: list[Dataset]) -> list[Finding]:
    """Every version in published.lock still exists, released (with its frozen metadata)."""
    published, lines = read_lock(root)
    present = {f"{d.id}/{v.version}": v for d in datasets for v in d.versions}
    findings = []
    for key in sorted(published):
        if key not in present:
            findings.append(Finding(f"{root.name}/{LOCK}", _lock_line(lines, key),
                                    tr('published version {key} has been removed', key=key),
                                    tr('restore it: published URLs must keep working; publish a new version instead')))  # fmt: skip
        elif not present[key].frozen:
            findings.append(Finding(f"{root.name}/{LOCK}", _lock_line(lines, key),
                                    tr('published version {key} has lost its metadata ({key}/{FROZEN})', key=key, FROZEN=FROZEN),
                                    tr('restore the file: a published version is made from its own metadata')))  # fmt: skip
    return findings


def check_artefacts(root: Path, key: str, files: dict[str, str]) -> list[Finding]:
    """A rebuilt version against the lock: the same files, byte for byte (``files``: name -> sha256)."""
    published, lines = read_lock(root)
    if key not in published:
        return []
    shown, recorded = f"{root.name}/{LOCK}", published[key]
    findings = []
    for name in sorted(set(recorded) | set(files)):
        if recorded.get(name) == files.get(name):
            continue
        if name not in files:
            what = f"rebuilding published version {key} no longer writes {name}"
        elif name not in recorded:
            what = f"rebuilding published version {key} would add {name}, which was not published"
        else:
            what = f"rebuilding published version {key} would change {name} (published {recorded[name][:12]}…, now {files[name][:12]}…)"
        findings.append(Finding(shown, _lock_line(lines, key, name), what,
                                tr('published files never change: restore data/{key}/ (CSV and {FROZEN}) and the exporter as they were, and release the change as a new version', key=key, FROZEN=FROZEN)))  # fmt: skip
    return findings


def update_lock(root: Path, artefacts: dict[str, dict[str, str]]) -> list[str]:
    """Record released versions' artefacts (``python -m vnportal dataset --release``); never overwrite one."""
    published, _ = read_lock(root)
    added = [key for key in sorted(artefacts) if key not in published]
    for key in added:
        published[key] = dict(sorted(artefacts[key].items()))
    (root / LOCK).write_text(json.dumps(dict(sorted(published.items())), indent=2) + "\n", encoding="utf-8")
    return added


def freeze(dataset: Dataset, version: Version) -> Path:
    """Write the version's own metadata (the dataset's current metadata, units included) beside its CSV."""
    meta = {k: v for k, v in dataset.meta.items() if k != "next_update"}
    meta["versions"] = [v for v in meta["versions"] if v["version"] in
                        {x.version for x in dataset.versions if x.date <= version.date}]  # fmt: skip
    path = version.csv.parent / FROZEN
    header = f"# Metadata of {dataset.id} {version.version} as released: its downloads are made from this file.\n"
    path.write_text(header + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    return path


def warnings(datasets: list[Dataset], catalog: dict[str, Any], today: dt.date) -> list[Finding]:
    """What ``make check`` reports without failing: overdue updates and unset settings."""
    found = []
    for dataset in datasets:
        due = dataset.meta.get("next_update")
        if not due:
            continue
        parts = [int(p) for p in due.split("-")]
        end = dt.date(parts[0], parts[1], parts[2]) if len(parts) == 3 else _month_end(parts[0], parts[1])
        if end < today:
            path = f"data/{dataset.id}/metadata.yml"
            text = (Path(dataset.latest.csv).parents[1] / "metadata.yml").read_text(encoding="utf-8")
            found.append(Finding(path, YamlLines(text).line(("next_update",)),
                                 tr('next_update {due} is past (as of {today})', due=due, today=today.isoformat()),
                                 tr('publish the update as a new version, or set the date it is now expected')))  # fmt: skip
    if not (catalog.get("contact") or {}).get("email"):
        line = 1
        if datasets:
            text = (Path(datasets[0].latest.csv).parents[2] / CATALOG).read_text(encoding="utf-8")
            line = YamlLines(text).line(("contact",))
        found.append(
            Finding(
                "data/catalog.yml",
                line,
                tr("the data team's contact e-mail is not set (DCAT contact point, data.json)"),
                tr("add  contact: {{email: …}}  with a verified address — never a guessed one"),
            )
        )
    return found


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)
