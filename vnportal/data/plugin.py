"""MkDocs plugin ``vnportal/data``: validate and export the datasets, publish the DCAT-AP catalog,
and add a page per dataset (and a catalog page) in every language."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Any

import yaml
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2.utils import htmlsafe_json_dumps
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from vnportal.cache import fingerprint
from vnportal.checks import display_path
from vnportal.data import catalog
from vnportal.data.chart import line_chart
from vnportal.data.export import EXPORT_VERSION, FORMATS, Summary, export_version, sha256sums
from vnportal.data.model import Dataset, load_all
from vnportal.data.table import RowError
from vnportal.findings import ContentError
from vnportal.generated import in_every_language

log = get_plugin_logger(__name__)


class DataConfig(Config):
    data_dir = c.Type(str, default="data")
    cache_dir = c.Type(str, default=".cache")


def _verified_summary(out: Path) -> Summary | None:
    """A cached export whose files all still match the digests its summary recorded (else: export again)."""
    try:
        summary = _summary_from_json(json.loads((out / ".summary.json").read_text(encoding="utf-8")))
        for name, info in summary.files.items():
            if hashlib.sha256((out / name).read_bytes()).hexdigest() != info["sha256"]:
                return None
        if (out / "SHA256SUMS").read_text(encoding="utf-8") != sha256sums(summary.files):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return summary


def _summary_from_json(data: dict[str, Any]) -> Summary:
    summary = Summary(**data)
    summary.series = {k: [tuple(p) for p in v] for k, v in data["series"].items()}
    return summary


class DataPlugin(BasePlugin[DataConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._datasets: list[Dataset] = []
        self._exports: dict[str, dict[str, Summary]] = {}
        self._files: dict[str, Path] = {}
        self._catalog_meta: dict[str, Any] = {}
        self._inputs: tuple[Any, ...] = ()  # what the last build in this process was made from

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that MkDocs keeps this instance across ``mkdocs serve`` rebuilds: the datasets,
        exports and catalog it made last time are reused while ``_inputs`` holds."""

    def _root(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path).parent

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if config.plugins["i18n"].building:
            return
        data_dir = self._root(config) / self.config.data_dir
        if not data_dir.is_dir():
            self._datasets, self._files = [], {}
            return
        inputs = (fingerprint(data_dir), config.site_url)
        if inputs == self._inputs:  # mkdocs serve rebuilds after an edit elsewhere: everything here holds
            return
        datasets, findings = load_all(data_dir)
        if findings:
            raise PluginError(str(ContentError(findings)))
        self._catalog_meta = yaml.safe_load((data_dir / "catalog.yml").read_text(encoding="utf-8"))
        cache = self._root(config) / self.config.cache_dir / "data"
        self._files, self._exports = {}, {}
        for dataset in datasets:
            self._exports[dataset.id] = {}
            meta_digest = hashlib.sha256((data_dir / dataset.id / "metadata.yml").read_bytes()).hexdigest()
            for version in dataset.versions:
                key = hashlib.sha256(
                    f"{EXPORT_VERSION}{version.sha256}{meta_digest}{config.site_url}".encode()
                ).hexdigest()[:16]
                out = cache / f"{dataset.id}-{version.version}-{key}"
                summary_file = out / ".summary.json"
                summary = _verified_summary(out)
                if summary is None:
                    shutil.rmtree(out, ignore_errors=True)
                    shown = display_path(version.csv, self._root(config))
                    try:
                        summary = export_version(dataset, version, out, self._page_url(config, dataset), shown)
                    except RowError as exc:
                        shutil.rmtree(out, ignore_errors=True)
                        raise PluginError(str(ContentError([exc.finding]))) from None
                    summary_file.write_text(json.dumps(asdict(summary), ensure_ascii=False, default=str))
                self._exports[dataset.id][version.version] = summary
                for name in summary.files | {"SHA256SUMS": {}}:
                    self._files[f"data/{dataset.id}/{version.version}/{name}"] = out / name
                    if version is dataset.latest:
                        self._files[f"data/{dataset.id}/latest/{name}"] = out / name
        jsonld, turtle = catalog.serialise(catalog.build(datasets, self._exports, config.site_url, self._catalog_meta))
        catalog_dir = cache / f"catalog-{hashlib.sha256(jsonld.encode()).hexdigest()[:16]}"
        catalog_dir.mkdir(parents=True, exist_ok=True)
        (catalog_dir / "catalog.jsonld").write_text(jsonld, encoding="utf-8")
        (catalog_dir / "catalog.ttl").write_text(turtle, encoding="utf-8")
        self._files["data/catalog.jsonld"] = catalog_dir / "catalog.jsonld"
        self._files["data/catalog.ttl"] = catalog_dir / "catalog.ttl"
        self._datasets = datasets
        self._inputs = inputs

    @staticmethod
    def _page_url(config: MkDocsConfig, dataset: Dataset) -> str:
        return f"{config.site_url}data/{dataset.id}/"

    def _page_meta(self, lang: str, norm: str) -> dict[str, Any]:
        if norm == "data/index.md":
            title, description, kind = (
                self._catalog_meta["title"][lang],
                self._catalog_meta["description"][lang],
                "data-catalog",
            )
        else:
            dataset = next(d for d in self._datasets if norm == f"data/{d.id}/index.md")
            title, description, kind = dataset.text("title", lang), dataset.text("description", lang), "dataset"
        return {"title": title, "description": description[:300], "type": "topic", "template": f"{kind}.html"}

    @event_priority(-110)  # after static-i18n (-100) has sorted the language's files
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if not self._datasets:
            return files
        i18n = config.plugins["i18n"]
        if i18n.is_default_language_build:
            for dest, source in sorted(self._files.items()):
                files.append(File.generated(config, dest, abs_src_path=str(source)))
        languages = list(i18n.build_languages)
        for norm in ["data/index.md", *(f"data/{d.id}/index.md" for d in self._datasets)]:
            files.append(in_every_language(config, norm, {lang: self._page_meta(lang, norm) for lang in languages}))
        return files

    def on_page_context(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any]:
        template = page.meta.get("template")
        if template not in ("dataset.html", "data-catalog.html"):
            return context
        lang = config.plugins["i18n"].current_language
        if template == "data-catalog.html":
            context["data_catalog"] = [self._view(d, lang, config, brief=True) for d in self._datasets]
        else:
            norm = getattr(page.file, "norm_src_uri", "")
            dataset = next(d for d in self._datasets if norm == f"data/{d.id}/index.md")
            context["dataset"] = self._view(dataset, lang, config)
        return context

    def card(self, dataset_id: str, lang: str, config: MkDocsConfig) -> dict[str, Any] | None:
        """A dataset as a card (home page): title, description, address in the language, size and date."""
        dataset = next((d for d in self._datasets if d.id == dataset_id), None)
        if dataset is None:
            return None
        view = self._view(dataset, lang, config, brief=True)
        ui = config.extra["ui"]["data"]
        return {
            "title": view["title"],
            "description": view["description"],
            "url": view["path"],
            "meta": f"{ui['rows']}: {view['rows']} · {ui['version']} {view['version']} · {view['updated']}",
        }

    def _view(self, dataset: Dataset, lang: str, config: MkDocsConfig, brief: bool = False) -> dict[str, Any]:
        meta = dataset.meta
        latest = dataset.latest
        summary = self._exports[dataset.id][latest.version]
        base = f"data/{dataset.id}/{latest.version}/"

        def number(value: Any) -> str:
            return format_decimal(value, locale=lang) if isinstance(value, int | float) else str(value)

        downloads = [
            {
                "format": "Data Package" if name == "datapackage.json" else FORMATS[name.rsplit(".", 1)[1]][1],
                "path": f"{base}{name}",
                "bytes": info["bytes"],
                "size": number(round(info["bytes"] / 1024, 1)) + " KB",
                "sha256": info["sha256"],
                "media_type": info["media_type"],
            }
            for name, info in summary.files.items()
        ]
        view: dict[str, Any] = {
            "id": dataset.id,
            "title": dataset.text("title", lang),
            "description": dataset.text("description", lang),
            "path": f"data/{dataset.id}/",
            "rows": number(summary.rows),
            "version": latest.version,
            "updated": format_date(latest.date, "long", locale=lang),
            "updated_iso": latest.date.isoformat(),
            "downloads": downloads,
            "licence": meta["licence"],
        }
        if brief:
            return view
        fields = dataset.schema["fields"]
        publisher = meta["publisher"]["name"][lang]
        year = latest.date.year
        url = self._page_url(config, dataset)
        names = [f["name"] for f in fields]
        key_figures = []
        for series, points in summary.series.items():
            if points:
                field = fields[names.index(series)]
                key_figures.append(
                    {
                        "label": field.get("title", series),
                        "value": number(points[-1][1]),
                        "at": points[-1][0],
                        "unit": field.get("unit", ""),
                    }
                )
        charts = [
            line_chart(
                [(float(x), float(y)) for x, y in points],
                fields[names.index(series)].get("title", series),
                f"{points[0][0]}–{points[-1][0]}: {number(points[0][1])} → {number(points[-1][1])}",
                lambda v: format_decimal(v, format="#,##0.###E0" if v >= 1e9 else "#,##0", locale=lang),
                f"chart-{dataset.id}-{series}",
            )
            for series, points in summary.series.items()
            if len(points) > 1
        ]
        next_update = str(meta.get("next_update", ""))
        schema_org = {
            "@context": "https://schema.org",
            "@type": "Dataset",
            "name": dataset.text("title", lang),
            "description": dataset.text("description", lang),
            "url": url,
            "identifier": f"{url}#dataset",
            "version": latest.version,
            "inLanguage": lang,
            "keywords": meta["keywords"][lang],
            "license": meta["licence"]["url"],
            "isAccessibleForFree": True,
            "datePublished": dataset.versions[0].date.isoformat(),
            "dateModified": latest.date.isoformat(),
            "temporalCoverage": f"{meta['temporal']['start']}/{meta['temporal']['end']}",
            "spatialCoverage": {"@type": "Place", "name": Locale.parse(lang).territories.get("VN", "Viet Nam")},
            "isBasedOn": meta["source"]["url"],
            "creator": {"@type": "Organization", "name": publisher, "url": f"{config.site_url}"},
            "publisher": {"@type": "Organization", "name": publisher, "url": f"{config.site_url}"},
            "includedInDataCatalog": {
                "@type": "DataCatalog",
                "name": self._catalog_meta["title"][lang],
                "url": f"{config.site_url}data/",
            },
            "distribution": [
                {
                    "@type": "DataDownload",
                    "encodingFormat": d["media_type"],
                    "contentUrl": f"{config.site_url}{d['path']}",
                    "contentSize": f"{d['bytes']} B",
                }
                for d in downloads
            ],
        }
        view |= {
            "fields": fields,
            "preview": summary.preview,
            "preview_count": number(len(summary.preview)),
            "key_figures": key_figures,
            "charts": charts,
            "source": meta["source"],
            "temporal": meta["temporal"],
            "frequency": meta["frequency"],
            "next_update": next_update,
            "versions": [
                {
                    "version": v.version,
                    "date": format_date(v.date, "long", locale=lang),
                    "notes": v.notes.get(lang) or v.notes.get("en", ""),
                    "path": f"data/{dataset.id}/{v.version}/",
                }
                for v in reversed(dataset.versions)
            ],
            "apa": f"{publisher}. ({year}). {dataset.text('title', lang)} (Version {latest.version}) [Data set]. {url}",
            "bibtex": (
                f"@misc{{{dataset.id.replace('-', '_')}_{latest.version.replace('.', '_')},\n"
                f"  title = {{{meta['title']['en']}}},\n  author = {{{{{meta['publisher']['name']['en']}}}}},\n"
                f"  year = {{{year}}},\n  version = {{{latest.version}}},\n  url = {{{url}}},\n  note = {{Data set}}\n}}"
            ),
            # <, >, & and ' as \u escapes: no metadata value can end the script element or open a comment
            "json_ld": htmlsafe_json_dumps(schema_org, ensure_ascii=False, sort_keys=True),
        }
        return view
