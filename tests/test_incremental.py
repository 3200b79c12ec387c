"""Builds that redo only what changed (vnportal/parallel keeps a language none of whose inputs changed;
vnportal/render_cache keeps a page): a warm build after any kind of change publishes exactly what a cold
build of the same inputs publishes, an unchanged language is not touched, and what is deleted is gone."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from conftest import LANGS, SITE_URL, project_copy, seed_cache

pytestmark = pytest.mark.build


def page(title: str, body: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\ndescription: About {title}.\n{extra}---\n\n{body}\n"


def tree(docs: Path) -> None:
    """Four languages; zh lacks topic/b (its page falls back to Vietnamese); one news item everywhere."""
    for lang in LANGS:
        (docs / lang / "topic").mkdir(parents=True)
        (docs / lang / "news").mkdir()
        (docs / lang / "index.md").write_text(page(f"Home {lang}", "Hello. [A](topic/a.md)"))
        (docs / lang / "topic" / "a.md").write_text(page(f"A {lang}", f"## Anchor\n\nText A in {lang}."))
        if lang != "zh":
            (docs / lang / "topic" / "b.md").write_text(page(f"B {lang}", f"Text B in {lang}."))
        (docs / lang / "news" / "index.md").write_text(page(f"News {lang}", "Latest."))
        (docs / lang / "news" / "2026-11-01-item.md").write_text(
            page(f"Item {lang}", "News body.", "type: news\ndate: 2026-11-01\n")
        )


def run(root: Path, site: Path, cache: Path, extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "SITE_URL": SITE_URL,
        "NO_MKDOCS_2_WARNING": "1",
        "PORTAL_DOCS_DIR": str(root / "docs"),
        "PORTAL_DATA_DIR": str(root / "data"),
        "PORTAL_CACHE_DIR": str(cache),
        **(extra or {}),
    }
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(site)]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=600)


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def stamps(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


#: What the site-wide steps write into the root after every build, whichever languages changed.
SITE_WIDE = ("sitemap.xml", "robots.txt", "_headers", "_redirects", "_serving.json", "admin/")


def root_stamps(site: Path) -> dict[str, int]:
    """The default language's files: the root's but the other languages' folders and the site-wide files."""
    others = tuple(f"{lang}/" for lang in LANGS if lang != "vi")
    return {name: stamp for name, stamp in stamps(site).items() if not name.startswith((*others, *SITE_WIDE))}


def touched(before: dict[str, dict[str, int]], site: Path) -> dict[str, list[str]]:
    """The files of each language in ``before`` that are not exactly as they were (written again, added, gone)."""
    after = {lang: root_stamps(site) if lang == "vi" else stamps(site / lang) for lang in before}
    return {
        lang: sorted(name for name in {*before[lang], *after[lang]} if before[lang].get(name) != after[lang].get(name))
        for lang in before
    }


def kept(stderr: str) -> list[str]:
    match = re.search(r"Kept ([\w, ]+) as the previous build left them", stderr)
    return match.group(1).split(", ") if match else []


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, warm_cache: Path) -> tuple[Path, Path]:
    """The project and a small docs tree in one folder, built once (``root/site`` with ``root/cache``); ``saved``
    keeps that state. Records and render-cache keys hold absolute paths, so every test works in ``root``."""
    base = tmp_path_factory.mktemp("incremental")
    root = project_copy(base / "root")
    tree(root / "docs")
    seed_cache(root / "cache", warm_cache)
    result = run(root, root / "site", root / "cache")
    assert result.returncode == 0, result.stderr[-3000:]
    saved = base / "saved"
    shutil.copytree(root, saved, symlinks=True)
    return root, saved


