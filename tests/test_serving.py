"""Production serving on a real nginx (loopback): negotiation, encodings, headers, caching, 404s, load."""

from __future__ import annotations

import gzip
import http.client
import json
import re
import shutil
import subprocess
from pathlib import Path

import brotli
import pytest
from conftest import HELP, LANGS, Site, missing
from hypothesis import given, settings
from hypothesis import strategies as st

from vnportal.content.inline_scripts import script_hashes
from vnportal.core.cache import seal, unseal
from vnportal.plugins.serving.plugin import COMPRESSIBLE, compressed, precompress
from vnportal.tools.nginx import ACCEPT_LANGUAGE_MAX, language_rules


def negotiate(header: str, languages: list[str], default: str) -> str | None:
    """What the nginx language rules mean, written plainly (the tests hold the two to each other): items in other
    languages and items with q=0 are skipped; the first other item decides if it is well formed."""
    if len(header) > ACCEPT_LANGUAGE_MAX:
        return None
    for item in header.split(","):
        tag, *params = item.split(";")
        code = next((c for c in languages if re.match(rf"\s*{re.escape(c)}(?:[-;,\s]|$)", item, re.I)), None)
        if code is None or any(re.fullmatch(r"\s*q\s*=\s*0(?:\.0{0,3})?\s*", p, re.I) for p in params):
            continue
        well_formed = re.fullmatch(rf"\s*{re.escape(code)}(?:-[a-z0-9]{{1,8}})*\s*", tag, re.I)
        return code if well_formed and code != default else None
    return None


