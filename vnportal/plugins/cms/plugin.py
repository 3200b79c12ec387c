"""MkDocs plugin ``vnportal/cms``: the browser CMS at ``/admin/`` (Decap CMS, copied from node_modules).

Written once per site, after every language: ``index.html`` with its own Content-Security-Policy (Decap
needs more than the site's strict policy, and only this page gets it), ``config.yml`` generated from the
front-matter schema (``vnportal.cms.config``), the portal's additions (``portal-cms.js``) and the pinned
Decap bundle. Nothing here is a page: no search index, no sitemap entry, ``noindex`` for robots.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger

from vnportal.cms.config import cms_config, dump, origin
from vnportal.content.translations import HASH_LENGTH
from vnportal.core.cache import place
from vnportal.core.config import site_config
from vnportal.core.site import Site
from vnportal.plugins.cms.config import CmsConfig

log = get_plugin_logger(__name__)

ADMIN = Path(__file__).parent / "admin"
DIST = Path("node_modules") / "decap-cms" / "dist"
#: The Git host API the GitHub backend talks to: the only other host the editor may contact.
GIT_API = "https://api.github.com"
#: Headers of /admin/ that differ from the site's: GitHub sign-in is a pop-up that must reach back to the
#: editor (same-origin would cut it off), and search engines keep out.
ADMIN_HEADERS = {"Cross-Origin-Opener-Policy": "same-origin-allow-popups", "X-Robots-Tag": "noindex, nofollow"}


def admin_policy(local_backend: str = "") -> str:
    """The editor's Content-Security-Policy: its own files, the GitHub API, nothing else.

    Decap validates its configuration with Ajv, which compiles schemas with ``new Function``
    ('unsafe-eval'), and styles its interface with emotion (inline styles); its preview pane is a
    same-origin frame, and media previews are blob: and data: URLs.
    """
    connect = " ".join(["'self'", GIT_API, *([origin(local_backend)] if local_backend else [])])
    return (
        "default-src 'none'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data: blob:; font-src 'self' data:; connect-src {connect}; media-src 'self' blob:; "
        "frame-src 'self'; child-src 'self' blob:; worker-src 'self' blob:; manifest-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'none'; frame-ancestors 'none'"
    )


def meta_policy(policy: str) -> str:
    """The policy as a <meta> states it: browsers ignore frame-ancestors there (headers carry it)."""
    return "; ".join(p for p in policy.split("; ") if not p.startswith("frame-ancestors"))


def write_admin(
    out: Path,
    config_file: Path,
    *,
    preview_styles: list[str],
    repo: str = "",
    branch: str = "main",
    base_url: str = "",
    local_backend: str = "",
    dist: Path | None = None,
) -> str:
    """Write the editor into ``out`` (``site/admin``); return its Content-Security-Policy."""
    dist = dist or config_file.parent / DIST
    if not (dist / "decap-cms.js").is_file():
        raise PluginError(f"{dist / 'decap-cms.js'}: missing — run `make node` (npm ci installs the pinned Decap CMS)")
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(dist.iterdir()):  # the bundle, its lazily loaded chunks and WebAssembly modules
        if path.name == "decap-cms.js" or path.name.endswith((".decap-cms.js", ".wasm")):
            place(path.read_bytes(), out / path.name)
    place((ADMIN / "portal-cms.js").read_bytes(), out / "portal-cms.js")
    settings = cms_config(config_file, repo=repo, branch=branch, base_url=base_url, local_backend=local_backend)
    (out / "config.yml").write_text(dump(settings), encoding="utf-8")
    policy = admin_policy(local_backend)
    env = Environment(loader=FileSystemLoader(ADMIN), autoescape=select_autoescape(["html"]))
    html = env.get_template("index.html").render(
        lang=settings["locale"],
        csp=meta_policy(policy),
        site_name=site_config(config_file).get("site_name", ""),
        preview_styles=preview_styles,
        hash_length=HASH_LENGTH,
        page_collections=[c["name"] for c in settings["collections"] if c.get("format") == "frontmatter"],
    )
    (out / "index.html").write_text(html, encoding="utf-8")
    return policy


class CmsPlugin(BasePlugin[CmsConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.policy = ""  # read by vnportal/serving for the /admin/ headers

    def serving(self) -> dict:
        """What vnportal/serving writes into _serving.json and _headers for the editor's address."""
        return {"path": f"/{self.config.path}/", "content_security_policy": self.policy, "headers": ADMIN_HEADERS}

    @event_priority(-250)  # after every language and the sitemap; before vnportal/serving compresses the site
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Writes the browser editor into site/admin/ once per site (main build): the Decap bundle, config.yml from
        the front-matter schema, and index.html with the editor's own policy. Not when the default language is kept:
        the root is as the previous build left it, editor included, and the site digest it was kept by covers
        everything the editor is made from (mkdocs.yml, the schema in the code, Material's stylesheets, the bundle's
        package-lock.json)."""
        portal = Site.of(config)
        if not portal.main_build or not self.config.enabled:
            return
        if portal.default in portal.kept_languages:
            self.policy = admin_policy(self.config.local_backend)  # as written into the kept index.html
            return
        site = Path(config.site_dir)
        styles = sorted((site / "assets" / "stylesheets").glob("*.min.css"))  # Material's, fingerprinted
        styles += [site / href for href in config.extra_css if (site / href).is_file()]
        self.policy = write_admin(
            site / self.config.path,
            Path(config.config_file_path),
            preview_styles=[f"../{p.relative_to(site).as_posix()}" for p in styles],
            repo=self.config.repo,
            branch=self.config.branch,
            base_url=self.config.base_url,
            local_backend=self.config.local_backend,
        )
        if not self.config.repo:
            log.info("CMS: /admin/ signs in to GitHub once plugins.vnportal/cms.repo (PORTAL_CMS_REPO) is set")
