"""Derived dataset sources, rebuilt from the original documents in ../shared (kept in the repo as CSV)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from vnportal.data.resolution47 import parse

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def _csv(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return out.getvalue()


def resolution_47_tasks(data_dir: Path, shared: Path = SHARED) -> str:
    tasks = parse(shared / "sources" / "resolution-47-NQ-CP-2024.vi.txt")
    translations = yaml.safe_load((data_dir / "resolution-47-tasks" / "translations.yml").read_text(encoding="utf-8"))
    missing = [t.id for t in tasks if t.id not in translations]
    if missing:
        raise SystemExit(f"data/resolution-47-tasks/translations.yml: no translation for tasks {missing}")
    header = [
        "order", "id", "group", "group_title_vi", "title_vi", "title_en", "title_fr", "title_zh",
        "lead_agency", "coordinating_agencies", "timeframe", "start_year", "end_year", "recurrence",
    ]  # fmt: skip
    rows = [
        [i, t.id, t.group, t.group_title, t.title, *(translations[t.id][lang] for lang in ("en", "fr", "zh")),
         t.lead, t.coordinating, t.timeframe, t.start_year, t.end_year, t.recurrence]
        for i, t in enumerate(tasks, 1)
    ]  # fmt: skip
    return _csv(header, rows)


def vn_population_gdp(data_dir: Path, shared: Path = SHARED) -> str:
    """Join the two World Bank series by year, keeping every value's text exactly as published."""
    series: dict[str, dict[int, str]] = {}
    for name, file in (("population", "population-VNM.csv"), ("gdp", "gdp-VNM.csv")):
        with (shared / "data" / "world-bank" / file).open(encoding="utf-8", newline="") as handle:
            series[name] = {int(r["Year"]): r["Value"] for r in csv.DictReader(handle) if r["Country Code"] == "VNM"}
    years = sorted(set(series["population"]) | set(series["gdp"]))
    rows = [[y, series["population"].get(y), series["gdp"].get(y)] for y in years]
    return _csv(["year", "population", "gdp_current_usd"], rows)


BUILDERS = {"resolution-47-tasks": resolution_47_tasks, "vn-population-gdp": vn_population_gdp}