def get(server: tuple[str, int], path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(*server, timeout=10)
    conn.request("GET", path, headers={k.replace("_", "-"): v for k, v in headers.items()})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    merged: dict[str, str] = {}  # repeated fields joined by ", ", as HTTP defines it
    for name, value in response.getheaders():
        merged[name.lower()] = f"{merged[name.lower()]}, {value}" if name.lower() in merged else value
    return response.status, merged, body


@pytest.mark.parametrize(
    ("accept", "location"),
    [
        ("fr-FR,fr;q=0.9,en;q=0.8", "/fr/"),
        ("en-GB,en;q=0.9", "/en/"),
        ("zh-CN,zh;q=0.9", "/zh/"),
        ("de-DE,de;q=0.9,zh-TW;q=0.8,en;q=0.5", "/zh/"),
        ("vi-VN,vi;q=0.9,en;q=0.8", None),
        ("de-DE,de;q=0.9", None),
        ("", None),
        ("fr;q=0, en;q=0.5", "/en/"),  # q=0 means "not this language"
        ("vi;q=0,zh", "/zh/"),
        ("en;q=0.000", None),
        ("english, fr-CA", "/fr/"),
        ("de," * 200 + "fr", None),  # longer than anyone's browser sends: not negotiated
    ],
)
def test_accept_language_negotiation_at_root_only(server, accept: str, location: str | None) -> None:
    status, headers, body = get(server, "/", Accept_Language=accept) if accept else get(server, "/")
    assert "accept-language" in headers["vary"].lower()
    if location:
        assert (status, headers["location"]) == (302, location)
    else:
        assert (status == 200 and b'lang="vi"' in body) or b"lang=vi" in body
    status, _, _ = get(server, "/en/", Accept_Language="fr")
    assert status == 200  # never redirect away from a page the visitor asked for


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_precompressed_files_are_served(server, site: Site, encoding: str) -> None:
    for path in ("/en/discover/", "/assets/brand/brand.css", "/sitemap.xml"):
        status, headers, body = get(server, path, Accept_Encoding=encoding)
        assert status == 200 and headers.get("content-encoding") == encoding, path
        plain = brotli.decompress(body) if encoding == "br" else gzip.decompress(body)
        source = site.root / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
        assert plain == source.read_bytes()
    status, headers, _ = get(server, "/en/discover/")
    assert "content-encoding" not in headers


def test_every_compressible_file_has_identical_br_and_gz(site: Site, tmp_path: Path) -> None:
    files = [p for p in site.root.rglob("*") if p.suffix in COMPRESSIBLE]
    assert len(files) > 100
    for path in files:
        data = path.read_bytes()
        assert brotli.decompress(path.with_name(path.name + ".br").read_bytes()) == data, path
        assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == data, path
    copy = tmp_path / "copy"
    shutil.copytree(site.root / "en" / "discover", copy)
    for old in copy.rglob("*.br"):
        old.unlink()
    precompress(copy, tmp_path / "fresh-cache", workers=1)
    for path in copy.rglob("*.br"):
        assert path.read_bytes() == (site.root / "en" / "discover" / path.relative_to(copy)).read_bytes()


@pytest.mark.unit
def test_theme_assets_get_the_strongest_compression_and_the_editors_bundle_the_pages_level(tmp_path: Path) -> None:
    """Assets every page fetches are worth brotli 11; the editor's 5 MB bundle is not (editors only)."""
    script = b"function portal(){return 'Vi\xe1\xbb\x87t Nam';}\n" * 4000
    for rel in ("assets/javascripts/app.js", "admin/decap-cms.js", "en/index.html"):
        (tmp_path / "site" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "site" / rel).write_bytes(script)
    precompress(tmp_path / "site", tmp_path / "cache", workers=1)
    level = {
        rel: (tmp_path / "site" / f"{rel}.br").read_bytes()
        for rel in ("assets/javascripts/app.js", "admin/decap-cms.js")
    }
    assert level["assets/javascripts/app.js"] == brotli.compress(script, quality=11)
    assert level["admin/decap-cms.js"] == brotli.compress(script, quality=5)
    assert (tmp_path / "site" / "en" / "index.html.br").read_bytes() == brotli.compress(script, quality=5)


@pytest.mark.unit
def test_compressed_copies_come_from_the_cache_only_while_intact(tmp_path: Path) -> None:
    page = "<p>Việt Nam</p>".encode() * 500
    made = compressed(page, False, tmp_path)
    assert made == (brotli.compress(page, quality=5), gzip.compress(page, compresslevel=6, mtime=0))
    (entry,) = tmp_path.iterdir()
    assert compressed(page, False, tmp_path) == made
    entry.write_bytes(entry.read_bytes()[:-1] + b"!")  # damaged: never published, made and stored again
    assert compressed(page, False, tmp_path) == made and unseal(entry, 2) == made
    # Forged: its name and digest are computable from the public page; it is used only if it decompresses to the page.
    for forged in ((brotli.compress(b"<script>x()</script>"), made[1]), (made[0], gzip.compress(b"other", mtime=0)),
                   (brotli.compress(page + b"<script>x()</script>"), made[1]), (made[0], made[1] + made[1])):  # fmt: skip
        seal(entry, *forged)
        assert compressed(page, False, tmp_path) == made and unseal(entry, 2) == made
    assert compressed(page, True, tmp_path)[0] == brotli.compress(page, quality=11)


def test_security_headers_everywhere(server, site: Site) -> None:
    serving = json.loads((site.root / "_serving.json").read_text())
    for path in ("/", "/en/discover/", "/assets/brand/brand.css", "/en/missing/", "/favicon.svg"):
        _, headers, _ = get(server, path)
        assert serving["content_security_policy"] in headers["content-security-policy"].split(", "), path
        for name, value in serving["security_headers"].items():
            assert headers[name.lower()] == value, (path, name)
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        for policy in headers["content-security-policy"].split(", "):
            assert "'unsafe-inline'" not in policy.split("script-src")[-1].split(";")[0]


def test_csp_allows_exactly_the_inline_scripts_pages_run(site: Site) -> None:
    csp = json.loads((site.root / "_serving.json").read_text())["content_security_policy"]
    allowed = set(re.findall(r"'sha256-[^']+'", csp))
    used = set()
    for page in site.root.rglob("*.html"):
        used |= script_hashes(page.read_text(encoding="utf-8"))
    assert used and used <= allowed


def test_caching_policy(server) -> None:
    _, headers, body = get(server, "/en/")
    asset = re.search(rb"assets/javascripts/bundle\.[0-9a-f]{8,}\.min\.js", body).group().decode()
    assert headers["cache-control"] == "public, max-age=0, must-revalidate"
    _, headers, _ = get(server, "/" + asset)
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    _, headers, _ = get(server, "/manifest.webmanifest")
    assert headers["content-type"] == "application/manifest+json"


@pytest.mark.parametrize(("path", "lang"), [("/nope/", "vi"), ("/en/nope/", "en"), ("/fr/a/b", "fr"), ("/zh/x", "zh")])
def test_localised_404(server, path: str, lang: str) -> None:
    status, _, body = get(server, path)
    assert status == 404
    assert re.search(rf"<html[^>]*lang=\"?{lang}\b", body.decode())


def test_sitemap_beside_any_page_is_the_sitemap(server) -> None:
    status, _, body = get(server, "/en/discover/history/sitemap.xml")
    assert status == 200 and b"<urlset" in body


def test_build_metadata_is_not_served(server) -> None:
    assert get(server, "/_headers")[0] == 404
    assert get(server, "/_serving.json")[0] == 404


def test_cdn_rules(site: Site) -> None:
    headers = (site.root / "_headers").read_text()
    redirects = (site.root / "_redirects").read_text()
    assert "Content-Security-Policy: default-src 'self'" in headers
    assert re.search(
        r"/assets/javascripts/bundle\.[0-9a-f]+\.min\.js\n  ! Cache-Control\n  Cache-Control: public, max-age=31536000, immutable",
        headers,
    )
    for lang in LANGS[1:]:  # every translation language of mkdocs.yml
        assert f"/  /{lang}/  302  Language={lang}" in redirects
        assert f"/{lang}/*  /{lang}/404.html  404" in redirects


def test_64_connections_at_once_are_all_answered_without_error(server) -> None:
    """A short real load on loopback (wrk, 2 s): every request answered, no socket error, no error status.
    How fast nginx serves is a figure for `make bench`, not a test."""
    wrk = shutil.which("wrk")
    if not wrk:
        missing(f"wrk not found — {HELP}")
    host, port = server
    result = subprocess.run([wrk, "-t2", "-c64", "-d2s", "--timeout", "5s", "-H", "Accept-Encoding: br",
                             f"http://{host}:{port}/en/discover/"], capture_output=True, text=True, timeout=30)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Non-2xx or 3xx responses" not in result.stdout, result.stdout
    assert "Socket errors" not in result.stdout, result.stdout
    requests = int(re.search(r"(\d+) requests in", result.stdout).group(1))
    assert requests >= 64, result.stdout  # a real load: more answers than connections


LANGUAGES, DEFAULT = list(LANGS), LANGS[0]
RULES = [(re.compile(rule, re.IGNORECASE), lang) for rule, lang in language_rules(LANGUAGES, DEFAULT)]
PARTS = ["vi", "en", "fr", "zh", "de", "en-GB", "zh-Hant-TW", "*", "english", ";q=0", ";q=0.0", ";q=0.5", ";q=1",
         " ; q = 0 ", ";level=1", ",", ", ", " ", "-", "q", "=", "0"]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PARTS), max_size=40).map("".join))
