"""Translation exchange: make xliff exports missing and stale pages as XLIFF 2.0, make import writes them back."""

from __future__ import annotations

import copy
import os
import re
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml
from conftest import LANGS, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from test_media import META, photo

from vnportal.content.frontmatter import parse, split
from vnportal.content.translations import body_hash, stamp, status
from vnportal.content.xliff import NS, _restore, join, segment_body

Q = f"{{{NS}}}"
RICH = """---
title: "Kinh tế: tổng quan"
description: Tổng quan về kinh tế Việt Nam.
tags: [kinh tế, đầu tư]
---

Việt Nam có [[fact:population|value]] dân, xem [trang dữ liệu](data.md#dan-so "Dân số")
và mã `make check`; chú thích[^1].

## Thương mại {#thuong-mai}

- Xuất khẩu: **điện tử**, dệt may
    tiếp tục dòng trên
- Nhập khẩu
    1. máy móc

| Hiệp định | Năm |
|---|---:|
| EVFTA | [[fact:fta-evfta-in-force|value]] |

```python
print("không dịch")
```

> Trích dẫn: <abbr title="Việt Nam">VN</abbr>

![Vịnh Hạ Long](../assets/media/ha-long.jpg)

<iframe src="https://www.youtube.com/embed/abcdefghijk" title="Video"></iframe>

[^1]: Nguồn: Tổng cục Thống kê.
"""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    write(root / "vi" / "index.md", "---\ntitle: Trang chủ\ndescription: Trang chủ.\n---\n\nXin chào.\n")
    write(root / "vi" / "economy.md", RICH)
    write(
        root / "vi" / "data.md", "---\ntitle: Dữ liệu\ndescription: Dữ liệu.\n---\n\n## Dân số {#dan-so}\n\nSố liệu.\n"
    )
    photo(root / "assets" / "media" / "ha-long.jpg", (64, 36))  # a library picture, with its metadata
    write(root / "assets" / "media" / "ha-long.yml", yaml.safe_dump(META, allow_unicode=True))
    write(root / "en" / "index.md", "---\ntitle: Home\ndescription: Home.\n---\n\nHello.\n")
    stamp(root / "en" / "index.md", root, "vi")
    write(root / "vi" / "index.md", "---\ntitle: Trang chủ\ndescription: Trang chủ.\n---\n\nXin chào các bạn.\n")
    return root


