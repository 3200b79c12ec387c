"""The facts register (``data/facts.yml``): every figure the portal states, with its unit, period, source and
licence, validated by a JSON Schema and formatted per locale by Babel.

A fact either carries its value (``value`` + ``period``) or points at a column and period of a dataset in
``data/`` (``data``), whose newest period is then known: a page showing an older one is reported as stale.
The four languages show the same value by construction; only the words around it are translated.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from vnportal.content.textpolicy import character_problem, text_values
from vnportal.core.findings import Finding, FindingsError
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
from vnportal.data.model import load_dataset, load_registry, outside_links
from vnportal.data.table import read

FORMATS = ("integer", "compact", "date", "text", "decimal:1", "decimal:2")
FACT_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"
HTTPS = {"type": "string", "pattern": r"^https://[^\s\"'<>`\\]+$", "maxLength": 500}
LICENCES = {
    "CC-BY-4.0": ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": ("CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    "CC0-1.0": ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODC-PDDL-1.0": ("ODC PDDL 1.0", "https://opendatacommons.org/licenses/pddl/1-0/"),
    "public-domain": None,  # words from the UI strings: a legal text, not protected by copyright
    "all-rights-reserved": None,  # the figure is quoted from a protected publication, with its source
}


def _text(languages: list[str], max_length: int = 300) -> dict[str, Any]:
    """A text: one string for every language, or a mapping with each language."""
    one = {"type": "string", "minLength": 1, "maxLength": max_length}
    each = {"type": "object", "required": languages, "additionalProperties": False,
            "properties": {lang: one for lang in languages}}  # fmt: skip
    return {"oneOf": [one, each]}


def register_schema(languages: list[str]) -> dict[str, Any]:
    period = {"type": "string", "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?([–-][0-9]{4})?$"}
    fact = {
        "type": "object",
        "additionalProperties": False,
        "required": ["label", "format", "source", "licence"],
        "properties": {
            "label": _text(languages, 120),
            "value": {"oneOf": [{"type": "number"}, {"type": "date"}, _text(languages, 200)]},
            "period": period,
            "data": {
                "type": "object",
                "additionalProperties": False,
                "required": ["dataset", "column", "period"],
                "properties": {
                    "dataset": {"type": "string", "pattern": FACT_ID},
                    "column": {"type": "string", "pattern": r"^[a-z][a-z0-9_]*$"},
                    "period": {"type": ["integer", "string"]},
                },
            },
            "unit": {"type": "string", "pattern": FACT_ID},
            "format": {"enum": list(FORMATS)},
            "source": {
                "type": "object",
                "additionalProperties": False,
                "required": ["publisher", "title", "url"],
                "properties": {
                    "publisher": _text(languages),
                    "title": _text(languages),
                    "indicator": {"type": "string", "pattern": r"^[A-Za-z0-9._-]{1,40}$"},
                    "url": HTTPS,
                    "year": {"type": "integer", "minimum": 1900, "maximum": 2100},
                },
            },
            "licence": {"enum": list(LICENCES)},
        },
        "oneOf": [{"required": ["value"]}, {"required": ["data"]}],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Facts register (data/facts.yml)",
        "type": "object",
        "additionalProperties": False,
        "required": ["units", "facts"],
        "properties": {
            "units": {
                "type": "object",
                "propertyNames": {"pattern": FACT_ID},
                "additionalProperties": _text(languages, 80),
            },
            "facts": {"type": "object", "propertyNames": {"pattern": FACT_ID}, "additionalProperties": fact},
        },
    }


@dataclass(frozen=True)
class Fact:
    id: str
    data: dict[str, Any]
    value: Any  # a number, a date or a text (str or {lang: str})
    period: str | None
    newest: str | None = None  # for a dataset column: its newest period with a value


@dataclass(frozen=True)
class Register:
    path: str
    units: dict[str, Any]
    facts: dict[str, Fact]

    def get(self, fact_id: str) -> Fact | None:
        return self.facts.get(fact_id)


def localised(text: Any, lang: str) -> str:
    return text[lang] if isinstance(text, dict) else str(text)


@dataclass(frozen=True)
class Lookup:
    value: Any = None
    newest: str | None = None  # the newest period with a value
    problem: str | None = None


def _dataset_value(spec: dict[str, Any], data_dir: Path, languages: list[str]) -> Lookup:
    """The value of a dataset column at a period, and the column's newest period."""
    registry, _ = load_registry(data_dir, languages)
    dataset, problems = load_dataset(data_dir / spec["dataset"], data_dir, languages, registry)
    if dataset is None:
        detail = f" ({problems[0]})" if problems else ""
        return Lookup(problem=tr("dataset '{dataset}' cannot be read", dataset=spec["dataset"]) + detail)
    fields = [f["name"] for f in dataset.schema["fields"]]
    if spec["column"] not in fields:
        return Lookup(
            problem=tr("dataset '{dataset}' has no column '{column}'", dataset=spec["dataset"], column=spec["column"])
        )
    key = dataset.schema.get("primaryKey", [fields[0]])[0]
    want, column, found, newest = str(spec["period"]), fields.index(spec["column"]), None, None
    try:
        for _, typed in read(dataset.latest.csv, dataset.latest.meta["schema"], str(dataset.latest.csv)):
            if typed[column] is None:
                continue
            period = str(typed[fields.index(key)])
            newest = period if newest is None or period > newest else newest
            if period == want:
                found = typed[column]
    except FindingsError as exc:
        return Lookup(problem="; ".join(map(str, exc.findings)))
    if found is None:
        return Lookup(newest=newest, problem=tr("dataset '{dataset}' has no '{column}' for {period}",
                                                dataset=spec["dataset"], column=spec["column"], period=want))  # fmt: skip
    return Lookup(found, newest)


