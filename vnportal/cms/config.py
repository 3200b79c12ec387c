"""Decap CMS ``config.yml`` generated from the portal's own sources of truth.

Fields and their validation come from ``vnportal.content.frontmatter.PAGE_SCHEMA`` (a key added to the schema appears
in the editor with the same constraints), the languages from ``plugins.i18n.languages`` in mkdocs.yml, the page
types from the schema's ``type`` enum (one collection per type). Decap validates a string field with one
regular expression only, so a schema's length limits and its pattern are folded into one expression.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from vnportal.content.frontmatter import HINTS, PAGE_SCHEMA, hint_in_every_language
from vnportal.core.config import plugin_config, site_config, site_languages

#: Collection label (Vietnamese, the editors' language) of each page type; a type missing here is shown by name.
TYPE_LABELS = {
    "home": "Trang chủ",
    "topic": "Chủ đề",
    "news": "Tin tức",
    "factsheet": "Thông tin cơ bản",
    "policy": "Chính sách",
    "listing": "Trang mục lục",
}
#: Vietnamese names of known keys, shown with the key itself (which the hints and `make check` name);
#: a key added to the schema is shown by its key until it gets one here.
LABELS = {
    "title": "Tiêu đề",
    "description": "Tóm tắt",
    "date": "Ngày đăng",
    "updated": "Ngày cập nhật",
    "tags": "Thẻ",
    "image": "Ảnh",
    "image_alt": "Mô tả ảnh",
    "source": "Nguồn",
    "translation": "Bản dịch của",
    "source_hash": "Mã bản gốc",
}
#: Material for MkDocs keys an editor rarely needs: shown, but after the portal's own fields.
ADVANCED = ("hide", "template", "icon", "status", "subtitle", "search")
#: Markdown after the front matter: the one field that is not a front-matter key.
BODY = "body"
#: Path separator of nested pages in the editor's view: Decap wants the language folder right above the file
#: (``docs/vi/news.x.md``), the portal keeps sections (``docs/vi/news/x.md``); portal-cms.js maps the two.
NESTED_SEPARATOR = "."
DATE_FORMAT = "YYYY-MM-DD"


def length_pattern(schema: dict[str, Any]) -> str | None:
    """One regular expression for minLength/maxLength and pattern (JavaScript and Python agree on it:
    the end of the text is written (?![\\s\\S]), since Python's $ also matches before a final newline)."""
    low, high = schema.get("minLength"), schema.get("maxLength")
    parts = []
    if low is not None or high is not None:
        parts.append(f"(?=[\\s\\S]{{{low or 0},{'' if high is None else high}}}(?![\\s\\S]))")
    if "pattern" in schema:
        parts.append(f"(?=[\\s\\S]*?(?:{schema['pattern']}))")
    return "^" + "".join(parts) if parts else None


def _message(name: str, schema: dict[str, Any]) -> str:
    low, high = schema.get("minLength"), schema.get("maxLength")
    if high is not None:
        limit = f"{low or 0}–{high} ký tự / {low or 0}–{high} characters"
    elif low:
        limit = "không được để trống / must not be empty"
    else:
        limit = ""
    hint = hint_in_every_language(name)
    return "; ".join(
        p for p in (limit, f"định dạng / format: {schema['pattern']}" if "pattern" in schema else "", hint) if p
    )


def field(name: str, schema: dict[str, Any], required: bool) -> dict[str, Any]:
    """The Decap field for one schema property (recursively for objects and arrays)."""
    out: dict[str, Any] = {"name": name, "label": f"{LABELS[name]} ({name})" if name in LABELS else name}
    out["required"] = required
    kind = schema.get("type")
    if "enum" in schema:
        out.update(widget="select", options=list(schema["enum"]))
    elif kind == "date":
        out.update(widget="datetime", format=DATE_FORMAT, date_format=DATE_FORMAT, time_format=False)
    elif kind == "array":
        items = schema.get("items", {})
        if "enum" in items:
            out.update(widget="select", multiple=True, options=list(items["enum"]))
        else:
            out.update(widget="list", field=field(name, items, True) | {"label": name})
        if "minItems" in schema:
            out["min"] = schema["minItems"]
        if "maxItems" in schema:
            out["max"] = schema["maxItems"]
    elif kind == "object" and "properties" in schema:
        # Decap checks a nested field even when the optional object around it is empty: only a required
        # object's keys can be required in the form (the schema still requires them once the object is there).
        needed = set(schema.get("required", [])) if required else set()
        out.update(
            widget="object",
            collapsed=True,
            fields=[field(key, sub, key in needed) for key, sub in schema["properties"].items()],
        )
    elif kind == "object":
        out["widget"] = "hidden"  # free-form (Material's `search:`): kept as written, not edited in a form
    else:
        out["widget"] = "text" if (schema.get("maxLength") or 0) > 120 else "string"
        pattern = length_pattern(schema)
        if pattern:
            out["pattern"] = [pattern, _message(name, schema)]
    if name in HINTS and "hint" not in out:
        out["hint"] = hint_in_every_language(name)
    return out


def required_for(page_type: str, schema: dict[str, Any]) -> set[str]:
    """Required keys of a page of this type: the schema's own plus those its ``if type == …`` rules add."""
    needed = set(schema.get("required", []))
    for rule in schema.get("allOf", []):
        condition = rule.get("if", {}).get("properties", {})
        if condition.get("type", {}).get("const") == page_type:
            needed |= set(rule.get("then", {}).get("required", []))
    return needed


def page_fields(page_type: str, schema: dict[str, Any]) -> list[dict[str, Any]]:
    needed = required_for(page_type, schema)
    names = [n for n in schema["properties"] if n not in ADVANCED] + [n for n in ADVANCED if n in schema["properties"]]
    fields = []
    for name in names:
        spec = field(name, schema["properties"][name], name in needed)
        if name == "type":  # the collection is the type: written into every language, never edited
            spec = {"name": "type", "label": "type", "widget": "hidden", "default": page_type, "required": True}
        if name in ("type", "date", "updated", "image", "template", "icon") and spec["widget"] != "list":
            spec["i18n"] = "duplicate"  # the same in every language, edited once in the original
        else:
            spec["i18n"] = True
        fields.append(spec)
    fields.append({"name": BODY, "label": "Nội dung / Text", "widget": "markdown", "required": False, "i18n": True})
    return fields


def page_collection(page_type: str, docs: str, schema: dict[str, Any]) -> dict[str, Any]:
    sep = NESTED_SEPARATOR
    collection: dict[str, Any] = {
        "name": page_type,
        "label": TYPE_LABELS.get(page_type, page_type),
        "folder": docs,
        "extension": "md",
        "format": "frontmatter",
        "i18n": True,
        "create": True,
        "filter": {"field": "type", "value": page_type},
        "identifier_field": "title",
        "summary": "{{title}}",
        "sortable_fields": ["title"] + (["date"] if "date" in schema["properties"] else []),
        "fields": page_fields(page_type, schema),
    }
    if page_type == "news":
        collection["slug"] = f"news{sep}{{{{year}}}}-{{{{month}}}}-{{{{day}}}}-{{{{slug}}}}"
    elif page_type != "home":
        collection["slug"] = f"{page_type}{sep}{{{{slug}}}}"
    if page_type == "home":
        collection["create"] = False
    return collection


def _object(name: str, fields: list[dict[str, Any]]) -> dict[str, Any]:
    return {"name": name, "label": name, "widget": "object", "fields": fields}


def _plain(name: str, widget: str = "string", **extra: Any) -> dict[str, Any]:
    return {"name": name, "label": name, "widget": widget, **extra}


def dataset_collection(languages: list[str], data_dir: Path, shown_dir: str) -> dict[str, Any]:
    """Dataset metadata (``data/<id>/metadata.yml``), one entry per existing dataset: the texts and descriptive
    facts editors maintain.

    The Table Schema, the version history and the CSV files stay in git: a published version is immutable
    and recorded in ``data/published.lock``, which a browser edit cannot keep consistent (so datasets are
    added in git, not here). Keys not shown here are kept as they are when the file is saved.
    """
    from vnportal.data.model import FREQUENCIES

    def per_language(name: str, widget: str = "string", **extra: Any) -> dict[str, Any]:
        return _object(name, [_plain(lang, widget, **extra) for lang in languages])

    https = ["^https://", "địa chỉ phải bắt đầu bằng https:// / the address must start with https://"]
    keyword = {"field": _plain("keyword")}
    fields = [
        _plain("id", pattern=["^[a-z0-9][a-z0-9-]*$", "chữ thường, số và - / lowercase letters, digits and -"]),
        per_language("title"),
        per_language("description", "text"),
        per_language("keywords", "list", **keyword),
        _object("publisher", [per_language("name")]),
        _object("source", [_plain("name"), _plain("url", pattern=https)]),
        _object("licence", [_plain("id"), _plain("title", required=False), _plain("url", pattern=https)]),
        _plain("frequency", "select", options=sorted(FREQUENCIES)),
        _object("temporal", [_plain("start"), _plain("end")]),
        _plain("spatial"),
    ]
    files = []
    for path in sorted(data_dir.glob("*/metadata.yml")):
        name = path.parent.name
        files.append({"name": name, "label": name, "file": f"{shown_dir}/{name}/metadata.yml", "fields": fields})
    return {"name": "datasets", "label": "Bộ dữ liệu / Datasets", "format": "yml", "delete": False, "files": files}


def cms_config(
    config_file: Path,
    *,
    repo: str = "",
    branch: str = "main",
    base_url: str = "",
    local_backend: str = "",
) -> dict[str, Any]:
    """The whole Decap configuration for this site."""
    site = site_config(config_file)
    languages, default = site_languages(config_file)
    docs = str(site.get("docs_dir") or "docs")
    data_dir = plugin_config(site, "vnportal/data").get("data_dir") or "data"
    backend: dict[str, Any] = {
        "name": "github",
        "repo": repo or "OWNER/REPOSITORY",
        "branch": branch,
        "squash_merges": True,
        "open_authoring": False,
        "cms_label_prefix": "cms/",
        "commit_messages": {
            "create": "CMS: tạo {{collection}} “{{slug}}” / create",
            "update": "CMS: sửa {{collection}} “{{slug}}” / update",
            "delete": "CMS: xóa {{collection}} “{{slug}}” / delete",
            "uploadMedia": "CMS: tải lên “{{path}}” / upload",
            "deleteMedia": "CMS: xóa “{{path}}” / delete",
        },
    }
    if base_url:
        backend["base_url"] = base_url
    out: dict[str, Any] = {
        "backend": backend,
        "publish_mode": "editorial_workflow",
        "locale": default if default in ("vi", "en", "fr", "zh") else "en",
        "media_folder": f"{docs}/assets/media",
        "public_folder": "/assets/media",
        "show_preview_links": False,
        "search": False,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "i18n": {"structure": "multiple_folders", "locales": languages, "default_locale": default},
        "collections": [page_collection(t, docs, PAGE_SCHEMA) for t in PAGE_SCHEMA["properties"]["type"]["enum"]],
    }
    if list((config_file.parent / data_dir).glob("*/metadata.yml")):
        out["collections"].append(dataset_collection(languages, config_file.parent / data_dir, data_dir))
    if local_backend:
        out["local_backend"] = {"url": local_backend, "allowed_hosts": ["127.0.0.1", "localhost"]}
    return out


def dump(config: dict[str, Any]) -> str:
    header = (
        "# Generated by the build from vnportal/content/frontmatter.py and mkdocs.yml (vnportal/cms): do not edit.\n"
    )
    return header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000)


def origin(url: str) -> str:
    match = re.match(r"^(https?://[^/]+)", url)
    return match.group(1) if match else ""
