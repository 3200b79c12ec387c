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

from jsonschema.exceptions import ValidationError

from vnportal.brand.schema import kit_schema
from vnportal.brand.tokens import read_yaml
from vnportal.core.findings import Finding, FindingsError
from vnportal.core.messages import N_, tr
from vnportal.core.schema import Wording, YamlLines, YamlValidator, required_key, schema_findings

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
_VALIDATOR = YamlValidator(kit_schema(REQUIRED))


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


def _word(languages: tuple[str, ...]) -> Wording:
    def word(err: ValidationError) -> list[tuple[list[str], str, str]]:
        path = [str(p) for p in err.path]
        key = ".".join([*path, required_key(err)] if err.validator == "required" else path)
        return [(path, tr("text '{key}' is missing", key=key),
                 tr("add it with a text in each of {languages}", languages=", ".join(languages)))]  # fmt: skip

    return word


def load(path: Path, languages: tuple[str, ...]) -> Texts:
    """Read kit.yml; raise FindingsError listing every missing or malformed text (the schema says which texts
    there are; each one's languages are the site's, from mkdocs.yml)."""
    data, source = read_yaml(path, N_("cannot read the kit's texts ({error})"), tr("restore assets/brand/kit.yml"))
    shown, lines = path.as_posix(), YamlLines(source)
    if not isinstance(data, dict):
        raise FindingsError(
            Finding(shown, 1, tr("the kit's texts must be a mapping"), tr("see the comments at its top"))
        )
    findings = schema_findings(_VALIDATOR, data, shown, lines, _word(languages))
    for dotted in REQUIRED:
        node = _walk(data, dotted)
        if not isinstance(node, dict):
            continue  # the schema said so
        keys = dotted.removesuffix("[]").split(".")
        for lang in languages:
            value = node.get(lang)
            if dotted.endswith("[]"):
                ok = isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value)
                want = "a list of texts"
            else:
                ok = isinstance(value, str) and bool(value.strip())
                want = "a text"
            if not ok:
                findings.append(Finding(shown, lines.line([*keys, lang]),
                                        tr("'{key}' has no {lang} text", key=dotted.removesuffix('[]'), lang=lang),
                                        tr('add  {lang}: … ({want}) under it', lang=lang, want=want)))  # fmt: skip
    if findings:
        raise FindingsError(findings)
    return Texts(path, data, languages, hashlib.sha256(source.encode()).hexdigest()[:16])
