"""The JSON Schemas of the open-data sources: ``data/<id>/metadata.yml`` (and its frozen copy in each
published version), ``data/units.yml`` and ``data/catalog.yml``. Every key known, every text bounded,
every URL safe.

Dataset metadata reaches pages, JSON-LD, the DCAT catalog and the exports. A key the schema does not know
is an error (a typo, or YAML that split a value at an unquoted comma), and addresses are ``https://`` only:
a ``javascript:`` licence link or an address that breaks out of its attribute is refused at the source.
The CMS builds its editing forms from these schemas, so they carry titles and descriptions.
"""

from __future__ import annotations

from typing import Any

from jsonschema.exceptions import ValidationError

from vnportal.content.textpolicy import MAX_TEXT
from vnportal.core.messages import tr
from vnportal.core.schema import describe_error

HTTPS = {"type": "string", "pattern": r"^https://[^\s\"'<>`\\]+$", "maxLength": 500}
SHORT = {"type": "string", "minLength": 1, "maxLength": 300}
TEXT = {"type": "string", "minLength": 1, "maxLength": MAX_TEXT}
NAME = {"type": "string", "pattern": r"^[a-z][a-z0-9_]{0,63}$"}
YEAR = {"type": "string", "pattern": r"^[0-9]{4}$"}
#: A code in a code list or a unit key: what machines join on (SDMX IDs allow no dots or spaces).
CODE = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$"}
#: The EU data themes (http://publications.europa.eu/resource/authority/data-theme), for dcat:theme.
THEMES = ("AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST", "REGI", "SOCI", "TECH", "TRAN")
FREQUENCIES = ("annual", "irregular", "monthly", "quarterly")
REQUIRED = ["id", "title", "description", "publisher", "source", "licence", "frequency", "temporal", "spatial",
            "keywords", "themes", "schema", "versions"]  # fmt: skip


def _localised(item: dict[str, Any], languages: list[str], title: str = "") -> dict[str, Any]:
    """The same text in every language of the site (the languages come from mkdocs.yml)."""
    return {
        "type": "object",
        "title": title or "One value per language",
        "required": languages,
        "additionalProperties": False,
        "properties": {lang: item for lang in languages},
    }


def _organisation(languages: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["name"],
        "additionalProperties": False,
        "properties": {"name": _localised(SHORT, languages), "url": HTTPS},
    }


def metadata_schema(languages: list[str], units: list[str] | None = None) -> dict[str, Any]:
    """The schema of dataset metadata for the site's languages and the unit keys of ``data/units.yml``."""
    unit = {"enum": sorted(units, key=str)} if units else CODE  # keys of any type: reported, never a TypeError
    field = {
        "type": "object",
        "title": "A column (Frictionless Table Schema field)",
        "required": ["name", "type", "title"],
        "additionalProperties": False,
        "properties": {
            "name": NAME,
            "type": {"enum": ["string", "integer", "number", "boolean", "date", "year", "list"]},
            "title": _localised(SHORT, languages, "Column title"),
            "description": _localised(TEXT, languages, "What the column holds"),
            "unit": {**unit, "title": "Unit key (data/units.yml): a standard key, never free text"},
            "format": {"enum": ["default", "uri", "email", "uuid", "binary"]},
            "delimiter": {"enum": [";", "|"], "title": "Separator of the items of a list column in CSV"},
            "codelist": {**NAME, "title": "Name of the code list (codelists:) its codes come from"},
            "constraints": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "required": {"type": "boolean"},
                    "unique": {"type": "boolean"},
                    "minimum": {"type": "number"},
                    "maximum": {"type": "number"},
                    "enum": {"type": "array", "items": {"type": ["string", "number"]}, "maxItems": 200},
                    "pattern": {"type": "string", "maxLength": 200},
                },
            },
        },
    }
    code = {
        "type": "object",
        "required": ["code", "name"],
        "additionalProperties": False,
        "properties": {
            "code": CODE,
            "name": _localised(SHORT, languages, "Name of the code"),
            "match": {
                "type": "array",
                "title": "How the name is written in the source document (for the parser)",
                "items": SHORT,
                "maxItems": 20,
            },
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Dataset metadata (data/<id>/metadata.yml)",
        "type": "object",
        "additionalProperties": False,
        "required": REQUIRED,
        "properties": {
            "id": {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 64},
            "title": _localised(SHORT, languages, "Title"),
            "description": _localised(TEXT, languages, "Description"),
            "publisher": _organisation(languages),
            "creator": {
                "type": "array",
                "title": "Who produced the figures (default: the publisher)",
                "items": _organisation(languages),
                "minItems": 1,
                "maxItems": 10,
            },
            "source": {
                "type": "object",
                "required": ["name", "url"],
                "additionalProperties": False,
                "properties": {"name": SHORT, "url": HTTPS, "also": {"type": "array", "items": HTTPS, "maxItems": 20}},
            },
            "licence": {
                "type": "object",
                "required": ["id", "url"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": r"^[A-Za-z0-9.+-]{1,64}$"},
                    "title": SHORT,
                    "url": HTTPS,
                    "attribution": _localised(TEXT, languages, "Credit the licence requires"),
                    "terms": HTTPS,
                },
            },
            "themes": {
                "type": "array",
                "items": {"enum": list(THEMES)},
                "minItems": 1,
                "maxItems": 5,
                "uniqueItems": True,
            },
            "frequency": {"enum": list(FREQUENCIES)},
            "temporal": {
                "type": "object",
                "required": ["start", "end"],
                "additionalProperties": False,
                "properties": {"start": YEAR, "end": YEAR},
            },
            "spatial": {"type": "string", "pattern": r"^[A-Z]{3}$", "title": "ISO 3166-1 alpha-3 code"},
            "keywords": _localised({"type": "array", "items": SHORT, "minItems": 1, "maxItems": 30}, languages),
            "chart": {
                "type": "object",
                "required": ["x", "series"],
                "additionalProperties": False,
                "properties": {"x": NAME, "series": {"type": "array", "items": NAME, "minItems": 1, "maxItems": 10}},
            },
            "view": {"enum": ["programme"], "title": "A reading view instead of the preview table"},
            "next_update": {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$"},
            "period": {**NAME, "title": "The time column of the statistical series (a year column)"},
            "series": {
                "type": "object",
                "title": "Statistical series: measure column -> indicator (gives the long form and SDMX)",
                "propertyNames": NAME,
                "maxProperties": 20,
                "additionalProperties": {
                    "type": "object",
                    "required": ["indicator", "url", "upstream"],
                    "additionalProperties": False,
                    "properties": {
                        "indicator": {"type": "string", "pattern": r"^[A-Z][A-Z0-9]*(\.[A-Z0-9]+)*$", "maxLength": 40},
                        "unit_mult": {"type": "integer", "minimum": -12, "maximum": 12},
                        "url": HTTPS,
                        "upstream": {
                            "type": "object",
                            "title": "The vintage: the repository, commit and file the figures were copied from",
                            "required": ["repository", "commit", "path"],
                            "additionalProperties": False,
                            "properties": {
                                "repository": HTTPS,
                                "commit": {"type": "string", "pattern": r"^[0-9a-f]{40}$"},
                                "path": {"type": "string", "pattern": r"^[A-Za-z0-9._/-]{1,200}$"},
                            },
                        },
                    },
                },
            },
            "codelists": {
                "type": "object",
                "propertyNames": NAME,
                "maxProperties": 10,
                "additionalProperties": {"type": "array", "items": code, "minItems": 1, "maxItems": 500},
            },
            "units": {
                "type": "object",
                "title": "Unit definitions, copied from data/units.yml into a released version",
                "propertyNames": CODE,
                "additionalProperties": unit_schema(languages),
            },
            "columns": {
                "type": "object",
                "title": "Titles of the columns the build adds, copied from data/columns.yml into a released version",
                "propertyNames": NAME,
                "additionalProperties": column_schema(languages),
            },
            "schema": {
                "type": "object",
                "required": ["fields"],
                "additionalProperties": False,
                "properties": {
                    "missingValues": {"type": "array", "items": {"type": "string", "maxLength": 20}, "maxItems": 10},
                    "primaryKey": {"type": "array", "items": NAME, "minItems": 1},
                    "fields": {"type": "array", "items": field, "minItems": 1, "maxItems": 200},
                },
            },
            "versions": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["version", "date", "notes"],
                    "additionalProperties": False,
                    "properties": {
                        "version": {"type": "string", "pattern": r"^[0-9]+\.[0-9]+(\.[0-9]+)?$"},
                        "date": {"type": "date"},
                        "notes": _localised(TEXT, languages, "What changed in this version"),
                    },
                },
            },
        },
    }


