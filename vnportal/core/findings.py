"""One format for every problem the portal reports to editors: ``path:line: what — how to fix``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

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


def display_path(path: Path, root: Path) -> str:
    """The path an editor recognises: relative to the project when possible."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
