"""Editors read findings in Vietnamese or English: one catalog, every message in both, the same fields."""

from __future__ import annotations

import ast
import os
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from conftest import ROOT

from vnportal.core.messages import LANGUAGES, catalog_path, tr, translations

PACKAGE = ROOT / "vnportal"


def fields(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name is not None}


def code_messages() -> dict[str, str]:
    """Every message the code marks (tr, N_), with where it is."""
    found = extract_from_dir(str(PACKAGE), method_map=[("**.py", "python")], keywords={"tr": None, "N_": None})
    return {message: f"{path}:{line}" for path, line, message, _, _ in found}


def test_every_message_has_vietnamese_with_the_same_fields() -> None:
    with catalog_path("vi").open("rb") as handle:
        catalog = read_po(handle, locale="vi")
    entries = {m.id: m for m in catalog if m.id}
    code = code_messages()
    assert code, "no messages found"
    missing = [
        f"{where}: {message!r}" for message, where in code.items() if not getattr(entries.get(message), "string", "")
    ]
    assert not missing, "untranslated (run make messages, then translate):\n" + "\n".join(missing)
    assert not [m.id for m in entries.values() if m.fuzzy], "fuzzy entries are not used: review them"
    assert not set(entries) - set(code), "messages no longer in the code: run make messages"
    for message in code:
        translated = entries[message].string
        assert fields(translated) == fields(message), (message, translated)
        translated.format(**dict.fromkeys(fields(message), 1))  # every field fills; no stray brace


def test_languages_follow_portal_lang(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_LANG", "vi")
    assert tr("same title as {other}", other="a.md") == "trùng tiêu đề với a.md"
    monkeypatch.setenv("PORTAL_LANG", "en")
    assert tr("same title as {other}", other="a.md") == "same title as a.md"
    monkeypatch.setenv("PORTAL_LANG", "xx")
    assert tr("same title as {other}", other="a.md") == "trùng tiêu đề với a.md"  # unknown: the editors' default
    assert set(LANGUAGES) == {"vi", "en"} and translations("vi").gettext("remove it") == "xóa đi"


def _literal_text(node: ast.expr) -> bool:
    """A string written in place (a literal, an f-string, or a sum with one): text that no catalog translates."""
    if (isinstance(node, ast.Constant) and isinstance(node.value, str)) or isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _literal_text(node.left) or _literal_text(node.right)
    return False


def test_every_finding_goes_through_the_catalog() -> None:
    """A Finding's message and fix are never text written in place: they come from tr() (or a value made by it)."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Finding":
                texts = node.args[2:4] + [k.value for k in node.keywords if k.arg in ("message", "fix")]
                if any(_literal_text(arg) for arg in texts):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, offenders


def check(docs: Path, lang: str, *extra: str, **env: str) -> subprocess.CompletedProcess:
    environ = {**os.environ, "PORTAL_LANG": lang, **env}
    return subprocess.run([sys.executable, "-m", "vnportal", "check", "--docs-dir", str(docs), *extra],
                          capture_output=True, text=True, cwd=ROOT, env=environ, timeout=120)  # fmt: skip


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    (docs / "vi").mkdir(parents=True)
    (docs / "vi" / "index.md").write_text("---\ntitle: Trang chủ\ndescription: D\n---\n\n[x](khong-co.md)\n")
    (docs / "vi" / "a.md").write_text("---\ntitle: A\n\tdescription: D\n---\n\nText.\n")
    return docs


@pytest.mark.build
def test_make_check_speaks_vietnamese_by_default_and_english_on_request(broken: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if k != "PORTAL_LANG"}
    vi = subprocess.run([sys.executable, "-m", "vnportal", "check", "--docs-dir", str(broken)],
                        capture_output=True, text=True, cwd=ROOT, env=environ, timeout=120)  # fmt: skip
    assert vi.returncode == 1
    assert "a.md:3: phần đầu trang có ký tự tab ở đầu dòng hoặc trước giá trị — YAML chỉ cho phép dấu cách" in vi.stderr
    assert "index.md:6: liên kết khong-co.md: không có trang vi/khong-co.md — kiểm tra tên và thư mục" in vi.stderr
    assert "có 2 lỗi trong 2 trang — sửa rồi chạy lại  make check" in vi.stderr
    en = check(broken, "en")
    assert "a.md:3: front matter has a tab character at the start of a line or before a value — YAML allows spaces only: replace the tab with spaces" in en.stderr  # fmt: skip
    assert "2 problem(s) in 2 pages" in en.stderr


@pytest.mark.build
def test_github_annotations_in_the_chosen_language(broken: Path) -> None:
    result = check(broken, "vi", GITHUB_ACTIONS="true")
    lines = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert any("title=make check::liên kết khong-co.md: không có trang" in line for line in lines), result.stdout
    english = check(broken, "en", GITHUB_ACTIONS="true").stdout
    assert "::liên kết" not in english and "::link to khong-co.md: there is no vi/khong-co.md" in english


@pytest.mark.build
def test_the_build_reports_content_problems_in_the_editors_language(tmp_path: Path) -> None:
    from conftest import build

    docs = tmp_path / "docs"
    (docs / "vi").mkdir(parents=True)
    (docs / "vi" / "index.md").write_text("---\ntitle: T\ndescription: D\ntitel: X\n---\n\nText.\n")
    result = build(tmp_path / "site", docs_dir=docs, env={"PORTAL_LANG": "vi"})
    assert result.returncode != 0
    assert (
        "index.md:4: khóa 'titel' không có trong phần đầu trang chuẩn — có phải bạn định viết 'title'?" in result.stderr
    )
    assert "Traceback" not in result.stderr
