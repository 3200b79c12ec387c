"""Placing cached outputs (parallel language builds may place the same file at once) and clearing the old site."""

from __future__ import annotations

import contextlib
import hmac
import multiprocessing
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnportal.core.cache import MAC_SUFFIX, cached, machine_key, place, read_verified, seal, unseal, write_atomic
from vnportal.plugins.parallel.plugin import clear_in_background


def _place_many(data: bytes, target: str, times: int) -> None:
    for _ in range(times):
        place(data, Path(target))


def test_placing_copies_atomically_and_makes_its_folder(tmp_path: Path) -> None:
    target = tmp_path / "site" / "deep" / "a.webp"
    place(b"variant", target)
    place(b"variant", target)  # already there: written again, the same bytes
    assert target.read_bytes() == b"variant" and target.stat().st_nlink == 1  # a copy, never a link to the cache
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


def test_a_cached_file_is_used_only_while_it_matches_its_digest(tmp_path: Path) -> None:
    entry = tmp_path / "cache" / "x.br"
    made = []
    assert cached(entry, lambda: made.append(1) or b"compressed") == b"compressed"
    assert cached(entry, lambda: made.append(1) or b"compressed") == b"compressed" and made == [1]
    entry.write_bytes(b"poisoned")  # changed behind the build's back
    assert read_verified(entry) is None
    assert cached(entry, lambda: made.append(1) or b"compressed") == b"compressed" and made == [1, 1]
    (tmp_path / "cache" / f"x.br{MAC_SUFFIX}").unlink()
    assert read_verified(entry) is None


@contextlib.contextmanager
def shared_key(secret: str) -> Iterator[None]:
    """PORTAL_CACHE_KEY set for the block (hypothesis runs many examples in one test: no monkeypatch fixture)."""
    before = os.environ.get("PORTAL_CACHE_KEY")
    os.environ["PORTAL_CACHE_KEY"] = secret
    try:
        yield
    finally:
        if before is None:
            del os.environ["PORTAL_CACHE_KEY"]
        else:
            os.environ["PORTAL_CACHE_KEY"] = before


@pytest.mark.unit
@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.binary(max_size=40), min_size=1, max_size=4), data=st.data())
def test_a_sealed_entry_gives_back_its_parts_and_nothing_once_altered(tmp_path_factory, parts, data) -> None:
    """One file per entry (a page's .br and .gz, a card, a search bundle): its parts back as stored, or None if any
    byte of it changed, it was cut short or grown, it is asked for as another number of parts, or it was sealed with
    another key."""
    entry = tmp_path_factory.mktemp("sealed") / "entry"
    secret = data.draw(
        st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\0"), min_size=1, max_size=8)
    )
    with shared_key(secret):
        seal(entry, *parts)
        assert unseal(entry, None) == tuple(parts)
    with shared_key(secret + "x"):
        assert unseal(entry, len(parts)) is None  # sealed with another key (another repository's secret)
    assert unseal(entry, len(parts)) is None  # or this machine's own
    seal(entry, *parts)
    raw = entry.read_bytes()
    assert unseal(entry, len(parts)) == tuple(parts)
    assert unseal(entry, len(parts) + 1) is None
    at = data.draw(st.integers(0, len(raw) - 1))
    flip = data.draw(st.integers(1, 255))
    entry.write_bytes(raw[:at] + bytes([raw[at] ^ flip]) + raw[at + 1 :])
    assert unseal(entry, len(parts)) is None
    cut = data.draw(st.integers(0, len(raw) - 1))
    entry.write_bytes(raw[:cut])
    assert unseal(entry, len(parts)) is None
    entry.write_bytes(raw + data.draw(st.binary(min_size=1, max_size=8)))
    assert unseal(entry, len(parts)) is None
    assert unseal(entry.with_name("missing"), len(parts)) is None
    sizes = b"9" * 5000  # a size no entry has, with an HMAC that matches it: no entry, not an error
    entry.write_bytes(hmac.new(machine_key(), sizes + b"\n", "sha256").hexdigest().encode() + b" " + sizes + b"\n")
    assert unseal(entry, 1) is None


def test_write_atomic_leaves_nothing_when_writing_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("vnportal.core.cache.os.replace", full)  # the temporary file is written, then the disk fills
    with pytest.raises(OSError):
        write_atomic(tmp_path / "site" / "page.html", b"x")
    assert list((tmp_path / "site").iterdir()) == []


def test_write_atomic_makes_its_folder_again_if_a_sweep_removed_it(tmp_path: Path, monkeypatch) -> None:
    """Another build's cache sweep may remove an old empty folder between write_atomic's mkdir and its write."""
    folder = tmp_path / "cache" / "old-empty"
    folder.mkdir(parents=True)
    write_bytes, sweeps = Path.write_bytes, [folder]

    def swept_first(self: Path, data: bytes) -> int:
        while sweeps:
            sweeps.pop().rmdir()  # the sweep gets there first, once
        return write_bytes(self, data)

    monkeypatch.setattr(Path, "write_bytes", swept_first)
    write_atomic(folder / "entry", b"x")
    assert (folder / "entry").read_bytes() == b"x" and [p.name for p in folder.iterdir()] == ["entry"]


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