@pytest.fixture
def warm(project: tuple[Path, Path], tmp_path: Path, warm_cache: Path) -> Iterator[Callable[[], tuple[str, Path]]]:
    """Builds ``root`` again (warm, into the same folder) and builds the same inputs cold elsewhere; the warm
    site must equal the cold one byte for byte. Everything is put back after the test."""
    root, saved = project

    def rebuild() -> tuple[str, Path]:
        warm = run(root, root / "site", root / "cache")
        assert warm.returncode == 0, warm.stderr[-3000:]
        cold_cache = seed_cache(tmp_path / "cold-cache", warm_cache)
        cold = run(root, tmp_path / "cold", cold_cache)
        assert cold.returncode == 0, cold.stderr[-3000:]
        ours, theirs = files(root / "site"), files(tmp_path / "cold")
        assert sorted(ours) == sorted(theirs)
        assert [name for name in ours if ours[name] != theirs[name]] == []
        return warm.stderr, root / "site"

    yield rebuild
    shutil.rmtree(root)
    shutil.copytree(saved, root, symlinks=True)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_build_with_no_change_writes_nothing(project, warm) -> None:
    root, _ = project
    before = stamps(root / "site")
    stderr, site = warm()
    assert kept(stderr) == ["en", "fr", "vi", "zh"]
    after = stamps(site)  # every file, the site-wide ones (sitemap, headers, editor, compressed copies) too
    assert sorted(name for name in {*before, *after} if before.get(name) != after.get(name)) == []
    again = run(root, site, root / "cache")  # what such a build records keeps everything next time too
    assert again.returncode == 0, again.stderr[-3000:]
    assert kept(again.stderr) == ["en", "fr", "vi", "zh"] and stamps(site) == after


def test_a_cache_written_with_another_key_is_not_used(project, tmp_path: Path) -> None:
    """A cache folder counts only with the key that wrote it (this machine's, or the runs that share
    PORTAL_CACHE_KEY): anyone else's entries, however well formed, are made again, and the site is the same."""
    root, _ = project
    cache = tmp_path / "cache"
    shutil.copytree(root / "cache", cache)
    other = run(root, tmp_path / "site", cache, {"PORTAL_CACHE_KEY": "another repository's secret"})
    assert other.returncode == 0, other.stderr[-3000:]
    pages = re.search(r"Build cache: (\d+) of (\d+) pages reused", other.stderr)
    assert pages and pages[1] == "0" and int(pages[2]) > 10
    assert re.findall(r"Social cards: (\d+) placed, (\d+) drawn", other.stderr) == [
        (placed, placed) for placed, _ in re.findall(r"Social cards: (\d+) placed, (\d+) drawn", other.stderr)
    ]
    assert "index reused" not in other.stderr
    ours, theirs = files(root / "site"), files(tmp_path / "site")
    assert sorted(ours) == sorted(theirs) and [name for name in ours if ours[name] != theirs[name]] == []
    again = run(root, tmp_path / "site", cache, {"PORTAL_CACHE_KEY": "another repository's secret"})
    assert re.search(r"Build cache: (\d+) of \1 pages reused", again.stderr) or kept(again.stderr)  # its own: used


def age(folder: Path, days: float) -> None:
    """Every file and folder under ``folder`` as a build left them ``days`` ago."""
    then = time.time() - days * 24 * 3600
    for path in [*folder.rglob("*"), folder]:
        os.utime(path, (then, then), follow_symlinks=False)


