"""The shared core: XML written with per-call prefixes, whatever ElementTree's global registry says."""

from __future__ import annotations

import ast
import graphlib
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock
from xml.etree import ElementTree as ET

import pytest
from conftest import LANGS, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from vnportal.brand.artwork import load_artwork, variant_svg
from vnportal.brand.tokens import load
from vnportal.content.feeds import ATOM
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


@settings(max_examples=60)
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
