"""make serve: a busy port is a sentence, a broken build is a page in the browser, live reload runs under the CSP."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import ROOT, project_copy, seed_cache
from hypothesis import given
from hypothesis import strategies as st

from vnportal.cli import devserver
from vnportal.cli.devserver import watched


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


@contextmanager
def make_serve(port: int, cwd: Path, env: dict[str, str], output: int | None = subprocess.DEVNULL) -> Iterator[None]:
    """``python -m vnportal serve`` (what make serve runs) on 127.0.0.1:``port``, stopped when the block ends."""
    process = subprocess.Popen([sys.executable, "-m", "vnportal", "serve", "--port", str(port)], cwd=cwd, env=env,
                               stdout=output, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_for(url: str, predicate, seconds: float = 240) -> tuple[int, str]:
    """Poll ``url`` until ``predicate(status, body)`` holds (bounded in time)."""
    deadline = time.monotonic() + seconds
    last: tuple[int, str] = (0, "")
    while time.monotonic() < deadline:
        try:
            last = get(url)
            if predicate(*last):
                return last
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url}: not reached in {seconds}s; last answer {last[0]}: {last[1][:500]}")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, int]]:
    docs = tmp_path_factory.mktemp("serve") / "docs"
    for lang, title in (("vi", "Trang chủ"), ("en", "Home")):
        (docs / lang).mkdir(parents=True)
        (docs / lang / "index.md").write_text(f"---\ntitle: {title}\ndescription: D\n---\n\nText.\n", encoding="utf-8")
    port = free_port()
    env = {**os.environ, "PORTAL_DOCS_DIR": str(docs), "PORTAL_LANG": "en", "NO_MKDOCS_2_WARNING": "1"}
    url = f"http://127.0.0.1:{port}/"
    log = docs.parent / "serve.log"  # a file: a pipe nobody reads would block the server once full
    with log.open("w") as output, make_serve(port, ROOT, env, output):
        wait_for(url, lambda status, body: status == 200)
        yield url, docs, port


@pytest.mark.serving
def test_a_busy_port_is_a_plain_message(served: tuple[str, Path, int]) -> None:
    _, docs, port = served
    env = {**os.environ, "PORTAL_DOCS_DIR": str(docs), "PORTAL_LANG": "en"}
    result = subprocess.run([sys.executable, "-m", "vnportal", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"port {port} is already in use" in result.stderr and f"make serve PORT={port + 1}" in result.stderr


@pytest.mark.serving
def test_a_broken_build_shows_the_findings_in_the_browser_then_recovers(served: tuple[str, Path, int]) -> None:
    url, docs, _ = served
    page = docs / "vi" / "index.md"
    good = page.read_text(encoding="utf-8")
    page.write_text("---\ntitle: Trang chủ\n\tdescription: D\n---\n\nText.\n", encoding="utf-8")
    try:
        _, body = wait_for(url + "en/", lambda status, body: status == 500)
        assert "The site could not be built" in body and "index.md:3: front matter has a tab character" in body
        assert '<script src="/.livereload.js?epoch=' in body  # the page reloads itself once fixed
    finally:
        page.write_text(good, encoding="utf-8")
    _, body = wait_for(url, lambda status, body: status == 200)
    assert "Trang chủ" in body


def test_live_reload_runs_under_the_pages_csp(served: tuple[str, Path, int], browser) -> None:
    url, docs, _ = served
    page = browser.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(url)  # (Playwright's wait_for_function would need eval, which the pages' policy forbids)
    with page.expect_navigation(timeout=120_000):  # the page reloads by itself after the save
        (docs / "vi" / "index.md").write_text(
            "---\ntitle: Trang chủ mới\ndescription: D\n---\n\nText.\n", encoding="utf-8"
        )
    assert "Trang chủ mới" in page.title()
    assert "Enabled live reload" in console and not [m for m in console if "Content Security Policy" in m], console
    page.close()


@pytest.mark.serving
def test_a_brand_token_edited_during_serve_reaches_the_logo_as_plain_svg(tmp_path: Path, warm_cache: Path) -> None:
    """A token edit takes a full build, which says why, and the rebuild redraws the logo as an ``<svg>`` after a
    build that wrote the Atom feeds (ElementTree's process-wide prefixes once made it ``<ns0:svg>``, and the cache
    kept it; each build now has a process of its own, but the cache must still hold plain SVG)."""
    root = project_copy(tmp_path / "project")
    for lang in ("vi", "en"):
        (root / "docs" / lang / "news").mkdir(parents=True)
        (root / "docs" / lang / "index.md").write_text(
            "---\ntitle: T\ndescription: D\n---\n\nText.\n", encoding="utf-8"
        )
        (root / "docs" / lang / "news" / "index.md").write_text(
            "---\ntitle: N\ndescription: D\n---\n\nX.\n", encoding="utf-8"
        )
        (root / "docs" / lang / "news" / "2026-11-01-a.md").write_text(
            "---\ntitle: A\ndescription: D\ntype: news\ndate: 2026-11-01\n---\n\nX.\n", encoding="utf-8"
        )
    port = free_port()
    env = {**os.environ, "PORTAL_DOCS_DIR": str(root / "docs"), "PORTAL_DATA_DIR": str(root / "data"), "PORTAL_LANG": "en",
           "PORTAL_CACHE_DIR": str(seed_cache(tmp_path / "cache", warm_cache)), "NO_MKDOCS_2_WARNING": "1"}  # fmt: skip
    logo = f"http://127.0.0.1:{port}/assets/brand/logo/horizontal-colour.svg"
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as output, make_serve(port, root, env, output):
        _, before = wait_for(logo, lambda status, body: status == 200)
        assert wait_for(f"http://127.0.0.1:{port}/en/news/feed.xml", lambda status, body: status == 200)[1]
        assert 'fill="#A5161C"' in before
        tokens = root / "assets" / "brand" / "tokens.yml"
        tokens.write_text(tokens.read_text(encoding="utf-8").replace("#A5161C", "#A5161D"), encoding="utf-8")
        _, after = wait_for(logo, lambda status, body: status == 200 and "#A5161D" in body)
        assert after.startswith("<svg ") and "ns0:" not in after and "</svg>" in after
    assert "assets/brand/tokens.yml changed: full rebuild" in log.read_text(encoding="utf-8")  # not a page refresh


def test_data_brand_and_templates_are_watched() -> None:
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    paths = set(watched(config))
    for folder in ("docs", "data", "assets/brand", "overrides"):
        assert (ROOT / folder).resolve() in paths, folder
    assert (ROOT / "mkdocs.yml").resolve() in paths


def log_count(log: Path, text: str) -> int:
    return log.read_text(encoding="utf-8", errors="replace").count(text)


def wait_for_log(log: Path, text: str, count: int = 1, seconds: float = 240) -> None:
    """Wait until ``text`` is in make serve's output ``count`` times (bounded in time)."""
    deadline = time.monotonic() + seconds
    while log_count(log, text) < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} not logged {count} time(s) in {seconds}s:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)


