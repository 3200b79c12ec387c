"""The kit's texts (``assets/brand/kit.yml``): README, templates and the kit sections of /brand/, per language.

Every text must exist in every language configured in mkdocs.yml; a gap is a finding with file, line and fix.
Texts are editor input: the generator only fills ``{name}`` slots it knows (never ``str.format``) and escapes
them where it writes markup.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from vnportal.brand.tokens import key_lines
from vnportal.core.findings import Finding, FindingsError
from vnportal.core.messages import tr

#: Every text the generator and the page use, as a dotted path (lists of strings where marked).
REQUIRED = (
    *(f"page.{key}" for key in (
        "desktop_fonts", "desktop_intro", "characters", "coverage_vietnamese", "coverage_chinese", "print_note", "wordmarks", "wordmarks_intro", "templates",
        "templates_intro", "social", "square", "portrait", "landscape", "story", "banner", "banner_screen",
        "banner_rollup", "slides", "letter", "cobranding", "cobranding_intro", "cobranding_example",
        "cobranding_command", "downloads", "downloads_intro", "whole_kit", "terms",
    )),
    *(f"parts.{key}" for key in ("fonts/desktop", "fonts/web", "logos", "wordmarks", "templates", "cobranding", "tokens")),
    *(f"readme.{key}" for key in (
        "title", "intro", "contents", "files", "colon", "colours", "colours_intro", "role", "name", "rules", "clear_space",
        "cobranding", "terms", "licence_fonts", "licence_mark", "licence_other", "checksums",
    )),
    "templates.social.headline", "templates.social.text", "templates.social.photo", "templates.banner.title", "templates.banner.details",
    "templates.slides.title", "templates.slides.subtitle", "templates.slides.section", "templates.slides.content_title",
    "templates.slides.points[]",
    *(f"templates.letter.{key}" for key in ("kind", "place_date", "title", "lead", "body", "contact_heading", "end", "footer")),
    "templates.letter.contact[]",
)  # fmt: skip
SLOT_RE = re.compile(r"\{([a-z_]+)\}")


def fill(text: str, **values: object) -> str:
    """Replace the ``{name}`` slots given; any other brace stays as written."""
    return SLOT_RE.sub(lambda m: str(values[m[1]]) if m[1] in values else m[0], text)


@dataclass(frozen=True)
class Texts:
    path: Path
    data: dict[str, Any]
    languages: tuple[str, ...]
    digest: str

    def node(self, dotted: str) -> dict[str, Any]:
        value: Any = self.data
        for key in dotted.removesuffix("[]").split("."):
            value = value[key]
        return value

    def get(self, dotted: str, lang: str, **values: object) -> str:
        return fill(self.node(dotted)[lang], **values)

    def items(self, dotted: str, lang: str) -> list[str]:
        return list(self.node(dotted + "[]")[lang])


def _walk(data: Any, dotted: str) -> Any:
    value = data
    for key in dotted.removesuffix("[]").split("."):
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def load(path: Path, languages: tuple[str, ...]) -> Texts:
    """Read kit.yml; raise FindingsError listing every missing or malformed text."""
    shown = path.as_posix()
    try:
        source = path.read_text(encoding="utf-8")
        data = yaml.safe_load(source)
    except (OSError, UnicodeDecodeError) as exc:
        raise FindingsError(
            [Finding(shown, 1, tr("cannot read the kit's texts ({exc})", exc=exc), tr("restore assets/brand/kit.yml"))]
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
            [Finding(shown, 1, tr("the kit's texts must be a mapping"), tr("see the comments at its top"))]
        )
    lines = key_lines(source)
    findings = []
    for dotted in REQUIRED:
        keys = tuple(dotted.removesuffix("[]").split("."))
        line = next((lines[keys[:cut]] for cut in range(len(keys), 0, -1) if keys[:cut] in lines), 1)
        node = _walk(data, dotted)
        if not isinstance(node, dict):
            findings.append(Finding(shown, line, tr("text '{key}' is missing", key=dotted.removesuffix('[]')),
                                    tr('add it with a text in each of {languages}', languages=', '.join(languages))))  # fmt: skip
            continue
        for lang in languages:
            value = node.get(lang)
            if dotted.endswith("[]"):
                ok = isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value)
                want = "a list of texts"
            else:
                ok = isinstance(value, str) and bool(value.strip())
                want = "a text"
            if not ok:
                findings.append(Finding(shown, lines.get((*keys, lang), line),
                                        tr("'{key}' has no {lang} text", key=dotted.removesuffix('[]'), lang=lang),
                                        tr('add  {lang}: … ({want}) under it', lang=lang, want=want)))  # fmt: skip
    if findings:
        raise FindingsError(findings)
    return Texts(path, data, languages, hashlib.sha256(source.encode()).hexdigest()[:16])
