"""Render the shipped nginx configuration for a built site, and run it (``make serve-static PORT=N``)."""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from vnportal.core.config import PROJECT_ROOT as ROOT

TEMPLATES = ROOT / "deploy" / "nginx"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
MIME_TYPES = Path("/etc/nginx/mime.types")


#: Accept-Language headers longer than this are not negotiated (browsers send well under 100 bytes).
ACCEPT_LANGUAGE_MAX = 256
_ZERO_Q = r";\s*q\s*=\s*0(?:\.0{0,3})?\s*(?=[;,]|$)"


def language_rules(languages: list[str], default: str) -> list[tuple[str, str]]:
    """(case-insensitive PCRE, language) for nginx's map at ``/``, tried in order.

    The visitor's list is read in order: items in a language the site lacks, and items with ``q=0``
    ("not this one"), are skipped; the first other item decides (the default language: no redirect). Each
    skipped item is an atomic group under a possessive repeat, so nothing is ever re-tried: the cost is
    linear in the header's length, which a length guard bounds anyway.
    """
    names = "|".join(re.escape(lang) for lang in languages)
    skipped = rf"(?>\s*+(?:(?!(?:{names})(?:[-;,\s]|$))[^,]*|[^,;]*(?:;[^,;]*)*?{_ZERO_Q}[^,]*),)*+"
    guard = rf"^(?=.{{0,{ACCEPT_LANGUAGE_MAX}}}$)"
    return [
        (rf"{guard}{skipped}\s*+{re.escape(lang)}(?:-[a-z0-9]{{1,8}})*\s*(?:(?!{_ZERO_Q});[^,;]*)*(?:,|$)", lang)
        for lang in languages
        if lang != default
    ]


def _env() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, keep_trailing_newline=True)


def policy(site: Path) -> dict:
    path = site / "_serving.json"
    if not path.is_file():
        raise SystemExit(f"{path}: missing — build the site first (make build)")
    return json.loads(path.read_text(encoding="utf-8"))


def headers_conf(serving: dict) -> str:
    headers = {"Content-Security-Policy": serving["content_security_policy"], **serving["security_headers"]}
    return "".join(f'add_header {name} "{value}" always;\n' for name, value in headers.items())


def admin_headers_conf(serving: dict) -> str:
    """The browser editor's headers: the site's, with its own policy and the headers it needs changed."""
    admin = serving["admin"]
    headers = {**serving["security_headers"], "Content-Security-Policy": admin["content_security_policy"]}
    headers.update(admin["headers"])
    return "".join(f'add_header {name} "{value}" always;\n' for name, value in headers.items())


def admin_headers_path(headers_file: Path) -> Path:
    return headers_file.with_name(headers_file.stem + "-admin.conf")


def write_headers(serving: dict, headers_file: Path) -> None:
    """The include files the server block names: every location's headers, and the editor's if built."""
    headers_file.write_text(headers_conf(serving), encoding="utf-8")
    if serving.get("admin"):
        admin_headers_path(headers_file).write_text(admin_headers_conf(serving), encoding="utf-8")


def render_server(site: Path, listen: str, headers_file: Path, server_name: str = "_") -> str:
    serving = policy(site)
    return (
        _env()
        .get_template("portal.conf.j2")
        .render(
            listen=listen,
            server_name=server_name,
            root=site.resolve(),
            headers_file=headers_file,
            admin=serving.get("admin"),
            admin_headers_file=admin_headers_path(headers_file),
            languages=serving["languages"],
            default_language=serving["default_language"],
            language_rules=language_rules(serving["languages"], serving["default_language"]),
            immutable=serving["immutable"],
            revalidate=serving["revalidate"],
        )
    )


def prepare(site: Path, port: int, prefix: Path) -> Path:
    """Write a self-contained nginx prefix serving ``site`` on 127.0.0.1:port; return nginx.conf."""
    for needed, package in ((BROTLI_MODULE, "libnginx-mod-http-brotli-static"), (MIME_TYPES, "nginx")):
        if not needed.exists():
            raise SystemExit(f"{needed}: not found — install Debian's {package} (apt-get install nginx {package})")
    for sub in ("tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    headers = prefix / "security-headers.conf"
    write_headers(policy(site), headers)
    (prefix / "portal.conf").write_text(render_server(site, f"127.0.0.1:{port}", headers), encoding="utf-8")
    user = pwd.getpwuid(os.getuid()).pw_name if os.getuid() == 0 else None
    main = (
        _env()
        .get_template("nginx.conf.j2")
        .render(prefix=prefix, brotli_module=BROTLI_MODULE, mime_types=MIME_TYPES, user=user)
    )
    conf = prefix / "nginx.conf"
    conf.write_text(main, encoding="utf-8")
    return conf


def command(conf: Path) -> list[str]:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    return [nginx, "-p", str(conf.parent), "-c", str(conf), "-g", "daemon off;"]


def serve(site: Path, port: int, prefix: Path) -> None:
    conf = prepare(site, port, prefix)
    print(f"Serving {site} with nginx on http://127.0.0.1:{port}/ (prefix {prefix}); Ctrl-C stops it.", flush=True)
    cmd = command(conf)
    sys.stdout.flush()
    os.execv(cmd[0], cmd)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running(site: Path, prefix: Path, port: int | None = None) -> Iterator[int]:
    """nginx in the background on 127.0.0.1, ready when this yields its port; stopped on exit."""
    port = port or free_port()
    proc = subprocess.Popen(command(prepare(site, port, prefix)), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    raise RuntimeError(f"nginx did not start: {proc.stderr.read().decode()[-2000:]}") from None
                time.sleep(0.05)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)
