"""Datasets in ``data/<id>/``: metadata validated (licence, source, four-language titles), versions
located, and the published-versions lock enforced so a published URL never disappears."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from vnportal.checks import display_path
from vnportal.data.table import TYPES
from vnportal.findings import Finding

LANGS = ("vi", "en", "fr", "zh")
FREQUENCIES = {
    "annual": "http://publications.europa.eu/resource/authority/frequency/ANNUAL",
    "irregular": "http://publications.europa.eu/resource/authority/frequency/IRREG",
    "monthly": "http://publications.europa.eu/resource/authority/frequency/MONTHLY",
    "quarterly": "http://publications.europa.eu/resource/authority/frequency/QUARTERLY",
}
LOCK = "published.lock"


@dataclass(frozen=True)
class Version:
    version: str
    date: dt.date
    notes: dict[str, str]
    csv: Path
    sha256: str


@dataclass(frozen=True)
class Dataset:
    id: str
    meta: dict[str, Any]
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


def _line(text: str, key: str) -> int:
    for number, row in enumerate(text.splitlines(), 1):
        if row.startswith(f"{key}:"):
            return number
    return 1


def load_dataset(folder: Path, root: Path) -> tuple[Dataset | None, list[Finding]]:
    meta_path = folder / "metadata.yml"
    shown = display_path(meta_path, root.parent)
    if not meta_path.is_file():
        return None, [Finding(shown, 1, "dataset folder without metadata.yml", "add data/<id>/metadata.yml")]
    text = meta_path.read_text(encoding="utf-8")
    try:
        meta = yaml.safe_load(text) or {}
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        return None, [Finding(shown, line, f"not valid YAML ({exc.problem})", "fix indentation or quoting")]
    findings: list[Finding] = []

    def need(ok: bool, key: str, message: str, fix: str) -> None:
        if not ok:
            findings.append(Finding(shown, _line(text, key), message, fix))

    need(
        meta.get("id") == folder.name,
        "id",
        f"id must equal the folder name '{folder.name}'",
        f"write  id: {folder.name}",
    )
    for key in ("title", "description"):
        value = meta.get(key) or {}
        missing = [lang for lang in LANGS if not isinstance(value, dict) or not value.get(lang)]
        need(
            not missing,
            key,
            f"{key} is missing in {', '.join(missing)}",
            f"add {key}.{missing[0] if missing else 'vi'}",
        )
    licence = meta.get("licence") or {}
    need(
        bool(licence.get("id") and licence.get("url")),
        "licence",
        "no licence (id and url)",
        "add  licence: {id: CC-BY-4.0, title: ..., url: https://...}",
    )
    source = meta.get("source") or {}
    need(
        bool(source.get("name") and str(source.get("url", "")).startswith("https://")),
        "source",
        "no source (name and https url)",
        "add  source: {name: ..., url: https://...}",
    )
    need(
        bool((meta.get("publisher") or {}).get("name")),
        "publisher",
        "no publisher",
        "add  publisher: {name: {vi: ..., en: ...}}",
    )
    need(
        meta.get("frequency") in FREQUENCIES,
        "frequency",
        f"frequency must be one of {sorted(FREQUENCIES)}",
        "set  frequency: annual",
    )
    temporal = meta.get("temporal") or {}
    need(
        bool(temporal.get("start") and temporal.get("end")),
        "temporal",
        "no temporal coverage",
        'add  temporal: {start: "2024", end: "2030"}',
    )
    need(bool(meta.get("spatial")), "spatial", "no spatial coverage", "add  spatial: VNM")
    keywords = meta.get("keywords") or {}
    need(
        all(keywords.get(lang) for lang in LANGS),
        "keywords",
        "keywords are needed in vi, en, fr and zh",
        "add keywords.<lang>: [...]",
    )
    schema = meta.get("schema") or {}
    fields = schema.get("fields") or []
    need(bool(fields), "schema", "no Table Schema fields", "add schema.fields")
    for field in fields:
        need(
            field.get("type") in TYPES,
            "schema",
            f"field {field.get('name')!r}: type must be one of {TYPES}",
            "fix the field type",
        )
    names = [f.get("name") for f in fields]
    need(
        all(k in names for k in schema.get("primaryKey", [])),
        "schema",
        "primaryKey names a column that does not exist",
        "fix schema.primaryKey",
    )
    versions: list[Version] = []
    for entry in meta.get("versions") or []:
        name = str(entry.get("version", ""))
        csv_path = folder / name / f"{folder.name}.csv"
        if not csv_path.is_file():
            findings.append(
                Finding(
                    shown,
                    _line(text, "versions"),
                    f"version {name}: {csv_path.name} not found in data/{folder.name}/{name}/",
                    "add the CSV or remove the version entry",
                )
            )
            continue
        if not isinstance(entry.get("date"), dt.date):
            findings.append(
                Finding(shown, _line(text, "versions"), f"version {name}: no release date", "add  date: YYYY-MM-DD")
            )
            continue
        versions.append(Version(name, entry["date"], entry.get("notes") or {}, csv_path, _sha256(csv_path)))
    need(bool(versions), "versions", "no published version", "add  versions: [{version: '1.0', date: ..., notes: ...}]")
    if findings:
        return None, findings
    return Dataset(folder.name, meta, tuple(sorted(versions, key=lambda v: v.date))), []


def load_all(root: Path) -> tuple[list[Dataset], list[Finding]]:
    datasets: list[Dataset] = []
    findings: list[Finding] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        dataset, problems = load_dataset(folder, root)
        findings += problems
        if dataset:
            datasets.append(dataset)
    findings += check_lock(root, datasets)
    return datasets, findings


def check_lock(root: Path, datasets: list[Dataset]) -> list[Finding]:
    """Every version in published.lock must still exist, unchanged."""
    lock_path = root / LOCK
    shown = f"{root.name}/{LOCK}"
    published = json.loads(lock_path.read_text(encoding="utf-8")) if lock_path.is_file() else {}
    present = {f"{d.id}/{v.version}": v.sha256 for d in datasets for v in d.versions}
    findings = []
    lines = lock_path.read_text(encoding="utf-8").splitlines() if lock_path.is_file() else []
    for key, sha in sorted(published.items()):
        line = next((i for i, row in enumerate(lines, 1) if f'"{key}"' in row), 1)
        if key not in present:
            findings.append(
                Finding(
                    shown,
                    line,
                    f"published version {key} has been removed",
                    "restore it: published URLs must keep working; publish a new version instead",
                )
            )
        elif present[key] != sha:
            findings.append(
                Finding(
                    shown,
                    line,
                    f"published version {key} has changed",
                    "restore the published CSV and release the change as a new version",
                )
            )
    return findings


def update_lock(root: Path, datasets: list[Dataset]) -> None:
    """Record the current versions (run by `python -m vnportal dataset --lock` when publishing)."""
    lock_path = root / LOCK
    published = json.loads(lock_path.read_text(encoding="utf-8")) if lock_path.is_file() else {}
    for dataset in datasets:
        for version in dataset.versions:
            published.setdefault(f"{dataset.id}/{version.version}", version.sha256)
    lock_path.write_text(json.dumps(dict(sorted(published.items())), indent=2) + "\n", encoding="utf-8")