def without_live_reload(page: str) -> str:
    return re.sub(r'<script src="/\.livereload\.js\?[^"]*"></script>', "", page)


def poll_reload(url: str, page: str) -> tuple[threading.Thread, list[bool]]:
    """Start the live-reload poll of a served page as its script does; the list gets whether it was told to reload."""
    found = re.search(r"livereload\.js\?epoch=(\d+)&amp;request=(\d+)", page)
    assert found is not None
    epoch, request = found.groups()
    answers: list[bool] = []

    def poll() -> None:
        with contextlib.suppress(OSError):
            answers.append(int(get(f"{url}livereload/{epoch}/{request}")[1]) > int(epoch))

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    return thread, answers


@pytest.mark.serving
def test_a_body_edit_is_refreshed_at_once_and_the_full_build_that_follows_converges(
    tmp_path: Path, warm_cache: Path
) -> None:
    """A body edit is written by the page refresh (then the full build's site is swapped in, as a plain build makes
    it); a change to front matter or mkdocs.yml takes the full build and says why; a body the build rejects is never
    refreshed: the error page shows."""
    from vnportal.content.translations import body_hash

    root = project_copy(tmp_path / "project")
    docs = root / "docs"
    vi_body = "\nBài viết gốc.\n"
    for lang, title in (("vi", "Trang chủ"), ("en", "Home")):
        (docs / lang).mkdir(parents=True)
        (docs / lang / "index.md").write_text(f"---\ntitle: {title}\ndescription: D\n---\n\nText.\n", encoding="utf-8")
    (docs / "vi" / "page.md").write_text(f"---\ntitle: Trang\ndescription: D\n---\n{vi_body}", encoding="utf-8")
    en_page = docs / "en" / "page.md"
    en_head = f"---\ntitle: Page\ndescription: D\ntranslation: {{source: vi, source_hash: {body_hash(vi_body)}}}\n---\n"
    en_page.write_text(en_head + "\nThe original.\n", encoding="utf-8")
    port, log = free_port(), tmp_path / "serve.log"
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "PORTAL_DOCS_DIR": str(docs), "PORTAL_DATA_DIR": str(root / "data"), "PORTAL_LANG": "en",
           "PORTAL_CACHE_DIR": str(seed_cache(tmp_path / "cache", warm_cache)), "NO_MKDOCS_2_WARNING": "1"}  # fmt: skip
    with log.open("w", encoding="utf-8") as output, make_serve(port, root, env, output):
        wait_for(url + "en/page/", lambda status, body: status == 200)
        assert '"state": "stale"' not in get(url + "status.json")[1]

        edited, other = poll_reload(url, get(url + "en/page/")[1]), poll_reload(url, get(url)[1])
        en_page.write_text(en_head + "\nThe first edit.\n", encoding="utf-8")
        _, page = wait_for(url + "en/page/", lambda status, body: "The first edit." in body)
        wait_for_log(log, "page refreshed in")
        assert "en/page/index.html; full rebuild follows" in log.read_text(encoding="utf-8")
        edited[0].join(30)
        assert edited[1] == [True]  # the edited page reloads at once
        again = poll_reload(url, page)
        wait_for_log(log, "site built in", 2)
        time.sleep(1)
        assert other[0].is_alive() and again[0].is_alive()  # no reload where nothing changed, full build included

        (docs / "vi" / "page.md").write_text(
            "---\ntitle: Trang\ndescription: D\n---\n\nBài đã sửa.\n", encoding="utf-8"
        )
        wait_for(url + "page/", lambda status, body: "Bài đã sửa." in body)
        wait_for_log(log, "page refreshed in", 2)
        wait_for_log(log, "site built in", 3)  # the full build marks the English translation stale
        assert '"state": "stale"' in get(url + "status.json")[1]

        en_head = en_head.replace("title: Page", "title: Renamed")
        en_page.write_text(en_head + "\nThe first edit.\n", encoding="utf-8")
        wait_for(url + "en/page/", lambda status, body: "Renamed" in body)
        assert "the front matter of docs/en/page.md changed: full rebuild" in log.read_text(encoding="utf-8")
        wait_for_log(log, "site built in", 4)

        config = root / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        wait_for_log(log, "mkdocs.yml changed: full rebuild")
        wait_for_log(log, "site built in", 5)

        en_page.write_text(en_head + "\nA <script>alert(1)</script> here.\n", encoding="utf-8")
        _, body = wait_for(url + "en/page/", lambda status, body: status == 500)
        assert "The site could not be built" in body and "script" in body
        assert "could not be refreshed alone" in log.read_text(encoding="utf-8")

        built = log_count(log, "site built in")  # before the save: the page may show before the line is logged
        en_page.write_text(en_head + "\nThe last edit.\n", encoding="utf-8")
        wait_for(url + "en/page/", lambda status, body: status == 200 and "The last edit." in body)
        wait_for_log(log, "site built in", built + 1)  # a failed build is never refreshed: this is the full one
        served = {path: without_live_reload(get(url + path)[1]) for path in ("en/page/", "page/", "status.json")}

    if lost := [line for line in log.read_text(encoding="utf-8").splitlines() if "building again" in line]:
        warnings.warn(f"make serve lost a build and built again (its log: {log}): {lost}", stacklevel=1)
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)], cwd=root,
                   env={**env, "SITE_URL": url}, check=True, capture_output=True, timeout=600)  # fmt: skip
    for path, page in served.items():
        assert page == (site / path / ("index.html" if path.endswith("/") else "")).read_text(encoding="utf-8"), path


