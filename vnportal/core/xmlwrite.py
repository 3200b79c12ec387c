"""XML serialisation with the prefixes given per call, never ElementTree's process-wide registry.

``ET.register_namespace`` is global: a feed that registers Atom as the default namespace made every SVG
written after it ``ns0:svg`` (and the result was cached). Writers here name their prefixes each time.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from xml.etree import ElementTree as ET

XML_NS = "http://www.w3.org/XML/1998/namespace"


def to_bytes(root: ET.Element, namespaces: Mapping[str, str], *, declaration: bool = True) -> bytes:
    """``root`` as UTF-8 bytes; ``namespaces`` maps prefix → URI, ``""`` being the default namespace.

    Same bytes as ElementTree with those prefixes registered: declarations on the root, sorted by prefix,
    before its attributes; a namespace not named gets ``ns0``, ``ns1``… as ElementTree would.
    """
    prefixes = {uri: prefix for prefix, uri in namespaces.items()} | {XML_NS: "xml"}
    declared: dict[str, str] = {}

    def name(qname: str) -> str:
        if not qname.startswith("{"):
            return qname
        uri, local = qname[1:].split("}", 1)
        if uri not in prefixes:
            prefixes[uri] = f"ns{len(declared)}"
        if uri != XML_NS:
            declared[uri] = prefixes[uri]
        return f"{prefixes[uri]}:{local}" if prefixes[uri] else local

    tree = copy.deepcopy(root)
    for element in tree.iter():
        if isinstance(element.tag, str):
            element.tag = name(element.tag)
        renamed = {name(key): value for key, value in element.attrib.items()}
        element.attrib.clear()
        element.attrib.update(renamed)
    xmlns = {("xmlns:" + p if p else "xmlns"): uri for uri, p in sorted(declared.items(), key=lambda item: item[1])}
    tree.attrib = {**xmlns, **tree.attrib}
    return ET.tostring(tree, encoding="utf-8", xml_declaration=declaration)
