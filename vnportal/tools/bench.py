"""``make bench``: build the benchmark corpus with the portal and with the documented peer, in one run.

The peer is Material for MkDocs + mkdocs-static-i18n configured as their documentation shows
(``shared/bench/peer-mkdocs.yml``). Runs alternate portal/peer so machine noise hits both alike;
medians and ratios are printed, never a single absolute time.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from vnportal.core.config import PROJECT_ROOT as ROOT
from vnportal.core.config import site_languages

SHARED = Path(os.environ.get("PORTAL_SHARED_DIR", ROOT.parent / "shared"))
CARDS_RE = re.compile(r"Social cards: (\d+) placed, (\d+) drawn in ([0-9.]+) s")


@dataclass
class Run:
    seconds: float
    peak_kb: int  # the largest single process
    tree_kb: int = 0  # all the build's processes at once, PSS (sampled every 0.1 s)
    cards_drawn: int = 0
    cards_seconds: float = 0.0


@dataclass
class Series:
    runs: list[Run] = field(default_factory=list)

    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    def peak_mb(self) -> float:
        return max(r.peak_kb for r in self.runs) / 1024

    def tree_mb(self) -> float:
        return max(r.tree_kb for r in self.runs) / 1024


def _tree_pss_kb(root: int) -> int:
    """Proportional memory (PSS) of ``root`` and all its descendants, from /proc (Linux).

    PSS, not RSS: forked language workers share their parent's pages until they write to them, and
    summing RSS would count those shared pages once per process.
    """
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            parents[int(entry)] = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except OSError:  # the process ended meanwhile
            continue
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in tree:
                tree.add(pid)
                frontier.append(pid)
    total = 0
    for pid in tree:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")), 0)
    return total


def _timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> Run:
    """Wall time, peak RSS of the largest process (GNU time) and peak PSS of the whole process tree (sampled)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            ["/usr/bin/time", "-f", "%M", "-o", report.name, *cmd],
            cwd=cwd,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
            stdout=subprocess.DEVNULL,
            stderr=err,
            text=True,
        )
        tree = 0
        while proc.poll() is None and time.perf_counter() - start < 1800:
            tree = max(tree, _tree_pss_kb(proc.pid))
            time.sleep(0.1)
        code = proc.wait(timeout=60)
        seconds = time.perf_counter() - start
        err.seek(0)
        stderr = err.read()
        if code != 0:
            sys.exit(f"build failed ({' '.join(cmd)}):\n{stderr[-3000:]}")
        peak = int(report.read().strip().splitlines()[-1])
    cards = [(int(m[2]), float(m[3])) for m in (CARDS_RE.search(line) for line in stderr.splitlines()) if m]
    return Run(seconds, peak, tree, sum(c[0] for c in cards), sum(c[1] for c in cards))