def test_nginx_language_rules_mean_what_the_plain_parser_says(header: str) -> None:
    """The PCRE map entries (run here with Python's re, which has the same atomic groups and possessive
    repeats) pick exactly the language the plain reading of the header picks."""
    chosen = next((lang for rule, lang in RULES if rule.search(header)), None)
    assert chosen == negotiate(header, LANGUAGES, DEFAULT)


def test_hostile_accept_language_is_answered_at_once(server) -> None:
    """A header crafted to make a backtracking expression explode (7.7 KB) gets the page, not a 302."""
    for header in ("a-" * 3850, "de;q=0.5," * 850, "," * 7700, "x" + " " * 7000 + ",fr"):
        status, headers, _ = get(server, "/", Accept_Language=header)
        assert status == 200 and "location" not in headers


def test_svg_is_served_as_a_picture_only(server) -> None:
    conn = http.client.HTTPConnection(*server, timeout=10)
    conn.request("GET", "/favicon.svg")
    response = conn.getresponse()
    response.read()
    conn.close()
    assert response.status == 200 and response.getheader("content-type").startswith("image/svg+xml")
    policies = [v for k, v in response.getheaders() if k.lower() == "content-security-policy"]
    assert any("sandbox" in p and "default-src 'none'" in p for p in policies), policies
