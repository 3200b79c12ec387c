"""MkDocs plugin ``vnportal/media``: pictures from the media library, published with their rights.

- ``![…](../../assets/media/name.jpg)`` in content becomes a ``<figure>``: a ``<picture>`` with AVIF and
  WebP sizes and a JPEG fallback (width, height, lazy loading), and a caption with the credit and licence;
  the alternative text comes from the metadata in the page's language unless the editor wrote one.
- ``image: name.jpg`` in front matter gives the page a hero (the 16:9 crop around the focal point,
  preloaded) and its card a picture.
- ``/media/`` in every language lists every item: the pictures, the original illustrations and the brand
  marks, with caption, credit, licence, downloads and their sizes; ``generated: credits`` lists the credits.

Every file published from the library is made by the build, with the rights in its XMP; the originals and
the metadata files are never copied as they are. The sizes are made once (cached by content) before the
languages are built, and every language's pages link to the same files.
"""

from __future__ import annotations

import hashlib
import logging
import posixpath
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from vnportal.brand import illustrations
from vnportal.core.cache import cached
from vnportal.core.findings import FindingsError
from vnportal.core.generated import in_every_language
from vnportal.core.site import Site
from vnportal.media.library import MediaItem, crop_box, encode, load_library, widths_for
from vnportal.media.xmp import packet
from vnportal.plugins.media.config import MediaConfig

FORMATS = (("avif", "AVIF", "image/avif"), ("webp", "WEBP", "image/webp"))
FALLBACK_WIDTH = 960
ENCODER = "1"  # bump when the encoded bytes change


@dataclass(frozen=True)
class Published:
    """The files made for one picture: full sizes and 16:9 crops, per format, and the fallback."""

    item: MediaItem
    full: dict[str, list[tuple[str, int]]]  # format -> (site path, width)
    wide: dict[str, list[tuple[str, int]]]
    fallback: str  # site path of the JPEG (or the SVG itself)
    wide_fallback: str
    sizes: dict[str, int]  # site path -> bytes
    dark: str = ""  # an illustration's dark-scheme file


class _Figures(Treeprocessor):
    def __init__(self, md: Markdown, plugin: MediaPlugin) -> None:
        super().__init__(md)
        self.plugin = plugin

    def run(self, root: ET.Element) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "img":
                    alone = parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip()
                    figure = self.plugin.figure(child, alone=alone and not (child.tail or "").strip())
                    if figure is not None:
                        figure.tail = child.tail
                        parent.remove(child)
                        parent.insert(index, figure)
            if parent.tag == "p" and len(parent) == 1 and parent[0].tag == "figure" and not (parent.text or "").strip():
                parent.tag, parent.attrib = "div", {"class": "portal-figure-block"}  # a <figure> cannot sit in a <p>


class _Extension(Extension):
    def __init__(self, plugin: MediaPlugin) -> None:
        super().__init__()
        self.plugin = plugin

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_Figures(md, self.plugin), "vnportal_media", 1)  # before MkDocs' relpath (0)


