"""JSON Schema over YAML sources: every violation a finding at the line of the value, in the editor's words.

Front matter, dataset metadata, the facts register, the media library's metadata and the brand's token and
text files are all checked this way: one validator (YAML's dates and whole numbers as their own types), one
description of each error that never echoes the value (which may be megabytes long), and one way to find the
line of a value from the YAML nodes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from typing import Any

import yaml
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError, best_match
from jsonschema.protocols import Validator

from vnportal.core.findings import Finding
from vnportal.core.messages import N_, tr

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


def mark_line(text: str, mark: yaml.Mark | None) -> int:
    """The 0-based line of a YAML mark as an editor counts lines: at "\n" only (YAML also breaks lines at U+0085,
    U+2028 and U+2029, so its own ``mark.line`` can point past the end of the file); 0 without a mark."""
    return text.count("\n", 0, mark.index) if mark is not None else 0


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` through libyaml when it is there (the same values, ten times faster on the data's
    metadata and the tokens)."""
    return yaml.load(text, Loader=LOADER)


#: What PyYAML raises for a value it parses but cannot build: ``2024-13-01``, ``!!int x``, ``!!timestamp x``.
VALUE_ERRORS = (ValueError, TypeError, AttributeError)


def is_date(value: object) -> bool:
    """A calendar date as YAML reads ``2024-04-15`` (not a date and time)."""
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _is_integer(_checker: object, instance: object) -> bool:
    """A whole number as YAML writes it: ``700``, not ``700.0`` (JSON Schema's integer accepts both)."""
    return isinstance(instance, int) and not isinstance(instance, bool)


#: JSON Schema with YAML's types: ``type: date`` for a date, ``type: integer`` for a whole number as written.
YamlValidator = validators.extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine_many(
        {"date": lambda _checker, instance: is_date(instance), "integer": _is_integer}
    ),
)

#: JSON Schema types in words (the value an editor should write).
TYPE_NAMES = {
    "string": N_("a text"),
    "date": N_("a date (YYYY-MM-DD)"),
    "boolean": N_("true or false"),
    "object": N_("a group of  key: value  lines"),
    "array": N_("a list"),
    "integer": N_("a whole number"),
    "number": N_("a number"),
    "null": N_("empty"),
}


def required_key(err: ValidationError) -> str:
    """The key a ``required`` error says is missing."""
    missing = re.search(r"'([^']+)' is a required property", err.message)
    return missing.group(1) if missing else "?"


def describe_error(err: ValidationError) -> str:
    """What is wrong, in words, without echoing the value (which may be megabytes long)."""
    value, rule = err.instance, err.validator_value
    if "propertyNames" in err.schema_path:  # the error is about a key, not about its value
        return tr("has a key that is not allowed: {key!r}", key=str(value)[:40])
    if err.validator in ("oneOf", "anyOf") and err.context:
        # A mapping given where "a text, or one per language" is allowed: say what the mapping lacks.
        shaped = [e for e in err.context if e.validator != "type"] if isinstance(value, dict) else []
        return describe_error(best_match(shaped or err.context))
    if err.validator == "required":
        return tr("needs '{key}'", key=required_key(err))
    if err.validator == "maxLength":
        return tr("is {length:,} characters long (at most {limit})", length=len(value), limit=rule)
    if err.validator == "minLength":
        return tr("is empty")
    if err.validator == "maxItems":
        return tr("has {count} items (at most {limit})", count=len(value), limit=rule)
    if err.validator == "minItems":
        return tr("needs at least {limit} item(s)", limit=rule)
    if err.validator == "enum":
        return tr("must be one of: {values}", values=", ".join(str(v) for v in rule))
    if err.validator == "type":
        kinds = rule if isinstance(rule, list) else [rule]
        return tr("must be {kind}", kind=tr(" or ").join(tr(TYPE_NAMES.get(k, k)) for k in kinds))
    if err.validator == "pattern":
        return tr("is not written the expected way")
    if err.validator == "uniqueItems":
        return tr("lists the same item twice")
    if err.validator == "minimum":
        return tr("is below the minimum {limit}", limit=rule)
    if err.validator == "maximum":
        return tr("is above the maximum {limit}", limit=rule)
    if err.validator == "exclusiveMinimum":
        return tr("must be above {limit}", limit=rule)
    if err.validator == "multipleOf":
        return tr("must be a multiple of {step}", step=rule)
    if err.validator == "additionalProperties":
        extra = sorted(set(map(str, value)) - set(err.schema.get("properties", {})))
        return tr("has unknown key(s) {keys}", keys=", ".join(repr(k[:40]) for k in extra))
    return tr("does not follow the rule '{rule}'", rule=err.validator)


