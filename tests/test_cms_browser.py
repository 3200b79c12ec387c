"""The browser CMS end to end: Debian's Chromium drives Decap CMS at /admin/ against decap-server (its local
Git backend, started on loopback) over a temporary copy of the repository, in the editorial workflow."""

from __future__ import annotations

import functools
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import ROOT, Site, missing

from vnportal.content.frontmatter import validate
from vnportal.content.translations import body_hash
from vnportal.content.ui_strings import STRINGS_DIR
from vnportal.plugins.cms.plugin import DIST, write_admin

DECAP_SERVER = ROOT / "node_modules" / "decap-server" / "dist" / "index.js"
GIT = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "Test",
       "GIT_COMMITTER_EMAIL": "test@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}  # fmt: skip
WAIT_MS = 30_000  # every wait in the browser is bounded
SLUG = "2026-11-22-bien-tap-tren-trinh-duyet"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "decap-server exited"
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """What an editor's change touches, as a git repository of its own: content, data, brand, mkdocs.yml and the
    interface strings."""
    if not DECAP_SERVER.is_file():
        missing("decap-server is missing: run `make node` (npm ci from package-lock.json)")
    repo = tmp_path / "repo"
    for name in ("docs", "data", "assets/brand", STRINGS_DIR):
        shutil.copytree(ROOT / name, repo / name)
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    env = {**os.environ, **GIT}
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "content"]):
        subprocess.run(["git", *command], cwd=repo, env=env, check=True, timeout=60)
    return repo


@pytest.fixture
def editor(repository: Path, site: Site, tmp_path: Path) -> Iterator[str]:
    """decap-server (git mode: one branch per change, as pull requests are on GitHub) and the /admin/ page
    served from loopback, beside the built site's stylesheets for the preview pane; yields the editor's URL."""
    api = free_port()
    log = (tmp_path / "decap-server.log").open("w")
    env = {**os.environ, **GIT, "PORT": str(api), "BIND_HOST": "127.0.0.1", "MODE": "git",
           "GIT_REPO_DIRECTORY": str(repository), "LOG_LEVEL": "warn"}  # fmt: skip
    server = subprocess.Popen(["node", str(DECAP_SERVER)], cwd=repository, env=env, stdout=log, stderr=log)
    web = tmp_path / "web"
    web.mkdir()
    (web / "assets").symlink_to(site.root / "assets")
    styles = sorted(f"../{p.relative_to(site.root).as_posix()}" for p in (site.root / "assets").rglob("*.css"))
    write_admin(web / "admin", repository / "mkdocs.yml", preview_styles=styles, dist=ROOT / DIST,
                local_backend=f"http://127.0.0.1:{api}/api/v1")  # fmt: skip
    handler = functools.partial(_QuietHandler, directory=str(web))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        wait_for_port(api, server)
        yield f"http://127.0.0.1:{httpd.server_address[1]}/admin/"
    finally:
        httpd.shutdown()
        server.terminate()
        server.wait(timeout=10)
        log.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True, timeout=30).stdout


def test_news_item_in_two_languages_through_the_editorial_workflow(browser, editor: str, repository: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())  # "publish now?"
    page.goto(editor)
    page.get_by_role("button", name="Đăng nhập").click()  # the local backend needs no account
    page.get_by_text("Tin tức").first.wait_for()
    page.goto(editor + "#/collections/news/new")
    page.get_by_text("Writing in VI").wait_for()
    title, description = page.get_by_label("(title)"), page.get_by_label("(description)")
    title.nth(0).fill("Biên tập trên trình duyệt")
    description.nth(0).fill("Bài thử nghiệm: một biên tập viên viết tin mà không cần dòng lệnh.")
    page.locator("input[type=date]").nth(0).fill("2026-11-22")
    bodies = page.locator("[data-slate-editor=true]")
    bodies.nth(0).click()
    page.keyboard.type("Nội dung bài viết bằng tiếng Việt.")
    title.nth(1).fill("Editing in the browser")  # the right-hand pane: English, beside the original
    description.nth(1).fill("A test item: an editor writes the news without a command line.")
    bodies.nth(1).click()
    page.keyboard.type("The text of the item in English.")
    home = _git(repository, "rev-parse", "--abbrev-ref", "HEAD").strip()
    page.get_by_role("button", name="Lưu").click()
    branch = f"cms/news/news.{SLUG}"
    # decap-server commits on the change's branch, then checks the published branch out again: wait for both (the
    # branch alone can exist, with HEAD still home, before the item is written and committed on it)
    _wait(lambda: branch in _git(repository, "branch", "--list", "cms/*")
          and SLUG in _git(repository, "ls-tree", "-r", "--name-only", branch, "docs")
          and _git(repository, "rev-parse", "--abbrev-ref", "HEAD").strip() == home, "the change's branch")  # fmt: skip
    assert not (repository / "docs" / "vi" / "news" / f"{SLUG}.md").exists()  # not published before review
    assert SLUG not in _git(repository, "ls-tree", "-r", "--name-only", home, "docs")
    page.get_by_text("Trạng").first.click()
    page.get_by_text("Sẵn sàng").first.click()
    page.get_by_text("Công bố", exact=True).first.click()
    page.get_by_text("Công bố ngay").first.click()
    vi, en = (repository / "docs" / lang / "news" / f"{SLUG}.md" for lang in ("vi", "en"))
    _wait(lambda: vi.is_file() and en.is_file(), "the published files")
    assert not (repository / "docs" / "fr" / "news" / f"{SLUG}.md").exists()  # no empty page in languages not written
    for path in (vi, en):
        fm, findings = validate(path.read_text(encoding="utf-8"), str(path))
        assert not findings, findings
        assert fm.data["type"] == "news" and str(fm.data["date"]) == "2026-11-22"
    assert validate(en.read_text(encoding="utf-8"), "en")[0].data["translation"] == {
        "source": "vi", "source_hash": body_hash(vi.read_text(encoding="utf-8"))}  # fmt: skip
    check = subprocess.run([sys.executable, "-m", "vnportal", "check"], cwd=repository, capture_output=True, text=True,
                           timeout=120, env={**os.environ, "PORTAL_DOCS_DIR": "docs"})  # fmt: skip
    assert check.returncode == 0, check.stderr
    assert "translation is" not in check.stderr  # recorded as up to date (no stale or untracked warning)
    assert not errors, errors


def test_an_invalid_field_is_refused(browser, editor: str, repository: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(WAIT_MS)
    page.goto(editor)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(editor + "#/collections/news/new")
    page.get_by_text("Writing in VI").wait_for()
    page.get_by_label("(title)").nth(0).fill("Tiêu đề quá dài " * 10)  # 160 characters, schema: 120
    page.get_by_label("(description)").nth(0).fill("Mô tả.")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("1–120 ký tự").first.wait_for()  # the field's own message, from the schema's maxLength
    page.get_by_text("Bạn còn thiếu").first.wait_for()  # date is required for news: refused as well
    time.sleep(0.5)
    assert _git(repository, "branch", "--list", "cms/*") == ""  # nothing was saved


def _wait(condition, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise TimeoutError(f"{what}: not there after {seconds} s")
