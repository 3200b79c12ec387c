"""Build the bundled site once per test session (through the real `mkdocs build --strict`) and parse it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from vnportal.checks import site_languages

ROOT = Path(__file__).resolve().parent.parent
LANGS = tuple(site_languages(ROOT / "mkdocs.yml")[0])  # the site's languages, from mkdocs.yml like everything else
SITE_URL = "https://portal.test/"
# The suite reads findings in English (the editors' default is Vietnamese: tests/test_messages.py checks both).
os.environ["PORTAL_LANG"] = "en"


def build(
    site_dir: Path, docs_dir: Path | None = None, site_url: str = SITE_URL, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    env = {**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    if docs_dir is not None:
        env["PORTAL_DOCS_DIR"] = str(docs_dir)
    else:
        env.pop("PORTAL_DOCS_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@dataclass
class Site:
    root: Path
    url: str
    _soups: dict[Path, BeautifulSoup] = field(default_factory=dict)

    def pages(self) -> list[Path]:
        """The portal's pages (the browser editor at /admin/ is an application, not a page)."""
        return sorted(p for p in self.root.rglob("index.html") if p.relative_to(self.root).parts[0] != "admin")

    def soup(self, path: Path) -> BeautifulSoup:
        if path not in self._soups:
            self._soups[path] = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        return self._soups[path]

    def url_of(self, path: Path) -> str:
        rel = path.relative_to(self.root).parent.as_posix()
        return self.url if rel == "." else f"{self.url}{rel}/"

    def path_of(self, url: str) -> Path:
        assert url.startswith(self.url), url
        rel = url[len(self.url) :]
        return self.root / rel / "index.html"

    def lang_of(self, path: Path) -> str:
        first = path.relative_to(self.root).parts[0]
        return first if first in LANGS else "vi"


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    out = tmp_path_factory.mktemp("site")
    result = build(out)
    assert result.returncode == 0, result.stderr[-4000:]
    return Site(out, SITE_URL)


HELP = "install Debian's nginx, libnginx-mod-http-brotli-static and wrk (CI does it in .ci/run)"


@pytest.fixture(scope="session")
def server(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """The shipped nginx config serving the built site on loopback (the real server, really started)."""
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        pytest.fail(f"nginx not found — {HELP}")
    from vnportal import nginx

    with nginx.running(site.root, tmp_path_factory.mktemp("nginx")) as port:
        yield "127.0.0.1", port


CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Debian's Chromium, driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.fail("Debian's Chromium is missing: apt-get install chromium (CI installs it in .ci/run)")
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make node` (npm ci from package-lock.json)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield instance
        instance.close()


def url(server: tuple[str, int], lang: str, path: str) -> str:
    prefix = "" if lang == "vi" else f"{lang}/"
    return f"http://{server[0]}:{server[1]}/{prefix}{path}"
