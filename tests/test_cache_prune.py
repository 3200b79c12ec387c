"""vnportal/cache_prune: the sweep removes exactly the cache files no build used since the cutoff (and the folders
they leave empty that had not changed either), never the site folders' locks; entries a build reads are marked."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.exceptions import PluginError

from vnportal.core.cache import read_verified, seal, store, unseal
from vnportal.plugins.cache_prune import sweep
from vnportal.plugins.cache_prune.plugin import CachePrunePlugin

NOW = 2_000_000_000.0
DAY = 24 * 3600
CUTOFF = NOW - 30 * DAY

names = st.text(st.sampled_from("abc"), min_size=1, max_size=2)
paths = st.lists(names, min_size=1, max_size=3).map(tuple)
ages = st.sampled_from([0, 29 * DAY, 31 * DAY, 400 * DAY])


def set_time(path: Path, age: float) -> None:
    os.utime(path, (NOW - age, NOW - age), follow_symlinks=False)


@settings(max_examples=150, deadline=None)
@given(
    tree=st.dictionaries(paths, ages, max_size=12),
    folder_ages=st.dictionaries(paths, ages, max_size=6),
    locked=st.sampled_from(["guard", "locks", None]),
)
def test_the_sweep_removes_exactly_the_files_unused_since_the_cutoff(tmp_path_factory, tree, folder_ages, locked):
    root = tmp_path_factory.mktemp("cache")
    files: dict[Path, float] = {}
    for parts, age in tree.items():
        path = root.joinpath(*parts)
        if any(other != path and other.is_relative_to(path) for other in files) or any(
            path.is_relative_to(other) for other in files
        ):
            continue  # a name is a file or a folder, not both
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * len(parts))
        files[path] = age
    if locked:
        (root / locked).mkdir(exist_ok=True)
        (root / locked / "site.lock").write_bytes(b"")
        files[root / locked / "site.lock"] = 400 * DAY
    for path, age in files.items():
        set_time(path, age)
    folders = sorted({p for f in files for p in f.parents if p != root and p.is_relative_to(root)}, reverse=True)
    folder_age = {folder: folder_ages.get(folder.relative_to(root).parts, 400 * DAY) for folder in folders}
    for folder in folders:  # deepest first: setting a folder's time does not change its parent's
        set_time(folder, folder_age[folder])

    swept = sweep.sweep(root, CUTOFF)

    stale = {path for path, age in files.items() if age > 30 * DAY and path.parts[len(root.parts)] not in sweep.KEPT}

    def removed(folder: Path) -> bool:  # emptied by the sweep, and unchanged since the cutoff itself
        return (
            folder_age[folder] > 30 * DAY
            and all(f in stale for f in files if f.parent == folder)
            and all(removed(d) for d in folders if d.parent == folder)
        )

    assert {path for path in files if path.exists()} == set(files) - stale
    assert (swept.files, swept.bytes) == (len(stale), sum(len(p.relative_to(root).parts) for p in stale))
    assert {folder for folder in folders if not folder.exists()} == {folder for folder in folders if removed(folder)}
    assert (root / sweep.STAMP).is_file()


def test_the_sweep_is_due_once_a_day(tmp_path: Path) -> None:
    assert not sweep.due(tmp_path / "none", NOW)  # no cache yet: nothing to sweep
    assert sweep.due(tmp_path, NOW)  # never swept
    sweep.sweep(tmp_path, CUTOFF)
    assert not sweep.due(tmp_path, time.time())
    set_time(tmp_path / sweep.STAMP, 0)
    assert sweep.due(tmp_path, NOW + DAY)


def test_an_entry_a_build_reads_is_marked_as_used_and_one_it_cannot_verify_is_not(tmp_path: Path) -> None:
    stored, sealed = tmp_path / "stored", tmp_path / "sealed"
    store(stored, b"data")
    seal(sealed, b"a", b"b")
    for path in (stored, stored.with_name("stored.mac"), sealed):
        set_time(path, 400 * DAY)
    assert read_verified(stored) == b"data" and unseal(sealed, 2) == (b"a", b"b")
    assert all(time.time() - p.stat().st_mtime < 60 for p in (stored, stored.with_name("stored.mac"), sealed))
    sealed.write_bytes(sealed.read_bytes() + b"!")
    set_time(sealed, 400 * DAY)
    assert unseal(sealed, 2) is None and sealed.stat().st_mtime == NOW - 400 * DAY


@pytest.mark.parametrize("days", [0, -3])
def test_a_limit_under_a_day_is_refused(days: int) -> None:
    plugin = CachePrunePlugin()
    errors, _ = plugin.load_config({"unused_days": days})
    assert not errors
    with pytest.raises(PluginError, match=r"unused_days is .* at least 1"):
        plugin.on_config(type("Config", (), {"config_file_path": "mkdocs.yml"})())  # type: ignore[arg-type]
