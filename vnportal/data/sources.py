"""Derived dataset sources, rebuilt from the original documents in ../shared (kept in the repo as CSV)."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from vnportal.core.schema import load_yaml
from vnportal.data.resolution47 import parse, split_agencies

#: The shared documents beside the repository (PORTAL_SHARED_DIR points elsewhere, e.g. from a git worktree).
SHARED = Path(os.environ.get("PORTAL_SHARED_DIR") or Path(__file__).resolve().parents[2].parent / "shared")
WORLD_BANK = ("data", "world-bank")


def _csv(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return out.getvalue()


def resolution_47_tasks(data_dir: Path, shared: Path = SHARED) -> str:
    tasks = parse(shared / "sources" / "resolution-47-NQ-CP-2024.vi.txt")
    folder = data_dir / "resolution-47-tasks"
    translations = load_yaml((folder / "translations.yml").read_text(encoding="utf-8"))
    meta = load_yaml((folder / "metadata.yml").read_text(encoding="utf-8"))
    names = [(written, a["code"]) for a in meta["codelists"]["agency"] for written in a.get("match", [])]
    missing = [t.id for t in tasks if t.id not in translations]
    if missing:
        raise SystemExit(f"data/resolution-47-tasks/translations.yml: no translation for tasks {missing}")
    header = [
        "order", "id", "group", "group_title_vi", "title_vi", "title_en", "title_fr", "title_zh",
        "lead_agencies", "coordinating_agencies", "lead_as_written", "coordinating_as_written",
        "timeframe", "start_year", "end_year", "recurrence",
    ]  # fmt: skip
    rows = []
    for i, t in enumerate(tasks, 1):
        try:
            lead = split_agencies(t.lead, names, f"task {t.id}, lead agency")
            coordinating = split_agencies(t.coordinating, names, f"task {t.id}, coordinating agencies")
        except ValueError as exc:
            raise SystemExit(f"data/resolution-47-tasks/metadata.yml: {exc}") from None
        rows.append(
            [i, t.id, t.group, t.group_title, t.title, *(translations[t.id][lang] for lang in ("en", "fr", "zh")),
             ";".join(lead), ";".join(coordinating), t.lead, t.coordinating,
             t.timeframe, t.start_year, t.end_year, t.recurrence]
        )  # fmt: skip
    return _csv(header, rows)


def _world_bank(shared: Path, file: str, value: str) -> dict[int, str]:
    """One World Bank series for Viet Nam, every value's text exactly as published."""
    with (shared.joinpath(*WORLD_BANK) / file).open(encoding="utf-8", newline="") as handle:
        return {int(r["Year"]): r[value] for r in csv.DictReader(handle) if r["Country Code"] == "VNM"}


def _by_year(columns: dict[str, dict[int, str]], period: str = "year") -> str:
    years = sorted(set().union(*columns.values()))
    return _csv([period, *columns], [[y, *(c.get(y) for c in columns.values())] for y in years])


def vn_population_gdp(data_dir: Path, shared: Path = SHARED) -> str:
    """Join the two World Bank series by year."""
    return _by_year(
        {
            "population": _world_bank(shared, "population-VNM.csv", "Value"),
            "gdp_current_usd": _world_bank(shared, "gdp-VNM.csv", "Value"),
        }
    )


def vn_inflation(data_dir: Path, shared: Path = SHARED) -> str:
    """The two inflation series, each under the indicator its download address names.

    The upstream script (../shared/data/world-bank/inflation.process.py) downloads NY.GDP.DEFL.KD.ZG first and
    FP.CPI.TOTL.ZG second, and writes them to FILE_NAMES in that order: inflation-consumer.csv holds the GDP
    deflator and inflation-gdp.csv the consumer prices, whatever the names say."""
    return _by_year(
        {
            "inflation_consumer_prices": _world_bank(shared, "inflation-gdp-VNM.csv", "Inflation"),
            "inflation_gdp_deflator": _world_bank(shared, "inflation-consumer-VNM.csv", "Inflation"),
        }
    )


BUILDERS = {
    "resolution-47-tasks": resolution_47_tasks,
    "vn-inflation": vn_inflation,
    "vn-population-gdp": vn_population_gdp,
}
