"""YAML files that editors and translators write: where each key is, so a finding names its line."""

from __future__ import annotations

import yaml


def node_lines(root: yaml.Node | None) -> dict[tuple[str, ...], int]:
    """Line (1-based) of every mapping key path of a composed document."""
    lines: dict[tuple[str, ...], int] = {}

    def walk(node: yaml.Node, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = (*path, str(key.value))
                lines[child] = key.start_mark.line + 1
                walk(value, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[(*path, str(index))] = item.start_mark.line + 1
                walk(item, (*path, str(index)))

    if root is not None:
        walk(root, ())
    return lines