def load_register(
    path: Path, data_dir: Path, languages: list[str], shown: str | None = None
) -> tuple[Register, list[Finding]]:
    """The register, checked; findings name the line in facts.yml."""
    shown = shown or path.as_posix()
    empty = Register(shown, {}, {})
    if not path.is_file():
        return empty, []
    if data_dir.is_dir() and (links := outside_links(data_dir)):
        return empty, links  # facts read dataset columns: never through a link out of data/
    text = path.read_text(encoding="utf-8")
    try:
        raw = load_yaml(text) or {}
    except yaml.MarkedYAMLError as exc:
        line = mark_line(text, exc.problem_mark) + 1
        return empty, [
            Finding(
                shown, line, tr("not valid YAML ({problem})", problem=exc.problem), tr("fix indentation or quoting")
            )
        ]
    except VALUE_ERRORS as exc:
        line = unreadable_line(text)
        return empty, [Finding(shown, line, tr("a value cannot be read ({error})", error=exc), tr("correct the value"))]
    lines = YamlLines(text)
    fix = tr("see the format at the top of data/facts.yml")
    findings = schema_findings(YamlValidator(register_schema(languages)), raw, shown, lines, worded(fix, "register"))
    findings += [
        Finding(
            shown,
            lines.line(keys),
            tr("'{key}' {problem}", key=".".join(keys), problem=problem),
            tr("retype the text"),
        )
        for keys, value in text_values(raw)
        if (problem := character_problem(value))
    ]
    if findings:
        return empty, findings
    facts = {}
    for fact_id, data in raw["facts"].items():
        where = lines.line(("facts", fact_id))
        if data.get("unit") and data["unit"] not in raw["units"]:
            findings.append(Finding(shown, where, tr("fact '{id}': unknown unit '{unit}'", id=fact_id, unit=data["unit"]),
                                    tr("use one of {units} or add it under units:", units=", ".join(sorted(raw["units"])))))  # fmt: skip
            continue
        if "data" in data:
            lookup = _dataset_value(data["data"], data_dir, languages)
            if lookup.problem:
                findings.append(Finding(shown, where, tr("fact '{id}': {problem}", id=fact_id, problem=lookup.problem),
                                        tr("point it at a dataset, column and period that exist in data/")))  # fmt: skip
                continue
            facts[fact_id] = Fact(fact_id, data, lookup.value, str(data["data"]["period"]), lookup.newest)
        else:
            if data["format"] not in ("date", "text") and "period" not in data:
                findings.append(Finding(shown, where, tr("fact '{id}' has no period (as of when?)", id=fact_id),
                                        tr('add  period: "2024"  (a year, a month 2024-06 or a day 2024-06-30)')))  # fmt: skip
                continue
            facts[fact_id] = Fact(fact_id, data, data["value"], data.get("period"))
    return Register(shown, raw["units"], facts), findings
