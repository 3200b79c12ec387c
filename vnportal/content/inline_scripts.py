"""Inline scripts: only those the templates produce are hashed into the Content-Security-Policy.

The build never trusts what it finds in its own output. Every executable inline ``<script>`` of a template
(Material's and the portal's: reviewed code, never content) is wrapped when the template is compiled in a
filter that records the digest of what it renders. A page whose HTML holds an inline script that no template
rendered fails the build, naming the page: whatever slipped past escaping and sanitising cannot run, and
cannot get itself allowed by the policy either.
"""

from __future__ import annotations

import base64
import hashlib
import re

from jinja2.ext import Extension
from markupsafe import Markup

#: An inline script in a template: no ``src``, and not a JSON data block (those are never executed).
TEMPLATE_SCRIPT_RE = re.compile(
    r"(<script(?![^>]*\bsrc\s*=)(?![^>]*\btype\s*=\s*[\"']?application/(?:ld\+)?json)[^>]*>)(.*?)(</script>)",
    re.DOTALL | re.IGNORECASE,
)
FILTER = "portal_inline_script"
INLINE_SCRIPT_RE = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
DATA_SCRIPT_RE = re.compile(r"type=[\"']?application/(?:ld\+)?json", re.IGNORECASE)


def csp_hash(body: str) -> str:
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def script_hashes(html: str) -> set[str]:
    """CSP source expressions of the inline scripts a page would execute (JSON data blocks are not)."""
    found = set()
    for match in INLINE_SCRIPT_RE.finditer(html):
        attrs = match["attrs"]
        if re.search(r"\bsrc\s*=", attrs) or DATA_SCRIPT_RE.search(attrs):
            continue
        found.add(csp_hash(match["body"]))
    return found


class MarkInlineScripts(Extension):
    """Wraps the body of every inline script of a template in ``{% filter portal_inline_script %}``."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return TEMPLATE_SCRIPT_RE.sub(rf"\1{{% filter {FILTER} %}}\2{{% endfilter %}}\3", source)


class TemplateScripts:
    """The digests of the inline scripts the templates rendered in one build (owned by a plugin)."""

    def __init__(self) -> None:
        self.hashes: set[str] = set()

    def record(self, body: str) -> Markup:
        self.hashes.add(csp_hash(body))
        return Markup(body)

    def unknown(self, html: str) -> set[str]:
        """Hashes of inline scripts in ``html`` that no template rendered."""
        return script_hashes(html) - self.hashes