def test_what_no_build_used_for_a_month_leaves_the_cache_and_the_rest_stays(project, tmp_path: Path) -> None:
    """vnportal/cache_prune: a build marks every cache file it uses, and the daily sweep removes the files no build
    used for unused_days (30): a stale entry, a folder of an old version, what the seed cache held for other pages.
    A month later, the same build loses nothing it used; the next build reuses every page, card and search index,
    and every site is the same."""
    root, _ = project
    cache = tmp_path / "cache"
    shutil.copytree(root / "cache", cache)
    (cache / "serving" / ("0" * 64 + "-br5-gz6")).write_bytes(b"an entry of a page that is gone")
    (cache / "brand" / "css-0000000000000000").mkdir(parents=True)
    (cache / "brand" / "css-0000000000000000" / "brand.css").write_text("/* an old version */")

    def listing() -> set[str]:
        return {p.relative_to(cache).as_posix() for p in cache.rglob("*") if p.is_file()}

    def month_later(site: str) -> tuple[list[str], list[str]]:
        """Builds into a new site folder a month after the cache was last used: (files gone, files made)."""
        age(cache, 31)
        before = listing()
        result = run(root, tmp_path / site, cache)
        assert result.returncode == 0, result.stderr[-3000:]
        after = listing()
        removed = re.search(
            r"Build cache: removed (\d+) files \([\d.]+ MB\) no build had used for 30 days", result.stderr
        )
        assert int(removed[1] if removed else 0) == len(before - after), result.stderr[-3000:]
        assert (cache / "guard").is_dir()  # the site folders' locks are not entries
        return sorted(before - after), sorted(after - before)

    gone, _ = month_later("first")
    assert {"serving/" + "0" * 64 + "-br5-gz6", "brand/css-0000000000000000/brand.css"} <= set(gone)
    # A month later again: the kit, exports, pictures, fonts, cards, copies, pages and search bundles the build used
    # were marked, so none went and none was made again; only the record of the first site folder went, and this
    # one's record and lock and the templates no page needed (every page came from the render cache) are new.
    gone, made = month_later("second")
    expected = ("parallel/", "guard/", "theme/jinja-signed-")  # records and locks are per site folder
    assert [name for name in gone + made if not name.startswith(expected)] == []
    third = run(root, tmp_path / "third", cache)
    assert third.returncode == 0, third.stderr[-3000:]
    assert "no build had used" not in third.stderr  # swept once a day
    assert re.search(r"Build cache: (\d+) of \1 pages reused", third.stderr), third.stderr[-3000:]
    assert {drawn for _, drawn in re.findall(r"Social cards: (\d+) placed, (\d+) drawn", third.stderr)} == {"0"}
    assert len(re.findall(r"index reused", third.stderr)) == len(LANGS)
    ours = files(root / "site")
    for site in ("first", "second", "third"):
        theirs = files(tmp_path / site)
        assert sorted(ours) == sorted(theirs) and [name for name in ours if ours[name] != theirs[name]] == []


def test_an_edited_body_rebuilds_its_language_only(project, warm) -> None:
    root, _ = project
    before = {lang: stamps(root / "site" / lang) for lang in ("fr", "zh")} | {"vi": root_stamps(root / "site")}
    en = stamps(root / "site" / "en")
    edit(root / "docs" / "en" / "topic" / "a.md", "Text A in en.", "Text A in en, edited.")
    stderr, site = warm()
    assert kept(stderr) == ["fr", "vi", "zh"]
    assert touched(before, site) == {"fr": [], "vi": [], "zh": []}  # not one of their pages written again
    assert "Building en into their folders" in stderr and "Page skipped" not in stderr
    after = stamps(site / "en")  # en's other pages, their compressed copies and cards: not written again either
    for name in ("topic/b/index.html", "topic/b/index.html.br", "topic/b/index.html.gz", "topic/b/card.png"):
        assert after[name] == en[name], name
    assert after["topic/a/index.html"] != en["topic/a/index.html"]
    assert "Text A in en, edited." in (site / "en" / "topic" / "a" / "index.html").read_text()


def test_an_edit_that_keeps_the_size_of_the_page_is_written(project, warm) -> None:
    root, _ = project
    edit(root / "docs" / "en" / "topic" / "a.md", "Text A in en.", "Text Z in en.")  # same length, other bytes
    _, site = warm()  # equal to the cold build: the page was written, not taken for the one already there
    assert "Text Z in en." in (site / "en" / "topic" / "a" / "index.html").read_text()


def test_a_vietnamese_body_rebuilds_every_language_that_falls_back_on_it(project, warm) -> None:
    root, _ = project
    edit(root / "docs" / "vi" / "topic" / "b.md", "Text B in vi.", "Text B in vi, edited.")
    stderr, site = warm()
    assert kept(stderr) == []  # zh shows vi's topic/b; every language may: the default language is in each one's inputs
    assert "Text B in vi, edited." in (site / "zh" / "topic" / "b" / "index.html").read_text()


