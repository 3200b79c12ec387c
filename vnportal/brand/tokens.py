"""Load and validate the brand token file; every problem names the file, the line and the fix."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from vnportal.findings import Finding
from vnportal.languages import SITE_LANGUAGES
from vnportal.messages import tr

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


class BrandError(Exception):
    def __init__(self, findings: list[Finding]) -> None:
        self.findings = sorted(findings)
        super().__init__(tr("brand source problems:") + "\n" + "\n".join(f"  {f}" for f in self.findings))


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


def _lines(text: str) -> dict[tuple[str, ...], int]:
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


def load(path: Path) -> Brand:
    """Read ``tokens.yml``; raise BrandError listing every problem."""
    shown = path.as_posix()
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise BrandError(
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
        raise BrandError(
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
        raise BrandError(
            [Finding(shown, 1, tr("the token file must be a mapping"), tr("see the documented structure"))]
        )
    lines = _lines(text)
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
    names = data.get("color_names") or {}
    for role in COLOR_ROLES:
        missing = [lang for lang in LANGS if not (names.get(role) or {}).get(lang)]
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
        rules = (data.get("usage") or {}).get(kind)
        if not rules:
            findings.append(Finding(shown, line("usage"), tr("usage rules '{kind}' are missing", kind=kind),
                                    tr("add usage.{kind}", kind=kind)))  # fmt: skip
            continue
        for index, rule in enumerate(rules):
            missing = [lang for lang in LANGS if not (rule or {}).get(lang)]
            if missing:
                findings.append(
                    Finding(
                        shown,
                        line("usage", kind, str(index)),
                        tr(
                            "usage rule {kind}[{index}] lacks {languages}",
                            kind=kind,
                            index=index,
                            languages=", ".join(missing),
                        ),
                        tr("give the rule in every language of the site ({languages})", languages=", ".join(LANGS)),
                    )
                )
    typo = data.get("typography") or {}
    for key in ("families", "weights", "scale", "specimen"):
        if key not in typo:
            findings.append(Finding(shown, line("typography"), tr("typography.{key} is missing", key=key),
                                    tr("add typography.{key}", key=key)))  # fmt: skip
    logo = data.get("logo") or {}
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
        raise BrandError(findings)
    return Brand(path, data, hashlib.sha256(text.encode()).hexdigest()[:16])
