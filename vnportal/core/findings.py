"""One format for every problem the portal reports to editors: ``path:line: what — how to fix``."""

from __future__ import annotations

import errno
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from vnportal.core.messages import tr


@dataclass(frozen=True, order=True)
class Finding:
    """A problem in a source file, located precisely enough for an editor to fix it."""

    path: str
    line: int
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message} — {self.fix}"


class FindingsError(Exception):
    """Findings that stop the build or a command: all of them, sorted, one per line under a count.

    The one exception for every source (pages, brand files, dataset rows; one finding or many): callers take
    ``findings`` and report them with the others, whatever raised them.
    """

    def __init__(self, findings: Finding | Iterable[Finding]) -> None:
        self.findings = [findings] if isinstance(findings, Finding) else sorted(findings)
        lines = "\n".join(f"  {f}" for f in self.findings)
        super().__init__(tr("content problems: {count}", count=len(self.findings)) + f"\n{lines}")


@runtime_checkable
class PageFindings(Protocol):
    """A plugin that collects findings while pages are read and fails the build with them at ``on_env``: ``make
    serve``'s page refresh, which runs the page events of one page without ``on_env``, asks it directly."""

    def drain_findings(self) -> list[Finding]: ...


def line_of(path: Path | None, needle: str) -> int:
    """The first line of the text file at ``path`` that contains ``needle`` (1 if none, or no such file): where a
    finding about a value of a configuration file points."""
    if path is None or not path.is_file():
        return 1
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    return 1


def display_path(path: Path, root: Path) -> str:
    """The path an editor recognises: relative to the project when possible. A path under ``root`` as written is
    named as written (a link inside the project by its own name, as git knows it; resolving both paths took a fifth of
    a millisecond, asked for every page of every build); any other is resolved first."""
    if ".." not in path.parts and path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


#: How to fix what the file system refuses, by errno.
FIXES = {
    errno.ENOSPC: "free some disk space, or build elsewhere: mkdocs build --site-dir <folder>",
    errno.EDQUOT: "free some space within your quota, or build elsewhere: mkdocs build --site-dir <folder>",
    errno.EROFS: "the disk is mounted read-only: build elsewhere with mkdocs build --site-dir <folder>",
    errno.EACCES: "make the folder writable for this user, or build elsewhere: mkdocs build --site-dir <folder>",
    errno.EPERM: "make the folder writable for this user, or build elsewhere: mkdocs build --site-dir <folder>",
}


def os_error_message(exc: OSError, site_dir: str | None = None) -> str:
    """``path: what — how to fix`` for an error of the file system (a full disk names the site folder:
    the file being copied when space ran out says nothing useful)."""
    full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
    where = (site_dir if full and site_dir else None) or exc.filename2 or exc.filename or site_dir or "site/"
    what = exc.strerror or str(exc)
    return f"{where}: {what} — {FIXES.get(exc.errno or 0, 'check that the path exists and can be written')}"
