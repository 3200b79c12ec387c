"""The shared core: XML written with per-call prefixes, whatever ElementTree's global registry says; ZIP files
written byte for byte the same from the same entries; schema violations located on their YAML line."""

from __future__ import annotations

import ast
import graphlib
import io
import os
import random
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock
from xml.etree import ElementTree as ET

import pytest
import yaml
from conftest import LANGS, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from vnportal.brand.artwork import load_artwork, variant_svg
from vnportal.brand.tokens import load
from vnportal.content.feeds import ATOM
from vnportal.core.archive import EPOCH, rewrite_zip, write_zip, zip_bytes
from vnportal.core.schema import (
    YamlLines,
    YamlValidator,
    describe_error,
    mark_line,
    schema_findings,
    unreadable_line,
    worded,
)
from vnportal.core.xmlwrite import to_bytes

pytestmark = pytest.mark.unit

A, B = "urn:test:a", "urn:test:b"
NAMES = st.sampled_from(["x", "y", "z"])
TAGS = st.tuples(st.sampled_from([A, B, None]), NAMES)
TEXT = st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs"]), max_size=8)


@st.composite
def trees(draw: st.DrawFn, depth: int = 3) -> ET.Element:
    uri, local = draw(TAGS)
    attrs = draw(
        st.dictionaries(
            st.tuples(st.sampled_from([B, None, "http://www.w3.org/XML/1998/namespace"]), NAMES), TEXT, max_size=3
        )
    )
    element = ET.Element(
        f"{{{uri}}}{local}" if uri else local, {(f"{{{u}}}{n}" if u else n): v for (u, n), v in attrs.items()}
    )
    element.text = draw(TEXT)
    if depth:
        element.extend(draw(st.lists(trees(depth - 1), max_size=3)))
    return element


@settings(max_examples=60, deadline=None)
@given(trees(), st.booleans())
def test_same_bytes_as_elementtree_with_the_prefixes_registered(tree: ET.Element, declaration: bool) -> None:
    """Bytes equal ElementTree's own output when the same prefixes are registered."""
    with private_registry():
        ET.register_namespace("a", A)
        ET.register_namespace("b", B)
        expected = ET.tostring(tree, encoding="utf-8", xml_declaration=declaration)
    assert to_bytes(tree, {"a": A, "b": B}, declaration=declaration) == expected
    ET.fromstring(expected)  # and it is well-formed


def test_default_namespace_and_unknown_namespaces_as_elementtree_names_them() -> None:
    root = ET.Element(f"{{{A}}}root", {"plain": "1"})
    ET.SubElement(root, f"{{{B}}}child", {f"{{{B}}}attr": "2"})
    assert to_bytes(root, {"": A}, declaration=False) == (
        b'<root xmlns="urn:test:a" xmlns:ns1="urn:test:b" plain="1"><ns1:child ns1:attr="2" /></root>'
    )
    assert to_bytes(root, {"": A, "b": B}, declaration=False).startswith(
        b'<root xmlns="urn:test:a" xmlns:b="urn:test:b"'
    )


def test_an_svg_stays_svg_after_another_writer_registered_a_default_namespace() -> None:
    """The bug this module removes: after the Atom feed registered itself as the default, logos became ns0:svg."""
    brand = load(ROOT / "assets" / "brand" / "tokens.yml", LANGS)
    with private_registry():
        ET.register_namespace("", ATOM)
        svg = variant_svg(load_artwork(brand)["mark"], brand, "colour")
    assert svg.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"'), svg[:80]
    assert b"ns0:" not in svg


@contextmanager
def private_registry() -> Iterator[None]:
    """A private copy of ElementTree's registry, so what a test registers does not outlive it."""
    with mock.patch.object(ET, "_namespace_map", dict(ET._namespace_map)):
        yield


def import_graph() -> dict[str, set[str]]:
    """Every import of one portal module by another, at module level or inside a function."""
    package = ROOT / "vnportal"
    modules = {
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p for p in package.rglob("*.py")
    }

    def module_of(name: str) -> str:
        while name not in modules:
            name = name.rpartition(".")[0]
        return name

    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {module_of(a.name) for a in node.names if a.name.startswith("vnportal")}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("vnportal"):
                imported |= {module_of(f"{node.module}.{a.name}") for a in node.names}
        graph[name] = imported - {name}
    assert len(graph) > 50 and sum(map(len, graph.values())) > 100  # the walk saw the package
    return graph


