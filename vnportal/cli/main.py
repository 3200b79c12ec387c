"""Command line of the portal: ``python -m vnportal check``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from vnportal.content.checks import (
    check_brand,
    check_data,
    check_facts,
    check_media,
    check_rendered,
    check_settings,
    check_tree,
    check_ui_strings,
    markdown_files,
)
from vnportal.core.config import site_languages
from vnportal.core.findings import Finding
from vnportal.core.messages import tr
from vnportal.core.site import cache_root


def _docs_dir(arg: str | None) -> Path:
    return Path(arg or os.environ.get("PORTAL_DOCS_DIR") or "docs")


def _content_options(parser: argparse.ArgumentParser, docs_help: str | None = None) -> None:
    """``--docs-dir`` and ``--config``, which every command on the content takes."""
    parser.add_argument("--docs-dir", help=docs_help)
    parser.add_argument("--config", default="mkdocs.yml")


def _content(args: argparse.Namespace) -> tuple[Path, list[str], str]:
    """What a command on the content starts from: the content tree, the site's languages and the default one."""
    languages, default = site_languages(Path(args.config))
    return _docs_dir(args.docs_dir), languages, default


def findings(docs: Path, config: Path) -> tuple[list[Finding], list[Finding]]:
    """Every content check: (errors, warnings)."""
    languages, default = site_languages(config)
    errors, warnings = check_tree(docs, Path.cwd(), languages, default)
    errors += check_rendered(docs, Path.cwd(), config, languages, default)
    errors += check_ui_strings(config, Path.cwd())
    errors += check_brand(config)
    errors += check_media(docs, Path.cwd(), languages)
    warnings += check_settings(config, Path.cwd())
    data = Path(os.environ.get("PORTAL_DATA_DIR", "data"))
    if data.is_dir():
        data_errors, data_warnings = check_data(data, languages)
        errors += data_errors
        warnings += data_warnings
        fact_errors, fact_warnings = check_facts(docs, Path.cwd(), data, languages)
        errors += fact_errors
        warnings += fact_warnings
    return errors, warnings


def cmd_check(args: argparse.Namespace) -> int:
    docs = _docs_dir(args.docs_dir)
    if not docs.is_dir():
        print(tr("{docs}: no such content directory — set PORTAL_DOCS_DIR or create docs/", docs=docs), file=sys.stderr)
        return 2
    errors, warnings = findings(docs, Path(args.config))
    if args.github or os.environ.get("GITHUB_ACTIONS") == "true":
        from vnportal.cli.annotations import annotation

        for finding in sorted(warnings):
            print(annotation(finding, "warning"))
        for finding in sorted(errors):
            print(annotation(finding))
    else:
        for finding in sorted(warnings):
            print(tr("warning: {finding}", finding=finding), file=sys.stderr)
        for finding in sorted(errors):
            print(finding, file=sys.stderr)
    count = sum(1 for _ in markdown_files(docs))
    if errors:
        print(tr("{errors} problem(s) in {pages} pages — fix them and run  make check  again", errors=len(errors), pages=count),
              file=sys.stderr)  # fmt: skip
        return 1
    if warnings:
        print(tr("checked {pages} pages: no problems, {warnings} warning(s)", pages=count, warnings=len(warnings)))
    else:
        print(tr("checked {pages} pages: no problems", pages=count))
    return 0


def cmd_pr_summary(args: argparse.Namespace) -> int:
    """Write the pull request's job summary (appended to $GITHUB_STEP_SUMMARY, or printed)."""
    from vnportal.cli.pr_summary import summary

    docs, languages, default = _content(args)
    errors, warnings = findings(docs, Path(args.config))
    text = summary(Path.cwd(), args.base, docs.as_posix(), languages, default, errors, warnings)
    out = args.out or os.environ.get("GITHUB_STEP_SUMMARY")
    if out:
        with open(out, "a", encoding="utf-8") as handle:
            handle.write(text)
    else:
        print(text)
    return 0


def cmd_cms_config(args: argparse.Namespace) -> int:
    """The CMS configuration the build writes to /admin/config.yml (vnportal/cms)."""
    from vnportal.cms.config import cms_config, dump

    print(dump(cms_config(Path(args.config), local_backend=args.local_backend or "")), end="")
    return 0


def cmd_stamp(args: argparse.Namespace) -> int:
    """Record that translations match their original; a wrong path is a plain message, not a traceback."""
    from vnportal.content.translations import StampError, stamp

    docs, languages, default = _content(args)
    if not args.pages or not any(name.strip() for name in args.pages):
        print(tr("PAGE is missing — e.g.  make stamp PAGE=docs/en/economy/index.md"), file=sys.stderr)
        return 2
    failed = 0
    for name in args.pages:
        try:
            print(tr("{page}: recorded as matching its original (source_hash {hash})", page=name,
                     hash=stamp(Path(name), docs, default, languages)))  # fmt: skip
        except StampError as exc:
            print(exc, file=sys.stderr)
            failed += 1
    return 2 if failed else 0


