"""Content checks that run without building the site (``make check``): fast feedback for editors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from vnportal import frontmatter
from vnportal.findings import Finding


def markdown_files(docs_dir: Path) -> Iterator[Path]:
    yield from sorted(p for p in docs_dir.rglob("*.md") if p.is_file())


def display_path(path: Path, root: Path) -> str:
    """The path an editor recognises: relative to the project when possible."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def check_file(path: Path, root: Path) -> list[Finding]:
    """Encoding and front matter of one Markdown file."""
    shown = display_path(path, root)
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return [Finding(shown, 1, f"file is not UTF-8 ({exc.reason})", "save the file as UTF-8")]
    return frontmatter.validate(source, shown)[1]


def check_front_matter(docs_dir: Path, root: Path) -> list[Finding]:
    return [finding for path in markdown_files(docs_dir) for finding in check_file(path, root)]
