"""Interface strings: one file per language (overrides/locales/<lang>.yml), each checked key by key against
the default language's file, every problem a finding with the file and the line; never a traceback."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from conftest import DEFAULT, LANGS, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from vnportal.content.checks import check_ui_strings
from vnportal.content.ui_strings import REQUIRED, STRINGS_DIR, Reference, load
from vnportal.core.findings import Finding

pytestmark = pytest.mark.unit

OTHER = next(lang for lang in LANGS if lang != DEFAULT)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """mkdocs.yml and the strings files, nothing else: what the check reads."""
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / STRINGS_DIR, tmp_path / STRINGS_DIR)
    return tmp_path


def strings(project: Path, lang: str = OTHER) -> Path:
    return project / STRINGS_DIR / f"{lang}.yml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, pattern: str) -> int:
    """Line of the first line matching ``pattern`` (a regular expression)."""
    rows = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, row in enumerate(rows, 1) if re.search(pattern, row))


def only(project: Path) -> Finding:
    found = check_ui_strings(project / "mkdocs.yml", project)
    assert len(found) == 1, found
    return found[0]


def test_the_site_strings_are_complete_and_go_where_the_templates_read_them() -> None:
    loaded, findings = load(ROOT / "mkdocs.yml", ROOT)
    assert findings == []
    assert list(loaded) == list(LANGS)
    assert set(REQUIRED) <= set(loaded[DEFAULT])
    assert all(set(loaded[lang]) == set(loaded[DEFAULT]) for lang in LANGS)


def test_a_missing_key_is_reported_at_its_group_with_the_default_language_line(project: Path) -> None:
    path = strings(project)
    edit(path, re.search(r"\n  copied: [^\n]*", path.read_text(encoding="utf-8")).group(), "")
    finding = only(project)
    reference = f"{STRINGS_DIR}/{DEFAULT}.yml:{line_of(strings(project, DEFAULT), r'^  copied:')}"
    assert (finding.path, finding.line) == (f"{STRINGS_DIR}/{OTHER}.yml", line_of(path, r"^share:"))
    assert finding.message == "'share.copied' is missing" and reference in finding.fix


def test_an_unknown_key_is_reported_at_its_line(project: Path) -> None:
    path = strings(project)
    edit(path, "\nshare:\n", '\nshare:\n  titel: "Share"\n')
    finding = only(project)
    assert (finding.path, finding.line) == (f"{STRINGS_DIR}/{OTHER}.yml", line_of(path, r"^  titel:"))
    assert finding.message == "unknown key 'share.titel'" and finding.fix == "did you mean 'title'?"


def test_a_text_where_the_default_has_a_group_is_a_type_finding(project: Path) -> None:
    path = strings(project)
    motifs = re.search(r"\n  motifs: [^\n]*", path.read_text(encoding="utf-8")).group()
    edit(path, motifs, '\n  motifs: "drum, waves"')
    finding = only(project)
    assert (finding.path, finding.line) == (f"{STRINGS_DIR}/{OTHER}.yml", line_of(path, r"^  motifs:"))
    assert finding.message == "'media.motifs' must be a group of  key: value  lines"
    assert f"{STRINGS_DIR}/{DEFAULT}.yml:{line_of(strings(project, DEFAULT), r'^  motifs:')}" in finding.fix


def test_a_group_where_the_default_has_a_text_is_a_type_finding(project: Path) -> None:
    path = strings(project)
    edit(path, re.search(r"\nfooter: [^\n]*", path.read_text(encoding="utf-8")).group(), "\nfooter:\n  - Footer")
    finding = only(project)
    assert finding.line == line_of(path, r"^footer:") and finding.message == "'footer' must be a text"


def test_placeholders_must_be_those_of_the_default_language(project: Path) -> None:
    path = strings(project)
    line = line_of(path, r"^news_page:")
    edit(path, "{page}", "{number}")
    finding = only(project)
    assert (finding.path, finding.line) == (f"{STRINGS_DIR}/{OTHER}.yml", line)
    assert finding.message.startswith("'news_page' has the placeholders {number}, ")
    assert finding.message.endswith(" has {page}")


def test_an_empty_text_is_a_finding(project: Path) -> None:
    path = strings(project)
    line = line_of(path, r"^fallback_link:")
    edit(path, re.search(r"\nfallback_link: [^\n]*", path.read_text(encoding="utf-8")).group(), '\nfallback_link: "  "')
    finding = only(project)
    assert (finding.path, finding.line, finding.message) == (
        f"{STRINGS_DIR}/{OTHER}.yml",
        line,
        "'fallback_link' is empty",
    )


def test_a_missing_file_names_the_file_and_what_to_do(project: Path) -> None:
    strings(project).unlink()
    finding = only(project)
    entry = line_of(project / "mkdocs.yml", rf"^\s*- locale: {OTHER}$")
    assert (finding.path, finding.line) == ("mkdocs.yml", entry)
    assert finding.message == f"language '{OTHER}' has no interface strings file {STRINGS_DIR}/{OTHER}.yml"
    assert finding.fix == f"copy {STRINGS_DIR}/{DEFAULT}.yml to {STRINGS_DIR}/{OTHER}.yml and translate its texts"


def test_without_the_default_file_nothing_can_be_checked(project: Path) -> None:
    strings(project, DEFAULT).unlink()
    loaded, findings = load(project / "mkdocs.yml", project)
    assert loaded == {} and len(findings) == 1 and findings[0].fix.startswith(f"restore {STRINGS_DIR}/{DEFAULT}.yml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<b>Page</b> {page}", "'news_page' contains HTML markup (<b)"),
        ("Page&nbsp;{page}", "'news_page' contains HTML markup (&nbsp;)"),
        ("Page {page", "'news_page' has a brace that opens or closes no placeholder"),
        ("Page {page.__class__}", "'news_page' has a placeholder that is not a plain name"),
        ("Page {page!r}", "'news_page' has a placeholder that is not a plain name"),
        ("Page\u202e {page}", "'news_page' contains the bidirectional override U+202E (position 5)"),
    ],
)
def test_strings_are_plain_text_with_plain_placeholders(project: Path, text: str, message: str) -> None:
    path = strings(project)
    line = line_of(path, r"^news_page:")
    edit(
        path,
        re.search(r"\nnews_page: [^\n]*", path.read_text(encoding="utf-8")).group(),
        "\nnews_page: " + json.dumps(text),
    )
    finding = only(project)
    assert (finding.line, finding.message) == (line, message)


def test_text_that_only_looks_like_markup_is_plain(project: Path) -> None:
    edit(strings(project), '"Page {page}"', '"Page {page} < 10 & more, {{page}}"')
    assert check_ui_strings(project / "mkdocs.yml", project) == []


def test_the_default_file_is_checked_too(project: Path) -> None:
    path = strings(project, DEFAULT)
    edit(path, "\nshare:\n", "\nshare:\n  size: 3\n  more: {}\n")
    edit(path, re.search(r"\nfooter: [^\n]*", path.read_text(encoding="utf-8")).group(), '\nfooter: ""')
    findings = {
        (f.line, f.message)
        for f in check_ui_strings(project / "mkdocs.yml", project)
        if f.path.endswith(f"/{DEFAULT}.yml")
    }
    assert findings == {
        (line_of(path, r"^  size: 3$"), "'share.size' must be a text, a list of texts or a group of texts"),
        (line_of(path, r"^  more: \{\}$"), "'share.more' is an empty group"),
        (line_of(path, r"^footer:"), "'footer' is empty"),
    }  # fmt: skip


def test_a_group_the_templates_read_cannot_leave_the_default_file(project: Path) -> None:
    for lang in LANGS:
        path = strings(project, lang)
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"\nsuggest:\n(  [^\n]*\n)+", "\n", text), encoding="utf-8")
    finding = only(project)
    assert (finding.path, finding.line) == (f"{STRINGS_DIR}/{DEFAULT}.yml", 1)
    assert finding.message == "'suggest' is missing: the templates and plugins use it"


def test_strings_left_in_mkdocs_yml_are_a_finding(project: Path) -> None:
    config = project / "mkdocs.yml"
    edit(config, "\nextra:\n", '\nextra:\n  ui:\n    footer: "Footer"\n')
    finding = only(project)
    assert (finding.path, finding.line) == ("mkdocs.yml", line_of(config, r"^  ui:$"))
    assert finding.message == f"extra.ui is set in mkdocs.yml; the interface strings are in {STRINGS_DIR}/{DEFAULT}.yml"


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        (b'a: "b\nc: [d\n', 3, "not valid YAML"),
        (b"a: &x {b: c}\nd: *x\n", 2, "the file uses a YAML alias (*name)"),
        (b"- a\n- b\n", 1, "the interface strings must be a group of  key: text  lines"),
        (b"a: " + b"{b: " * 12 + b"c" + b"}" * 12 + b"\n", 1, "groups are nested more than 8 deep"),
        (b"a: 1\n\xff\n", 2, "file is not UTF-8"),
    ],
)
def test_unreadable_files_are_findings(project: Path, source: bytes, line: int, message: str) -> None:
    strings(project).write_bytes(source)
    finding = only(project)
    assert finding.path == f"{STRINGS_DIR}/{OTHER}.yml" and finding.line == line and finding.message.startswith(message)


# -- any input ------------------------------------------------------------------------------------------------

SCALARS = st.one_of(
    st.text(max_size=12), st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(), st.dates()
)
KEYS = st.one_of(st.text(max_size=8), st.integers(), st.booleans(), st.none())
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4), max_leaves=20
)


REFERENCE = Reference.read(ROOT / STRINGS_DIR / f"{DEFAULT}.yml", f"{DEFAULT}.yml")[0]


def findings_of(path: Path, default: bool) -> list[Finding]:
    """The file checked as the default language's (the reference itself) or as another language's."""
    return Reference.read(path, path.name)[1] if default else REFERENCE.check(path, path.name)[1]


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(KEYS, VALUES, max_size=6), st.booleans())
def test_any_yaml_mapping_gives_findings_or_passes(data: dict, default: bool) -> None:
    """Whatever a translator writes, in the default language's file or another's: findings, never a traceback."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "xx.yml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        findings = findings_of(path, default)
    assert all(isinstance(f, Finding) and f.path == "xx.yml" and f.line >= 1 and f.message and f.fix for f in findings)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.booleans())
