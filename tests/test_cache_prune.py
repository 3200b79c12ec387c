"""vnportal/cache_prune: the sweep removes exactly the cache files no build used since the cutoff (and the folders
they leave empty that had not changed either), only in the portal's own folders, never a link or a lock; entries a
build verifies are marked; a cache folder that holds the project is refused."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.exceptions import PluginError

from vnportal.core import cache as core_cache
from vnportal.core.cache import read_verified, seal, store, unseal
from vnportal.core.site import CACHE_ENV, cache_root
from vnportal.plugins.cache_prune import sweep
from vnportal.plugins.cache_prune.plugin import CachePrunePlugin

NOW = 2_000_000_000.0
DAY = 24 * 3600
CUTOFF = NOW - 30 * DAY
PACKAGE = Path(core_cache.__file__).parents[1]

names = st.text(st.sampled_from("abc"), min_size=1, max_size=2)
paths = st.lists(names, min_size=1, max_size=3).map(tuple)
ages = st.sampled_from([0, 29 * DAY, 31 * DAY, 400 * DAY])


def set_time(path: Path, then: float) -> None:
    os.utime(path, (then, then), follow_symlinks=False)


@settings(max_examples=150, deadline=None)
@given(tree=st.dictionaries(paths, ages, max_size=12), folder_ages=st.dictionaries(paths, ages, max_size=6))
def test_the_sweep_removes_exactly_the_files_unused_since_the_cutoff(tmp_path_factory, tree, folder_ages):
    root = tmp_path_factory.mktemp("cache")
    portal = root / "serving"  # one of the portal's folders; what is beside it is not the sweep's
    files: dict[Path, float] = {}
    for parts, age in tree.items():
        path = portal.joinpath(*parts)
        if any(path.is_relative_to(other) or other.is_relative_to(path) for other in files):
            continue  # a name is a file or a folder, not both
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * len(parts))
        files[path] = age
    for name in ("guard/locks/site.lock", "elsewhere/theirs.txt", "serving-old/entry"):  # a lock, not ours
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"")
        set_time(root / name, NOW - 400 * DAY)
    link = portal / "link"  # a link: neither it nor what it leads to is the cache's to remove
    if not any(p.is_relative_to(link) for p in files):
        portal.mkdir(exist_ok=True)
        link.symlink_to(root / "elsewhere" / "theirs.txt")
    for path, age in files.items():
        set_time(path, NOW - age)
    if link.is_symlink():
        set_time(link, NOW - 400 * DAY)
    folders = sorted({p for f in files for p in f.parents if p.is_relative_to(portal)}, reverse=True)
    folder_age = {folder: folder_ages.get(folder.relative_to(portal).parts, 400 * DAY) for folder in folders}
    for folder in folders:  # deepest first: setting a folder's time does not change its parent's
        set_time(folder, NOW - folder_age[folder])

    swept = sweep.sweep(root, CUTOFF)

    stale = {path for path, age in files.items() if age > 30 * DAY}

    def removed(folder: Path) -> bool:  # left empty, and unchanged since the cutoff itself
        return (
            folder_age[folder] > 30 * DAY
            and all(f in stale for f in files if f.parent == folder)
            and all(removed(d) for d in folders if d.parent == folder)
            and not (folder == portal and link.is_symlink())
        )

    assert {path for path in files if path.exists()} == set(files) - stale
    assert (swept.files, swept.bytes) == (len(stale), sum(len(p.relative_to(portal).parts) for p in stale))
    assert {folder for folder in folders if not folder.exists()} == {folder for folder in folders if removed(folder)}
    assert all(
        (root / name).is_file() for name in ("guard/locks/site.lock", "elsewhere/theirs.txt", "serving-old/entry")
    )
    assert link.is_symlink() or any(p.is_relative_to(link) for p in files)
    assert (root / sweep.STAMP).is_file()


def test_every_cache_folder_of_the_code_is_swept() -> None:
    """The sweep's list of the portal's folders is the code's: a plugin's new cache folder would otherwise only grow."""
    named = set()
    for path in PACKAGE.rglob("*.py"):
        named |= set(re.findall(r"""\.cache\(["']([\w-]+)["']\)""", path.read_text(encoding="utf-8")))
    assert named - {"guard"} == set(sweep.FOLDERS)


def test_the_sweep_is_due_once_a_day(tmp_path: Path) -> None:
    assert not sweep.due(tmp_path / "none", NOW)  # no cache yet: nothing to sweep
    assert sweep.due(tmp_path, NOW)  # never swept
    sweep.sweep(tmp_path, CUTOFF)
    assert not sweep.due(tmp_path, time.time())
    set_time(tmp_path / sweep.STAMP, NOW - sweep.SWEEP_EVERY + 60)
    assert not sweep.due(tmp_path, NOW)
    assert sweep.due(tmp_path, NOW + 60)


def test_an_entry_a_build_verifies_is_marked_as_used_and_one_it_cannot_is_not(tmp_path: Path, monkeypatch) -> None:
    stored, sealed = tmp_path / "stored", tmp_path / "sealed"
    store(stored, b"data")
    seal(sealed, b"a", b"b")
    long_ago = time.time() - 400 * DAY
    for path in (stored, stored.with_name("stored.mac"), sealed):
        set_time(path, long_ago)
    assert read_verified(stored) == b"data" and unseal(sealed, 2) == (b"a", b"b")
    assert all(p.stat().st_mtime > long_ago + DAY for p in (stored, stored.with_name("stored.mac"), sealed))
    sealed.write_bytes(sealed.read_bytes() + b"!")
    set_time(sealed, long_ago)
    assert unseal(sealed, 2) is None and sealed.stat().st_mtime == long_ago
    # Swept by another build between the read and the mark: not an entry (its path would be published).
    monkeypatch.setattr(os, "utime", lambda path, *a, **k: (_ for _ in ()).throw(FileNotFoundError(path)))
    assert read_verified(stored) is None and unseal(sealed.with_name("other"), 2) is None


def test_a_cache_folder_that_holds_the_project_is_refused(tmp_path: Path, monkeypatch) -> None:
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.setenv(CACHE_ENV, "")
    assert cache_root(project) == project / ".cache"  # set but empty: the default, never the project itself
    assert sweep.refusal(project / ".cache", project) is None
    assert sweep.refusal(Path(os.path.expanduser("~/elsewhere")), project) is None
    for root in (project, tmp_path, Path("/"), Path.home(), project / ".." / "project"):
        assert "PORTAL_CACHE_DIR must name a folder of its own" in (sweep.refusal(root, project) or ""), root


def config_in(folder: Path) -> object:
    """What on_config reads of MkDocs' configuration: where mkdocs.yml is (its options on line 3)."""
    path = folder / "mkdocs.yml"
    path.write_text("plugins:\n  - vnportal/cache_prune:\n      unused_days: 0\n", encoding="utf-8")
    return type("Config", (dict,), {"config_file_path": str(path)})()


@pytest.mark.parametrize(("options", "refused"), [
    ({"unused_days": 0}, True), ({"unused_days": -3}, True), ({"unused_days": True}, True),
    ({"unused_days": 1}, False), ({"enabled": False, "unused_days": 0}, False),
])  # fmt: skip
def test_a_limit_under_a_day_is_refused_with_its_line(
    options: dict, refused: bool, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.delenv(CACHE_ENV, raising=False)
    plugin = CachePrunePlugin()
    errors, _ = plugin.load_config(options)
    assert not errors
    if refused:
        with pytest.raises(PluginError, match=r"mkdocs\.yml:3: vnportal/cache_prune: unused_days is .* at least 1"):
            plugin.on_config(config_in(tmp_path))  # type: ignore[arg-type]
    else:
        assert plugin.on_config(config_in(tmp_path)) is not None  # type: ignore[arg-type]


@pytest.mark.parametrize("folder", [".", "..", "./"])
def test_a_build_whose_cache_folder_holds_the_project_stops(folder: str, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "project").mkdir()
    monkeypatch.setenv(CACHE_ENV, folder)
    plugin = CachePrunePlugin()
    plugin.load_config({})
    with pytest.raises(PluginError, match="PORTAL_CACHE_DIR must name a folder of its own"):
        plugin.on_config(config_in(tmp_path / "project"))  # type: ignore[arg-type]
