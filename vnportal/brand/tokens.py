"""Load and validate the brand token file; every problem names the file, the line and the fix."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from vnportal.core.findings import Finding, FindingsError
from vnportal.core.languages import SITE_LANGUAGES
from vnportal.core.messages import tr

HEX_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
SCHEMES = ("light", "dark")
COLOR_ROLES = (
    "primary",
    "on-primary",
    "secondary",
    "on-secondary",
    "accent",
    "accent-text",
    "link",
    "surface",
    "surface-alt",
    "text",
    "text-muted",
    "neutral-100",
    "neutral-300",
    "neutral-600",
    "neutral-900",
)
LANGS = SITE_LANGUAGES  # the site's languages (mkdocs.yml): every name and rule in each of them
LOGO_KINDS = ("mark", "horizontal", "stacked")
FAMILY_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ]{0,62}$")
NPM_NAME_RE = re.compile(r"^(@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*$")
FONT_STYLES = ("normal", "italic")
COBRAND_NUMBERS = {
    ("gap",): 0.25,
    ("divider", "width"): 0.015,
    ("partner", "max_width"): 3.0,
    ("partner", "min_height"): 0.5,
}


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


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Line (1-based) of every mapping key path, so findings point at the right line."""
    lines: dict[tuple[str, ...], int] = {}

    def walk(node: yaml.Node, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = (*path, str(key.value))
                lines[child] = key.start_mark.line + 1
                walk(value, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[(*path, str(index))] = item.start_mark.line + 1
                walk(item, (*path, str(index)))

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is not None:
        walk(root, ())
    return lines


def missing_languages(value: Any, languages: tuple[str, ...]) -> list[str]:
    """Languages a ``{lang: text}`` mapping lacks (all of them when it is not such a mapping)."""
    if not isinstance(value, dict):
        return list(languages)
    return [lang for lang in languages if not isinstance(value.get(lang), str) or not value[lang].strip()]


def _desktop_findings(typo: dict, shown: str, line) -> list[Finding]:
    """The installable fonts each family ships in the kit: a pinned package, weights and styles."""
    findings = []
    families = typo.get("families") if isinstance(typo.get("families"), dict) else {}
    for key, family in families.items():
        desktop = family.get("desktop") if isinstance(family, dict) else None
        where = line("typography", "families", str(key), "desktop")
        fix = 'write  desktop: {package: "@scope/name", weights: [400, 700], styles: [normal]}'
        if not isinstance(desktop, dict):
            findings.append(
                Finding(shown, where, tr("font family '{key}' has no desktop fonts for the kit", key=key), fix)
            )
            continue
        package, weights, styles = desktop.get("package"), desktop.get("weights"), desktop.get("styles")
        if not isinstance(package, str) or not NPM_NAME_RE.match(package):
            findings.append(
                Finding(shown, where, tr("desktop package of '{key}' is not an npm package name", key=key), fix)
            )
        if (
            not isinstance(weights, list)
            or not weights
            or not all(
                isinstance(w, int) and not isinstance(w, bool) and 100 <= w <= 900 and w % 100 == 0 for w in weights
            )
        ):
            findings.append(
                Finding(shown, where, tr("desktop weights of '{key}' are not weights 100…900", key=key), fix)
            )
        if not isinstance(styles, list) or not styles or not all(s in FONT_STYLES for s in styles):
            findings.append(
                Finding(
                    shown,
                    where,
                    tr(
                        "desktop styles of '{key}' must be among {FONT_STYLES}",
                        key=key,
                        FONT_STYLES=", ".join(FONT_STYLES),
                    ),
                    fix,
                )
            )
    return findings


def _cobranding_findings(data: dict, shown: str, line, languages: tuple[str, ...]) -> list[Finding]:
    section = data.get("cobranding")
    if not isinstance(section, dict):
        return [
            Finding(
                shown, 1, tr("cobranding rules are missing"), tr("add the cobranding: section (see the kit README)")
            )
        ]
    findings = []
    for path, example in COBRAND_NUMBERS.items():
        value: Any = section
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if not isinstance(value, int | float) or isinstance(value, bool) or not 0 < value <= 10:
            findings.append(
                Finding(
                    shown,
                    line("cobranding", *path),
                    tr("cobranding.{path} is not a positive number", path=".".join(path)),
                    tr("write a fraction of the mark's height, e.g. {example}", example=example),
                )
            )
    colour = (section.get("divider") or {}).get("colour") if isinstance(section.get("divider"), dict) else None
    if colour not in COLOR_ROLES:
        findings.append(Finding(shown, line("cobranding", "divider"), tr('divider colour {colour!r} is not a colour role', colour=colour),
                                tr('use one of {COLOR_ROLES}', COLOR_ROLES=', '.join(COLOR_ROLES))))  # fmt: skip
    rules = section.get("rules")
    if not isinstance(rules, list) or not rules:
        findings.append(
            Finding(
                shown, line("cobranding"), tr("cobranding.rules are missing"), tr("add the rules in every language")
            )
        )
        return findings
    for index, rule in enumerate(rules):
        missing = missing_languages(rule, languages)
        if missing:
            findings.append(Finding(shown, line("cobranding", "rules", str(index)),
                                    tr('cobranding rule {index} lacks {missing}', index=index, missing=', '.join(missing)),
                                    tr('give the rule in {languages}', languages=', '.join(languages))))  # fmt: skip
    return findings


def load(path: Path, languages: tuple[str, ...] = LANGS) -> Brand:
    """Read ``tokens.yml``; raise FindingsError listing every problem. Texts must exist in ``languages`` (mkdocs.yml's)."""
    shown = path.as_posix()
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise FindingsError(
            [
                Finding(
                    shown,
                    1,
                    tr("cannot read the token file ({error})", error=exc),
                    tr("restore assets/brand/tokens.yml"),
                )
            ]
        ) from exc
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise FindingsError(
            [
                Finding(
                    shown,
                    line,
                    tr("not valid YAML ({problem})", problem=exc.problem),
                    tr("fix the indentation or quoting"),
                )
            ]
        ) from exc
    if not isinstance(data, dict):
        raise FindingsError(
            [Finding(shown, 1, tr("the token file must be a mapping"), tr("see the documented structure"))]
        )
    lines = key_lines(text)
    findings: list[Finding] = []

    def line(*path: str) -> int:
        for cut in range(len(path), 0, -1):
            if path[:cut] in lines:
                return lines[path[:cut]]
        return 1

    colors = data.get("colors") or {}
    for scheme in SCHEMES:
        palette = colors.get(scheme) if isinstance(colors, dict) else None
        if not isinstance(palette, dict):
            findings.append(Finding(shown, line("colors"), tr("missing colour scheme '{scheme}'", scheme=scheme),
                                    tr("add colors.{scheme}", scheme=scheme)))  # fmt: skip
            continue
        for role in COLOR_ROLES:
            value = palette.get(role)
            if value is None:
                findings.append(
                    Finding(
                        shown,
                        line("colors", scheme),
                        tr("colour role '{role}' is missing in the {scheme} scheme", role=role, scheme=scheme),
                        tr('add  {role}: "#RRGGBB"  under colors.{scheme}', role=role, scheme=scheme),
                    )
                )
            elif not isinstance(value, str) or not HEX_RE.match(value):
                findings.append(
                    Finding(
                        shown,
                        line("colors", scheme, role),
                        tr(
                            "colour {scheme}.{role} = {value!r} is not a HEX colour",
                            scheme=scheme,
                            role=role,
                            value=value,
                        ),
                        tr('write six hexadecimal digits in quotes, e.g.  "#A5161C"'),
                    )
                )
    names = data.get("color_names") if isinstance(data.get("color_names"), dict) else {}
    for role in COLOR_ROLES:
        missing = missing_languages(names.get(role), languages)
        if missing:
            findings.append(
                Finding(
                    shown,
                    line("color_names", role),
                    tr("colour '{role}' has no name in {languages}", role=role, languages=", ".join(missing)),
                    tr("add color_names.{role}.{lang}", role=role, lang=missing[0]),
                )
            )
    for kind in ("do", "dont"):
        rules = data.get("usage").get(kind) if isinstance(data.get("usage"), dict) else None
        if not isinstance(rules, list) or not rules:
            findings.append(
                Finding(
                    shown,
                    line("usage"),
                    tr("usage rules '{kind}' are missing", kind=kind),
                    tr("add usage.{kind}", kind=kind),
                )
            )
            continue
        for index, rule in enumerate(rules):
            missing = missing_languages(rule, languages)
            if missing:
                findings.append(
                    Finding(
                        shown,
                        line("usage", kind, str(index)),
                        tr(
                            "usage rule {kind}[{index}] lacks {missing}",
                            kind=kind,
                            index=index,
                            missing=", ".join(missing),
                        ),
                        tr("give the rule in {languages}", languages=", ".join(languages)),
                    )
                )
    typo = data.get("typography") if isinstance(data.get("typography"), dict) else {}
    for key in ("families", "weights", "scale", "specimen"):
        if not isinstance(typo.get(key), dict):
            findings.append(
                Finding(
                    shown,
                    line("typography"),
                    tr("typography.{key} is missing", key=key),
                    tr("add typography.{key}", key=key),
                )
            )
    for key, value in (typo.get("scale") or {}).items() if isinstance(typo.get("scale"), dict) else ():
        if not isinstance(value, int | float) or isinstance(value, bool) or not 0.1 <= value <= 10:
            findings.append(Finding(shown, line("typography", "scale", str(key)), tr('type scale step {key!r} is not a size in rem', key=key),
                                    tr('write a number between 0.1 and 10, e.g.  h2: 1.953')))  # fmt: skip
    for key, value in (typo.get("weights") or {}).items() if isinstance(typo.get("weights"), dict) else ():
        if not isinstance(value, int) or isinstance(value, bool) or value not in range(100, 1000, 100):
            findings.append(Finding(shown, line("typography", "weights", str(key)), tr('font weight {key!r} is not 100…900', key=key),
                                    tr('write a multiple of 100, e.g.  bold: 700')))  # fmt: skip
    for key in ("regular", "semibold", "bold"):
        if isinstance(typo.get("weights"), dict) and key not in typo["weights"]:
            findings.append(Finding(shown, line("typography", "weights"), tr("font weight '{key}' is missing", key=key),
                                    tr('add  {key}: 400|600|700  under typography.weights', key=key)))  # fmt: skip
    findings += _desktop_findings(typo, shown, line)
    for key in ("text", "cjk"):
        family = (typo.get("families") or {}).get(key) if isinstance(typo.get("families"), dict) else None
        name = family.get("name") if isinstance(family, dict) else None
        if not isinstance(name, str) or not FAMILY_NAME_RE.match(name):
            findings.append(Finding(shown, line("typography", "families", key), tr("font family '{key}' has no valid name", key=key),
                                    tr("write the family's name in letters, digits and spaces, e.g.  name: Be Vietnam Pro")))  # fmt: skip
    findings += _cobranding_findings(data, shown, line, languages)
    logo = data.get("logo") if isinstance(data.get("logo"), dict) else {}
    if not isinstance(logo.get("clear_space"), int | float):
        findings.append(Finding(shown, line("logo"), tr("logo.clear_space is missing"), tr("add  clear_space: 0.25")))
    for kind in LOGO_KINDS:
        size = (logo.get("min_size") or {}).get(kind) or {}
        if not isinstance(size.get("px"), int) or not isinstance(size.get("mm"), int | float):
            findings.append(
                Finding(
                    shown,
                    line("logo", "min_size"),
                    tr("minimum size of the {kind} is missing", kind=kind),
                    tr("add {kind}: {{px: N, mm: N}}", kind=kind),
                )
            )
    if findings:
        raise FindingsError(findings)
    return Brand(path, data, hashlib.sha256(text.encode()).hexdigest()[:16])