def cmd_new(args: argparse.Namespace) -> int:
    """Scaffold a page with valid front matter; the other languages show it from the original until translated."""
    from vnportal.cli.scaffold import ScaffoldError, new_page

    docs, languages, default = _content(args)
    lang = args.locale or default
    try:
        path = new_page(docs, lang, args.page, args.title, languages)
    except ScaffoldError as exc:
        print(exc, file=sys.stderr)
        return 1 if (docs / lang / f"{args.page.removesuffix('.md').strip('/')}.md").exists() else 2
    print(tr("wrote {path}: replace the description and the text, then run  make check", path=path.as_posix()))
    page = path.relative_to(docs / lang).as_posix()
    others = [other for other in languages if other != lang and not (docs / other / page).exists()]
    if others and lang == default:
        print(tr("untranslated in: {languages} (shown from the original with a notice until translated; counted as missing on /status/)",
                 languages=", ".join(others)))  # fmt: skip
    elif lang != default:
        print(tr("when the translation matches {source}, run  make stamp PAGE={page}",
                 source=f"{docs.name}/{default}/{page}", page=path.as_posix()))  # fmt: skip
    return 0


def cmd_xliff(args: argparse.Namespace) -> int:
    """make xliff LOCALE=fr: the pages a language lacks or whose original changed, as XLIFF 2.0 for a CAT tool."""
    from vnportal.content.xliff import ExchangeError, export

    docs, languages, default = _content(args)
    try:
        data, pages = export(docs, args.locale, languages, default)
    except ExchangeError as exc:
        print(exc, file=sys.stderr)
        return 2
    out = Path(args.out or f"build/xliff/{args.locale}.xlf")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    missing = sum(1 for _, state in pages if state == "missing")
    print(tr("wrote {file}: {count} page(s) to translate into {lang} ({missing} missing, {stale} stale); send it to the translators and bring it back with  make import FILE={file}",
             file=out.as_posix(), count=len(pages), lang=args.locale, missing=missing, stale=len(pages) - missing))  # fmt: skip
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """make import FILE=…: write back the translated pages of an XLIFF file and record what they translate."""
    from vnportal.content.xliff import ExchangeError, import_file

    docs, languages, default = _content(args)
    if not args.file:
        print(tr("FILE is missing — e.g.  make import FILE=build/xliff/fr.xlf"), file=sys.stderr)
        return 2
    try:
        results = import_file(Path(args.file), docs, languages, default)
    except ExchangeError as exc:
        print(exc, file=sys.stderr)
        return 1
    for page, written, message in results:
        print(f"{page}: {message}", file=sys.stdout if written else sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """make serve: the content checks first (in the terminal), then the live preview, even with problems
    (the browser shows the build's errors until they are fixed)."""
    from vnportal.cli.devserver import serve

    check = argparse.Namespace(docs_dir=None, config=args.config, github=False)
    if cmd_check(check) != 0:
        print(tr("make serve starts anyway: the browser shows what stops the build"), file=sys.stderr)
    return serve(args.config, args.port)


def cmd_serve_static(args: argparse.Namespace) -> int:
    import tempfile

    from vnportal.tools import nginx

    prefix = Path(args.prefix) if args.prefix else Path(tempfile.mkdtemp(prefix="portal-nginx-"))
    nginx.serve(Path(args.site), args.port, prefix)
    return 0


def cmd_nginx_conf(args: argparse.Namespace) -> int:
    from vnportal.tools import nginx

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    headers = out / "portal-security-headers.conf"
    nginx.write_headers(nginx.policy(Path(args.site)), headers)
    server = nginx.render_server(Path(args.site), args.listen, headers.resolve(), args.server_name)
    (out / "portal.conf").write_text(server, encoding="utf-8")
    print(f"wrote {out / 'portal.conf'} and {headers}")
    return 0


def cmd_dataset(args: argparse.Namespace) -> int:
    """Rebuild derived dataset sources from ../shared; --release freezes new versions and records their files."""
    from vnportal.data.build import export_all
    from vnportal.data.export import artefacts
    from vnportal.data.model import freeze, load_all, update_lock
    from vnportal.data.sources import BUILDERS

    data = Path(args.data_dir)
    for name in args.ids:
        if name not in BUILDERS:
            print(f"{name}: no builder — known: {', '.join(BUILDERS)}", file=sys.stderr)
            return 2
        out = data / name / args.version / f"{name}.csv"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(BUILDERS[name](data), encoding="utf-8")
        print(f"wrote {out}")
    if args.release:
        languages, _ = site_languages(Path(args.config))
        datasets, findings = load_all(data, languages)
        for dataset in datasets:
            for version in dataset.versions:
                if not version.frozen:
                    print(f"froze {freeze(dataset, version)}")
        datasets, findings = load_all(data, languages)
        cache = cache_root(Path.cwd()) / "data"
        summaries, folders, problems = export_all(datasets, data, cache) if not findings else ({}, {}, [])
        for finding in findings + problems:
            print(finding, file=sys.stderr)
        if findings or problems:
            return 1
        added = update_lock(data, {f"{d.id}/{v.version}": artefacts(folders[d.id][v.version], summaries[d.id][v.version])
                                   for d in datasets for v in d.versions})  # fmt: skip
        print(f"published {', '.join(added) or 'nothing new'} in {data / 'published.lock'}")
    return 0


def cmd_cobrand(args: argparse.Namespace) -> int:
    from vnportal.brand.cobrand import run

    return run(args.partner, args.out, Path(args.config))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="vnportal", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate the content tree without building")
    _content_options(check, "content tree (default: $PORTAL_DOCS_DIR or docs/)")
    check.add_argument(
        "--github", action="store_true", help="print GitHub workflow annotations (default when GITHUB_ACTIONS=true)"
    )
    check.set_defaults(func=cmd_check)
    pr = sub.add_parser("pr-summary", help="job summary of a pull request: findings, pages changed, translations")
    pr.add_argument("--base", required=True, help="the commit the pull request is compared with")
    pr.add_argument("--out", help="file to append to (default: $GITHUB_STEP_SUMMARY, else print)")
    _content_options(pr)
    pr.set_defaults(func=cmd_pr_summary)
    cms = sub.add_parser("cms-config", help="print the CMS configuration generated from the front-matter schema")
    cms.add_argument("--config", default="mkdocs.yml")
    cms.add_argument("--local-backend", help="decap-server's API address (make cms)")
    cms.set_defaults(func=cmd_cms_config)
    stamp = sub.add_parser("stamp", help="record that translations are up to date with their source page")
    stamp.add_argument("pages", nargs="*")
    _content_options(stamp)
    stamp.set_defaults(func=cmd_stamp)
    new = sub.add_parser("new", help="scaffold a page: new PAGE TITLE [--locale vi]")
    new.add_argument("page")
    new.add_argument("title")
    new.add_argument("--locale", default="", help="the page's language (default: the site's default language)")
    _content_options(new)
    new.set_defaults(func=cmd_new)
    bench = sub.add_parser("bench", help="benchmark builds against the documented peer (BENCH_SIZES, BENCH_RUNS)")
    bench.set_defaults(func=lambda _args: __import__("vnportal.tools.bench", fromlist=["main"]).main())
    xliff = sub.add_parser("xliff", help="export missing and stale pages of a language as XLIFF 2.0 (make xliff)")
    xliff.add_argument("--locale", default="")
    xliff.add_argument("--out", help="default: build/xliff/<locale>.xlf")
    _content_options(xliff)
    xliff.set_defaults(func=cmd_xliff)
    back = sub.add_parser("import", help="write translations back from an XLIFF 2.0 file and stamp them (make import)")
    back.add_argument("file", nargs="?", default="")
    _content_options(back)
    back.set_defaults(func=cmd_import)
    live = sub.add_parser("serve", help="check, then build and serve with live reload on 127.0.0.1 (make serve)")
    live.add_argument("--port", type=int, default=8000)
    live.add_argument("--config", default="mkdocs.yml")
    live.set_defaults(func=cmd_serve)
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
    dataset = sub.add_parser("dataset", help="rebuild derived dataset sources; --release publishes new versions")
    dataset.add_argument(
        "ids",
        nargs="*",
        help="datasets to rebuild from ../shared (resolution-47-tasks, vn-inflation, vn-population-gdp)",
    )
    dataset.add_argument("--version", default="1.0")
    dataset.add_argument("--data-dir", default="data")
    dataset.add_argument("--config", default="mkdocs.yml")
    dataset.add_argument(
        "--release", action="store_true", help="freeze new versions' metadata and record their files as published"
    )
    dataset.set_defaults(func=cmd_dataset)
    cobrand = sub.add_parser("cobrand", help="the mark beside a partner's logo: cobrand PARTNER.svg (SVG, PDF, PNG)")
    cobrand.add_argument("partner", nargs="?", default="")
    cobrand.add_argument("--out", default="build/cobrand")
    cobrand.add_argument("--config", default="mkdocs.yml")
    cobrand.set_defaults(func=cmd_cobrand)
    args = parser.parse_args(argv)
    return args.func(args)
