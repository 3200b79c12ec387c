"""``make audit``: Lighthouse (pinned in package-lock.json) in mobile mode with Debian's Chromium,
against the built site served by the shipped nginx config on loopback."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from vnportal.core.config import PROJECT_ROOT as ROOT
from vnportal.core.config import site_languages
from vnportal.tools import nginx

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"
PAGES = {
    "home": "",
    "landing": "economy/",
    "topic": "discover/history/",
    "hero": "discover/culture-heritage/",
    "data": "data/vn-population-gdp/",
    "brand": "brand/",
    "media": "media/",
}
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
RESULTS = ROOT / "data" / "accessibility.json"  # read by the accessibility statement (vnportal/i18n_seo)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def run_lighthouse(url: str, out: Path, attempts: int = 3) -> dict:
    """One Lighthouse run; a run that fails to record its trace (NO_NAVSTART happens) is tried again."""
    for attempt in range(1, attempts + 1):
        done = subprocess.run(
            [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
             f"--chrome-flags={FLAGS}", "--only-categories=" + ",".join(CATEGORIES), "--max-wait-for-load=30000"],
            check=attempt == attempts, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300,
        )  # fmt: skip
        if done.returncode == 0:
            break
        print(f"  {url}: Lighthouse failed (attempt {attempt} of {attempts}), running it again", flush=True)
    report = json.loads(out.read_text())
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    weight = report["audits"]["total-byte-weight"]["numericValue"]
    return {**scores, "bytes": int(weight)}


def run_axe(urls: dict[tuple[str, str], str]) -> dict[tuple[str, str], int]:
    """WCAG 2.2 A/AA violations axe-core finds on each page (Debian's Chromium through Playwright)."""
    from playwright.sync_api import sync_playwright

    flags = FLAGS.split()
    found = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=flags, headless=True)
        context = browser.new_context(bypass_csp=True)  # axe is injected; the site's own policy stays as it is
        page = context.new_page()
        for key, url in urls.items():
            page.goto(url, wait_until="load", timeout=60_000)
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(f"async () => await axe.run(document, {{runOnly: {{type: 'tag', values: {WCAG}}}}})")
            found[key] = sum(len(v["nodes"]) for v in result["violations"])
        browser.close()
    return found


def _package_version(name: str) -> str:
    return json.loads((ROOT / "node_modules" / name / "package.json").read_text())["version"]


def record(rows: list[tuple[str, str, dict]], violations: dict[tuple[str, str], int]) -> None:
    """The results the accessibility statement shows (data/accessibility.json: commit it after an audit)."""
    pages = [
        {"lang": lang, "page": name, "accessibility": r["accessibility"], "violations": violations[(lang, name)]}
        for lang, name, r in rows
    ]
    data = {
        "date": dt.date.today().isoformat(),
        "lighthouse": _package_version("lighthouse"),
        "axe": _package_version("axe-core"),
        "standard": "WCAG 2.2 AA",
        "pages": pages,
    }
    RESULTS.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _has_system_cjk_font() -> bool:
    """Whether a Chinese font is installed here: with one, zh pages use it and load no Chinese webfont."""
    if not shutil.which("fc-list"):
        return False
    found = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


def main() -> int:
    if not LIGHTHOUSE.exists() or not Path(CHROMIUM).exists():
        sys.exit("needs Lighthouse (make node) and Debian's Chromium (apt-get install chromium)")
    port = nginx.free_port()
    work = Path(tempfile.mkdtemp(prefix="portal-audit-"))
    site = work / "site"
    # Built for the address it is audited at, as a deployment is: absolute URLs stay same-origin.
    subprocess.run(
        [str(Path(sys.executable).with_name("mkdocs")), "build", "--strict", "-q", "-d", str(site)],
        check=True, cwd=ROOT, env={**os.environ, "SITE_URL": f"http://127.0.0.1:{port}/", "NO_MKDOCS_2_WARNING": "1"},
    )  # fmt: skip
    rows = []
    languages, default = site_languages(ROOT / "mkdocs.yml")
    urls = {}
    with nginx.running(site, work / "nginx", port):
        for lang in languages:
            for name, path in PAGES.items():
                url = f"http://127.0.0.1:{port}/{'' if lang == default else lang + '/'}{path}"
                urls[(lang, name)] = url
                result = run_lighthouse(url, work / f"{lang}-{name}.json")
                rows.append((lang, name, result))
                print(f"  {lang} {name}: {result}", flush=True)
        violations = run_axe(urls)
    print("\n| page | performance | accessibility | best practices | SEO | transferred | axe violations |")
    print("|---|---|---|---|---|---|---|")
    for lang, name, r in rows:
        print(
            f"| {lang} {name} | {r['performance']} | {r['accessibility']} | {r['best-practices']} | {r['seo']} "
            f"| {r['bytes'] / 1024:.0f} KB | {violations[(lang, name)]} |"
        )
    record(rows, violations)
    print(f"\nRecorded for the accessibility statement: {RESULTS.relative_to(ROOT)} (commit it)")
    if not _has_system_cjk_font():
        print(
            "\nThis machine has no Chinese system font (fc-list :lang=zh is empty), so the zh pages above load the"
            " self-hosted Noto Sans SC slices, as a device without Chinese fonts would; phones have one"
            " (apt-get install fonts-noto-cjk to measure that case)."
        )
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "audit.json").write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
