"""The CMS configuration is generated from the front-matter schema and mkdocs.yml, and matches them exactly."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, Site
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from vnportal.cms.config import BODY, cms_config, dump, length_pattern, required_for
from vnportal.content.frontmatter import PAGE_SCHEMA
from vnportal.core.config import site_languages

CONFIG = cms_config(ROOT / "mkdocs.yml")
PAGES = [c for c in CONFIG["collections"] if c.get("format") == "frontmatter"]
TYPES = PAGE_SCHEMA["properties"]["type"]["enum"]


def test_one_collection_per_page_type_with_the_languages_of_mkdocs_yml() -> None:
    assert [c["name"] for c in PAGES] == TYPES
    languages, default = site_languages(ROOT / "mkdocs.yml")
    assert CONFIG["i18n"] == {"structure": "multiple_folders", "locales": languages, "default_locale": default}
    assert CONFIG["publish_mode"] == "editorial_workflow"
    for collection in PAGES:
        assert collection["filter"] == {"field": "type", "value": collection["name"]}
        assert collection["folder"] == "docs" and collection["i18n"] is True


def test_languages_follow_mkdocs_yml(tmp_path: Path) -> None:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    extra = "        - locale: de\n          name: Deutsch\n          build: true\n"
    config = tmp_path / "mkdocs.yml"
    config.write_text(text.replace("      languages:\n", "      languages:\n" + extra, 1), encoding="utf-8")
    assert cms_config(config)["i18n"]["locales"] == ["de", "vi", "en", "fr", "zh"]


def _check_field(name: str, schema: dict, field: dict, required: bool) -> None:
    assert field["name"] == name
    assert field.get("required", True) is required, name
    if "enum" in schema:
        assert field["widget"] == "select" and field["options"] == schema["enum"], name
    elif schema.get("type") == "date":
        assert field["widget"] == "datetime" and field["format"] == "YYYY-MM-DD" and field["time_format"] is False
    elif schema.get("type") == "array":
        items = schema.get("items", {})
        if "enum" in items:
            assert field["widget"] == "select" and field["multiple"] is True and field["options"] == items["enum"]
        else:
            assert field["widget"] == "list"
            _check_field(name, items, field["field"], True)
        assert field.get("min") == schema.get("minItems") and field.get("max") == schema.get("maxItems")
    elif schema.get("type") == "object" and "properties" in schema:
        assert field["widget"] == "object"
        assert [f["name"] for f in field["fields"]] == list(schema["properties"])
        for sub, spec in zip(schema["properties"].items(), field["fields"], strict=True):
            # Decap checks nested fields even in an empty optional object: only a required object's are required
            _check_field(sub[0], sub[1], spec, required and sub[0] in schema.get("required", []))
    elif schema.get("type") == "object":
        assert field["widget"] == "hidden"  # free-form: kept as written
    else:
        assert field["widget"] in ("string", "text")
        expected = length_pattern(schema)
        assert (field.get("pattern") or [None])[0] == expected, name


@pytest.mark.parametrize("page_type", TYPES)
def test_every_schema_key_has_its_field_and_no_other(page_type: str) -> None:
    collection = next(c for c in PAGES if c["name"] == page_type)
    fields = {f["name"]: f for f in collection["fields"]}
    assert set(fields) == set(PAGE_SCHEMA["properties"]) | {BODY}
    needed = required_for(page_type, PAGE_SCHEMA)
    assert ("date" in needed) is (page_type == "news")
    for name, schema in PAGE_SCHEMA["properties"].items():
        if name == "type":
            assert fields[name] == {
                "name": "type", "label": fields[name]["label"], "widget": "hidden", "default": page_type,
                "required": True, "i18n": "duplicate",
            }  # fmt: skip
            continue
        _check_field(name, schema, fields[name], name in needed)


def test_a_new_schema_key_appears_in_the_editor(monkeypatch) -> None:
    schema = {**PAGE_SCHEMA, "properties": {**PAGE_SCHEMA["properties"], "credit": {"type": "string", "maxLength": 80}}}
    monkeypatch.setattr("vnportal.cms.config.PAGE_SCHEMA", schema)
    fields = {f["name"]: f for f in cms_config(ROOT / "mkdocs.yml")["collections"][0]["fields"]}
    assert fields["credit"]["required"] is False
    assert fields["credit"]["pattern"][0] == "^(?=[\\s\\S]{0,80}(?![\\s\\S]))"


STRING_SCHEMAS = [
    {"type": "string", "minLength": 1, "maxLength": 12},
    {"type": "string", "minLength": 1},
    {"type": "string", "pattern": "^[a-z]{2,3}(-[A-Za-z]{2,4})?$"},
    {"type": "string", "minLength": 2, "maxLength": 5, "pattern": "[0-9]"},
]


@pytest.mark.parametrize("schema", STRING_SCHEMAS)
@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("ab-Z09 \nđ中"), max_size=16))
def test_the_editor_pattern_accepts_exactly_what_the_schema_accepts(schema: dict, text: str) -> None:
    pattern = length_pattern(schema)
    assert (re.search(pattern, text) is not None) is Draft202012Validator(schema).is_valid(text)


def test_generated_config_is_valid_yaml_and_says_it_is_generated() -> None:
    text = dump(CONFIG)
    assert text.startswith("# Generated by the build")
    assert yaml.safe_load(text) == CONFIG


def test_local_backend_only_when_asked() -> None:
    assert "local_backend" not in CONFIG
    local = cms_config(ROOT / "mkdocs.yml", local_backend="http://127.0.0.1:8081/api/v1")
    assert local["local_backend"] == {
        "url": "http://127.0.0.1:8081/api/v1",
        "allowed_hosts": ["127.0.0.1", "localhost"],
    }


def test_dataset_metadata_collection() -> None:
    datasets = next(c for c in CONFIG["collections"] if c["name"] == "datasets")
    paths = sorted((ROOT / "data").glob("*/metadata.yml"))
    assert [f["file"] for f in datasets["files"]] == [p.relative_to(ROOT).as_posix() for p in paths]
    languages, _ = site_languages(ROOT / "mkdocs.yml")
    for entry, path in zip(datasets["files"], paths, strict=True):
        title = next(f for f in entry["fields"] if f["name"] == "title")
        assert [f["name"] for f in title["fields"]] == languages
        meta = yaml.safe_load(path.read_text(encoding="utf-8"))
        for spec in entry["fields"]:
            assert spec["name"] in meta, (path, spec["name"])  # every field edits a key the files have


def test_the_built_admin_page(site: Site) -> None:
    admin = site.root / "admin"
    html = (admin / "index.html").read_text(encoding="utf-8")
    assert yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))["collections"][0]["name"] == TYPES[0]
    assert '<meta name="robots" content="noindex, nofollow">' in html
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert sources == ["portal-cms.js", "decap-cms.js"]
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", html)  # nothing from another host
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1).replace("&#39;", "'")
    connect = re.search(r"connect-src ([^;]+)", policy).group(1).split()
    assert connect == ["'self'", "https://api.github.com"]
    assert "default-src 'none'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    bundle = ROOT / "node_modules" / "decap-cms" / "dist" / "decap-cms.js"
    assert (admin / "decap-cms.js").read_bytes() == bundle.read_bytes()
    lock = yaml.safe_load((ROOT / "package-lock.json").read_text())  # JSON is YAML
    installed = yaml.safe_load((bundle.parent.parent / "package.json").read_text())["version"]
    assert lock["packages"]["node_modules/decap-cms"]["version"] == installed
    assert "/admin/" not in (site.root / "sitemap.xml").read_text()
    assert "data-pagefind-body" not in html  # Pagefind indexes only the pages that carry it
    for style in re.search(r'data-preview-styles="([^"]+)"', html).group(1).split():
        assert (admin / style).resolve().is_file(), style


def test_nginx_serves_the_editor_with_its_own_policy(server, site: Site) -> None:
    from test_serving import get

    serving = json.loads((site.root / "_serving.json").read_text())
    admin = serving["admin"]
    status, headers, _ = get(server, "/admin/")
    assert status == 200
    assert headers["content-security-policy"] == admin["content_security_policy"]
    assert headers["cross-origin-opener-policy"] == "same-origin-allow-popups"
    assert headers["x-robots-tag"] == "noindex, nofollow"
    assert headers["x-content-type-options"] == "nosniff"
    status, headers, _ = get(server, "/admin/decap-cms.js", Accept_Encoding="br")
    assert (status, headers["content-encoding"]) == (200, "br")
    assert headers["content-security-policy"] == admin["content_security_policy"]
    _, headers, _ = get(server, "/en/")
    assert headers["content-security-policy"] == serving["content_security_policy"]  # the site keeps its own
    rules = (site.root / "_headers").read_text()
    assert (
        f"/admin/*\n  ! Content-Security-Policy\n  Content-Security-Policy: {admin['content_security_policy']}" in rules
    )
