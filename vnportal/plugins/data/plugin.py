"""MkDocs plugin ``vnportal/data``: validate and export the datasets, check published versions against the
lock, publish the DCAT-AP catalog, the data index (index.json, data.json), the release feeds and the bulk
ZIP, and add a page per dataset (and a catalog page) in every language."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from vnportal.core.cache import (
    cached,
    fingerprint,
    read_verified,
    tools_digest,
    touch,
    tree_digest,
    vouch,
    write_atomic,
)
from vnportal.core.compat import norm_src_uri
from vnportal.core.findings import FindingsError
from vnportal.core.generated import in_every_language
from vnportal.core.languages import url_prefix
from vnportal.core.site import Site
from vnportal.data import addresses, entry
from vnportal.data.build import export_all
from vnportal.data.export import Summary
from vnportal.data.model import Dataset, load_all, load_catalog
from vnportal.data.view import agencies_page, catalog_json_ld, group_page, page_view, programme, programme_group
from vnportal.plugins.data.config import DataConfig

log = get_plugin_logger(__name__)


def languages_of(config: MkDocsConfig) -> tuple[list[str], str]:
    """Every configured language (mkdocs.yml, the one list of languages) and the default one."""
    site = Site.of(config)
    return site.languages, site.default


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

    def site_inputs(self, config: MkDocsConfig) -> list[Path]:
        """The datasets: pages other than the data pages show them too (the home page's featured dataset)."""
        return [self._root(config) / self.config.data_dir]

    def _root(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path).parent

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Validates and exports every dataset and makes the catalog, indexes, release feeds and bulk ZIP once per
        site (main build), reusing them while data/, the site URL and the languages hold; nothing if the site is
        unchanged."""
        if not Site.of(config).main_build or Site.of(config).unchanged:
            return
        data_dir = self._root(config) / self.config.data_dir
        if not data_dir.is_dir():
            self._datasets, self._files = [], {}
            return
        languages, default = languages_of(config)
        inputs = (fingerprint(data_dir), config.site_url, tuple(languages))
        if inputs == self._inputs:  # mkdocs serve rebuilds after an edit elsewhere: everything here holds
            return
        datasets, findings = load_all(data_dir, languages)
        if findings:
            raise PluginError(str(FindingsError(findings)))
        self._catalog_meta = load_catalog(data_dir, languages)[0]
        cache = Site.of(config).cache("data")
        self._exports, folders, findings = export_all(datasets, data_dir, cache)
        if findings:
            raise PluginError(str(FindingsError(findings)))
        self._files = {}
        for dataset in datasets:
            for version in dataset.versions:
                out = folders[dataset.id][version.version]
                for name in [*self._exports[dataset.id][version.version].files, "SHA256SUMS"]:
                    for folder in addresses.folders(dataset, version):
                        self._files[f"{folder}{name}"] = out / name
        self._site_files(datasets, folders, cache, config.site_url, languages, default, data_dir, self._root(config))
        self._datasets = datasets
        self._inputs = inputs

    def _site_files(
        self,
        datasets: list[Dataset],
        folders: dict[str, dict[str, Path]],
        cache: Path,
        site_url: str,
        languages: list[str],
        default: str,
        data_dir: Path,
        root: Path,
    ) -> None:
        """The catalog, index.json, data.json, release feeds and bulk ZIP, in a folder keyed by their content; the
        texts are made again only when data/, the code or the site's address and languages changed (the catalog's
        RDF serialisation alone took a fifth of a one-page edit's work before the languages build)."""
        meta = self._catalog_meta
        latest = {d.id: folders[d.id][d.latest.version] for d in datasets}
        bulk_key = hashlib.sha256(
            "".join(f"{d.id}{p}" for d, p in ((d, latest[d.id]) for d in datasets)).encode() + repr(meta).encode()
        ).hexdigest()[:16]
        bulk = cache / f"bulk-{bulk_key}.zip"
        zipped = read_verified(bulk)  # made here with the cache key, or made again
        if zipped is None:
            entry.bulk_zip(datasets, latest, meta, bulk, languages)
            zipped = vouch(bulk)
        digest = hashlib.sha256(zipped).hexdigest()
        bulk_info = {"url": f"{site_url}{entry.BULK}", "bytes": len(zipped), "sha256": digest,
                     "contents": "the latest version of every dataset, with its metadata"}  # fmt: skip
        exported = {d: {v: summary.files for v, summary in versions.items()} for d, versions in self._exports.items()}
        key = hashlib.sha256(
            tools_digest(root).encode()  # the feeds' and the catalog's writers (vnportal, rdflib)
            + tree_digest(data_dir)
            + json.dumps([site_url, languages, default, bulk_info]).encode()
            + json.dumps(exported, sort_keys=True, default=str).encode()  # what the texts say of each file
        ).hexdigest()[:24]

        def make() -> bytes:
            from vnportal.data import catalog  # rdflib: imported only by a build that makes the catalog

            jsonld, turtle = catalog.serialise(catalog.build(datasets, self._exports, site_url, meta, languages))
            texts = {
                "data/catalog.jsonld": jsonld,
                "data/catalog.ttl": turtle,
                "data/index.json": entry.dumps(
                    entry.index(datasets, self._exports, site_url, meta, languages, default, bulk_info)
                ),
                "data/data.json": entry.dumps(entry.data_json(datasets, self._exports, site_url, meta, languages)),
            }
            for lang in languages:
                texts[f"{url_prefix(lang, default)}data/releases.xml"] = entry.release_feed(
                    datasets, site_url, meta, lang, default
                ).decode()
            return json.dumps(texts, ensure_ascii=False).encode()

        texts: dict[str, str] = json.loads(cached(cache / f"texts-{key}.json", make))
        folder = cache / f"site-{hashlib.sha256(repr(sorted(texts.items())).encode()).hexdigest()[:16]}"
        for dest, text in texts.items():
            path = folder / dest
            data = text.encode("utf-8")
            try:  # the folder is the cache's: a file in it may have been changed (or swept by another build)
                intact = path.read_bytes() == data and touch(path)
            except OSError:
                intact = False
            if not intact:
                path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(path, data)
            self._files[dest] = path
        self._files[entry.BULK] = bulk

    def _pages(self) -> dict[str, tuple[str, Dataset | None, str]]:
        """Every generated page (docs-relative path in a language folder) -> its template, dataset, task group:
        the catalog, a page per dataset, and for a dataset read as a programme a page per task group and one
        of the tasks by lead agency."""
        pages: dict[str, tuple[str, Dataset | None, str]] = {"data/index.md": ("data-catalog.html", None, "")}
        for dataset in self._datasets:
            pages[f"data/{dataset.id}/index.md"] = ("dataset.html", dataset, "")
            if dataset.meta.get("view") == "programme":
                pages[f"{agencies_page(f'data/{dataset.id}/')}index.md"] = ("programme-agencies.html", dataset, "")
                for code in (group["code"] for group in dataset.meta["codelists"]["group"]):
                    pages[f"{group_page(f'data/{dataset.id}/', code)}index.md"] = (
                        "programme-group.html",
                        dataset,
                        code,
                    )
        return pages

    def _page_meta(self, site: Site, lang: str, template: str, dataset: Dataset | None, code: str) -> dict[str, Any]:
        ui = site.ui(lang)["data"]
        if dataset is None:
            title, description = self._catalog_meta["title"][lang], self._catalog_meta["description"][lang]
        elif template == "programme-group.html":
            records = self._exports[dataset.id][dataset.latest.version].records
            group = next(g for g in programme(dataset.meta, records, lang, "")["groups"] if g["code"] == code)
            title = f"{code}. {group['name']}"
            description = ui["group_description"].format(
                code=code, group=group["name"], count=len(group["tasks"]), title=dataset.text("title", lang)
            )
        elif template == "programme-agencies.html":
            title = f"{ui['by_agency']} — {dataset.text('title', lang)}"
            description = ui["agencies_description"].format(title=dataset.text("title", lang))
        else:
            title, description = dataset.text("title", lang), dataset.text("description", lang)
        return {"title": title, "description": description[:300], "type": "topic", "template": template}

    @event_priority(-110)  # after static-i18n (-100) has sorted the language's files
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Adds the published data files (in the default language's build) and the catalog page, a page per
        dataset, and a programme's pages per task group and by lead agency, in every language."""
        if not self._datasets or Site.of(config).unchanged:
            return files
        site = Site.of(config)
        if site.default_build:
            for dest, source in sorted(self._files.items()):
                files.append(File.generated(config, dest, abs_src_path=str(source)))
        for norm, (template, dataset, code) in self._pages().items():
            meta = {lang: self._page_meta(site, lang, template, dataset, code) for lang in site.build_languages}
            files.append(in_every_language(config, norm, meta, in_nav=not template.startswith("programme-")))
        return files

    def on_page_context(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any]:
        """Gives the data catalog page its dataset views and JSON-LD, a dataset's page its view, and a task
        group's page its tasks."""
        template = page.meta.get("template")
        if template not in ("dataset.html", "data-catalog.html", "programme-group.html", "programme-agencies.html"):
            return context
        site = Site.of(config)
        lang = site.lang
        ui = config.extra["ui"]["data"]
        prefix = site.prefix(lang)
        if template == "data-catalog.html":
            views = [page_view(d, self._exports[d.id], lang, prefix, config.site_url, self._catalog_meta, ui, brief=True)
                     for d in self._datasets]  # fmt: skip
            context["data_catalog"] = views
            context["data_catalog_json_ld"] = catalog_json_ld(views, lang, prefix, config.site_url, self._catalog_meta)
            context["data_feed"] = f"{prefix}data/releases.xml"
        else:
            _, dataset, code = self._pages()[norm_src_uri(page.file, "")]
            assert dataset is not None
            view = page_view(dataset, self._exports[dataset.id], lang, prefix, config.site_url, self._catalog_meta, ui)
            context["dataset"] = view
            if code:
                context["group"] = programme_group(view, code)
        context["data_bulk"] = entry.BULK
        return context

    def card(self, dataset_id: str, lang: str, config: MkDocsConfig) -> dict[str, Any] | None:
        """A dataset as a card (the home page's featured dataset): title, description, size and date."""
        dataset = next((d for d in self._datasets if d.id == dataset_id), None)
        if dataset is None:
            return None
        ui = config.extra["ui"]["data"]
        prefix = Site.of(config).prefix(lang)
        view = page_view(
            dataset, self._exports[dataset.id], lang, prefix, config.site_url, self._catalog_meta, ui, brief=True
        )
        return {
            "title": view["title"],
            "description": view["description"],
            "url": view["page"],
            "meta": f"{ui['rows']}: {view['rows']} · {ui['version']} {view['version']} · {view['updated']}",
        }
