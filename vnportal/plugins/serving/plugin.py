"""MkDocs plugin ``vnportal/serving``: make ``site/`` production-ready for any static server.

- ``.br`` and ``.gz`` beside every compressible file (byte-identical across builds, cached by content);
- the Content-Security-Policy, with a hash for each inline script the templates rendered (and only those:
  an inline script in a page that no template produced fails the build, see ``vnportal.content.inline_scripts``);
- ``_headers`` and ``_redirects`` for CDN static hosts (security headers, caching, language negotiation,
  localised 404s); ``deploy/nginx/`` renders the same rules for nginx (see ``vnportal.tools.nginx``).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import zlib
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import brotli
from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from vnportal.content.inline_scripts import FILTER, MarkInlineScripts, TemplateScripts, script_hashes
from vnportal.core.cache import place, seal, unseal
from vnportal.core.site import Site
from vnportal.plugins.serving.config import ServingConfig

log = get_plugin_logger(__name__)

COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".csv", ".txt", ".webmanifest", ".jsonld", ".ttl")
# Theme assets are few and fetched on every page: maximum compression. Pages are many: brotli 5 and
# gzip 6 take 1.1 ms for a 40 KB page instead of 60 ms (brotli 11) or 1.8 ms (7 and 9), for 1-12% more
# bytes (measured on the benchmark corpus).
SHARED_ASSETS = (".css", ".js", ".svg", ".webmanifest")
# Not the browser editor's files (site/admin/: 5 MB of script that only editors load): they get the pages'
# levels. On decap-cms.js 3.16.3 (5.2 MB), brotli 11 took 9.3 s for 1.12 MB, brotli 5 0.11 s for 1.30 MB.
EDITOR = "admin"
CSP_META = "<meta http-equiv=Content-Security-Policy"
CHARSET_RE = re.compile(r"<meta charset=\"?utf-8\"?>", re.IGNORECASE)
FINGERPRINTED_RE = re.compile(r"\.[0-9a-f]{8,}\.min\.(?:css|js)$|^assets/fonts/.*\.woff2$")  # fonts: ?v=<digest>

SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=0, must-revalidate"


def is_editor(rel: Path) -> bool:
    """Whether a site-relative path belongs to the browser editor (``/admin/``)."""
    return rel.parts[:1] == (EDITOR,)


def content_security_policy(hashes: set[str], frames: list[str] | tuple[str, ...] = ()) -> str:
    """The site's policy: its own origin only, the hashed inline scripts, and as frames only the players of
    the allowlisted video services (vnportal/safety)."""
    # 'wasm-unsafe-eval' lets the search page compile Pagefind's WebAssembly; it allows no JavaScript eval.
    scripts = " ".join(["'self'", "'wasm-unsafe-eval'", *sorted(hashes)])
    frame_src = " ".join(frames) or "'none'"
    return (
        f"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        f"font-src 'self'; connect-src 'self'; media-src 'self'; object-src 'none'; frame-src {frame_src}; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'; manifest-src 'self'; worker-src 'self'"
    )


def compressed(data: bytes, shared: bool, cache: Path) -> tuple[bytes, bytes]:
    """The .br and .gz of ``data``, from the content-addressed cache (one sealed entry for both, checked by decompressing
    it) or made (byte-identical)."""
    brotli_quality, gzip_level = (11, 9) if shared else (5, 6)
    entry = cache / f"{hashlib.sha256(data).hexdigest()}-br{brotli_quality}-gz{gzip_level}"
    found = unseal(entry, 2)
    # The copies are what nearly every visitor receives: beyond its HMAC, an entry is used only if it decompresses to
    # this very page (0.07 ms for a 30 KB page, a tenth of compressing it).
    if found is None or not _decompress_to(found, data):
        found = brotli.compress(data, quality=brotli_quality), gzip.compress(data, compresslevel=gzip_level, mtime=0)
        seal(entry, *found)
    br, gz = found
    return br, gz


def _decompress_to(copies: tuple[bytes, ...], data: bytes) -> bool:
    """Whether the .br and .gz ``copies`` decompress to ``data``, reading no more than one byte past it (a forged
    entry that would inflate to gigabytes is only read that far)."""
    limit = len(data) + 1
    try:
        brotli_out = brotli.Decompressor()
        plain_br = brotli_out.process(copies[0], output_buffer_limit=limit)
        gzip_out = zlib.decompressobj(wbits=31)  # the gzip container
        plain_gz = gzip_out.decompress(copies[1], limit)
    except (brotli.error, zlib.error):
        return False
    return (
        plain_br == data and brotli_out.is_finished() and plain_gz == data and gzip_out.eof and not gzip_out.unused_data
    )


def _compress_one(args: tuple[str, str, bool]) -> None:
    """Write path.br and path.gz beside path (pages were compressed into the cache as they were built)."""
    path, cache, shared = Path(args[0]), Path(args[1]), args[2]
    br, gz = compressed(path.read_bytes(), shared, cache)
    place(br, path.with_name(path.name + ".br"))
    place(gz, path.with_name(path.name + ".gz"))


def site_files(site: Path) -> list[str]:
    """Every file of the site folder, site-relative (one walk, for the headers and the compressed copies)."""
    found = []
    for folder, _, names in os.walk(site):
        rel = Path(folder).relative_to(site).as_posix()
        prefix = "" if rel == "." else f"{rel}/"
        found += [f"{prefix}{name}" for name in names]
    return sorted(found)


def precompress(
    site: Path,
    cache: Path,
    workers: int | None = None,
    done: frozenset[str] = frozenset(),
    kept: Mapping[str, list[int]] | None = None,
    listing: list[str] | None = None,
) -> int:
    """Compress every compressible file of ``site`` (``listing``: its files, site-relative, if known) but those in
    ``done`` (pages already compressed as they were built) and those ``kept`` as the previous build left them
    (site-relative path -> size and modification time: compressed then, and not written since); return how many
    files the site has that way."""
    cache.mkdir(parents=True, exist_ok=True)
    kept = kept or {}
    every = [rel for rel in (site_files(site) if listing is None else listing) if Path(rel).suffix in COMPRESSIBLE]

    def as_left(rel: str) -> bool:
        if rel not in kept:
            return False
        stat = (site / rel).stat()
        return kept[rel] == [stat.st_size, stat.st_mtime_ns]

    files = [site / rel for rel in every if rel not in done and not as_left(rel)]
    jobs = [(str(p), str(cache), p.suffix in SHARED_ASSETS and not is_editor(p.relative_to(site))) for p in files]
    workers = workers or os.cpu_count() or 1
    if len(jobs) > 50 and workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            list(pool.map(_compress_one, jobs, chunksize=64))
    else:
        for job in jobs:
            _compress_one(job)
    return len(every)


def headers_file(csp: str, fingerprinted: list[str], admin: dict | None = None) -> str:
    lines = ["/*", f"  Content-Security-Policy: {csp}"]
    lines += [f"  {name}: {value}" for name, value in SECURITY_HEADERS.items()]
    lines += [f"  Cache-Control: {REVALIDATE}", ""]
    lines += ["/data/*", "  Access-Control-Allow-Origin: *", ""]  # open data: any origin may fetch it
    if admin:  # the browser editor: its own policy instead of the site's (vnportal/cms)
        changed = {"Content-Security-Policy": admin["content_security_policy"], **admin["headers"]}
        lines.append(f"{admin['path']}*")
        for name, value in changed.items():
            lines += [f"  ! {name}"] if name in SECURITY_HEADERS or name == "Content-Security-Policy" else []
            lines.append(f"  {name}: {value}")
        lines.append("")
    for path in fingerprinted:
        lines += [f"/{path}", "  ! Cache-Control", f"  Cache-Control: {IMMUTABLE}", ""]
    return "\n".join(lines)


def redirects_file(default: str, languages: list[str]) -> str:
    others = [lang for lang in languages if lang != default]
    lines = [f"/  /{lang}/  302  Language={lang}" for lang in others]
    lines += [f"/{lang}/*  /{lang}/404.html  404" for lang in others]
    lines.append("/*/sitemap.xml  /sitemap.xml  200")  # Material's language menu looks beside each alternate
    lines.append("/*  /404.html  404")
    return "\n".join(lines) + "\n"


@dataclass
class LanguagePolicy:
    """What one language's pages need from the site's policy, and which of them are compressed already."""

    hashes: set[str] = field(default_factory=set)  # inline scripts
    frames: set[str] = field(default_factory=set)  # origins of the video players that pages embed
    compressed: set[str] = field(default_factory=set)  # pages whose .br and .gz were placed as they were built

    def as_json(self) -> dict[str, list[str]]:
        return {name: sorted(values) for name, values in asdict(self).items()}

    @classmethod
    def from_json(cls, state: dict[str, list[str]]) -> LanguagePolicy:
        return cls(*(set(state[name]) for name in ("hashes", "frames", "compressed")))


class ServingPlugin(BasePlugin[ServingConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._languages: dict[str, LanguagePolicy] = {}  # what each language's pages carry, for the site's policy
        self._policy = LanguagePolicy()  # the language being built
        self._serving = False  # mkdocs serve: no compressed copies, its server does not use them
        self._scripts = TemplateScripts()  # digests of the inline scripts the templates rendered
        self._page_scripts: dict[str, set[str]] = {}  # src_uri -> its inline scripts (for the render cache)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remembers whether this is ``mkdocs serve``, whose server uses no compressed copies."""
        self._serving = command == "serve"

    def _cache(self, config: MkDocsConfig) -> Path:
        return Site.of(config).cache("serving")

    @event_priority(-1000)  # the final bytes of the page: compress them now, in this language's process
    def _compress_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Writes the page's .br and .gz beside it as it is built (cached by content), in its language's own process,
        so that the site-wide step has less to compress."""
        if self.config.precompress and not self._serving:
            cache = self._cache(config)
            cache.mkdir(parents=True, exist_ok=True)
            target = Path(page.file.abs_dest_path)
            data = output.encode("utf-8", errors="xmlcharrefreplace")  # as MkDocs writes it
            if Site.of(config).already_written(page.file.dest_uri, data):  # so are its .br and .gz
                self._policy.compressed.add(page.file.dest_uri)
                return output
            br, gz = compressed(data, False, cache)
            place(br, target.with_name(target.name + ".br"))
            place(gz, target.with_name(target.name + ".gz"))
            self._policy.compressed.add(page.file.dest_uri)
        return output

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Starts the site's script hashes, video players and compressed pages afresh (main build), and this language
        build's record of template scripts."""
        site = Site.of(config)
        if site.main_build:
            self._languages = {}
        self._policy = self._languages[site.lang] = LanguagePolicy()
        self._scripts, self._page_scripts = TemplateScripts(), {}

    @event_priority(100)  # before the portal plugin keys its template cache by the environment's extensions
    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """Adds the Jinja extension and filter that record the digest of every inline script a template renders: the
        only scripts a page may carry."""
        env.add_extension(MarkInlineScripts)
        env.filters[FILTER] = self._scripts.record
        return env

    # -- vnportal.plugins.render_cache.plugin.RenderSideEffects: a cached page's scripts were verified when it was stored

    def page_side_effects(self, page: Page, config: MkDocsConfig) -> list[str]:
        return sorted(self._page_scripts.get(page.file.src_uri, ()))

    def replay_side_effects(self, page: Page, effects: list[str], config: MkDocsConfig) -> None:
        self._scripts.hashes.update(effects)

    # -- vnportal.plugins.parallel.plugin.LanguageState: inline scripts of languages built in another process or
    # kept from the previous build

    def language_state(self, lang: str) -> dict[str, list[str]]:
        return self._languages.get(lang, LanguagePolicy()).as_json()

    def merge_language_state(self, lang: str, state: dict[str, list[str]]) -> None:
        self._languages[lang] = LanguagePolicy.from_json(state)

    def _with_policy(self, html: str, config: MkDocsConfig, name: str) -> tuple[str, set[str]]:
        """Record the page's inline-script hashes and video players, and state its own policy in a meta tag
        (for hosts that cannot send headers; frame-ancestors only works as a header); returns the page and its
        inline-script hashes (the meta tag adds none)."""
        hashes = script_hashes(html)
        if unknown := hashes - self._scripts.hashes:
            raise PluginError(
                f"{name}: {len(unknown)} inline script(s) that no template produced — the page must not run "
                "them: find which value reached the HTML unescaped (front matter, data, a plugin) and escape it"
            )
        frames = sorted(o for o in config.plugins["vnportal/safety"].frame_origins if f'data-embed="{o}/' in html)
        self._policy.hashes |= hashes
        self._policy.frames |= set(frames)
        if CSP_META in html:  # a page from the render cache is final: it states its policy already
            return html, hashes
        policy = content_security_policy(hashes, frames).replace("; frame-ancestors 'none'", "")
        meta = f'{CSP_META} content="{policy}">'
        return CHARSET_RE.sub(lambda m: m.group() + meta, html, count=1), hashes  # charset stays first

    @event_priority(-95)  # last but one of the HTML events: hash the bytes the browser receives
    def _add_policy(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Fails the build on an inline script that no template rendered, records the page's script hashes and video
        players for the site's policy, and states its own policy in a meta tag."""
        output, self._page_scripts[page.file.src_uri] = self._with_policy(output, config, page.file.dest_uri)
        return output

    on_post_page = CombinedEvent(_add_policy, _compress_page)

    @event_priority(-95)  # before the portal keeps each language's 404 page
    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        """Checks and records the inline scripts of the pages made from templates alone (404.html) and gives them
        their policy meta tag, as for Markdown pages."""
        if not template_name.endswith(".html"):
            return output_content
        return self._with_policy(output_content, config, template_name)[0]

    @event_priority(-300)  # after the sitemap, feeds and every language: the site is complete
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Writes ``_headers``, ``_redirects`` and ``_serving.json`` once the site is complete (main build) and
        compresses every file not compressed yet; an unchanged site's are there."""
        portal = Site.of(config)
        if not portal.main_build or portal.unchanged:
            return
        site = Path(config.site_dir)
        hashes = set().union(*(p.hashes for p in self._languages.values()))
        frames = set().union(*(p.frames for p in self._languages.values()))
        csp = content_security_policy(hashes, sorted(frames))
        listing = site_files(site)
        fingerprinted = [rel for rel in listing if FINGERPRINTED_RE.search(rel)]
        languages = portal.build_languages
        cms = config.plugins.get("vnportal/cms")
        admin = cms.serving() if cms is not None and cms.policy else None
        (site / "_headers").write_text(headers_file(csp, fingerprinted, admin), encoding="utf-8")
        (site / "_redirects").write_text(redirects_file(portal.default, languages), encoding="utf-8")
        policy = {
            "content_security_policy": csp,
            "security_headers": SECURITY_HEADERS,
            "languages": languages,
            "default_language": portal.default,
            "immutable": IMMUTABLE,
            "revalidate": REVALIDATE,
        }
        if admin:
            policy["admin"] = admin
        (site / "_serving.json").write_text(json.dumps(policy, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        if self.config.precompress and not self._serving:
            done = frozenset().union(*(p.compressed for p in self._languages.values()))
            written = {"_headers", "_redirects", "_serving.json"}  # just now, after the listing
            listing = sorted({*listing, *written})
            count = precompress(site, self._cache(config), done=done, kept=portal.kept_files, listing=listing)
            log.info(f"Precompressed {count} files (.br, .gz)")
