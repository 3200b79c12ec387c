"""Build the bundled site once per test session (through the real `mkdocs build --strict`) and parse it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import settings

from vnportal.core.config import site_languages

ROOT = Path(__file__).resolve().parent.parent
_LANGUAGES, DEFAULT = site_languages(ROOT / "mkdocs.yml")
LANGS = tuple(_LANGUAGES)  # the site's languages, from mkdocs.yml like everything else
IN_CI = os.environ.get("CI") == "true"
#: The tiers (pyproject.toml's markers): a test is in a tier by the fixtures it uses or by its own mark;
#: one with none of them is a unit test (pytest -m unit).
TIER_OF_FIXTURE = {
    "site": "build",
    "small_site": "build",
    "warm_cache": "build",
    "server": "serving",
    "served": "serving",
    "browser": "browser",
}
TIERS = ("build", "serving", "browser")
_running: list[pytest.Item] = []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for fixture, tier in TIER_OF_FIXTURE.items():
            if fixture in item.fixturenames:
                item.add_marker(tier)
        if not any(item.get_closest_marker(tier) for tier in TIERS):
            item.add_marker("unit")


def pytest_runtest_setup(item: pytest.Item) -> None:
    _running[:] = [item]  # before its fixtures, module-scoped ones included, are set up


def missing(reason: str) -> None:
    """A tool the test needs is not installed: CI fails (it installs everything), elsewhere the test is skipped."""
    (pytest.fail if IN_CI else pytest.skip)(reason)


@contextmanager
def reached(*branches: str) -> Iterator[Counter]:
    """Count the branches a property's examples take (``seen[name] += 1``); when the property has passed,
    every branch named must have been taken by some example: a check inside a loop or an ``if`` that no
    example reached checked nothing."""
    seen: Counter = Counter()
    yield seen
    missed = [branch for branch in branches if not seen[branch]]
    assert not missed, f"no example reached {missed}: {dict(seen)}"


SITE_URL = "https://portal.test/"
# The suite reads findings in English (the editors' default is Vietnamese: tests/test_messages.py checks both).
os.environ["PORTAL_LANG"] = "en"
# Property tests judge behaviour, not speed: on a shared, loaded machine an example may take seconds.
settings.register_profile("portal", deadline=None)
settings.load_profile("portal")


def build(
    site_dir: Path, docs_dir: Path | None = None, site_url: str = SITE_URL, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    if _running and _running[0].get_closest_marker("unit"):
        raise AssertionError(f"{_running[0].nodeid} builds a site: mark it (or its module) pytest.mark.build")
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
        return first if first in LANGS else DEFAULT


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    out = tmp_path_factory.mktemp("site")
    result = build(out)
    assert result.returncode == 0, result.stderr[-4000:]
    return Site(out, SITE_URL)


@dataclass
class SmallBuild:
    """Two pages (vi, en) built through the full pipeline with a cold cache of their own and another SITE_URL."""

    root: Path
    site: Path
    cache: Path
    url: str


@pytest.fixture(scope="session")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> SmallBuild:
    """Shared by the tests of what SITE_URL and a cold cache change, and the cache (``warm_cache``) that
    every test with a cache of its own starts from."""
    root = tmp_path_factory.mktemp("small")
    for lang in ("vi", "en"):
        (root / "docs" / lang).mkdir(parents=True)
        (root / "docs" / lang / "index.md").write_text("---\ntitle: T\ndescription: D\n---\n\nX.\n")
    small = SmallBuild(root, root / "site", root / "cache", "https://mirror.example.org/vn/")
    result = build(small.site, docs_dir=root / "docs", site_url=small.url, env={"PORTAL_CACHE_DIR": str(small.cache)})
    assert result.returncode == 0, result.stderr[-3000:]
    return small


@pytest.fixture(scope="session")
def warm_cache(small_site: SmallBuild) -> Path:
    """A build cache that holds what every build makes the same whatever its pages (the brand kit, the
    precompressed theme, kit and font files, the signed templates, …): only ever copied (``seed_cache``)."""
    return small_site.cache


def seed_cache(cache: Path, warm_cache: Path, leave_out: tuple[str, ...] = ()) -> Path:
    """A build cache of a test's own, started from a copy of ``warm_cache``: the test's build does not spend
    its time making again what every build makes. Never copied: the render cache's entries (each test's pages
    render cold), the record of the languages a build may keep, the locks; nor the parts named in
    ``leave_out`` (a test of what they make)."""
    cache.mkdir(parents=True, exist_ok=True)
    for part in warm_cache.iterdir():
        if part.is_dir() and part.name not in ("render_cache", "parallel", "guard", *leave_out):
            shutil.copytree(part, cache / part.name)
    return cache


#: What a build reads from the project besides its docs tree.
PROJECT = ("mkdocs.yml", "overrides", "assets", "data")


def project_copy(root: Path) -> Path:
    """A copy of the project's inputs in ``root`` (a test may edit the brand tokens, mkdocs.yml or the data);
    the installed desktop fonts are linked, read only."""
    root.mkdir(parents=True, exist_ok=True)
    for name in PROJECT:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, root / name)
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    return root


HELP = "install Debian's nginx, libnginx-mod-http-brotli-static and wrk (CI does it in .ci/run)"


@pytest.fixture(scope="session")
def server(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """The shipped nginx config serving the built site on loopback (the real server, really started)."""
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        missing(f"nginx not found — {HELP}")
    from vnportal.tools import nginx

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
        missing("Debian's Chromium is missing: apt-get install chromium (CI installs it in .ci/run)")
    if not AXE.exists():
        missing("axe-core is missing: run `make node` (npm ci from package-lock.json)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield instance
        instance.close()


def url(server: tuple[str, int], lang: str, path: str) -> str:
    prefix = "" if lang == DEFAULT else f"{lang}/"
    return f"http://{server[0]}:{server[1]}/{prefix}{path}"
