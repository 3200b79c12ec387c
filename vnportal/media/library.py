"""The media library (``docs/assets/media/``): each picture with a metadata file beside it (``<name>.yml``):
caption and alternative text in every language, creator, source, licence (an SPDX id, or "permission" with
its wording), date, place and focal point. A picture without complete metadata is not published.

Every published file is made by the build: responsive sizes (AVIF, WebP, and a JPEG fallback) of the whole
picture and of a 16:9 crop kept around the focal point, each carrying the rights as XMP.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from PIL import Image

from vnportal.content.textpolicy import MAX_IMAGE_PIXELS, character_problem, text_values
from vnportal.core.findings import Finding
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
from vnportal.media import xmp

RASTER = (".jpg", ".jpeg", ".png", ".webp", ".avif")
PICTURES = (*RASTER, ".svg")
LICENCES = {
    "CC-BY-4.0": ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": ("CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    "CC0-1.0": ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "public-domain": ("", ""),  # words from the interface strings
    "permission": ("", ""),  # all rights reserved, used with permission (its wording in `permission`)
}
WIDE = (16, 9)  # the crop used by cards and page heroes


def media_schema(languages: list[str]) -> dict[str, Any]:
    def text(limit: int) -> dict[str, Any]:
        one = {"type": "string", "minLength": 1, "maxLength": limit}
        return {"type": "object", "required": languages, "additionalProperties": False,
                "properties": {lang: one for lang in languages}}  # fmt: skip

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Media item (docs/assets/media/<name>.yml)",
        "type": "object",
        "additionalProperties": False,
        "required": ["caption", "alt", "creator", "source", "licence", "date"],
        "properties": {
            "caption": text(200),
            "alt": text(300),
            "creator": {"type": "string", "minLength": 1, "maxLength": 120},
            "source": {"type": "string", "pattern": r"^https://[^\s\"'<>`\\]+$", "maxLength": 500},
            "licence": {"enum": list(LICENCES)},
            "permission": {"type": "string", "minLength": 1, "maxLength": 300},
            "date": {"type": "date"},
            "place": text(120),
            "focus": {
                "type": "array",
                "items": {"type": "number", "minimum": 0, "maximum": 1},
                "minItems": 2,
                "maxItems": 2,
            },
        },
        "if": {"properties": {"licence": {"const": "permission"}}},
        "then": {"required": ["permission"]},
    }


@dataclass(frozen=True)
class MediaItem:
    name: str  # the file name in the library, e.g. hoi-an.jpg
    path: Path
    meta: dict[str, Any]
    width: int
    height: int

    @property
    def stem(self) -> str:
        return Path(self.name).stem

    @property
    def raster(self) -> bool:
        return self.path.suffix.lower() in RASTER

    def text(self, key: str, lang: str) -> str:
        return self.meta[key][lang]

    def licence_name(self, ui: dict[str, str]) -> str:
        code = self.meta["licence"]
        if code == "public-domain":
            return ui["public_domain"]
        if code == "permission":
            return self.meta["permission"]
        return LICENCES[code][0]

    def licence_url(self) -> str:
        return LICENCES[self.meta["licence"]][1]

    def credit(self, ui: dict[str, str]) -> str:
        """The line shown under the picture: who made it, and the terms."""
        return ui["credit"].format(creator=self.meta["creator"], licence=self.licence_name(ui))

    def xmp(self, languages: list[str], ui: dict[str, str]) -> str:
        return xmp.packet(
            creator=self.meta["creator"], credit=self.credit(ui), rights=self.licence_name(ui),
            source=self.meta["source"], licence_url=self.licence_url(),
            titles={lang: self.text("caption", lang) for lang in languages},
            descriptions={lang: self.text("alt", lang) for lang in languages}, default=languages[0],
        )  # fmt: skip


def _size(path: Path) -> tuple[int, int]:
    if path.suffix.lower() == ".svg":
        return 0, 0
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(path) as image:
            return image.size


def load_library(folder: Path, languages: list[str], root: Path) -> tuple[dict[str, MediaItem], list[Finding]]:
    """Every picture of the library with its metadata; findings for what is missing or wrong."""
    items: dict[str, MediaItem] = {}
    findings: list[Finding] = []
    if not folder.is_dir():
        return items, findings
    validator = YamlValidator(media_schema(languages))
    rights = worded(
        tr("every picture needs caption and alt in each language, creator, source, licence and date"), "metadata"
    )

    def shown(path: Path) -> str:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            return path.as_posix()

    for meta_path in sorted(folder.glob("*.yml")):
        if not any((folder / f"{meta_path.stem}{suffix}").is_file() for suffix in PICTURES):
            findings.append(Finding(shown(meta_path), 1, tr('metadata without a picture of the same name'),
                                    tr('add the picture beside it, or delete the metadata file')))  # fmt: skip
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in PICTURES):
        meta_path = path.with_suffix(".yml")
        if not meta_path.is_file():
            findings.append(Finding(shown(path), 1, tr('picture without its metadata file {name}', name=meta_path.name),
                                    tr('add it: caption and alt text in every language, creator, source, licence, date')))  # fmt: skip
            continue
        text = meta_path.read_text(encoding="utf-8")
        try:
            meta = load_yaml(text) or {}
        except (yaml.YAMLError, *VALUE_ERRORS) as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark_line(text, mark) + 1 if mark else unreadable_line(text)
            findings.append(Finding(shown(meta_path), line, tr("not valid YAML"), tr("check indentation and quoting")))
            continue
        lines = YamlLines(text)
        problems = schema_findings(validator, meta, shown(meta_path), lines, rights)
        problems += [
            Finding(
                shown(meta_path),
                lines.line(keys),
                tr("'{key}' {problem}", key=".".join(keys), problem=problem),
                tr("retype the text"),
            )
            for keys, value in text_values(meta)
            if (problem := character_problem(value))
        ]
        try:
            width, height = _size(path)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            problems.append(Finding(shown(path), 1, tr('picture over {megapixels} megapixels', megapixels=MAX_IMAGE_PIXELS // 1_000_000),
                                    tr('resize it (2400 px on the long side is plenty)')))  # fmt: skip
            width = height = 0
        except OSError:
            problems.append(Finding(shown(path), 1, tr("picture cannot be read"), tr("export it again as JPEG or PNG")))
            width = height = 0
        if width * height > MAX_IMAGE_PIXELS:
            problems.append(Finding(shown(path), 1, tr('picture over {megapixels} megapixels', megapixels=MAX_IMAGE_PIXELS // 1_000_000),
                                    tr('resize it (2400 px on the long side is plenty)')))  # fmt: skip
        findings += problems
        if not problems:
            items[path.name] = MediaItem(path.name, path, meta, width, height)
    return items, findings


def widths_for(item: MediaItem, widths: list[int], crop: bool = False) -> list[int]:
    """The sizes worth making: the configured widths the picture can fill, and its own width below them."""
    full = crop_box(item)[2] - crop_box(item)[0] if crop else item.width
    return sorted({w for w in widths if w < full} | {min(full, max(widths))})


def crop_box(item: MediaItem) -> tuple[int, int, int, int]:
    """The largest 16:9 box of the picture that keeps the focal point as central as the edges allow."""
    fx, fy = item.meta.get("focus", [0.5, 0.5])
    width, height = item.width, item.height
    crop_w, crop_h = (width, round(width * WIDE[1] / WIDE[0]))
    if crop_h > height:
        crop_w, crop_h = round(height * WIDE[0] / WIDE[1]), height
    left = min(max(round(fx * width - crop_w / 2), 0), width - crop_w)
    top = min(max(round(fy * height - crop_h / 2), 0), height - crop_h)
    return left, top, left + crop_w, top + crop_h


def encode(item: MediaItem, width: int, fmt: str, packet: str, quality: int, crop: bool = False) -> bytes:
    """One published file: the picture (or its 16:9 crop) at ``width`` pixels, with its XMP."""
    with Image.open(item.path) as image:
        image = image.crop(crop_box(item)) if crop else image.copy()
    has_alpha = image.mode in ("RGBA", "LA", "P") and fmt != "JPEG"
    image = image.convert("RGBA" if has_alpha else "RGB")
    if image.width > width:
        image = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    options: dict[str, Any] = {"quality": quality, "xmp": packet.encode("utf-8")}
    if fmt == "JPEG":
        options |= {"optimize": True, "progressive": True}
    elif fmt == "WEBP":
        options |= {"method": 4}
    image.save(out, format=fmt, **options)
    return out.getvalue()
