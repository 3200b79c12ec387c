"""Export every version into the content-addressed cache and check published versions against the lock.

Shared by the build (``vnportal/data`` plugin), ``make check`` and ``python -m vnportal dataset --release``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Any

from vnportal.core.cache import read_verified, store, touch
from vnportal.core.findings import Finding, FindingsError, display_path
from vnportal.data.export import EXPORT_VERSION, Summary, artefacts, export_version, sha256sums
from vnportal.data.model import Dataset, Version, check_artefacts


def _summary_from_json(data: dict[str, Any]) -> Summary:
    summary = Summary(**data)
    summary.series = {k: [tuple(p) for p in v] for k, v in data["series"].items()}
    return summary


def _verified_summary(out: Path) -> Summary | None:
    """A cached export whose summary this cache key wrote and whose files all still match the digests it recorded
    (else: export again). The cache is input, not trust: a file changed or added behind the build's back is never
    published."""
    try:
        summary = _summary_from_json(json.loads(read_verified(out / ".summary.json") or b""))
        for name, info in summary.files.items():
            if hashlib.sha256((out / name).read_bytes()).hexdigest() != info["sha256"] or not touch(out / name):
                return None
        if (out / "SHA256SUMS").read_text(encoding="utf-8") != sha256sums(summary.files):
            return None
        if not touch(out / "SHA256SUMS"):  # used: a sweep by another build leaves it
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return summary


def version_key(version: Version) -> str:
    """What a version's files are made from: the exporter, the CSV and the version's own metadata."""
    meta = json.dumps(version.meta, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{EXPORT_VERSION}\0{version.sha256}\0{meta}".encode()).hexdigest()[:16]


def export_all(
    datasets: list[Dataset], data_dir: Path, cache: Path
) -> tuple[dict[str, dict[str, Summary]], dict[str, dict[str, Path]], list[Finding]]:
    """(summaries, folders, findings): every version exported (or taken from the cache) and, if published,
    compared file by file with data/published.lock."""
    summaries: dict[str, dict[str, Summary]] = {}
    folders: dict[str, dict[str, Path]] = {}
    findings: list[Finding] = []
    for dataset in datasets:
        summaries[dataset.id], folders[dataset.id] = {}, {}
        for version in dataset.versions:
            out = cache / f"{dataset.id}-{version.version}-{version_key(version)}"
            summary_file = out / ".summary.json"
            summary = _verified_summary(out)
            if summary is None:
                shutil.rmtree(out, ignore_errors=True)
                try:
                    summary = export_version(dataset, version, out, display_path(version.csv, data_dir.parent))
                except FindingsError as exc:
                    shutil.rmtree(out, ignore_errors=True)
                    findings += exc.findings
                    continue
                store(summary_file, json.dumps(asdict(summary), ensure_ascii=False, default=str).encode("utf-8"))
            findings += check_artefacts(data_dir, f"{dataset.id}/{version.version}", artefacts(out, summary))
            summaries[dataset.id][version.version] = summary
            folders[dataset.id][version.version] = out
    return summaries, folders, findings
