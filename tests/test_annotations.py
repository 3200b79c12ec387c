"""make check on a pull request: GitHub annotations on the changed lines, and the job summary."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st

from vnportal.cli.annotations import annotation, escape_data, escape_property
from vnportal.content.ui_strings import STRINGS_DIR
from vnportal.core.findings import Finding, display_path

GIT = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "Test",
       "GIT_COMMITTER_EMAIL": "test@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}  # fmt: skip


def unescape(text: str) -> str:
    """What the runner does with a workflow command's escaped text."""
    return re.sub(r"%(25|0D|0A|3A|2C)", lambda m: {"25": "%", "0D": "\r", "0A": "\n", "3A": ":", "2C": ","}[m[1]], text)


@given(st.text())
def test_escaping_round_trips_and_leaves_no_separator(text: str) -> None:
    data, prop = escape_data(text), escape_property(text)
    assert unescape(data) == text and unescape(prop) == text
    assert "\r" not in data and "\n" not in data
    assert not set(":,\r\n") & set(prop)
    assert re.fullmatch(r"(?:[^%]|%(?:25|0D|0A|3A|2C))*", prop)


def test_annotation_format() -> None:
    finding = Finding("docs/vi/a,b:c.md", 7, "100% wrong: 'title'\r\nsecond line", "fix it, then: run again")
    line = annotation(finding)
    assert line == (
        "::error file=docs/vi/a%2Cb%3Ac.md,line=7,title=make check::"
        "100%25 wrong: 'title'%0D%0Asecond line — fix it, then: run again"
    )
    assert annotation(finding, "warning").startswith("::warning file=")
    assert "line=1," in annotation(Finding("docs/de", 0, "folder", "move it"))


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(ROOT / "docs", root / "docs")
    shutil.copytree(ROOT / "assets" / "brand", root / "assets" / "brand")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / STRINGS_DIR, root / STRINGS_DIR)  # the interface strings go with mkdocs.yml
    return root


@pytest.mark.build
def test_make_check_prints_annotations_on_github(tmp_path: Path) -> None:
    root = _project(tmp_path)
    page = root / "docs" / "vi" / "discover" / "geography.md"
    page.write_text(page.read_text(encoding="utf-8").replace("description:", "descritpion:", 1), encoding="utf-8")
    stale = root / "docs" / "vi" / "economy" / "tourism.md"
    stale.write_text(stale.read_text(encoding="utf-8") + "\nMột câu mới.\n", encoding="utf-8")
    env = {**os.environ, "GITHUB_ACTIONS": "true", "PORTAL_DATA_DIR": str(tmp_path / "none")}
    env.pop("PORTAL_DOCS_DIR", None)
    result = subprocess.run([sys.executable, "-m", "vnportal", "check"], cwd=root, env=env, capture_output=True,
                            text=True, timeout=120)  # fmt: skip
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    line = next(
        i for i, row in enumerate(page.read_text(encoding="utf-8").splitlines(), 1) if row.startswith("descritpion")
    )
    assert (
        f"::error file=docs/vi/discover/geography.md,line={line},title=make check::unknown front matter key 'descritpion' — did you mean 'description'?"
        in lines
    )
    assert any(row.startswith("::warning file=docs/en/economy/tourism.md,line=1,") and "stale" in row for row in lines)
    assert all(row.startswith("::") for row in lines)
    plain = subprocess.run([sys.executable, "-m", "vnportal", "check"], cwd=root, capture_output=True, text=True,
                           timeout=120, env={**env, "GITHUB_ACTIONS": ""})  # fmt: skip
    assert "::error" not in plain.stdout + plain.stderr and "docs/vi/discover/geography.md:" in plain.stderr


@pytest.mark.build
def test_job_summary_lists_findings_changed_pages_and_translation_moves(tmp_path: Path) -> None:
    root = _project(tmp_path)
    env = {**os.environ, **GIT}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, timeout=60)

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "base")
    source = root / "docs" / "vi" / "economy" / "tourism.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nMột câu mới.\n", encoding="utf-8")
    new = root / "docs" / "vi" / "news" / "2026-11-22-moi.md"
    new.write_text('---\ntitle: "Tin | mới <b>"\ndescription: Mô tả.\ntype: news\n---\n\nVăn bản.\n', encoding="utf-8")
    git("add", "-A")
    git("commit", "-q", "-m", "change")
    out = tmp_path / "summary.md"
    env.pop("PORTAL_DOCS_DIR", None)
    result = subprocess.run([sys.executable, "-m", "vnportal", "pr-summary", "--base", "HEAD~1", "--out", str(out)],
                            cwd=root, env={**env, "PORTAL_DATA_DIR": str(tmp_path / "none")}, capture_output=True,
                            text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "❌ 1" in text and "missing 'date' for type: news" in text  # written even though the check fails
    assert "| vi | 1 | 1 | 0 |" in text and "| en | 0 | 0 | 0 |" in text
    assert "| `economy/tourism.md` | en | translated | stale |" in text
    assert "| `news/2026-11-22-moi.md` | fr | — | missing |" in text
    assert "<b>" not in text


@pytest.mark.unit
@given(
    st.lists(st.text("abcđ-_.", min_size=1, max_size=6).filter(lambda n: n not in (".", "..")), min_size=1, max_size=4)
)
def test_a_finding_names_its_file_relative_to_the_project_however_the_path_is_written(parts: list[str]) -> None:
    """Annotations land on the file only with the path the repository knows (docs/en/x.md), not an absolute one."""
    root = Path("/project/portal")
    rel = "/".join(parts)
    assert display_path(root / rel, root) == rel
    assert display_path(root / "docs" / ".." / rel, root) == rel  # resolved, not taken as written
    assert display_path(Path("/elsewhere") / rel, root) == f"/elsewhere/{rel}"
