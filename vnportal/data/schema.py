"""The JSON Schema of ``data/<id>/metadata.yml``: every key known, every text bounded, every URL safe.

Dataset metadata reaches pages, JSON-LD, the DCAT catalog and the exports. A key the schema does not know
is an error (a typo, or YAML that split a value at an unquoted comma), and addresses are ``https://`` only:
a ``javascript:`` licence link or an address that breaks out of its attribute is refused at the source.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml
from jsonschema.exceptions import ValidationError

from vnportal.frontmatter import YamlValidator, describe_error
from vnportal.messages import tr
from vnportal.textpolicy import MAX_TEXT

HTTPS = {"type": "string", "pattern": r"^https://[^\s\"'<>`\\]+$", "maxLength": 500}
SHORT = {"type": "string", "minLength": 1, "maxLength": 300}
TEXT = {"type": "string", "minLength": 1, "maxLength": MAX_TEXT}
NAME = {"type": "string", "pattern": r"^[a-z][a-z0-9_]{0,63}$"}
YEAR = {"type": "string", "pattern": r"^[0-9]{4}$"}
REQUIRED = ["id", "title", "description", "publisher", "source", "licence", "frequency", "temporal", "spatial",
            "keywords", "schema", "versions"]  # fmt: skip


def _localised(item: dict[str, Any], languages: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": languages,
        "additionalProperties": False,
        "properties": {lang: item for lang in languages},
    }


def metadata_schema(languages: list[str]) -> dict[str, Any]:
    """The schema for the site's languages (every text in each of them)."""
    field = {
        "type": "object",
        "required": ["name", "type"],
        "additionalProperties": False,
        "properties": {
            "name": NAME,
            "type": {"enum": ["string", "integer", "number", "boolean", "date", "year"]},
            "title": SHORT,
            "description": TEXT,
            "unit": SHORT,
            "format": {"enum": ["default", "uri", "email", "uuid", "binary"]},
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
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Dataset metadata (data/<id>/metadata.yml)",
        "type": "object",
        "additionalProperties": False,
        "required": REQUIRED,
        "properties": {
            "id": {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 64},
            "title": _localised(SHORT, languages),
            "description": _localised(TEXT, languages),
            "publisher": {
                "type": "object",
                "required": ["name"],
                "additionalProperties": False,
                "properties": {"name": _localised(SHORT, languages)},
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
                },
            },
            "frequency": {"enum": ["annual", "irregular", "monthly", "quarterly"]},
            "temporal": {
                "type": "object",
                "required": ["start", "end"],
                "additionalProperties": False,
                "properties": {"start": YEAR, "end": YEAR},
            },
            "spatial": {"type": "string", "pattern": r"^[A-Z]{3}$"},
            "keywords": _localised({"type": "array", "items": SHORT, "minItems": 1, "maxItems": 30}, languages),
            "chart": {
                "type": "object",
                "required": ["x", "series"],
                "additionalProperties": False,
                "properties": {"x": NAME, "series": {"type": "array", "items": NAME, "minItems": 1, "maxItems": 10}},
            },
            "next_update": {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$"},
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
                    "required": ["version", "date"],
                    "additionalProperties": False,
                    "properties": {
                        "version": {"type": "string", "pattern": r"^[0-9]+\.[0-9]+(\.[0-9]+)?$"},
                        "date": {"type": "date"},
                        "notes": {
                            "type": "object",
                            "additionalProperties": False,
                            "properties": {lang: TEXT for lang in languages},
                        },
                    },
                },
            },
        },
    }


def problems(meta: Any, languages: list[str]) -> Iterator[tuple[tuple[str, ...], str]]:
    """(key path, what is wrong) for each schema violation, worded without echoing the value."""
    validator = YamlValidator(metadata_schema(languages))
    errors: list[ValidationError] = sorted(validator.iter_errors(meta), key=lambda e: [str(p) for p in e.path])
    for err in errors:
        path = tuple(str(p) for p in err.path)
        if err.validator == "required":
            missing = re.search(r"'([^']+)' is a required property", err.message)
            yield path, tr("needs '{key}'", key=missing.group(1) if missing else "?")
        elif err.validator == "pattern" and err.schema is HTTPS:
            yield path, tr("must be an https:// address (no spaces, quotes or angle brackets)")
        else:
            yield path, describe_error(err)


def line_of(text: str, path: tuple[str, ...]) -> int:
    """The 1-based line of the value at ``path`` in a YAML document (the deepest key that exists)."""
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return 1
    line = 1
    for part in path:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if str(k.value) == part), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            node = node.value[int(part)]
            line = node.start_mark.line + 1
        else:
            break
    return line
