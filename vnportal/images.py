"""MkDocs plugin ``vnportal/images``: every raster image in content is served as responsive WebP.

An editor writes ``![What the photo shows](photo.jpg)``. The page gets a ``<picture>`` whose WebP
``srcset`` offers the image at the configured widths (never wider than the original), and an ``<img>``
that keeps the original as the fallback, with its width and height (no layout shift when it loads),
``loading="lazy"`` and ``decoding="async"``. Variants are encoded once per image content and width
(cached in ``.cache/images``) and placed beside the original in the site.

The work happens in a Markdown tree processor, before MkDocs turns the source-relative ``src`` into
a page-relative URL; missing images, alt text and the size budget are ``make check``'s findings.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from PIL import Image

from vnportal.cache import cached, place
from vnportal.tree import leaves

RASTER = (".jpg", ".jpeg", ".png", ".webp")


class ImagesConfig(Config):
    widths = c.ListOfItems(c.Type(int), default=[480, 960, 1600])
    quality = c.Type(int, default=80)
    #: How wide the image is shown: the content column of Material's layout, or the whole phone screen.
    sizes = c.Type(str, default="(min-width: 76.25em) 37rem, 100vw")
    cache_dir = c.Type(str, default=".cache")


def variant(source: Path, width: int, quality: int, cache: Path) -> bytes:
    """The WebP of ``source`` at ``width`` pixels (aspect kept), from the cache (verified) or encoded once."""
    data = source.read_bytes()

    def encode() -> bytes:
        with Image.open(io.BytesIO(data)) as image:
            image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
            if image.width > width:
                image = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            image.save(out, format="WEBP", quality=quality, method=4)
            return out.getvalue()

    return cached(cache / f"{hashlib.sha256(data).hexdigest()[:24]}-{width}-q{quality}.webp", encode)


class _Responsive(Treeprocessor):
    def __init__(self, md: Markdown, plugin: ImagesPlugin) -> None:
        super().__init__(md)
        self.plugin = plugin

    def run(self, root: ET.Element) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "img":
                    picture = self.plugin.picture(child)
                    if picture is not None:
                        parent.remove(child)
                        parent.insert(index, picture)


class _Extension(Extension):
    def __init__(self, plugin: ImagesPlugin) -> None:
        super().__init__()
        self.plugin = plugin

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_Responsive(md, self.plugin), "vnportal_images", 1)  # before MkDocs' relpath (0)


class ImagesPlugin(BasePlugin[ImagesConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._page: Page | None = None
        self._files: Files | None = None
        self._cache = Path(".cache") / "images"
        self._site = Path("site")
        self._placed: dict[str, list[tuple[str, int, str]]] = {}  # page -> (image, width, path in the site)

    # -- vnportal.render_cache.RenderSideEffects: a cached page's variants are placed again

    def page_side_effects(self, page: Page, config: MkDocsConfig) -> list[tuple[str, int, str]]:
        return self._placed.get(page.file.src_uri, [])

    def replay_side_effects(self, page: Page, effects: list[tuple[str, int, str]], config: MkDocsConfig) -> None:
        """Place a cached page's variants again; an entry naming anything outside docs/ or site/ is ignored
        (the cache is input: it cannot make the build read or write elsewhere)."""
        docs, site = Path(config.docs_dir).resolve(), Path(config.site_dir).resolve()
        for source, width, target in effects:
            dest = (site / target).resolve()
            if leaves(Path(source), docs) or leaves(dest, site) or width not in self.config.widths:
                continue
            place(variant(Path(source), width, self.config.quality, self._cache), dest)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._cache = Path(config.config_file_path).parent / self.config.cache_dir / "images"
        self._site = Path(config.site_dir)
        if not any(isinstance(e, _Extension) for e in config.markdown_extensions):  # once, whatever the language
            config.markdown_extensions.append(_Extension(self))
        return config

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        self._page, self._files = page, files  # the page the tree processor is about to see
        self._placed[page.file.src_uri] = []
        return markdown

    def _image_file(self, src: str) -> File | None:
        if self._page is None or self._files is None or "://" in src or src.startswith(("/", "data:", "#")):
            return None
        if posixpath.splitext(src.split("?")[0].split("#")[0])[1].lower() not in RASTER:
            return None
        uri = posixpath.normpath(posixpath.join(posixpath.dirname(self._page.file.src_uri), src.split("#")[0]))
        file = self._files.get_file_from_path(uri)
        return file if file is not None and file.abs_src_path and Path(file.abs_src_path).is_file() else None

    def picture(self, img: ET.Element) -> ET.Element | None:
        """``<picture>`` with WebP variants for a local raster image, or None to leave ``img`` alone."""
        file = self._image_file(img.get("src", ""))
        if file is None:
            return None
        assert self._page is not None and file.abs_src_path and file.abs_dest_path
        source = Path(file.abs_src_path)
        with Image.open(source) as image:
            width, height = image.size
        widths = sorted({w for w in self.config.widths if w < width} | {min(width, max(self.config.widths))})
        stem = posixpath.splitext(posixpath.basename(file.dest_uri))[0]
        folder = posixpath.dirname(file.url_relative_to(self._page.file))
        srcset = []
        for w in widths:
            name = f"{stem}-{w}w.webp"
            target = Path(file.abs_dest_path).with_name(name)
            place(variant(source, w, self.config.quality, self._cache), target)
            self._placed[self._page.file.src_uri].append((str(source), w, target.relative_to(self._site).as_posix()))
            srcset.append(f"{posixpath.join(folder, name)} {w}w")
        picture = ET.Element("picture")
        ET.SubElement(
            picture, "source", {"type": "image/webp", "srcset": ", ".join(srcset), "sizes": self.config.sizes}
        )
        attributes: dict[str, Any] = {**img.attrib, "width": str(width), "height": str(height)}
        attributes.setdefault("loading", "lazy")
        attributes.setdefault("decoding", "async")
        picture.append(ET.Element("img", attributes))
        return picture
