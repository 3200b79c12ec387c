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
from vnportal.data.schema import line_of, problems
from vnportal.findings import Finding
from vnportal.languages import SITE_LANGUAGES
from vnportal.messages import tr
from vnportal.textpolicy import character_problem, text_values
from vnportal.tree import leaves

LANGS = SITE_LANGUAGES  # the site's languages (mkdocs.yml): every title and description in each of them
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
        return None, [Finding(shown, 1, tr("dataset folder without metadata.yml"), tr("add data/<id>/metadata.yml"))]
    try:
        text = meta_path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = meta_path.read_bytes()[: exc.start].count(b"\n") + 1
        return None, [
            Finding(shown, line, tr("file is not UTF-8 ({reason})", reason=exc.reason), tr("save the file as UTF-8"))
        ]
    try:
        meta = yaml.safe_load(text) or {}
    except (ValueError, TypeError) as exc:  # well-formed, but e.g. a date that does not exist
        return None, [Finding(shown, 1, tr("a value cannot be read ({error})", error=exc), tr("correct the value"))]
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        return None, [
            Finding(
                shown, line, tr("not valid YAML ({problem})", problem=exc.problem), tr("fix indentation or quoting")
            )
        ]
    if not isinstance(meta, dict):
        return None, [Finding(shown, 1, tr("metadata must be a list of  key: value  lines"), tr("see data/README.md"))]
    findings = [
        Finding(
            shown,
            line_of(text, path),
            tr("'{key}' {problem}", key=".".join(path) or "metadata", problem=problem),
            tr("fix the value (data/README.md lists every key)"),
        )
        for path, problem in problems(meta, list(LANGS))
    ]
    findings += [
        Finding(
            shown,
            line_of(text, path),
            tr("'{key}' {problem}", key=".".join(path), problem=problem),
            tr("retype the text"),
        )
        for path, value in text_values(meta)
        if (problem := character_problem(value))
    ]
    if findings:
        return None, findings

    def need(ok: bool, key: str, message: str, fix: str) -> None:
        if not ok:
            findings.append(Finding(shown, _line(text, key), message, fix))

    need(
        meta.get("id") == folder.name,
        "id",
        tr("id must equal the folder name '{folder}'", folder=folder.name),
        tr("write  id: {folder}", folder=folder.name),
    )
    schema = meta["schema"]
    names = [f["name"] for f in schema["fields"]]
    need(
        all(k in names for k in schema.get("primaryKey", [])),
        "schema",
        tr("primaryKey names a column that does not exist"),
        tr("fix schema.primaryKey"),
    )
    chart = meta.get("chart") or {"x": names[0], "series": []}
    need(
        all(k in names for k in [chart["x"], *chart["series"]]),
        "chart",
        tr("chart names a column that does not exist"),
        tr("use column names from schema.fields"),
    )
    versions: list[Version] = []
    for entry in meta["versions"]:
        name = entry["version"]
        csv_path = folder / name / f"{folder.name}.csv"
        if not csv_path.is_file():
            findings.append(
                Finding(
                    shown,
                    _line(text, "versions"),
                    tr(
                        "version {version}: {file} not found in data/{folder}/{version}/",
                        version=name,
                        file=csv_path.name,
                        folder=folder.name,
                    ),
                    tr("add the CSV or remove the version entry"),
                )
            )
            continue
        versions.append(Version(name, entry["date"], entry.get("notes") or {}, csv_path, _sha256(csv_path)))
    if findings:
        return None, findings
    return Dataset(folder.name, meta, tuple(sorted(versions, key=lambda v: v.date))), []


def outside_links(root: Path) -> list[Finding]:
    """Links that leave the data folder: nothing behind them may be read (its text would reach the logs)."""
    return [
        Finding(
            display_path(link, root.parent),
            1,
            tr("symbolic link to something outside the data folder"),
            tr("replace the link by the file itself"),
        )
        for link in sorted(root.rglob("*"))
        if link.is_symlink() and leaves(link, root)
    ]


def load_all(root: Path) -> tuple[list[Dataset], list[Finding]]:
    datasets: list[Dataset] = []
    findings = outside_links(root)
    if findings:
        return [], findings
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        dataset, problems = load_dataset(folder, root)
        findings += problems
        if dataset:
            datasets.append(dataset)
    findings += check_lock(root, datasets) + check_catalog(root)
    return datasets, findings


def check_catalog(root: Path) -> list[Finding]:
    """The catalog's own title, description and publisher (catalog.yml) in every language of the site."""
    path = root / "catalog.yml"
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    meta = yaml.safe_load(text) or {}
    shown = display_path(path, root.parent)
    from vnportal.data.catalog import EU_LANG  # local: the catalog module imports this one

    return [
        Finding(
            shown,
            line_of(text, (key,)),
            tr("'{key}' has no text in {lang}", key=key, lang=lang),
            tr("add  {lang}: …  under {key}", key=key, lang=lang),
        )
        for key in ("title", "description", "publisher")
        for lang in LANGS
        if not isinstance(meta, dict) or not isinstance(meta.get(key), dict) or not meta[key].get(lang)
    ] + [
        Finding(
            shown,
            1,
            tr("the catalog cannot name language '{lang}' (no EU language code for it)", lang=lang),
            tr("add it to EU_LANG in vnportal/data/catalog.py (ISO 639-3, e.g. JPN)"),
        )
        for lang in LANGS
        if lang not in EU_LANG
    ]


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
                    tr("published version {version} has been removed", version=key),
                    tr("restore it: published URLs must keep working; publish a new version instead"),
                )
            )
        elif present[key] != sha:
            findings.append(
                Finding(
                    shown,
                    line,
                    tr("published version {version} has changed", version=key),
                    tr("restore the published CSV and release the change as a new version"),
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