def test_no_import_cycle_in_the_package() -> None:
    try:
        tuple(graphlib.TopologicalSorter(import_graph()).static_order())
    except graphlib.CycleError as error:
        pytest.fail(f"import cycle: {' → '.join(error.args[1])}")


def layer(module: str) -> str:
    """core, content, a domain library (brand, data, facts, media, cms), plugins.<name>, cli or tools."""
    parts = module.split(".")
    return ".".join(parts[1:3]) if parts[1:2] == ["plugins"] and len(parts) > 2 else ".".join(parts[1:2])


def test_layers_import_only_downwards() -> None:
    """core imports only core; the libraries never import a plugin, the command line or the tools; a plugin
    never imports another plugin (what two plugins share lives in core or content)."""
    wrong = []
    for module, imported in import_graph().items():
        mine = layer(module)
        for other in map(layer, imported):
            if mine in ("", "__main__", "cli", "tools") or other == mine:
                continue
            if (
                (mine == "core" and other != "core")
                or other in ("cli", "tools")
                or (other.startswith("plugins") and other != mine)
            ):
                wrong.append(f"{module} → {other}")
    assert not wrong, wrong


# -- deterministic ZIP files ------------------------------------------------------------------------------------

ENTRY_NAMES = st.text(alphabet="abcXYZ019._-/[]", min_size=1, max_size=12).filter(lambda n: not n.endswith("/"))


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(ENTRY_NAMES, st.binary(max_size=300), max_size=8), st.randoms())
def test_same_entries_give_the_same_bytes_in_name_order(entries: dict[str, bytes], rng: random.Random) -> None:
    shuffled = list(entries.items())
    rng.shuffle(shuffled)
    data = zip_bytes(entries)
    assert zip_bytes(shuffled) == data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == sorted(entries)
        for info in archive.infolist():
            assert info.date_time == EPOCH and info.external_attr == 0o644 << 16
            assert info.compress_type == zipfile.ZIP_DEFLATED
            assert archive.read(info) == entries[info.filename]


def test_a_file_a_stream_and_bytes_give_the_same_archive(tmp_path: Path) -> None:
    """Streamed in blocks or written at once, an entry's bytes are the same (the kit reads files, the data
    exports stream workbook entries): 3 MB, so that a stream is copied in several blocks."""
    content = random.Random(7).randbytes(1 << 20) + b"portal " * 300_000
    path = tmp_path / "entry.bin"
    path.write_bytes(content)
    os.utime(path, (0, 0))
    expected = zip_bytes({"a.bin": content, "b.txt": b"b"})
    assert zip_bytes({"a.bin": path, "b.txt": b"b"}) == expected
    assert zip_bytes([("b.txt", b"b"), ("a.bin", lambda: io.BytesIO(content))]) == expected
    write_zip(tmp_path / "out.zip", {"b.txt": b"b", "a.bin": path})
    assert (tmp_path / "out.zip").read_bytes() == expected


def test_options_stored_formats_order_kept_and_date() -> None:
    data = zip_bytes([("z.xml", b"<z/>"), ("a.png", b"png"), ("[Content_Types].xml", b"<t/>")],
                     stored=(".png",), keep_order=True, date_time=(2024, 4, 15, 0, 0, 0))  # fmt: skip
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["z.xml", "a.png", "[Content_Types].xml"]
        assert [i.compress_type for i in archive.infolist()] == [
            zipfile.ZIP_DEFLATED,
            zipfile.ZIP_STORED,
            zipfile.ZIP_DEFLATED,
        ]
        assert {i.date_time for i in archive.infolist()} == {(2024, 4, 15, 0, 0, 0)}


def test_rewriting_an_archive_removes_its_dates_and_order(tmp_path: Path) -> None:
    """What another library wrote (dates of the clock, its own order) comes out as if written here."""
    source = tmp_path / "library.zip"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr(zipfile.ZipInfo("xl/workbook.xml", date_time=(2031, 5, 6, 7, 8, 10)), b"<workbook/>")
        archive.writestr(zipfile.ZipInfo("[Content_Types].xml", date_time=(2020, 1, 2, 3, 4, 6)), b"<types/>")
    expected = {"xl/workbook.xml": b"<workbook/>", "[Content_Types].xml": b"<types/>"}
    rewrite_zip(source, tmp_path / "sorted.zip")
    assert (tmp_path / "sorted.zip").read_bytes() == zip_bytes(expected)
    out = io.BytesIO()
    rewrite_zip(source.read_bytes(), out, keep_order=True)
    assert out.getvalue() == zip_bytes(list(expected.items()), keep_order=True)