class _QuietExcluded(logging.Filter):
    """Pages of other languages link to the library's files that only the default language's build writes."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "which is excluded from the built site" not in str(record.msg) or "assets/media/" not in str(record.msg)


class MediaPlugin(BasePlugin[MediaConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.items: dict[str, MediaItem] = {}
        self._published: dict[str, Published] = {}
        self._files: dict[str, Path] = {}  # site path -> cached file
        self._illustrations: list[dict[str, Any]] = []
        self._page: Page | None = None
        self._config: MkDocsConfig | None = None
        self._lang = ""
        self._languages: list[str] = []
        self._ui: dict[str, dict[str, str]] = {}

    def _ui_of(self, lang: str, config: MkDocsConfig) -> dict[str, str]:
        return self._ui.get(lang) or config.extra["ui"]["media"]

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Adds the tree processor that turns the library's pictures in content into figures, and hushes MkDocs'
        notice about links to library files that only the default language's build writes."""
        site = Site.of(config)
        self._languages = site.languages
        self._ui = {code: site.ui(code).get("media") for code in site.languages}
        if not any(isinstance(e, _Extension) for e in config.markdown_extensions):
            config.markdown_extensions.append(_Extension(self))
        pages_log = logging.getLogger("mkdocs.structure.pages")
        if not any(isinstance(f, _QuietExcluded) for f in pages_log.filters):  # on_config runs once per language
            pages_log.addFilter(_QuietExcluded())
        return config

    # -- the library's files, made once per build (cached by content) -------------------------------------

    def _cache(self, config: MkDocsConfig) -> Path:
        return Site.of(config).cache("media")

    def _publish(self, item: MediaItem, ui: dict[str, str], cache: Path) -> Published:
        source = hashlib.sha256(item.path.read_bytes()).hexdigest()[:20]
        rights = item.xmp(self._languages, ui)
        key = hashlib.sha256(f"{ENCODER}{source}{rights}{self.config.quality}".encode()).hexdigest()[:20]
        folder = self.config.folder
        sizes: dict[str, int] = {}

        def made(site_path: str, make: Any) -> str:
            data = cached(cache / f"{key}-{posixpath.basename(site_path)}", make)
            self._files[site_path] = cache / f"{key}-{posixpath.basename(site_path)}"
            sizes[site_path] = len(data)
            return site_path

        if not item.raster:  # SVG: published once, with its rights added as XMP metadata
            svg = item.path.read_bytes()
            path = made(f"{folder}/{item.name}", lambda: _svg_with_xmp(svg, rights))
            return Published(item, {}, {}, path, path, sizes)
        full, wide = {}, {}
        for ext, fmt, _ in FORMATS:
            full[ext] = [(made(f"{folder}/{item.stem}-{w}.{ext}", lambda w=w, fmt=fmt: encode(item, w, fmt, rights, self.config.quality)), w)
                         for w in widths_for(item, self.config.widths)]  # fmt: skip
            wide[ext] = [(made(f"{folder}/{item.stem}-wide-{w}.{ext}", lambda w=w, fmt=fmt: encode(item, w, fmt, rights, self.config.quality, True)), w)
                         for w in widths_for(item, self.config.widths, crop=True)]  # fmt: skip
        fallback_w = min(FALLBACK_WIDTH, item.width)
        fallback = made(f"{folder}/{item.stem}.jpg", lambda: encode(item, fallback_w, "JPEG", rights, 85))
        wide_fallback = made(
            f"{folder}/{item.stem}-wide.jpg", lambda: encode(item, FALLBACK_WIDTH, "JPEG", rights, 85, True)
        )
        return Published(item, full, wide, fallback, wide_fallback, sizes)

    @event_priority(-10)  # after vnportal/brand loaded the tokens; before the languages are built (and forked)
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Makes every published size of the library's pictures and the illustrations' files once per site (main
        build, cached by content, unless the site is unchanged); the library's findings fail the build."""
        if not Site.of(config).main_build or Site.of(config).unchanged:
            return
        docs = Path(config.docs_dir)
        items, findings = load_library(docs / self.config.folder, self._languages, Path.cwd())
        if findings:
            raise PluginError(str(FindingsError(findings)))
        self.items, self._files = items, {}
        cache = self._cache(config)
        ui = self._ui_of(self._languages[0], config)
        self._published = {name: self._publish(item, ui, cache) for name, item in items.items()}
        self._illustrations = self._illustration_files(config, cache)

    def _illustration_files(self, config: MkDocsConfig, cache: Path) -> list[dict[str, Any]]:
        """The original illustrations as files (light and dark), with their rights: listed on the media page,
        and pictures a page may show as its hero (``image: illustration-drum.svg``)."""
        brand = config.plugins["vnportal/brand"].brand
        creator = config.site_author or config.site_name
        out = []
        for motif in illustrations.MOTIFS:
            paths = {}
            titles = {}
            for lang in self._languages:
                ui = self._ui_of(lang, config)
                titles[lang] = ui["illustration"].format(motif=ui["motifs"][motif])
            for scheme in ("light", "dark"):
                site_path = f"{self.config.folder}/illustration-{motif}-{scheme}.svg"
                rights = packet(creator=creator, credit=creator, rights="CC BY 4.0", source=config.site_url,
                                licence_url="https://creativecommons.org/licenses/by/4.0/", titles=titles,
                                descriptions=titles, default=self._languages[0])  # fmt: skip
                name = f"{hashlib.sha256((ENCODER + rights + motif + scheme + brand.digest).encode()).hexdigest()[:20]}.svg"
                data = cached(
                    cache / name,
                    lambda m=motif, s=scheme, r=rights: illustrations.standalone(
                        m, brand, s, m, f"<metadata>{r}</metadata>"
                    ),
                )
                self._files[site_path] = cache / name
                paths[scheme] = (site_path, len(data))
            out.append({"motif": motif, "files": paths})
            meta = {
                "caption": titles, "alt": titles, "creator": creator, "source": config.site_url,
                "licence": "CC-BY-4.0", "date": None,
            }  # fmt: skip
            item = MediaItem(f"illustration-{motif}.svg", Path(paths["light"][0]), meta,
                             illustrations.WIDTH, illustrations.HEIGHT)  # fmt: skip
            self._published[item.name] = Published(
                item,
                {},
                {},
                paths["light"][0],
                paths["light"][0],
                {p: n for p, n in paths.values()},
                dark=paths["dark"][0],
            )
        return out

    @event_priority(-115)  # after static-i18n (-100) has sorted the language's files
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Publishes only what the build made from the library (written by the default language's build; the
        originals and metadata files are dropped) and adds the /media/ page in every language."""
        if Site.of(config).unchanged:  # its main build has no files of the library's, and needs none
            return files
        folder = f"{self.config.folder}/"
        for file in [f for f in files if f.src_uri.startswith(folder)]:
            files.remove(file)  # the originals and their metadata: only what the build made is published
        default = Site.of(config).default_build
        for site_path, source in sorted(self._files.items()):
            file = File.generated(config, site_path, abs_src_path=str(source))
            if not default:  # linked from every language, written once (the default language's build)
                file.inclusion = InclusionLevel.EXCLUDED
            files.append(file)
        site = Site.of(config)
        meta = {}
        for code in site.languages:
            ui = site.ui(code)["media"]
            meta[code] = {"title": ui["title"], "description": ui["description"], "type": "topic",
                                 "template": "media.html"}  # fmt: skip
        files.append(in_every_language(config, "media/index.md", meta, in_nav=False))
        return files

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Adds the ``portal_basename`` filter (a download's file name)."""
        env.filters["portal_basename"] = posixpath.basename
        return env

    # -- pictures in content and as page heroes -----------------------------------------------------------

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Tells the figure tree processor which page (and language) it converts next, and gives a page with
        ``image:`` its card picture."""
        self._page, self._config = page, config
        self._lang = Site.of(config).page_lang(page)
        image = page.meta.get("image")
        if isinstance(image, str) and image in self._published:
            page.meta["portal_card_image"] = self.picture_data(image, self._lang, wide=True)
        return markdown

    def _item_of(self, src: str) -> Published | None:
        if self._page is None or "://" in src or src.startswith(("/", "data:", "#")):
            return None
        uri = posixpath.normpath(posixpath.join(posixpath.dirname(self._page.file.src_uri), src.split("#")[0]))
        folder = f"{self.config.folder}/"
        uri = uri[uri.find(folder) :] if folder in uri else uri  # a language folder's ../ reaches the shared folder
        return self._published.get(uri.removeprefix(folder)) if uri.startswith(folder) else None

    def picture_data(self, name: str, lang: str, wide: bool = False) -> dict[str, Any]:
        """What a template needs to draw a picture (site paths, widths, alt text, size)."""
        published = self._published[name]
        item = published.item
        sets = published.wide if wide else published.full
        if wide and item.raster:
            left, top, right, bottom = crop_box(item)
            width, height = right - left, bottom - top
        else:
            width, height = item.width, item.height
        return {
            "sources": [
                {"type": mime, "srcset": [(path, w) for path, w in sets.get(ext, [])]}
                for ext, _, mime in FORMATS
                if sets.get(ext)
            ],
            "src": published.wide_fallback if wide else published.fallback,
            "alt": item.text("alt", lang),
            "width": width or "",
            "height": height or "",
        }

    def figure(self, img: ET.Element, alone: bool) -> ET.Element | None:
        """``<figure>`` (or, inside a sentence, ``<picture>`` and credit) for a picture of the library."""
        published = self._item_of(img.get("src", ""))
        if published is None or self._page is None or self._config is None:
            return None
        item = published.item
        ui = self._ui_of(self._lang, self._config)
        data = self.picture_data(item.name, self._lang)
        picture = ET.Element("picture")
        for source in data["sources"]:
            srcset = ", ".join(f"{get_relative_url(path, self._page.url)} {w}w" for path, w in source["srcset"])
            attributes = {"type": source["type"], "srcset": srcset, "sizes": self.config.sizes}
            if source.get("media"):
                attributes["media"] = source["media"]
            ET.SubElement(picture, "source", attributes)
        src = posixpath.relpath(data["src"], posixpath.dirname(self._page.file.src_uri) or ".")  # MkDocs makes it a URL
        attributes = {"src": src, "alt": img.get("alt") or data["alt"], "loading": "lazy", "decoding": "async"}
        if data["width"]:
            attributes |= {"width": str(data["width"]), "height": str(data["height"])}
        ET.SubElement(picture, "img", attributes)
        credit = ET.Element("span", {"class": "portal-credit"})
        credit.text = item.credit(ui)
        if not alone:
            wrapper = ET.Element("span", {"class": "portal-inline-media"})
            wrapper.extend([picture, credit])
            return wrapper
        figure = ET.Element("figure", {"class": "portal-media"})
        figure.append(picture)
        caption = ET.SubElement(figure, "figcaption")
        caption.text = item.text("caption", self._lang) + " "
        caption.append(credit)
        return figure

    @event_priority(-40)
    def on_page_context(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any]:
        """Gives a page with ``image:`` its hero picture and credit, and the /media/ and credits pages the library's
        listing."""
        lang = Site.of(config).page_lang(page)
        ui = self._ui_of(lang, config)
        image = page.meta.get("image")
        context["portal_hero_image"] = None
        if isinstance(image, str) and image in self._published:
            item = self._published[image].item
            context["portal_hero_image"] = self.picture_data(image, lang, wide=True) | {
                "caption": item.text("caption", lang), "credit": item.credit(ui)}  # fmt: skip
        if page.meta.get("template") == "media.html" or page.meta.get("generated") == "credits":
            context["portal_media"] = self._listing(lang, ui, config)
        return context

    def _listing(self, lang: str, ui: dict[str, str], config: MkDocsConfig) -> list[dict[str, Any]]:
        """Every item of the media page (and of the credits page): pictures, then the illustrations."""
        out = []
        for name, published in sorted(self._published.items()):
            if published.dark:
                continue  # an illustration: listed below with both its files
            item = published.item
            out.append({
                "caption": item.text("caption", lang), "alt": item.text("alt", lang), "credit": item.credit(ui),
                "licence": item.licence_name(ui), "licence_url": item.licence_url(),
                "thumbnail": self.picture_data(name, lang, wide=True),
                "downloads": [{"path": path, "bytes": size} for path, size in sorted(published.sizes.items())
                              if path.endswith((".jpg", ".svg")) or ("-wide-" not in path and path.endswith(".webp"))],
            })  # fmt: skip
        for art in self._illustrations:
            caption = ui["illustration"].format(motif=ui["motifs"][art["motif"]])
            out.append({
                "caption": caption, "alt": caption, "credit": ui["credit"].format(creator=config.site_author or config.site_name, licence="CC BY 4.0"),
                "licence": "CC BY 4.0", "licence_url": "https://creativecommons.org/licenses/by/4.0/",
                "art": illustrations.inline(art["motif"], art["motif"]),
                "downloads": [{"path": path, "bytes": size, "label": ui[scheme]} for scheme, (path, size) in art["files"].items()],
            })  # fmt: skip
        return out


def _svg_with_xmp(svg: bytes, rights: str) -> bytes:
    """An SVG with its rights as XMP in ``<metadata>`` right after the root element's start tag."""
    text = svg.decode("utf-8")
    end = text.find(">", text.find("<svg")) + 1
    return (text[:end] + f"<metadata>{rights}</metadata>" + text[end:]).encode("utf-8")
