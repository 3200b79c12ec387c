"""The pull request's job summary (``$GITHUB_STEP_SUMMARY``): what a reviewer needs without opening the logs.

Findings of ``make check``, the pages the change adds, changes or removes in each language, and how the
translation status of each page moves (for example ``en: translated → stale`` when the original changed).
Written even when the checks fail: that is when it is needed most.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

from vnportal.content.translations import status
from vnportal.core.findings import Finding

STATES = {"A": "added", "M": "changed", "D": "removed", "R": "renamed"}


def _cell(text: object) -> str:
    """Text in a Markdown table cell: editor-controlled, so no markup, pipes or line breaks survive."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", " ").replace("`", "'")


def changed_pages(root: Path, base: str, docs: str, languages: list[str]) -> dict[str, Counter]:
    """Per language, how many pages the change adds, changes, removes (git diff base...HEAD)."""
    out = subprocess.run(["git", "diff", "--name-status", "--no-renames", base, "HEAD", "--", docs],
                         cwd=root, capture_output=True, text=True, check=True, timeout=60).stdout  # fmt: skip
    counts: dict[str, Counter] = {lang: Counter() for lang in languages}
    for line in out.splitlines():
        state, _, path = line.partition("\t")
        parts = path.split("/")
        if path.endswith(".md") and len(parts) > 2 and parts[1] in counts:
            counts[parts[1]][STATES.get(state[:1], "changed")] += 1
    return counts


def base_docs(root: Path, base: str, docs: str, into: Path) -> Path:
    """The content tree as it was at ``base`` (git archive, extracted with tarfile's safe filter)."""
    archive = subprocess.run(["git", "archive", "--format=tar", base, "--", docs], cwd=root,
                             capture_output=True, check=True, timeout=60).stdout  # fmt: skip
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / docs


def status_changes(before: Path, after: Path, languages: list[str], default: str) -> list[tuple[str, str, str, str]]:
    old = {(s.path, s.lang): s.state for s in status(before, languages, default)} if before.is_dir() else {}
    new = {(s.path, s.lang): s.state for s in status(after, languages, default)}
    rows = []
    for key in sorted(set(old) | set(new)):
        if key[1] != default and old.get(key) != new.get(key):
            rows.append((key[0], key[1], old.get(key, "—"), new.get(key, "—")))
    return rows


def summary(
    root: Path, base: str, docs: str, languages: list[str], default: str, errors: list[Finding], warnings: list[Finding]
) -> str:
    lines = ["## Kiểm tra nội dung / Content checks", ""]
    if errors:
        lines += [f"❌ {len(errors)} lỗi / problem(s) — sửa rồi đẩy lại / fix them and push again.", ""]
    else:
        lines += ["✅ Không có lỗi / No problems.", ""]
    if errors or warnings:
        lines += ["| | tệp / file | dòng / line | lỗi / problem | cách sửa / fix |", "|---|---|---|---|---|"]
        for mark, finding in [("❌", f) for f in sorted(errors)] + [("⚠️", f) for f in sorted(warnings)]:
            lines.append(
                f"| {mark} | `{_cell(finding.path)}` | {finding.line} | {_cell(finding.message)} | {_cell(finding.fix)} |"
            )
        lines.append("")
    lines += ["## Trang thay đổi / Pages changed", "", "| ngôn ngữ / language | thêm / added | sửa / changed | xóa / removed |",
              "|---|---|---|---|"]  # fmt: skip
    for lang, counts in changed_pages(root, base, docs, languages).items():
        lines.append(f"| {lang} | {counts['added']} | {counts['changed']} | {counts['removed']} |")
    lines += ["", "## Tình trạng bản dịch / Translation status", ""]
    with tempfile.TemporaryDirectory() as tmp:
        rows = status_changes(base_docs(root, base, docs, Path(tmp)), root / docs, languages, default)
    if rows:
        lines += ["| trang / page | ngôn ngữ / language | trước / before | sau / after |", "|---|---|---|---|"]
        lines += [f"| `{_cell(page)}` | {lang} | {old} | {new} |" for page, lang, old, new in rows]
    else:
        lines.append("Không đổi / Unchanged.")
    return "\n".join(lines) + "\n"
