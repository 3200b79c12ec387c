"""``make screenshots``: PNGs of the home page and one page of each kind, in every language, at a phone's and a
laptop's width, light and dark — taken in Debian's Chromium from the site served by the shipped nginx, so
that a reviewer sees a change in the browser without a terminal (the pull-request workflow uploads them)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from vnportal.core.config import PROJECT_ROOT as ROOT
from vnportal.core.config import site_languages
from vnportal.tools import nginx

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
#: One page of each kind the portal has (home, landing, topic, fact sheet, news, policy, data, brand…).
PAGES = {
    "home": "",
    "landing": "economy/",
    "factsheet": "discover/",
    "topic": "discover/history/",
    "news-list": "news/",
    "news-item": "news/2024-04-15-resolution-47/",
    "policy": "policy/resolution-47/",
    "about": "about/contact/",
    "data": "data/vn-population-gdp/",
    "brand": "brand/",
    "media": "media/",
}
VIEWPORTS = {"360": (360, 800), "1280": (1280, 900)}
SCHEMES = ("light", "dark")


def take(site: Path, out: Path, languages: list[str], default: str, port: int | None = None) -> list[Path]:
    """Every screenshot of ``site`` into ``out``; returns the files written."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with nginx.running(site, Path(tempfile.mkdtemp(prefix="portal-shots-")), port) as port, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        for width, (w, h) in VIEWPORTS.items():
            for scheme in SCHEMES:
                context = browser.new_context(viewport={"width": w, "height": h}, color_scheme=scheme)
                page = context.new_page()
                for lang in languages:
                    prefix = "" if lang == default else f"{lang}/"
                    for name, path in PAGES.items():
                        page.goto(f"http://127.0.0.1:{port}/{prefix}{path}", wait_until="load", timeout=30_000)
                        target = out / f"{lang}-{name}-{width}-{scheme}.png"
                        page.screenshot(path=str(target), full_page=True, timeout=30_000)
                        written.append(target)
                context.close()
        browser.close()
    return written


def main() -> int:
    if not Path(CHROMIUM).exists():
        sys.exit("needs Debian's Chromium: apt-get install chromium")
    languages, default = site_languages(ROOT / "mkdocs.yml")
    work = Path(tempfile.mkdtemp(prefix="portal-screenshots-"))
    port = nginx.free_port()
    env = {**os.environ, "SITE_URL": f"http://127.0.0.1:{port}/", "NO_MKDOCS_2_WARNING": "1"}
    mkdocs = str(Path(sys.executable).with_name("mkdocs"))
    subprocess.run([mkdocs, "build", "--strict", "-q", "-d", str(work / "site")], check=True, cwd=ROOT, env=env)
    out = ROOT / "build" / "screenshots"
    for old in out.glob("*.png"):
        old.unlink()
    written = take(work / "site", out, languages, default, port)
    print(f"{len(written)} screenshots in {out.relative_to(ROOT)}/ ({len(languages)} languages × {len(PAGES)} pages × "
          f"{len(VIEWPORTS)} widths × {len(SCHEMES)} schemes)")  # fmt: skip
    return 0