def make(*args: str, docs: Path) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "PORTAL_DOCS_DIR": str(docs), "PORTAL_LANG": "en"}
    return subprocess.run(["make", "-s", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)


def snapshot(docs: Path) -> dict[str, bytes]:
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


def export(docs: Path, tmp_path: Path) -> Path:
    out = tmp_path / "en.xlf"
    result = make("xliff", "LOCALE=en", docs=docs)
    assert result.returncode == 0, result.stderr
    assert "3 page(s) to translate into en (2 missing, 1 stale)" in result.stdout
    (ROOT / "build" / "xliff" / "en.xlf").replace(out)
    return out


def fill(path: Path, change=lambda text: text) -> None:
    """What a CAT tool does: a target for each source, with the same inline placeholders."""
    ET.register_namespace("", NS)
    tree = ET.parse(path)
    for segment in tree.iter(f"{Q}segment"):
        target = copy.deepcopy(segment.find(f"{Q}source"))
        target.tag = f"{Q}target"
        target.text = change(target.text or "")
        segment.append(target)
        segment.set("state", "translated")
    tree.write(path, encoding="utf-8", xml_declaration=True)


def test_export_is_xliff_2_with_protected_markdown(docs: Path, tmp_path: Path) -> None:
    root = ET.parse(export(docs, tmp_path)).getroot()
    assert root.tag == f"{Q}xliff" and root.get("version") == "2.0"
    assert (root.get("srcLang"), root.get("trgLang")) == ("vi", "en")
    assert sorted(f.get("original") for f in root.iter(f"{Q}file")) == ["vi/data.md", "vi/economy.md", "vi/index.md"]
    sources = " ".join("".join(s.itertext()) for s in root.iter(f"{Q}source"))
    assert "Kinh tế: tổng quan" in sources and "Thương mại" in sources and "kinh tế" in sources
    protected = {d.text for d in root.iter(f"{Q}data")}
    for piece in ("[[fact:population|value]]", '](data.md#dan-so "Dân số")', "`make check`", "{#thuong-mai}",
                  "[^1]", '<abbr title="Việt Nam">', "](../assets/media/ha-long.jpg)", "|"):  # fmt: skip
        assert piece in protected, piece
    assert 'print("không dịch")' not in sources and "<iframe" not in sources  # code and HTML blocks: skeleton


@pytest.mark.build
def test_an_untouched_export_reimports_to_identical_files(docs: Path, tmp_path: Path) -> None:
    exported = export(docs, tmp_path)
    before = snapshot(docs)
    result = make("import", f"FILE={exported}", docs=docs)
    assert result.returncode == 0, result.stderr
    assert "segments have no translation yet — not written" in result.stderr
    assert snapshot(docs) == before


@pytest.mark.build
def test_a_translated_export_writes_the_pages_back_stamped(docs: Path, tmp_path: Path) -> None:
    exported = export(docs, tmp_path)
    fill(exported)  # the translation keeps every word: the page must come back exactly
    result = make("import", f"FILE={exported}", docs=docs)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "checked" in result.stdout  # make import ends with make check
    page = (docs / "en" / "economy.md").read_text(encoding="utf-8")
    assert split(page).body == split(RICH).body
    fm = parse(page, "x")[0].data
    original = parse(RICH, "x")[0].data
    assert {k: fm[k] for k in ("title", "description", "tags")} == {
        k: original[k] for k in ("title", "description", "tags")
    }
    assert fm["translation"] == {"source": "vi", "source_hash": body_hash(RICH)}
    states = {(s.lang, s.path): s.state for s in status(docs, list(LANGS), "vi")}
    assert states["en", "economy.md"] == states["en", "index.md"] == "translated"


@pytest.mark.build
def test_translations_change_the_text_only(docs: Path, tmp_path: Path) -> None:
    exported = export(docs, tmp_path)
    fill(exported, lambda text: f"EN {text}" if text.strip() else text)
    assert make("import", f"FILE={exported}", docs=docs).returncode == 0
    page = (docs / "en" / "economy.md").read_text(encoding="utf-8")
    assert 'title: "EN Kinh tế: tổng quan"' in page and "## EN Thương mại {#thuong-mai}" in page
    assert "[[fact:population|value]]" in page and '```python\nprint("không dịch")\n```' in page


@pytest.mark.build
def test_a_lost_placeholder_or_a_hostile_file_is_refused(docs: Path, tmp_path: Path) -> None:
    exported = export(docs, tmp_path)
    fill(exported)
    text = exported.read_text(encoding="utf-8")
    lost = tmp_path / "lost.xlf"
    target = next(m for m in re.finditer(r"<target[^>]*>.*?</target>", text, re.S) if "<ph " in m.group())
    ph = text.index("<ph ", target.start())  # a translator's tool dropped a link target
    lost.write_text(text[:ph] + text[text.index("/>", ph) + 2 :], encoding="utf-8")
    before = snapshot(docs)
    result = make("import", f"FILE={lost}", docs=docs)
    assert result.returncode != 0 and "the translation lost" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(docs) == before
    marker = tmp_path / "marker.xlf"  # the characters the import uses to mark placeholders are refused
    marker.write_text(
        text.replace('<target xml:space="preserve">', '<target xml:space="preserve">\ue0009\ue001', 1), encoding="utf-8"
    )
    result = make("import", f"FILE={marker}", docs=docs)
    assert result.returncode != 0 and "invisible control characters" in result.stderr and snapshot(docs) == before
    hostile = tmp_path / "hostile.xlf"
    hostile.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>', encoding="utf-8")
    assert "DOCTYPE" in make("import", f"FILE={hostile}", docs=docs).stderr
    escape = tmp_path / "escape.xlf"
    escape.write_text(text.replace('"page": "economy.md"', '"page": "../../etc/x.md"'), encoding="utf-8")
    result = make("import", f"FILE={escape}", docs=docs)
    assert result.returncode != 0 and "no skeleton this portal wrote" in result.stderr
    assert not (docs.parent / "etc").exists()
    for args, fragment in [(("xliff",), "choose a language to translate into"), (("xliff", "LOCALE=vi"), "LOCALE=vi"),
                           (("import",), "FILE is missing"), (("import", "FILE=nope.xlf"), "no such file")]:  # fmt: skip
        result = make(*args, docs=docs)
        assert result.returncode != 0 and fragment in result.stderr and "Traceback" not in result.stderr, result.stderr


MARKDOWN = ["Chữ", " ", "\n", "\n\n", "- ", "1. ", "## ", "> ", "    ", "`mã`", "[liên kết](a.md)", "[[fact:x]]", "| a |",
            "|---|", "```", "<b>", "{#id}", "[^1]", "!!! note", "\t", "\r", "*", "---"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(MARKDOWN), max_size=40).map("".join))
def test_segmenting_any_markdown_gives_it_back(text: str) -> None:
    parts, segments = segment_body(text)
    assert join(parts, {s.id: _restore(s.text, s.data) for s in segments}) == text
