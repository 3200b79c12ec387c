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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="vnportal", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate the content tree without building")
    check.add_argument("--docs-dir", help="content tree (default: $PORTAL_DOCS_DIR or docs/)")
    check.set_defaults(func=cmd_check)
    bench = sub.add_parser("bench", help="benchmark builds against the documented peer (BENCH_SIZES, BENCH_RUNS)")
    bench.set_defaults(func=lambda _args: __import__("vnportal.bench", fromlist=["main"]).main())
    args = parser.parse_args(argv)
    return args.func(args)
