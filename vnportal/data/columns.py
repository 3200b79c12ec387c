"""What the metadata says about columns, code lists and statistical series, in one place for every format."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from babel import Locale
from babel.core import get_global

#: SDMX frequency codes of the metadata's frequencies (only annual series have a year column today).
SDMX_FREQ = {"annual": "A", "quarterly": "Q", "monthly": "M"}
#: A text cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LONG_COLUMNS = ("ref_area", "indicator", "time_period", "value", "unit_measure", "unit_mult")


@dataclass(frozen=True)
class Series:
    """A measure column seen as a statistical series (one indicator of one country over time)."""

    column: str
    indicator: str  # the source's code, e.g. the World Bank's SP.POP.TOTL
    unit: str  # key of data/units.yml, e.g. PERSONS
    unit_mult: int  # power of ten the values are expressed in (0: units)
    url: str
    upstream: dict[str, str]
    field: dict[str, Any]

    @property
    def sdmx_code(self) -> str:
        """SDMX identifiers allow no dots: SP.POP.TOTL becomes SP_POP_TOTL (as in the World Bank's own SDMX)."""
        return self.indicator.replace(".", "_")


def series(meta: dict[str, Any]) -> list[Series]:
    fields = {f["name"]: f for f in meta["schema"]["fields"]}
    return [
        Series(name, s["indicator"], fields[name]["unit"], s.get("unit_mult", 0), s["url"], s["upstream"], fields[name])
        for name, s in (meta.get("series") or {}).items()
    ]


def codes(meta: dict[str, Any]) -> dict[str, set[str]]:
    """Code list name -> its codes (what table.read checks the cells against)."""
    return {name: {c["code"] for c in entries} for name, entries in (meta.get("codelists") or {}).items()}


def code_names(meta: dict[str, Any], lang: str) -> dict[str, dict[str, str]]:
    """Code list name -> code -> its name in ``lang``."""
    return {
        name: {c["code"]: c["name"][lang] for c in entries} for name, entries in (meta.get("codelists") or {}).items()
    }


def languages(meta: dict[str, Any]) -> list[str]:
    return list(meta["title"])


def area_name(alpha3: str, lang: str) -> str:
    """A country's name in ``lang`` from its ISO 3166 alpha-3 code (CLDR, through Babel)."""
    alpha2 = (get_global("territory_aliases").get(alpha3) or [alpha3])[0]
    return Locale.parse(lang).territories.get(alpha2, alpha3)


def sdmx_id(dataset_id: str) -> str:
    return dataset_id.upper().replace("-", "_")