def _portal(corpus: Path, site: Path, cache: Path) -> Run:
    env = {"PORTAL_DOCS_DIR": str(corpus / "docs"), "PORTAL_CACHE_DIR": str(cache)}
    mkdocs = str(Path(sys.executable).with_name("mkdocs"))
    return _timed([mkdocs, "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)], ROOT, env)


def _peer(corpus: Path, site: Path) -> Run:
    mkdocs = str(Path(sys.executable).with_name("mkdocs"))
    return _timed([mkdocs, "build", "-d", str(site)], corpus, {})


def _html_sizes(site: Path) -> list[int]:
    return sorted(p.stat().st_size for p in site.rglob("*.html"))


def _tree_size(site: Path) -> int:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())


def _kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


def bench_builds(work: Path, sizes: tuple[int, ...], runs: int) -> dict:
    gen = SHARED / "bench" / "gen_corpus.py"
    peer_config = SHARED / "bench" / "peer-mkdocs.yml"
    if not gen.is_file():
        sys.exit(f"{gen}: benchmark corpus generator not found — set PORTAL_SHARED_DIR to the shared/ folder")
    results: dict = {}
    for n in sizes:
        corpus = work / f"corpus-{n}"
        subprocess.run([sys.executable, str(gen), str(corpus), str(n)], check=True)
        shutil.copy(peer_config, corpus / "mkdocs.yml")
        portal, peer, edits, unchanged = Series(), Series(), Series(), Series()
        for index in range(runs):
            cache = work / f"cache-{n}-{index}"
            shutil.rmtree(cache, ignore_errors=True)
            print(f"  N={n} run {index + 1}/{runs}: portal (cold)…", flush=True)
            portal.runs.append(_portal(corpus, work / f"site-{n}", cache))
            print(f"  N={n} run {index + 1}/{runs}: portal (no change)…", flush=True)
            unchanged.runs.append(_portal(corpus, work / f"site-{n}", cache))
            page = corpus / "docs" / "en" / "s00" / "page-0001.md"
            original = page.read_text(encoding="utf-8")
            page.write_text(original + f"\nEdited in run {index}.\n", encoding="utf-8")
            print(f"  N={n} run {index + 1}/{runs}: portal (one-page edit)…", flush=True)
            edits.runs.append(_portal(corpus, work / f"site-{n}", cache))
            page.write_text(original, encoding="utf-8")
            print(f"  N={n} run {index + 1}/{runs}: peer…", flush=True)
            peer.runs.append(_peer(corpus, work / f"peer-site-{n}"))
        ours, theirs = _html_sizes(work / f"site-{n}"), _html_sizes(work / f"peer-site-{n}")
        results[n] = {
            "pages": 4 * n,
            "portal_cold_s": portal.median(),
            "portal_edit_s": edits.median(),
            "peer_s": peer.median(),
            "speedup": peer.median() / portal.median(),
            "edit_ratio": edits.median() / portal.median(),
            "portal_unchanged_s": unchanged.median(),
            "unchanged_ratio": unchanged.median() / portal.median(),
            "portal_peak_mb": portal.peak_mb(),
            "portal_tree_mb": portal.tree_mb(),
            "peer_peak_mb": peer.peak_mb(),
            "portal_html_max": ours[-1],
            "portal_html_over": sum(size > PAGE_LIMIT for size in ours),
            "portal_html_count": len(ours),
            "portal_html_median": statistics.median(ours),
            "peer_html_max": theirs[-1],
            "portal_site_bytes": _tree_size(work / f"site-{n}"),
            "peer_site_bytes": _tree_size(work / f"peer-site-{n}"),
            "cards_cold_s": statistics.median(r.cards_seconds for r in portal.runs),
            "cards_cold_drawn": portal.runs[0].cards_drawn,
            "cards_edit_s": statistics.median(r.cards_seconds for r in edits.runs),
            "cards_edit_drawn": edits.runs[0].cards_drawn,
            "runs": runs,
        }
    return results


#: The targets of issue 17 and PRODUCT.md, by pages per language: (edit/cold, no change/cold, peer/portal).
TARGETS = {300: (0.15, 0.05, 2.0), 1000: (0.10, 0.05, 6.0)}
PAGE_LIMIT = 40 * 1024
MEMORY_LIMIT_MB = 1024


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def report(results: dict) -> str:
    lines = [
        "| N/lang | pages | portal cold | peer | peer/portal | one-page edit | edit/cold | no change | no change/cold "
        "| peak MB portal (largest process RSS, all processes PSS) / peer "
        "| largest page portal/peer | site portal/peer | cards cold (drawn) | cards after edit (drawn) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for n, r in results.items():
        lines.append(
            f"| {n} | {r['pages']} | {r['portal_cold_s']:.1f} s | {r['peer_s']:.1f} s | {r['speedup']:.2f}× "
            f"| {r['portal_edit_s']:.1f} s | {r['edit_ratio']:.0%} "
            f"| {r['portal_unchanged_s']:.1f} s | {r['unchanged_ratio']:.0%} "
            f"| {r['portal_peak_mb']:.0f}, {r['portal_tree_mb']:.0f} / {r['peer_peak_mb']:.0f} "
            f"| {_kb(r['portal_html_max'])} / {_kb(r['peer_html_max'])} "
            f"| {r['portal_site_bytes'] / 2**20:.0f} MB / {r['peer_site_bytes'] / 2**20:.0f} MB "
            f"| {r['cards_cold_s']:.1f} s ({r['cards_cold_drawn']}) | {r['cards_edit_s']:.2f} s ({r['cards_edit_drawn']}) |"
        )
    sizes = list(results)
    if len(sizes) >= 2:
        small, large = results[sizes[0]], results[sizes[-1]]
        growth = large["portal_cold_s"] / small["portal_cold_s"]
        peer_growth = large["peer_s"] / small["peer_s"]
        lines.append("")
        lines.append(
            f"t({sizes[-1]})/t({sizes[0]}): portal {growth:.2f} (linear would be {sizes[-1] / sizes[0]:.1f}), "
            f"peer {peer_growth:.2f}"
        )
    lines += ["", "| target | N/lang | measured | target | |", "|---|---|---|---|---|"]
    for n, r in results.items():
        edit, unchanged, speedup = TARGETS.get(n, (None, 0.05, None))
        if edit is not None:
            lines.append(
                f"| one-page edit / cold | {n} | {r['edit_ratio']:.1%} | ≤ {edit:.0%} | {_verdict(r['edit_ratio'] <= edit)} |"
            )
        lines.append(
            f"| no change / cold | {n} | {r['unchanged_ratio']:.1%} | ≤ {unchanged:.0%} "
            f"| {_verdict(r['unchanged_ratio'] <= unchanged)} |"
        )
        if speedup is not None:
            lines.append(
                f"| cold: peer / portal | {n} | {r['speedup']:.2f}× | ≥ {speedup:.0f}× | {_verdict(r['speedup'] >= speedup)} |"
            )
        lines.append(
            f"| largest page | {n} | {_kb(r['portal_html_max'])} ({r['portal_html_over']} of {r['portal_html_count']} over) | ≤ 40 KB "
            f"| {_verdict(r['portal_html_max'] <= PAGE_LIMIT)} |"
        )
        lines.append(
            f"| peak memory (all processes) | {n} | {r['portal_tree_mb']:.0f} MB | ≤ 1024 MB "
            f"| {_verdict(r['portal_tree_mb'] <= MEMORY_LIMIT_MB)} |"
        )
    return "\n".join(lines)


#: A header crafted against backtracking expressions (7.7 KB), and what a browser sends.
HOSTILE_ACCEPT_LANGUAGE = "de;q=0.5," * 850 + "fr"
NORMAL_ACCEPT_LANGUAGE = "vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7"  # negotiated, stays at /


def _wrk(url: str, seconds: int, connections: int, extra: tuple[str, ...] = ()) -> dict:
    headers = ["-H", "Accept-Encoding: br"] + [arg for header in extra for arg in ("-H", header)]
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *headers, url],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    ).stdout
    p99 = re.search(r"99%\s+([0-9.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = "Non-2xx" in out or "Socket errors" in out
    return {
        "rps": float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1)),
        "p99_ms": float(p99.group(1)) * scale,
        "errors": errors,
    }