# -- JSON Schema over YAML: findings on the value's line ---------------------------------------------------------

DOCUMENT = """\
# a comment
name: portal
colors:
  light: {primary: "#A5161C"}
rules:
  - first
  - {vi: thứ hai}
name: again
"""


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ([], 1),
        (["colors"], 3),
        (["colors", "light"], 4),
        (["colors", "light", "primary"], 4),
        (["colors", "dark", "primary"], 3),  # the deepest key that exists
        (["rules", "1"], 7),
        (["rules", 1, "vi"], 7),
        (["rules", "9"], 5),
        (["name"], 8),  # a key written twice: where YAML takes its value from
    ],
)
def test_yaml_lines_point_at_the_deepest_node(path: list, line: int) -> None:
    assert YamlLines(DOCUMENT).line(path) == line
    assert YamlLines(DOCUMENT, first=2).line(path) == line + 1  # front matter starts on the file's line 2
    assert YamlLines("key: [unclosed").line(path) == 1
    assert YamlLines.of_node(yaml.compose(DOCUMENT), DOCUMENT).line(path) == line  # a document its reader composed
    assert YamlLines.of_node(None, "").line(path) == 1  # an empty one


@pytest.mark.parametrize("breaker", ["\x85", "\u2028", "\u2029"])
def test_lines_are_counted_as_an_editor_counts_them(breaker: str) -> None:
    """YAML also breaks lines at NEL, LS and PS; an editor (and the finding's reader) counts "\\n" only."""
    text = f"a: '{breaker}x'\nb:\n  - '{breaker}'\n  - 2\nc: 3\n"
    lines = YamlLines(text)
    assert [lines.line(["b"]), lines.line(["b", 1]), lines.line(["c"])] == [2, 4, 5]
    assert YamlLines.of_node(yaml.compose(text), text).line(["c"]) == 5
    assert mark_line(text, None) == 0


SCHEMA = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "maxLength": 10},
        "count": {"type": "integer"},
        "when": {"type": "date"},
        "rules": {"type": "array", "items": {"type": "string"}},
    },
}


def test_schema_findings_located_worded_and_each_once() -> None:
    text = "count: 7.0\nwhen: 2024-04-15\nrules: [a, 1, 2]\n1: x\nother: y\n"
    value = yaml.safe_load(text)
    found = schema_findings(YamlValidator(SCHEMA), value, "f.yml", YamlLines(text), worded("see the README", "file"))
    assert [(f.line, f.message) for f in found] == [
        (1, "'file' needs 'name'"),
        (4, "'file' has unknown key(s) '1', 'other'"),  # keys of any type, at the first one's line
        (1, "'count' must be a whole number"),  # YAML's 7.0 is no whole number, whatever JSON Schema says
        (3, "'rules.1' must be a text"),
        (3, "'rules.2' must be a text"),
    ]
    assert all(f.fix == "see the README" and f.path == "f.yml" for f in found)
    assert schema_findings(YamlValidator(SCHEMA), {"name": "x"}, "f.yml", YamlLines(""), worded("", "")) == []


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5) | st.dates(),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4) | st.integers(), inner, max_size=3),
                    max_leaves=12))  # fmt: skip
def test_any_value_is_described_without_a_traceback(value: object) -> None:
    for err in YamlValidator(SCHEMA).iter_errors(value):
        assert describe_error(err)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: 1\nb: 2024-13-01\n", 2),  # parses, but there is no 13th month
        ("a:\n  b: [1,\n    2024-02-30]\n", 3),
        ("a: 1\nb: !!timestamp 'x'\n", 2),  # PyYAML raises AttributeError here, not ValueError
        ("a: &x [*x, 1]\nb: !!int 'x'\n", 2),  # an alias that contains itself is walked once
        ("a: 1\n", 1),
    ],
)
def test_a_value_that_cannot_be_built_is_located(text: str, line: int) -> None:
    assert unreadable_line(text) == line
    assert unreadable_line(text, first=2) == line + 1


def test_a_key_that_is_not_allowed_is_pointed_at() -> None:
    schema = {"type": "object", "propertyNames": {"pattern": "^[a-z]+$"}, "additionalProperties": {"type": "integer"}}
    text = "good: 1\nBad Key: 2\n"
    found = schema_findings(YamlValidator(schema), yaml.safe_load(text), "f.yml", YamlLines(text), worded("fix", "f"))
    assert [(f.line, f.message) for f in found] == [(2, "'f' has a key that is not allowed: 'Bad Key'")]