def test_any_text_gives_findings_or_passes(source: str, default: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "xx.yml"
        path.write_text(source, encoding="utf-8", errors="surrogatepass")
        findings = findings_of(path, default)
    assert all(isinstance(f, Finding) and f.line >= 1 and f.message and f.fix for f in findings)
    assert findings or default  # another language's file must have every key of the reference


def test_the_reference_passes_its_own_check() -> None:
    path = ROOT / STRINGS_DIR / f"{DEFAULT}.yml"
    assert findings_of(path, True) == [] and findings_of(path, False) == []


# -- the templates --------------------------------------------------------------------------------------------

DIRECT_RE = re.compile(r"config\.extra\.ui\.([a-z_]+(?:\.[a-z_]+)*)")
GROUP_RE = re.compile(r"set ui = config\.extra\.ui\.([a-z_]+)")
IN_GROUP_RE = re.compile(r"(?<![.\w])ui\.([a-z_]+)")
INCLUDE_RE = re.compile(r"include \"([^\"]+)\"")


def test_every_string_a_template_names_is_in_the_default_file() -> None:
    """A text the templates print and the default file lacks would fail at build time: caught here."""
    reference = yaml.safe_load((ROOT / STRINGS_DIR / f"{DEFAULT}.yml").read_text(encoding="utf-8"))
    named = set()
    for template in (ROOT / "overrides").rglob("*.html"):
        source = template.read_text(encoding="utf-8")
        named |= {tuple(m.split(".")) for m in DIRECT_RE.findall(source)}
        for group in GROUP_RE.findall(source):  # `ui` is that group here and in the partials included without one
            included = [ROOT / "overrides" / name for name in INCLUDE_RE.findall(source)]
            text = source + "".join(p.read_text(encoding="utf-8") for p in included if p.is_file()
                                    and not GROUP_RE.search(p.read_text(encoding="utf-8")))  # fmt: skip
            named |= {(group, key) for key in IN_GROUP_RE.findall(text)}
    assert len(named) > 120
    for keys in sorted(named):
        value = reference
        for key in keys:
            if key == "format" and isinstance(value, str):  # str.format filling the placeholders
                break
            assert isinstance(value, dict) and key in value, ".".join(keys)
            value = value[key]