def bench_serving(site: Path, work: Path, seconds: int = 10, connections: int = 64) -> dict:
    """Requests per second and p99 on loopback for a content page and a fingerprinted asset (real nginx)."""
    from vnportal.tools import nginx

    if not shutil.which("wrk"):
        sys.exit("wrk not found — apt-get install wrk")
    with nginx.running(site, work / "nginx") as port:
        asset = next(p for p in (site / "assets" / "javascripts").glob("bundle.*.min.js"))
        urls = {
            "content page (/en/s00/page-0001/)": f"http://127.0.0.1:{port}/en/s00/page-0001/",
            f"hashed asset ({asset.name})": f"http://127.0.0.1:{port}/assets/javascripts/{asset.name}",
        }
        figures = {name: _wrk(url, seconds, connections) for name, url in urls.items()}
        home = f"http://127.0.0.1:{port}/"
        # The crafted header costs what any 7.7 KB of header costs to receive, not more (no backtracking).
        browser = f"Accept-Language: {NORMAL_ACCEPT_LANGUAGE}"
        for name, extra in (
            ("/ with a browser's Accept-Language", (browser,)),
            ("/ with it and 7.7 KB of another header", (browser, f"X-Padding: {HOSTILE_ACCEPT_LANGUAGE}")),
            ("/ with a 7.7 KB crafted Accept-Language", (f"Accept-Language: {HOSTILE_ACCEPT_LANGUAGE}",)),
        ):
            figures[name] = _wrk(home, seconds, connections, extra)
        return figures


