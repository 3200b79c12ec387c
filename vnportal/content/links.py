"""``make check`` for what a page points at, and for the raw-HTML policy, without building the site.

Every page is rendered with the site's own Markdown extensions (from mkdocs.yml), as the build does,
and the rendered tree says which anchors the page has and which pages, anchors and files it links to.
A link to a page of the same language that does not exist is fine when the default language has it:
the build shows that page from the original. The rendered HTML also goes through the same policy as
the build's sanitiser (``vnportal.plugins.safety.plugin``), so forbidden markup is reported here too, with its line.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import markdown
from markdown.treeprocessors import Treeprocessor

from vnportal.content import frontmatter
from vnportal.content.htmlpolicy import embed_videos, findings_for
from vnportal.core.findings import Finding
from vnportal.core.messages import tr

FENCE_RE = re.compile(r"^(```|~~~)")


@dataclass
class Rendered:
    shown: str
    source: str
    anchors: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)  # link addresses as written (images: checks._image_findings)
    html: str = ""


class _Collect(Treeprocessor):
    def __init__(self, md: markdown.Markdown, page: Rendered) -> None:
        super().__init__(md)
        self.page = page

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            if element.get("id"):
                self.page.anchors.add(element.get("id"))
            if element.tag == "a" and element.get("href"):
                self.page.links.append(element.get("href"))


def render(source: str, shown: str, extensions: list[Any], configs: dict[str, Any]) -> Rendered:
    page = Rendered(shown, source)
    md = markdown.Markdown(extensions=extensions, extension_configs=configs)
    md.treeprocessors.register(_Collect(md, page), "vnportal_collect", 0)  # after toc has set the ids
    page.html = md.convert(frontmatter.split(source).body)
    return page


def _line(source: str, text: str) -> int:
    index = source.find(text)
    return source.count("\n", 0, index) + 1 if index >= 0 else 1


def check_links(
    docs_dir: Path,
    pages: dict[Path, Rendered],
    languages: list[str],
    default: str,
    services: list[dict[str, Any]],
) -> list[Finding]:
    findings: list[Finding] = []
    for path, page in pages.items():
        judged = embed_videos(page.html, services, None) if services else page.html
        findings += findings_for(judged, page.source, page.shown)
        rel = path.relative_to(docs_dir)
        lang = rel.parts[0]
        for address in page.links:
            parts = urlsplit(address)
            if parts.scheme or parts.netloc or address.startswith(("/", "mailto:", "tel:")):
                continue
            line = _line(page.source, address)
            target_rel = posixpath.normpath(posixpath.join(posixpath.dirname(rel.as_posix()), unquote(parts.path)))
            if target_rel == ".." or target_rel.startswith("../"):
                findings.append(Finding(page.shown, line, tr("link to {address} leaves the docs folder", address=address),
                                        tr("link to a page or file inside docs/, or to a full https:// address")))  # fmt: skip
                continue
            if not parts.path:
                target = path
            else:
                target = docs_dir / target_rel
                if not target.exists() and lang != default and target_rel.startswith(f"{lang}/"):
                    target = docs_dir / default / target_rel.removeprefix(f"{lang}/")  # shown from the original
                if target.is_dir():
                    target = target / "index.md"
                if not target.exists():
                    findings.append(Finding(page.shown, line, tr("link to {address}: there is no {target}", address=address, target=target_rel),
                                            tr("check the name and folder; link to the page's .md file, e.g. ../economy/index.md")))  # fmt: skip
                    continue
            anchor = unquote(parts.fragment)
            if anchor and target in pages and anchor not in pages[target].anchors:
                known = ", ".join(f"#{a}" for a in sorted(pages[target].anchors)[:6])
                findings.append(Finding(page.shown, line, tr("link to {address}: no heading or anchor #{anchor} there", address=address, anchor=anchor),
                                        tr("use one of {anchors}", anchors=known) if known else tr("link to the page without #…")))  # fmt: skip
    return findings