@pytest.mark.parametrize(
    "change",
    [
        "a title",
        "a new translation",
        "a dataset row",
        "a brand token",
        "mkdocs.yml",
    ],
)
def test_a_change_that_reaches_every_language_rebuilds_them_all(project, warm, change: str) -> None:
    root, _ = project
    if change == "a title":
        edit(root / "docs" / "en" / "topic" / "b.md", "title: B en", "title: Bee en")
    elif change == "a new translation":
        (root / "docs" / "zh" / "topic" / "b.md").write_text(page("B zh", "Text B in zh."), encoding="utf-8")
    elif change == "a dataset row":
        published = root / "data" / "vn-inflation" / "1.0"  # published versions never change: a new one
        shutil.copytree(published, published.with_name("1.1"))
        csv = published.with_name("1.1") / "vn-inflation.csv"
        lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
        csv.write_text("".join(lines[:-1]), encoding="utf-8")  # one row fewer
    elif change == "a brand token":
        tokens = root / "assets" / "brand" / "tokens.yml"
        hexes = re.findall(r"#[0-9A-Fa-f]{6}\b", tokens.read_text(encoding="utf-8"))
        edit(tokens, hexes[-1], "#123456" if hexes[-1].upper() != "#123456" else "#123457")
    else:
        edit(root / "mkdocs.yml", "site_name: Viet Nam — National", "site_name: Viet Nam — The National")
    stderr, site = warm()
    assert kept(stderr) == []
    if change == "a title":
        assert "Bee en" in (site / "en" / "topic" / "a" / "index.html").read_text()  # in its section's navigation
    elif change == "a new translation":
        assert "Text B in zh." in (site / "zh" / "topic" / "b" / "index.html").read_text()


def picture(media: Path, width: int, height: int) -> None:
    """A library picture (with its rights) of the given size."""
    from PIL import Image

    media.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (width, height), (30, 90, 60)).save(media / "field.jpg")
    names = {"vi": "Ruộng", "en": "Field", "fr": "Champ", "zh": "田"}
    (media / "field.yml").write_text(
        yaml.safe_dump({"caption": names, "alt": names, "creator": "Test Photographer", "licence": "CC-BY-4.0",
                        "source": "https://example.org/photo", "date": dt.date(2025, 6, 1)}, allow_unicode=True),
        encoding="utf-8",
    )  # fmt: skip


def test_a_replaced_picture_leaves_none_of_its_old_sizes(project, warm) -> None:
    """The sizes made from a picture are named by its width: a narrower one under the same name makes others."""
    root, _ = project
    media = root / "docs" / "assets" / "media"
    picture(media, 2000, 1200)
    edit(root / "docs" / "en" / "topic" / "a.md", "Text A in en.", "Text A in en.\n\n![](../../assets/media/field.jpg)")
    first = run(root, root / "site", root / "cache")
    assert first.returncode == 0, first.stderr[-3000:]
    assert any((root / "site" / "assets" / "media").glob("field-1600.*"))
    picture(media, 1200, 700)
    _, site = warm()  # equal to the cold build: no 1600-pixel files left, every srcset names the new sizes
    assert not any((site / "assets" / "media").glob("field-1600.*"))


def test_a_deleted_page_disappears_from_every_output(project, warm) -> None:
    root, _ = project
    for lang in LANGS:
        (root / "docs" / lang / "news" / "2026-11-01-item.md").unlink()
    _, site = warm()
    leftovers = []
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".txt"):
            text = path.read_text(encoding="utf-8", errors="replace")
            if "2026-11-01-item" in text or "Item en" in text:
                leftovers.append(path.relative_to(site).as_posix())
    assert leftovers == []  # pages, sitemaps, feeds, status, search index
    assert not any(site.glob("**/2026-11-01-item"))
    index = json.loads((site / "en" / "pagefind" / "pagefind-entry.json").read_text())
    assert index["languages"]["en"]["page_count"] == len(
        [p for p in (site / "en").rglob("index.html") if "data-pagefind-body" in p.read_text()]
    )


def test_a_file_left_in_a_kept_language_is_noticed(project, warm) -> None:
    """A stray file in a language's folder means it is not what the previous build left: it is built again."""
    root, _ = project
    (root / "site" / "fr" / "stray.html").write_text("not from any build")
    (root / "site" / "topic" / "a" / "index.html").write_text("changed by hand")  # the default language's
    stderr, site = warm()
    assert kept(stderr) == ["en", "zh"]
    assert not (site / "fr" / "stray.html").exists()
    assert "changed by hand" not in (site / "topic" / "a" / "index.html").read_text()