def bench_serve(work: Path, docs: Path, page: str, edits: int = 7, limit: float = 180) -> dict:
    """``make serve`` on a copy of ``docs``: seconds from saving an edit of ``page`` (docs-relative, in a
    language folder) to the served page showing it (file-watch polling, rebuild and all), median of ``edits``."""
    import urllib.request

    from vnportal.tools import nginx

    copy = work / f"serve-{docs.parent.name}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(docs, copy)
    port = nginx.free_port()
    _, default = site_languages(ROOT / "mkdocs.yml")
    url = f"http://127.0.0.1:{port}/{page.removesuffix('.md').removeprefix(f'{default}/')}/"  # the default: at /
    page_file = copy / page
    original = page_file.read_text(encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PORTAL_DOCS_DIR": str(copy),
           "PORTAL_CACHE_DIR": str(work / f"serve-cache-{docs.parent.name}")}  # fmt: skip
    server = subprocess.Popen(  # what make serve runs
        [sys.executable, "-m", "vnportal", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def fetch() -> str:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    def wait_for(text: str, limit: float) -> float:
        start = time.perf_counter()
        while text not in fetch():
            if time.perf_counter() - start > limit:
                raise RuntimeError(f"mkdocs serve did not show {text!r} within {limit} s")
            time.sleep(0.02)
        return time.perf_counter() - start

    try:
        wait_for("</html>", limit)
        time.sleep(2)
        times = []
        for index in range(edits):
            marker = f"Bench edit {index} {time.time_ns()}"
            page_file.write_text(original + f"\n{marker}\n", encoding="utf-8")
            times.append(wait_for(marker, 60))
            time.sleep(1.5)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"median_s": statistics.median(times), "max_s": max(times), "edits": edits, "page": page}


def export_rows(rows: int, work: Path) -> None:
    """Generate a ``rows``-row dataset and push it through the full export pipeline (run in a child process)."""
    import datetime as dt

    from vnportal.data.export import export_version
    from vnportal.data.model import Dataset, Version

    folder = work / f"synthetic-{rows}"
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "source.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        handle.write("id,year,value,label\n")
        for i in range(1, rows + 1):
            handle.write(f"{i},{1960 + i % 65},{i * 1.5:.2f},row {i % 97}\n")
    langs = ("en",)
    meta = {
        "title": {"en": "Synthetic"},
        "description": {"en": "Synthetic benchmark table"},
        "keywords": {"en": ["bench"]},
        "licence": {"id": "CC0-1.0", "url": "https://creativecommons.org/publicdomain/zero/1.0/"},
        "source": {"name": "generated", "url": "https://example.org/"},
        "publisher": {"name": {"en": "bench"}},
        "frequency": "irregular",
        "units": {},
        "columns": {},
        "schema": {
            "primaryKey": ["id"],
            "missingValues": [""],
            "fields": [
                {
                    "name": "id",
                    "type": "integer",
                    "title": {"en": "Id"},
                    "constraints": {"required": True, "minimum": 1},
                },
                {
                    "name": "year",
                    "type": "year",
                    "title": {"en": "Year"},
                    "constraints": {"minimum": 1900, "maximum": 2100},
                },
                {"name": "value", "type": "number", "title": {"en": "Value"}},
                {"name": "label", "type": "string", "title": {"en": "Label"}},
            ],
        },
        "versions": [{"version": "1.0", "date": dt.date(2026, 1, 1), "notes": {lang: "bench" for lang in langs}}],
    }
    version = Version("1.0", dt.date(2026, 1, 1), {"en": "bench"}, source, "", meta, True)
    dataset = Dataset("synthetic", meta, (version,))
    export_version(dataset, version, folder / "out", str(source))


def bench_data(work: Path, sizes: tuple[int, ...] = (250_000, 1_000_000)) -> dict:
    results = {}
    for rows in sizes:
        code = f"from pathlib import Path; from vnportal.tools.bench import export_rows; export_rows({rows}, Path({str(work)!r}))"
        run = _timed([sys.executable, "-c", code], ROOT, {})
        out = work / f"synthetic-{rows}" / "out"
        results[rows] = {
            "seconds": run.seconds,
            "peak_mb": run.peak_kb / 1024,
            "bytes": {p.name: p.stat().st_size for p in sorted(out.iterdir())},
        }
    return results


def main(argv: list[str] | None = None) -> int:
    sizes = tuple(int(s) for s in os.environ.get("BENCH_SIZES", "300,1000").split(","))
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    work = Path(os.environ.get("BENCH_DIR", ROOT / "build" / "bench"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"Building the corpus at N={sizes} per language, {runs} alternating runs each (medians below).")
    results = bench_builds(work, sizes, runs)
    table = report(results)
    largest = max(results)
    serving = bench_serving(work / f"site-{largest}", work)
    table += "\n\n| nginx, loopback, 64 connections, 10 s, br | requests/s | p99 | errors |\n|---|---|---|---|\n"
    table += "\n".join(
        f"| {name} | {r['rps']:.0f} | {r['p99_ms']:.2f} ms | {'yes' if r['errors'] else 'none'} |"
        for name, r in serving.items()
    )
    results["serving"] = serving
    serve = {"bundled content": bench_serve(work, ROOT / "docs", "en/discover/history.md")}
    if largest >= 1000:
        for page in ("en/s00/page-0001.md", "vi/s00/page-0001.md"):  # a translation; a page of the default language
            serve[f"{largest} pages per language, {page.split('/')[0]}"] = bench_serve(
                work, work / f"corpus-{largest}" / "docs", page, edits=5, limit=900
            )
    table += "\n\n| `make serve`: save → page shows the edit (target ≤ 1 s at 1,000 pages per language) | page | median | slowest |\n|---|---|---|---|\n"
    table += "\n".join(
        f"| {name}, {r['edits']} edits | {r['page']} | {r['median_s']:.2f} s | {r['max_s']:.2f} s |"
        for name, r in serve.items()
    )
    results["serve"] = serve
    data = bench_data(work)
    table += "\n\n| data export (validate + CSV, JSON, XLSX, datapackage, SHA256SUMS) | time | peak memory | CSV / JSON / XLSX |\n|---|---|---|---|\n"
    table += "\n".join(
        f"| {rows:,} rows | {r['seconds']:.1f} s | {r['peak_mb']:.0f} MB | "
        f"{r['bytes']['synthetic.csv'] / 2**20:.0f} / {r['bytes']['synthetic.json'] / 2**20:.0f} / {r['bytes']['synthetic.xlsx'] / 2**20:.0f} MB |"
        for rows, r in data.items()
    )
    results["data"] = data
    print(table)
    (work / "results.json").write_text(json.dumps(results, indent=2))
    (work / "results.md").write_text(table + "\n")
    return 0