STALL_HOOK = """
import os, pathlib, time

def on_pre_build(config, **kwargs):
    root = pathlib.Path(config.config_file_path).parent
    if (root / "die").exists():
        (root / "die").unlink()
        os._exit(3)
    if (root / "stall").exists():
        (root / "stall").unlink()
        time.sleep(300)  # stuck: no CPU used until make serve stops the process
"""


@pytest.mark.serving
def test_a_build_that_dies_or_stops_making_progress_is_reported_and_built_again(
    tmp_path: Path, warm_cache: Path
) -> None:
    """A build process that dies, or that uses no CPU for PORTAL_SERVE_STALL_SECONDS (a deadlock, a pipe nobody
    reads), is said so in the terminal (the stuck one with its stack) and built again: the server never waits on it."""
    root = project_copy(tmp_path / "project")
    for lang in ("vi", "en"):
        (root / "docs" / lang).mkdir(parents=True)
        (root / "docs" / lang / "index.md").write_text(
            "---\ntitle: T\ndescription: D\n---\n\nText.\n", encoding="utf-8"
        )
    (root / "stall_hook.py").write_text(STALL_HOOK, encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nhooks:\n  - stall_hook.py\n", encoding="utf-8")
    port, log = free_port(), tmp_path / "serve.log"
    url = f"http://127.0.0.1:{port}/en/"
    env = {**os.environ, "PORTAL_DOCS_DIR": str(root / "docs"), "PORTAL_DATA_DIR": str(root / "data"), "PORTAL_LANG": "en",
           "PORTAL_CACHE_DIR": str(seed_cache(tmp_path / "cache", warm_cache)), "NO_MKDOCS_2_WARNING": "1",
           "PORTAL_SERVE_STALL_SECONDS": "5"}  # fmt: skip
    page = root / "docs" / "en" / "index.md"
    with log.open("w", encoding="utf-8") as output, make_serve(port, root, env, output):
        wait_for(url, lambda status, body: status == 200)
        for trigger, title in (("die", "Died"), ("stall", "Stalled")):
            (root / trigger).touch()
            page.write_text(f"---\ntitle: {title}\ndescription: D\n---\n\nText.\n", encoding="utf-8")
            wait_for(url, lambda status, body: status == 200 and f"<title>{title}" in body)  # noqa: B023
            assert not (root / trigger).exists()  # the hook ran: the build that got past it came next
    text = log.read_text(encoding="utf-8")
    assert "the build process stopped unexpectedly (exit code 3): building again" in text
    assert "the build made no progress for 5 s (what it was doing is printed above): building again" in text
    assert "most recent call first" in text and "stall_hook.py" in text  # the stuck build's stack
    assert "could not be built" not in text


@given(st.one_of(st.none(), st.text(max_size=12), st.floats().map(str)))
def test_the_stall_setting_is_a_positive_number_of_seconds_or_refused(value: str | None) -> None:
    seconds = devserver.stall_seconds(value)
    if not value:
        assert seconds == 60
    elif seconds is not None:
        assert seconds == float(value) and 0 < seconds < float("inf")
    else:
        with contextlib.suppress(ValueError):
            assert not 0 < float(value) < float("inf")


def test_make_serve_refuses_a_stall_setting_that_is_not_seconds(monkeypatch, capsys) -> None:
    monkeypatch.setenv("PORTAL_SERVE_STALL_SECONDS", "soon")
    assert devserver.serve(str(ROOT / "mkdocs.yml"), 8000) == 1  # before anything is built or bound
    assert "PORTAL_SERVE_STALL_SECONDS=soon" in capsys.readouterr().err


def test_a_page_refresh_names_a_kept_language_as_not_built(tmp_path: Path) -> None:
    """make serve's page refresh of a language the last build kept as it was (the default language's build then reads
    no page) says so, instead of calling the page no page of the site; a file outside the docs folder is named."""
    from types import SimpleNamespace

    from vnportal.cli.devbuild import refresh

    docs = tmp_path / "docs"
    page = docs / "vi" / "index.md"
    capture = SimpleNamespace(languages={"vi": SimpleNamespace(pages={}), "en": SimpleNamespace(pages={"x": None})})
    assert refresh(capture, docs, [str(page)]) == (
        [],
        ["'vi' was not built by the last build (nothing of it had changed)"],
    )
    assert refresh(capture, docs, [str(docs / "fr" / "a.md")])[1][0].startswith("'fr' was not built")
    assert refresh(capture, docs, [str(tmp_path / "elsewhere.md")])[1] == [
        f"{tmp_path / 'elsewhere.md'} is not a page of the site"
    ]
