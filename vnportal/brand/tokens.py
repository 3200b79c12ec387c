"""Load and validate the brand token file; every problem names the file, the line and the fix.

The file is checked against its JSON Schema (``vnportal/brand/schema.py``), each error worded for the key it
is about; what a schema cannot say — that every name and rule is given in each language of the site, whose
list is mkdocs.yml's — is checked after it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema.exceptions import ValidationError

from vnportal.brand.schema import (
    COBRAND_NUMBERS,
    COLOR_ROLES,
    FONT_STYLES,
    LOGO_KINDS,
    SCHEMES,
    TOKENS_SCHEMA,
    TYPOGRAPHY,
)
from vnportal.core.findings import Finding, FindingsError
from vnportal.core.messages import N_, tr
from vnportal.core.schema import (
    VALUE_ERRORS,
    YamlLines,
    YamlValidator,
    describe_error,
    load_yaml,
    mark_line,
    required_key,
    schema_findings,
    unreadable_line,
    where,
)

_VALIDATOR = YamlValidator(TOKENS_SCHEMA)


@dataclass(frozen=True)
class Brand:
    """Validated tokens plus where they came from (for cache keys and error messages)."""

    path: Path
    data: dict[str, Any]
    digest: str

    @property
    def root(self) -> Path:
        return self.path.parent

    def color(self, scheme: str, role: str) -> str:
        return self.data["colors"][scheme][role].upper()

    def text(self, value: dict[str, str], lang: str) -> str:
        return value.get(lang) or value["en"]


def read_yaml(path: Path, unreadable: str, restore: str) -> tuple[Any, str]:
    """A brand source's value and text, or FindingsError: ``unreadable`` (a message with an ``{error}``,
    marked with N_) and ``restore`` when the file cannot be read, the YAML's own problem when it does not parse."""
    shown = path.as_posix()
    try:
        text = path.read_text(encoding="utf-8")
        data = load_yaml(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise FindingsError(Finding(shown, 1, tr(unreadable, error=exc), restore)) from exc
    except yaml.MarkedYAMLError as exc:
        line = mark_line(text, exc.problem_mark) + 1
        raise FindingsError(
            Finding(
                shown, line, tr("not valid YAML ({problem})", problem=exc.problem), tr("fix the indentation or quoting")
            )
        ) from exc
    except VALUE_ERRORS as exc:  # well-formed, but e.g. a date that does not exist
        raise FindingsError(
            Finding(
                shown, unreadable_line(text), tr("a value cannot be read ({error})", error=exc), tr("correct the value")
            )
        ) from exc
    return data, text


def missing_languages(value: Any, languages: Sequence[str]) -> list[str]:
    """Languages a ``{lang: text}`` mapping lacks (all of them when it is not such a mapping)."""
    if not isinstance(value, dict):
        return list(languages)
    return [lang for lang in languages if not isinstance(value.get(lang), str) or not value[lang].strip()]


DESKTOP_FIX = 'write  desktop: {package: "@scope/name", weights: [400, 700], styles: [normal]}'
#: Family names are written into CSS between quotes.
NAME_FIX = N_("write the family's name in letters, digits and spaces, e.g.  name: Be Vietnam Pro")


def _about(path: tuple[str, ...], err: ValidationError | None) -> list[tuple[str, str]] | None:
    """(what, fix) for the value at ``path``, missing (``err`` None) or not valid; None: no words of its own."""
    value = None if err is None else err.instance
    match path:
        case ("colors",):
            return _missing(*(("colors", scheme) for scheme in SCHEMES))
        case ("colors", scheme):
            return [(tr("missing colour scheme '{scheme}'", scheme=scheme), tr("add colors.{scheme}", scheme=scheme))]
        case ("colors", scheme, role) if err is None:
            return [(tr("colour role '{role}' is missing in the {scheme} scheme", role=role, scheme=scheme),
                     tr('add  {role}: "#RRGGBB"  under colors.{scheme}', role=role, scheme=scheme))]  # fmt: skip
        case ("colors", scheme, role):
            value = value[:40] + "…" if isinstance(value, str) and len(value) > 40 else value
            return [(tr("colour {scheme}.{role} = {value!r} is not a HEX colour", scheme=scheme, role=role, value=value),
                     tr('write six hexadecimal digits in quotes, e.g.  "#A5161C"'))]  # fmt: skip
        case ("usage",):
            return _missing(("usage", "do"), ("usage", "dont"))
        case ("usage", kind):
            return [(tr("usage rules '{kind}' are missing", kind=kind), tr("add usage.{kind}", kind=kind))]
        case ("typography",):
            return _missing(*(("typography", key) for key in TYPOGRAPHY))
        case ("typography", key) if key in TYPOGRAPHY:
            return [(tr("typography.{key} is missing", key=key), tr("add typography.{key}", key=key))]
        case ("typography", "scale", step):
            return [(tr("type scale step {key!r} is not a size in rem", key=step),
                     tr("write a number between 0.1 and 10, e.g.  h2: 1.953"))]  # fmt: skip
        case ("typography", "weights", key) if err is None:
            return [(tr("font weight '{key}' is missing", key=key),
                     tr("add  {key}: 400|600|700  under typography.weights", key=key))]  # fmt: skip
        case ("typography", "weights", key):
            return [(tr("font weight {key!r} is not 100…900", key=key), tr("write a multiple of 100, e.g.  bold: 700"))]
        case ("typography", "families", key):
            return _missing(("typography", "families", key, "name"), ("typography", "families", key, "desktop"))
        case ("typography", "families", key, "name"):
            return [(tr("font family '{key}' has no valid name", key=key), tr(NAME_FIX))]
        case ("typography", "families", key, "system", *_) if err is not None:  # fonts of the reader's system
            return [(tr("'{key}' {problem}", key=".".join(path), problem=describe_error(err)), tr(NAME_FIX))]
        case ("typography", "families", key, "desktop"):
            return [(tr("font family '{key}' has no desktop fonts for the kit", key=key), DESKTOP_FIX)]
        case ("typography", "families", key, "desktop", "package"):
            return [(tr("desktop package of '{key}' is not an npm package name", key=key), DESKTOP_FIX)]
        case ("typography", "families", key, "desktop", "weights", *_):
            return [(tr("desktop weights of '{key}' are not weights 100…900", key=key), DESKTOP_FIX)]
        case ("typography", "families", key, "desktop", "styles", *_):
            return [(tr("desktop styles of '{key}' must be among {FONT_STYLES}", key=key, FONT_STYLES=", ".join(FONT_STYLES)),
                     DESKTOP_FIX)]  # fmt: skip
        case ("logo",):
            return _missing(("logo", "clear_space"), ("logo", "min_size"))
        case ("logo", "clear_space") if err is None:
            return [(tr("logo.clear_space is missing"), tr("add  clear_space: 0.25"))]
        case ("logo", "clear_space"):
            return [(tr("'{key}' {problem}", key="logo.clear_space", problem=describe_error(err)),
                     tr("write a fraction of the mark's height, e.g. {example}", example=0.25))]  # fmt: skip
        case ("logo", "min_size"):
            return _missing(*(("logo", "min_size", kind) for kind in LOGO_KINDS))
        case ("logo", "min_size", kind, *_):
            return [
                (tr("minimum size of the {kind} is missing", kind=kind), tr("add {kind}: {{px: N, mm: N}}", kind=kind))
            ]
        case ("cobranding",):
            return [(tr("cobranding rules are missing"), tr("add the cobranding: section (see the kit README)"))]
        case ("cobranding", "rules"):
            return [(tr("cobranding.rules are missing"), tr("add the rules in every language"))]
        case ("cobranding", "divider", "colour"):
            return [(tr("divider colour {colour!r} is not a colour role", colour=value),
                     tr("use one of {COLOR_ROLES}", COLOR_ROLES=", ".join(COLOR_ROLES)))]  # fmt: skip
        case ("cobranding", *rest) if tuple(rest) in COBRAND_NUMBERS:
            return [(tr("cobranding.{path} is not a positive number", path=".".join(rest)),
                     tr("write a fraction of the mark's height, e.g. {example}", example=COBRAND_NUMBERS[tuple(rest)]))]  # fmt: skip
        case ("cobranding", part):  # the divider or the partner's logo: every length (and colour) of it
            inside = [("cobranding", *p) for p in [*COBRAND_NUMBERS, ("divider", "colour")] if p[0] == part]
            return _missing(*inside) or None
    return None


def _missing(*paths: tuple[str, ...]) -> list[tuple[str, str]]:
    """The words for each of ``paths`` when it is missing."""
    return [said for path in paths for said in _about(path, None) or []]


def _word(err: ValidationError) -> list[tuple[Sequence[str], str, str]]:
    """The words of one schema error: the key's own (as make check has always said them), else the usual."""
    path = tuple(str(p) for p in err.path)
    said = None
    if err.validator == "required":
        said = _about((*path, required_key(err)), None)
    elif err.validator != "additionalProperties" and "propertyNames" not in err.schema_path:
        said = _about(path, err)
    if said is None:
        what = tr("'{key}' {problem}", key=".".join(path) or "tokens", problem=describe_error(err))
        return [(where(err), what, tr("see the documented structure"))]
    return [(path, what, fix) for what, fix in said]


def _language_findings(data: dict[str, Any], shown: str, lines: YamlLines, languages: Sequence[str]) -> list[Finding]:
    """Every colour name, rule and specimen in each language of the site."""
    findings = []
    names = data.get("color_names") if isinstance(data.get("color_names"), dict) else {}
    for role in COLOR_ROLES:
        if missing := missing_languages(names.get(role), languages):
            findings.append(Finding(shown, lines.line(("color_names", role)),
                                    tr("colour '{role}' has no name in {languages}", role=role, languages=", ".join(missing)),
                                    tr("add color_names.{role}.{lang}", role=role, lang=missing[0])))  # fmt: skip
    usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
    cobranding = data.get("cobranding") if isinstance(data.get("cobranding"), dict) else {}
    for path, rules in ((("usage", "do"), usage.get("do")), (("usage", "dont"), usage.get("dont")),
                        (("cobranding", "rules"), cobranding.get("rules"))):  # fmt: skip
        for index, rule in enumerate(rules if isinstance(rules, list) else []):
            if not (missing := missing_languages(rule, languages)):
                continue
            if path[0] == "usage":
                what = tr(
                    "usage rule {kind}[{index}] lacks {missing}", kind=path[1], index=index, missing=", ".join(missing)
                )
            else:
                what = tr("cobranding rule {index} lacks {missing}", index=index, missing=", ".join(missing))
            findings.append(Finding(shown, lines.line((*path, str(index))), what,
                                    tr("give the rule in {languages}", languages=", ".join(languages))))  # fmt: skip
    typography = data.get("typography") if isinstance(data.get("typography"), dict) else {}
    specimen = typography.get("specimen")
    if isinstance(specimen, dict) and (missing := missing_languages(specimen, languages)):
        findings.append(Finding(shown, lines.line(("typography", "specimen")),
                                tr("the type specimen has no text in {languages}", languages=", ".join(missing)),
                                tr("add typography.specimen.{lang}", lang=missing[0])))  # fmt: skip
    return findings


def load(path: Path, languages: Sequence[str]) -> Brand:
    """Read ``tokens.yml``; raise FindingsError listing every problem. Texts must exist in ``languages`` (mkdocs.yml's)."""
    data, text = read_yaml(path, N_("cannot read the token file ({error})"), tr("restore assets/brand/tokens.yml"))
    shown, lines = path.as_posix(), YamlLines(text)
    if not isinstance(data, dict):
        raise FindingsError(
            Finding(shown, 1, tr("the token file must be a mapping"), tr("see the documented structure"))
        )
    findings = schema_findings(_VALIDATOR, data, shown, lines, _word) + _language_findings(
        data, shown, lines, languages
    )
    if findings:
        raise FindingsError(findings)
    return Brand(path, data, hashlib.sha256(text.encode()).hexdigest()[:16])
