"""Placing cached outputs (parallel language builds may place the same file at once) and clearing the old site."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from vnportal.cache import place
from vnportal.parallel import clear_in_background


def _place_many(data: bytes, target: str, times: int) -> None:
    for _ in range(times):
        place(data, Path(target))


def test_placing_writes_a_copy_and_makes_its_folder(tmp_path: Path) -> None:
    """A placed file is a copy of the cached bytes (the cache is an input, never linked into the site)."""
    target = tmp_path / "site" / "deep" / "a.webp"
    place(b"variant", target)
    place(b"variant", target)  # already there: same bytes
    assert target.read_bytes() == b"variant" and not target.is_symlink()
    stale = tmp_path / "site" / "deep" / "b.webp"
    stale.write_bytes(b"older bytes")
    place(b"variant", stale)
    assert stale.read_bytes() == b"variant"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.webp", "b.webp"]  # no temporary left


def test_processes_placing_the_same_target_never_fail(tmp_path: Path) -> None:
    target = tmp_path / "site" / "same.webp"
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_place_many, args=(data, str(target), 300)) for data in (b"one", b"two") * 2]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert [worker.exitcode for worker in workers] == [0, 0, 0, 0]
    assert target.read_bytes() in (b"one", b"two")
    assert [p.name for p in target.parent.iterdir()] == ["same.webp"]


def test_clearing_the_old_site_keeps_hidden_entries_and_follows_a_link(tmp_path: Path) -> None:
    site = tmp_path / "real" / "site"
    (site / "en" / "page").mkdir(parents=True)
    (site / "en" / "page" / "index.html").write_text("old")
    (site / "index.html").write_text("old")
    (site / ".well-kept").write_text("MkDocs never removes hidden entries")
    (tmp_path / "link").symlink_to(site)
    remover = clear_in_background(str(tmp_path / "link"))
    assert remover is not None
    assert sorted(p.name for p in site.iterdir()) == [".well-kept"]  # emptied at once, deleted behind
    assert remover.wait(timeout=60) == 0
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["site"]
    assert clear_in_background(str(site)) is None  # nothing to clear
    assert clear_in_background(str(tmp_path / "missing")) is None