class YamlLines:
    """The 1-based line of any value of a YAML document, from its nodes (composed once, when first needed).

    ``first`` is the file line of the document's first line (2 for front matter, which follows ``---``).
    """

    def __init__(self, text: str, first: int = 1) -> None:
        self.text, self.first = text, first

    @classmethod
    def of_node(cls, root: yaml.Node | None, text: str, first: int = 1) -> YamlLines:
        """The lines of a document (``text``) its reader has composed already (it is not parsed again)."""
        lines = cls(text, first)
        lines.__dict__["_root"] = root  # where the cached property keeps what it composed
        return lines

    @cached_property
    def _root(self) -> yaml.Node | None:
        try:
            return yaml.compose(self.text, Loader=LOADER)
        except yaml.YAMLError:
            return None

    def line(self, path: Sequence[object]) -> int:
        """Line of the deepest node on ``path`` that exists: a mapping's key, a list's item (the document's
        first line when none does). A key written twice is found where it was written last, as YAML reads it."""
        node, line = self._root, 0
        for part in path:
            if isinstance(node, yaml.MappingNode):
                match = [(k, v) for k, v in node.value if str(k.value) == str(part)]
                if not match:
                    break
                key, node = match[-1]
                line = mark_line(self.text, key.start_mark)
            elif isinstance(node, yaml.SequenceNode) and str(part).isdigit() and int(part) < len(node.value):
                node = node.value[int(part)]
                line = mark_line(self.text, node.start_mark)
            else:
                break
        return self.first + line


def unreadable_line(text: str, first: int = 1) -> int:
    """The line of the first value YAML parses but cannot build (``first`` when none is found)."""
    try:
        pending = [yaml.compose(text, Loader=LOADER)]
    except yaml.YAMLError:
        return first
    seen: set[int] = set()  # an alias repeats a node, or contains it
    while pending:
        node = pending.pop(0)
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            try:
                yaml.SafeLoader("").construct_object(node)
            except (*VALUE_ERRORS, yaml.YAMLError):
                return first + mark_line(text, node.start_mark)
        elif isinstance(node, yaml.MappingNode):
            pending[:0] = [child for pair in node.value for child in pair]
        elif isinstance(node, yaml.SequenceNode):
            pending[:0] = node.value
    return first


#: What a finding says about one schema error: (path of the value to point at, what is wrong, how to fix it).
Wording = Callable[[ValidationError], Iterable[tuple[Sequence[object], str, str]]]


def schema_findings(validator: Validator, value: Any, shown: str, lines: YamlLines, word: Wording) -> list[Finding]:
    """Every violation of the validator's schema by ``value`` as findings, in path order, each once."""
    if validator.is_valid(value):
        return []
    errors = sorted(validator.iter_errors(value), key=lambda e: [str(p) for p in e.path])
    found = [Finding(shown, lines.line(where), what, fix) for err in errors for where, what, fix in word(err)]
    return list(dict.fromkeys(found))


def where(err: ValidationError) -> list[str]:
    """The path to point at: the value's, or a key's own when the error is about the key (unknown, not allowed)."""
    path = [str(p) for p in err.path]
    if "propertyNames" in err.schema_path:
        return [*path, str(err.instance)]
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        known = err.schema.get("properties", {})
        return [*path, *sorted(str(k) for k in err.instance if str(k) not in known)[:1]]
    return path


def worded(fix: str, whole: str, describe: Callable[[ValidationError], str] = describe_error) -> Wording:
    """The usual wording: ``'key.path' <what is wrong>`` at the line of the value, or of the key the error is
    about (``whole`` names the document itself), with one fix for every error."""

    def word(err: ValidationError) -> list[tuple[Sequence[object], str, str]]:
        key = ".".join(str(p) for p in err.path) or whole
        return [(where(err), tr("'{key}' {problem}", key=key, problem=describe(err)), fix)]

    return word
