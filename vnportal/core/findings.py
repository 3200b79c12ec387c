"""One format for every problem the portal reports to editors: ``path:line: what — how to fix``."""

from __future__ import annotations

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


class ContentError(Exception):
    """Raised when content has findings; the build must stop and show them all."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = sorted(findings)
        lines = "\n".join(f"  {f}" for f in self.findings)
        super().__init__(tr("content problems: {count}", count=len(self.findings)) + f"\n{lines}")


def display_path(path: Path, root: Path) -> str:
    """The path an editor recognises: relative to the project when possible."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