def unit_schema(languages: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["label", "decimals"],
        "additionalProperties": False,
        "properties": {
            "label": _localised(SHORT, languages, "Unit, as a reader says it"),
            "decimals": {"type": "integer", "minimum": 0, "maximum": 6, "title": "Decimals shown on pages"},
            "uncefact": {"type": "string", "pattern": r"^[A-Z0-9]{2,3}$", "title": "UN/CEFACT Rec. 20 code"},
            "currency": {"type": "string", "pattern": r"^[A-Z]{3}$", "title": "ISO 4217 currency code"},
        },
    }


def column_schema(languages: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["title"],
        "additionalProperties": False,
        "properties": {"title": _localised(SHORT, languages, "Column title")},
    }


def columns_schema(languages: list[str]) -> dict[str, Any]:
    """``data/columns.yml``: titles of the columns the build adds (long form, code lists)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Generated columns (data/columns.yml)",
        "type": "object",
        "required": ["ref_area", "indicator", "time_period", "value", "unit_measure", "unit_mult", "code", "name"],
        "propertyNames": NAME,
        "additionalProperties": column_schema(languages),
    }


def units_schema(languages: list[str]) -> dict[str, Any]:
    """``data/units.yml``: unit key -> labels and display precision."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Units of measure (data/units.yml)",
        "type": "object",
        "minProperties": 1,
        "propertyNames": CODE,
        "additionalProperties": unit_schema(languages),
    }


def catalog_schema(languages: list[str]) -> dict[str, Any]:
    """``data/catalog.yml``: the catalog's own title, description, publisher and contact point."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Data catalog (data/catalog.yml)",
        "type": "object",
        "required": ["title", "description", "publisher"],
        "additionalProperties": False,
        "properties": {
            "title": _localised(SHORT, languages),
            "description": _localised(TEXT, languages),
            "publisher": _localised(SHORT, languages),
            "contact": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "email": {
                        "type": "string",
                        "pattern": r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}$",
                        "title": "A verified address of the data team (make check reports it while unset)",
                    },
                    "url": {**HTTPS, "title": "A contact form or contact page"},
                },
            },
        },
    }


def describe(err: ValidationError) -> str:
    """What is wrong with a metadata value: an address says what a safe address is."""
    if err.validator == "pattern" and err.schema.get("pattern") == HTTPS["pattern"]:
        return tr("must be an https:// address (no spaces, quotes or angle brackets)")
    return describe_error(err)
