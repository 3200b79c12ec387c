"""The render cache (vnportal/render_cache) never changes what is published, and forgets what it must."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import LANGS, ROOT, build, seed_cache

from vnportal.tools.nginx import free_port


def page(title: str, body: str) -> str:
    return f"---\ntitle: {title}\ndescription: D\n---\n\n{body}\n"


def tree(root: Path) -> Path:
    docs = root / "docs"
    for lang, word in (("vi", "Trang"), ("en", "Page")):
        (docs / lang / "topic").mkdir(parents=True)
        (docs / lang / "index.md").write_text(page(f"{word} chủ" if lang == "vi" else "Home", "Hello."))
        (docs / lang / "topic" / "a.md").write_text(page(f"{word} A", "## Anchor here\n\nText A. [to B](b.md#kept)"))
        (docs / lang / "topic" / "b.md").write_text(page(f"{word} B", "## Kept\n\nText B."))
    return docs


def run(root: Path, docs: Path, site: str) -> tuple[int, str]:
    result = build(root / site, docs_dir=docs, env={"PORTAL_CACHE_DIR": str(root / "cache")})
    return result.returncode, result.stderr


def reused(stderr: str) -> dict[str, tuple[int, int]]:
    return {
        m[0]: (int(m[1]), int(m[2]))
        for m in re.findall(r"Render cache \((\w+)\): (\d+) pages reused, (\d+) rendered", stderr)
    }


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def cold(tmp_path_factory: pytest.TempPathFactory, warm_cache: Path) -> tuple[Path, Path]:
    """One cold build for the module: ``root`` holds docs, cache and the site ``cold``; ``saved`` a copy of
    what the tests change (the docs, the render cache's entries, the site).

    The render cache's keys include the docs folder's absolute path, so the tests share this one folder:
    each starts from the state the cold build left (``warm`` puts it back)."""
    base = tmp_path_factory.mktemp("render-cache")
    root = base / "root"
    seed_cache(root / "cache", warm_cache)  # cold for the render cache
    docs = tree(root)
    code, stderr = run(root, docs, "cold")
    assert code == 0, stderr[-2000:]
    assert reused(stderr) == dict.fromkeys(LANGS, (0, 3))  # fr, zh: the vi pages, as fallbacks
    saved = base / "saved"
    for path in [root / "docs", root / "cold", *(root / "cache").glob("render_cache")]:
        shutil.copytree(path, saved / path.relative_to(root), symlinks=True)
    return root, saved


@pytest.fixture
def warm(cold: tuple[Path, Path]) -> Iterator[tuple[Path, Path]]:
    """The module's tree right after its cold build; whatever a test edits, builds or leaves is undone after it.
    The rest of the cache is addressed by content: what a test adds there changes nothing for the next."""
    root, saved = cold
    yield root, root / "docs"
    for path in [*root.iterdir(), *(root / "cache").glob("render_cache")]:
        if path.name == "cache":
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    shutil.copytree(saved / "docs", root / "docs")
    shutil.copytree(saved / "cold", root / "cold", copy_function=os.link)  # a build replaces files, never edits one
    for path in (saved / "cache").iterdir():
        shutil.copytree(path, root / "cache" / path.name)


@pytest.mark.build
def test_a_warm_build_reuses_every_page_and_writes_the_same_bytes(warm) -> None:
    root, docs = warm
    code, stderr = run(root, docs, "warm")
    assert code == 0, stderr[-2000:]
    assert reused(stderr) == dict.fromkeys(LANGS, (3, 0))
    assert files(root / "warm") == files(root / "cold")


@pytest.mark.build
def test_an_edited_body_renders_that_page_only(warm) -> None:
    root, docs = warm
    b = docs / "en" / "topic" / "b.md"
    b.write_text(b.read_text() + "\nA new sentence.\n")
    code, stderr = run(root, docs, "edit")
    assert code == 0, stderr[-2000:]
    assert reused(stderr) == {"vi": (3, 0), "en": (2, 1), "fr": (3, 0), "zh": (3, 0)}
    assert "A new sentence." in (root / "edit" / "en" / "topic" / "b" / "index.html").read_text()


@pytest.mark.build
def test_an_edited_title_reaches_every_page_that_shows_it(warm) -> None:
    root, docs = warm
    b = docs / "en" / "topic" / "b.md"
    b.write_text(b.read_text().replace("title: Page B", "title: Page Bee"))
    code, stderr = run(root, docs, "retitled")
    assert code == 0, stderr[-2000:]
    assert reused(stderr)["en"] == (0, 3)  # titles are in every page's navigation
    nav = BeautifulSoup((root / "retitled" / "en" / "topic" / "a" / "index.html").read_text(), "lxml")
    assert "Page Bee" in nav.select_one("nav.md-nav--primary").get_text()


@pytest.mark.build
def test_a_cached_page_still_fails_on_an_anchor_that_disappeared(warm) -> None:
    root, docs = warm
    b = docs / "en" / "topic" / "b.md"
    b.write_text(b.read_text().replace("## Kept", "## Renamed"))  # a.md (cached) links to b.md#kept
    code, stderr = run(root, docs, "broken")
    assert code != 0
    assert "contains a link 'b.md#kept'" in stderr


@pytest.mark.build
def test_a_page_that_warned_is_never_taken_from_the_cache(tmp_path: Path, warm_cache: Path) -> None:
    seed_cache(tmp_path / "cache", warm_cache)
    docs = tree(tmp_path)
    a = docs / "en" / "topic" / "a.md"
    a.write_text(a.read_text() + "\n[nowhere](missing.md)\n")
    for attempt in ("first", "second"):
        code, stderr = run(tmp_path, docs, attempt)
        assert code != 0 and "missing.md" in stderr, attempt
        assert reused(stderr).get("en", (0, 0))[0] == 0, attempt


@pytest.mark.build
def test_a_rebuild_in_the_same_folder_drops_what_is_gone_and_leaves_no_trash(warm) -> None:
    """The previous site is cleared in the background: the result is what a clean folder gets."""
    root, docs = warm
    before = files(root / "cold")
    (root / "cold" / "stray.html").write_text("left from an older build")
    (root / "cold" / "en" / "gone").mkdir()
    (root / "cold" / "en" / "gone" / "index.html").write_text("a page deleted since")
    code, stderr = run(root, docs, "cold")
    assert code == 0, stderr[-2000:]
    assert files(root / "cold") == before
    left = sorted(p.name for p in root.iterdir() if not p.name.endswith(".build-lock"))  # the guard's lock file stays
    assert left == ["cache", "cold", "docs"]  # nothing moved aside is left


@pytest.mark.serving
def test_mkdocs_serve_shows_each_edit_with_its_plugins_kept_between_rebuilds(tmp_path: Path, warm_cache: Path) -> None:
    """Under ``mkdocs serve`` the brand, data and render-cache plugins keep their state from one rebuild
    to the next: an edited body and an edited title still reach the pages that show them."""
    seed_cache(tmp_path / "cache", warm_cache)
    docs = tree(tmp_path)
    port = free_port()
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "PORTAL_DOCS_DIR": str(docs),
        "PORTAL_CACHE_DIR": str(tmp_path / "cache"),
    }
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--strict", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip

    def shows(path: str, text: str, limit: float) -> bool:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                    if text in response.read().decode("utf-8"):
                        return True
            except OSError:
                pass
            time.sleep(0.1)
        return False

    b = docs / "en" / "topic" / "b.md"
    try:
        assert shows("/en/topic/b/", "Text B.", 180), (tmp_path / "serve.log").read_text()[-2000:]
        b.write_text(b.read_text() + "\nA new sentence.\n")
        assert shows("/en/topic/b/", "A new sentence.", 60)
        b.write_text(b.read_text().replace("title: Page B", "title: Page Bee"))
        assert shows("/en/topic/a/", "Page Bee", 60)  # a cached page whose navigation names b
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    output = (tmp_path / "serve.log").read_text()
    assert "ERROR" not in output and "Traceback" not in output, output[-2000:]


@pytest.mark.build
def test_a_page_described_by_its_body_reaches_the_pages_that_show_it(tmp_path: Path) -> None:
    """A page without front matter takes its title and description from its heading and first paragraph: an
    edit of them reaches the section's card and the navigation, as a cold build of the same tree has them."""
    docs = tree(tmp_path)
    child = docs / "vi" / "topic" / "c.md"
    child.write_text("# Tiêu đề cũ\n\nĐoạn đầu cũ.\n")
    code, stderr = run(tmp_path, docs, "warm")
    assert code == 0, stderr[-2000:]
    child.write_text("# Tiêu đề mới\n\nĐoạn đầu mới.\n")
    (docs / "vi" / "topic" / "b.md").write_text(page("Trang B", "## Kept\n\nText B, edited."))
    code, stderr = run(tmp_path, docs, "warm")
    assert code == 0, stderr[-2000:]
    cold = tmp_path / "cold-only"
    result = build(cold / "site", docs_dir=docs, env={"PORTAL_CACHE_DIR": str(cold / "cache")})
    assert result.returncode == 0, result.stderr[-2000:]
    warm, fresh = files(tmp_path / "warm"), files(cold / "site")
    assert warm.keys() == fresh.keys()
    differing = [name for name in warm if warm[name] != fresh[name]]
    assert not differing, differing[:10]
    shown = (tmp_path / "warm" / "topic" / "c" / "index.html").read_text(encoding="utf-8")
    assert "Tiêu đề mới" in shown and "Tiêu đề cũ" not in (tmp_path / "warm" / "topic" / "a" / "index.html").read_text(
        encoding="utf-8"
    )


@pytest.mark.build
def test_files_plugins_read_outside_the_docs_tree_reach_the_cached_pages(tmp_path: Path) -> None:
    """The facts register (like the datasets and the audit results, declared the same way) is an input of every
    page: after it changes, a warm build shows the new figure."""
    docs = tree(tmp_path)
    (docs / "vi" / "topic" / "a.md").write_text(page("Trang A", "Có [[fact:ethnic-groups|number]] dân tộc."))
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    env = {"PORTAL_CACHE_DIR": str(tmp_path / "cache"), "PORTAL_DATA_DIR": str(data)}

    def shown(name: str) -> str:
        result = build(tmp_path / name, docs_dir=docs, env=env)
        assert result.returncode == 0, result.stderr[-2000:]
        return (tmp_path / name / "topic" / "a" / "index.html").read_text(encoding="utf-8")

    assert ">54<" in shown("before")
    register = data / "facts.yml"
    text = register.read_text(encoding="utf-8")
    start = text.index("\n  ethnic-groups:")
    register.write_text(text[:start] + text[start:].replace("value: 54", "value: 55", 1), encoding="utf-8")
    assert ">55<" in shown("after")


@pytest.mark.unit
def test_a_page_saved_after_the_build_began_is_rendered_as_it_is_and_stored_under_no_key(tmp_path: Path) -> None:
    """The page keys are made from the bytes the build digested at its start; a page saved since is rendered from
    what it holds now and its HTML is stored under no key (else reverting the edit would bring back HTML of the
    edited text); an unchanged page is read as MkDocs reads it (BOM dropped, universal newlines) and keyed."""
    import hashlib
    from types import SimpleNamespace

    from vnportal.plugins.render_cache.plugin import RenderCachePlugin

    source = tmp_path / "docs" / "en" / "a.md"
    source.parent.mkdir(parents=True)
    before = "\ufeff---\r\ntitle: A\r\ndescription: D\r\n---\r\n\r\nBefore.\r\n".encode()
    source.write_bytes(before)
    plugin = RenderCachePlugin()
    plugin.load_config({}, str(tmp_path / "mkdocs.yml"))
    plugin._site = b"site"
    plugin._sources = {"en/a.md": hashlib.sha256(before).digest()}
    plugin._self_described = {"en/a.md"}
    i18n = SimpleNamespace(current_language="en", building=False)
    config = SimpleNamespace(plugins={"i18n": i18n}, config_file_path=str(tmp_path / "mkdocs.yml"))
    plugin.on_files(None, config=config)  # type: ignore[arg-type]
    page = SimpleNamespace(
        file=SimpleNamespace(src_uri="en/a.md", abs_src_path=str(source), dest_uri="en/a/index.html")
    )

    source.write_text("---\ntitle: A\ndescription: D\n---\n\nAfter.\n", encoding="utf-8")
    assert plugin.on_page_read_source(page=page, config=config).endswith("After.\n")  # type: ignore[arg-type]
    assert plugin._keys == {} and plugin._hits == {}

    source.write_bytes(before)
    text = plugin.on_page_read_source(page=page, config=config)  # type: ignore[arg-type]
    assert text == "---\ntitle: A\ndescription: D\n---\n\nBefore.\n" and list(plugin._keys) == ["en/a.md"]
