"""MkDocs plugin ``vnportal/fonts``: the self-hosted web fonts, published once for every language.

No font is requested from anywhere else. The faces land at the same address whatever the language, so only
the default language's build adds them; each face's address carries its digest, so that it can be served as
immutable.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from vnportal.core.cache import cached
from vnportal.core.site import Site
from vnportal.plugins.fonts.config import FontsConfig

FONT_URL_RE = re.compile(r"url\((?P<path>[^)?#]+\.woff2)\)")


def _versioned(match: re.Match[str], base: Path) -> str:
    """``url(x.woff2)`` → ``url(x.woff2?v=<digest>)``: a face that changes gets a new address, so every face
    can be served as immutable (a page view after the first finds the fonts in the browser's cache at once,
    and text never moves when they arrive)."""
    digest = hashlib.sha256((base / match["path"]).read_bytes()).hexdigest()[:10]
    return f"url({match['path']}?v={digest})"


class FontsPlugin(BasePlugin[FontsConfig]):
    supports_multiple_instances = False

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Adds the self-hosted web fonts to the default language's build, each face's address carrying its digest so
        it can be cached as immutable."""
        if not Site.of(config).default_build:
            return files
        fonts = Path(self.config.fonts_dir)
        for src in sorted(p for p in fonts.rglob("*") if p.is_file()):
            dest = f"{self.config.fonts_dest}/{src.relative_to(fonts).as_posix()}"
            if src.suffix == ".css":  # the faces' addresses carry their content's digest: cached for good
                css = FONT_URL_RE.sub(lambda m, base=src.parent: _versioned(m, base), src.read_text("utf-8"))
                data = css.encode("utf-8")
                folder = Site.of(config).cache("fonts") / "fonts-css"
                path = folder / f"{hashlib.sha256(data).hexdigest()[:16]}-{src.name}"
                cached(path, lambda data=data: data)  # a real file: static-i18n sorts files by their source
                files.append(File.generated(config, dest, abs_src_path=str(path)))
            else:
                files.append(File.generated(config, dest, abs_src_path=str(src.resolve())))
        return files
