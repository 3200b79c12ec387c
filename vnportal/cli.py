"""Command line of the portal: ``python -m vnportal check``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from vnportal.checks import check_front_matter, markdown_files


def _docs_dir(arg: str | None) -> Path:
    return Path(arg or os.environ.get("PORTAL_DOCS_DIR") or "docs")


def cmd_check(args: argparse.Namespace) -> int:
    docs = _docs_dir(args.docs_dir)
    if not docs.is_dir():
        print(f"{docs}: no such content directory — set PORTAL_DOCS_DIR or create docs/", file=sys.stderr)
        return 2
    findings = sorted(check_front_matter(docs, Path.cwd()))
    for finding in findings:
        print(finding, file=sys.stderr)
    count = sum(1 for _ in markdown_files(docs))
    if findings:
        print(
            f"{len(findings)} problem(s) in {count} pages — fix them and run `make check` again",
            file=sys.stderr,
        )
        return 1
    print(f"checked {count} pages: no problems")
    return 0


def cmd_serve_static(args: argparse.Namespace) -> int:
    import tempfile

    from vnportal import nginx

    prefix = Path(args.prefix) if args.prefix else Path(tempfile.mkdtemp(prefix="portal-nginx-"))
    nginx.serve(Path(args.site), args.port, prefix)
    return 0


def cmd_nginx_conf(args: argparse.Namespace) -> int:
    from vnportal import nginx

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    headers = out / "portal-security-headers.conf"
    headers.write_text(nginx.headers_conf(nginx.policy(Path(args.site))), encoding="utf-8")
    server = nginx.render_server(Path(args.site), args.listen, headers.resolve(), args.server_name)
    (out / "portal.conf").write_text(server, encoding="utf-8")
    print(f"wrote {out / 'portal.conf'} and {headers}")
    return 0


def cmd_dataset(args: argparse.Namespace) -> int:
    """Rebuild derived dataset sources from ../shared, and/or record published versions in the lock."""
    from vnportal.data.model import load_all, update_lock
    from vnportal.data.sources import BUILDERS

    data = Path(args.data_dir)
    for name in args.ids:
        if name not in BUILDERS:
            print(f"{name}: no builder — known: {', '.join(BUILDERS)}", file=sys.stderr)
            return 2
        version = args.version
        out = data / name / version / f"{name}.csv"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(BUILDERS[name](data), encoding="utf-8")
        print(f"wrote {out}")
    if args.lock:
        datasets, findings = load_all(data)
        for finding in findings:
            print(finding, file=sys.stderr)
        if findings:
            return 1
        update_lock(data, datasets)
        print(f"recorded {sum(len(d.versions) for d in datasets)} versions in {data / 'published.lock'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="vnportal", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate the content tree without building")
    check.add_argument("--docs-dir", help="content tree (default: $PORTAL_DOCS_DIR or docs/)")
    check.set_defaults(func=cmd_check)
    bench = sub.add_parser("bench", help="benchmark builds against the documented peer (BENCH_SIZES, BENCH_RUNS)")
    bench.set_defaults(func=lambda _args: __import__("vnportal.bench", fromlist=["main"]).main())
    serve = sub.add_parser("serve-static", help="run nginx with the shipped config over the built site (foreground)")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--site", default="site")
    serve.add_argument("--prefix", help="nginx prefix directory (default: a new temporary one)")
    serve.set_defaults(func=cmd_serve_static)
    conf = sub.add_parser("nginx-conf", help="render deploy/nginx for a production server")
    conf.add_argument("--site", default="site")
    conf.add_argument("--out", default="build/nginx")
    conf.add_argument("--listen", default="80")
    conf.add_argument("--server-name", default="_")
    conf.set_defaults(func=cmd_nginx_conf)
    dataset = sub.add_parser("dataset", help="rebuild derived dataset sources; --lock records published versions")
    dataset.add_argument(
        "ids", nargs="*", help="datasets to rebuild from ../shared (resolution-47-tasks, vn-population-gdp)"
    )
    dataset.add_argument("--version", default="1.0")
    dataset.add_argument("--data-dir", default="data")
    dataset.add_argument("--lock", action="store_true", help="record every current version as published")
    dataset.set_defaults(func=cmd_dataset)
    args = parser.parse_args(argv)
    return args.func(args)
