"""The interface strings: one YAML file per language, ``overrides/locales/<lang>.yml``.

They are what the templates and plugins write around the content (headings, labels, notices), read as
``config.extra.ui`` in the default language and as each language's ``extra.ui`` of mkdocs-static-i18n, which
puts it in ``config.extra`` while that language builds. MkDocs leaves a theme's ``locales/`` folder out of the
site, and ``make serve`` and the render cache watch ``overrides/``.

The default language's file is the reference: a JSON Schema generated from it (every key, no other key, a
text where it has a text, a list where a list, a group where a group, the same ``{placeholders}``) validates
every language's file, the default's own included (no empty text, no markup, placeholders that ``str.format``
fills). The strings are plain text, escaped wherever they are shown (autoescaped templates, ``Markup.format``,
``html.escape``, ElementTree); markup in one would appear as typed, so it is reported. Every problem is a
finding with the file and the line; no YAML input raises.
"""

from __future__ import annotations

import difflib
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError

from vnportal.content.frontmatter import describe_error
from vnportal.content.textpolicy import MAX_TEXT, character_problem
from vnportal.core.config import plugin_config, site_config
from vnportal.core.findings import Finding, display_path
from vnportal.core.messages import tr
from vnportal.core.schema import YamlLines, mark_line

#: Where the files are, from the folder of mkdocs.yml (plugins.vnportal/strings.strings_dir changes it).
STRINGS_DIR = "overrides/locales"
MAX_BYTES = 256 * 1024  # a language's file is some 8 KB
MAX_DEPTH = 8  # groups within groups (the files use three)
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available
#: The groups and texts the templates and plugins read at the top of the default language's file.
REQUIRED = (
    "fallback_notice",
    "fallback_link",
    "published",
    "updated",
    "news_feed",
    "news_empty",
    "news_page",
    "news_pages",
    "source",
    "in_language",
    "brand",
    "data",
    "status",
    "search",
    "share",
    "suggest",
    "video",
    "sources",
    "footer",
    "contact",
    "accessibility",
    "credits",
    "home",
    "media",
)
PLAIN_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MARKUP_RE = re.compile(r"<[A-Za-z/!?]|&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")

Strings = dict[str, Any]


def strings_folder(config_file: Path, config: dict[str, Any]) -> Path:
    """The folder of the files, beside the site's mkdocs.yml (``config``: that file, read by ``site_config``)."""
    return config_file.parent / (plugin_config(config, "vnportal/strings").get("strings_dir") or STRINGS_DIR)


# -- the schema ------------------------------------------------------------------------------------------------


def _fields(text: str) -> list[tuple[str, str, str | None]]:
    """The ``{fields}`` of a ``str.format`` template (ValueError for an unpaired brace)."""
    return [
        (name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text) if name is not None
    ]


def placeholders(text: str) -> set[str]:
    """The placeholder names of a string (none when it is not a valid template: reported by the schema)."""
    try:
        return {name for name, _, _ in _fields(text)}
    except ValueError:
        return set()


def _text_rule(
    validator: Any, rule: dict[str, Any], instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """Keyword ``text``: plain, non-empty text whose placeholders are ``rule["names"]`` (or among them)."""
    if not isinstance(instance, str):
        return
    if not instance.strip():
        yield ValidationError("blank")
    elif character_problem(instance):
        yield ValidationError("characters")
    elif MARKUP_RE.search(instance):
        yield ValidationError("markup")
    else:
        try:
            fields = _fields(instance)
        except ValueError:
            yield ValidationError("braces")
            return
        if any(not PLAIN_NAME_RE.match(name) or spec or conversion for name, spec, conversion in fields):
            yield ValidationError("field")
        else:
            names, wanted = {name for name, _, _ in fields}, set(rule["names"])
            if names != wanted if rule["exact"] else not names <= wanted:
                yield ValidationError("placeholders")


StringsValidator = validators.extend(Draft202012Validator, validators={"text": _text_rule})


def _text_schema(names: set[str], exact: bool = True) -> dict[str, Any]:
    return {"type": "string", "maxLength": MAX_TEXT, "text": {"names": sorted(names), "exact": exact}}


def schema_of(
    value: Any, shown: str, lines: YamlLines, path: tuple[str, ...] = ()
) -> tuple[dict[str, Any], list[Finding]]:
    """The schema every language's file must follow, from the default language's file, and the problems of
    that file's shape (what the schema cannot say: a key that is no name, an empty group, a number)."""
    where, line = ".".join(path), lines.line(path)
    if isinstance(value, str):
        return _text_schema(placeholders(value)), []
    if isinstance(value, list):
        names = set().union(*(placeholders(v) for v in value if isinstance(v, str)))
        return {"type": "array", "minItems": 1, "items": _text_schema(names, exact=False)}, []
    if not isinstance(value, dict):
        return {}, [Finding(shown, line, tr("'{key}' must be a text, a list of texts or a group of texts", key=where),
                            tr('write the text in double quotes, e.g.  {key}: "…"', key=path[-1] if path else "key"))]  # fmt: skip
    findings: list[Finding] = []
    if not value:
        findings.append(Finding(shown, line, tr("'{key}' is an empty group", key=where or shown),
                                tr("give it its texts, or remove it")))  # fmt: skip
    properties = {}
    for key, item in value.items():
        if not isinstance(key, str) or not key:
            findings.append(Finding(shown, line, tr("key {key} in '{where}' is not a name", key=repr(key)[:40], where=where or shown),
                                    tr("write a name of letters, digits, - or _ (in quotes if YAML reads it as a number or yes/no)")))  # fmt: skip
            continue
        properties[key], found = schema_of(item, shown, lines, (*path, key))
        findings += found
    schema = {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}
    return schema, findings


# -- reading ---------------------------------------------------------------------------------------------------


def read(path: Path, shown: str) -> tuple[Strings | None, YamlLines, list[Finding]]:
    """One language's file: (its strings, the line of every key, findings). Strings are None when unreadable."""

    def problem(line: int, what: str, fix: str) -> tuple[None, YamlLines, list[Finding]]:
        return None, YamlLines(""), [Finding(shown, line, what, fix)]

    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return problem(1, tr("file is {size:,} KB (at most {limit:,} KB)", size=size // 1024, limit=MAX_BYTES // 1024),
                           tr("keep only the interface strings in it"))  # fmt: skip
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return problem(raw[: exc.start].count(b"\n") + 1, tr("file is not UTF-8 ({reason})", reason=exc.reason),
                       tr("save the file as UTF-8"))  # fmt: skip
    except OSError as exc:
        return problem(1, tr("cannot read the file ({error})", error=exc.strerror or exc), tr("restore the file"))
    try:
        if (nested := _nesting_problem(text)) is not None:
            return problem(*nested)
        loader = LOADER(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return problem(mark_line(text, mark) + 1, tr("not valid YAML ({problem})", problem=exc.problem or "?"),
                       tr('check the indentation (spaces only) and put texts in double quotes, e.g.  title: "Huế: the old capital"'))  # fmt: skip
    except (yaml.YAMLError, ValueError, TypeError) as exc:  # e.g. a date that does not exist
        return problem(1, tr("not valid YAML ({problem})", problem=str(exc)[:120]),
                       tr('check the indentation (spaces only) and put texts in double quotes, e.g.  title: "Huế: the old capital"'))  # fmt: skip
    if not isinstance(data, dict):
        return problem(1, tr("the interface strings must be a group of  key: text  lines"),
                       tr("start from a copy of the default language's file"))  # fmt: skip
    return data, YamlLines.of_node(node, text), []


def _nesting_problem(text: str) -> tuple[int, str, str] | None:
    """An alias or a nesting deeper than MAX_DEPTH, found in the parser's events before anything is built from
    them (an alias can stand for billions of values; libyaml's composer recurses, and crashes on deep input)."""
    depth = 0
    for event in yaml.parse(text, Loader=LOADER):
        if isinstance(event, yaml.AliasEvent):
            return (
                mark_line(text, event.start_mark) + 1,
                tr("the file uses a YAML alias (*name)"),
                tr("write the value out in full"),
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH + 1:
                return (mark_line(text, event.start_mark) + 1, tr("groups are nested more than {limit} deep", limit=MAX_DEPTH),
                        tr("keep the structure of the default language's file"))  # fmt: skip
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _findings(
    data: Strings, shown: str, lines: YamlLines, schema: dict[str, Any], reference: str, reference_lines: YamlLines
) -> list[Finding]:
    """The schema's errors in words, each at its line, with where the default language's text is."""
    findings = []
    seen_missing: set[tuple[Any, ...]] = set()
    for err in StringsValidator(schema).iter_errors(data):
        path = tuple(err.absolute_path)
        where = ".".join(str(key) for key in path)
        line = lines.line(path)

        def ref(keys: tuple[Any, ...] = path) -> str:
            return f"{reference}:{reference_lines.line(keys)}"

        if err.validator == "required":
            for key in err.validator_value:
                if key not in err.instance and (*path, key) not in seen_missing:
                    seen_missing.add((*path, key))
                    dotted = ".".join(str(k) for k in (*path, key))
                    findings.append(Finding(shown, line, tr("'{key}' is missing", key=dotted),
                                            tr("add it, translated from {reference}", reference=ref((*path, key)))))  # fmt: skip
        elif err.validator == "additionalProperties":
            known = list(err.schema.get("properties", {}))
            for key in [k for k in err.instance if k not in known]:
                dotted = ".".join(str(k) for k in (*path, key))
                close = difflib.get_close_matches(str(key), known, n=1)
                fix = (tr("did you mean '{key}'?", key=close[0]) if close
                       else tr("remove it: {reference} has no such text", reference=reference))  # fmt: skip
                findings.append(
                    Finding(shown, lines.line((*path, key)), tr("unknown key '{key}'", key=dotted[:80]), fix)
                )
        elif err.validator == "text":
            findings.append(_text_finding(err, shown, line, where, ref()))
        elif err.validator == "maxLength":
            findings.append(
                Finding(shown, line, tr("'{key}' {problem}", key=where, problem=describe_error(err)), tr("shorten it"))
            )
        else:  # type, minItems: the form differs from the default language's
            findings.append(Finding(shown, line, tr("'{key}' {problem}", key=where or shown, problem=describe_error(err)),
                                    tr("give it the form it has in {reference}", reference=ref())))  # fmt: skip
    return findings


def _text_finding(err: ValidationError, shown: str, line: int, where: str, reference: str) -> Finding:
    text: str = err.instance
    kind = err.message
    if kind == "blank":
        return Finding(
            shown,
            line,
            tr("'{key}' is empty", key=where),
            tr("write its text, translated from {reference}", reference=reference),
        )
    if kind == "characters":
        return Finding(shown, line, tr("'{key}' {problem}", key=where, problem=character_problem(text)),
                       tr("retype the value; invisible control and direction characters are not allowed"))  # fmt: skip
    if kind == "markup":
        found = MARKUP_RE.search(text)
        return Finding(shown, line, tr("'{key}' contains HTML markup ({markup})", key=where, markup=found.group() if found else ""),
                       tr("write plain text: the string is escaped where it is shown, so a tag or an entity would appear as typed"))  # fmt: skip
    if kind == "braces":
        return Finding(shown, line, tr("'{key}' has a brace that opens or closes no placeholder", key=where),
                       tr("write placeholders as {{name}}; a brace meant as text is written twice: {{{{ or }}}}"))  # fmt: skip
    if kind == "field":
        return Finding(shown, line, tr("'{key}' has a placeholder that is not a plain name", key=where),
                       tr("write placeholders as {{name}}, as in {reference}", reference=reference))  # fmt: skip
    expected = " ".join(f"{{{name}}}" for name in err.validator_value["names"]) or "—"
    found = " ".join(f"{{{name}}}" for name in sorted(placeholders(text))) or "—"
    return Finding(shown, line, tr("'{key}' has the placeholders {found}, {reference} has {expected}", key=where, found=found,
                                   reference=reference, expected=expected),
                   tr("keep the placeholders of the default language's text, translated around them"))  # fmt: skip


@dataclass(frozen=True)
class Reference:
    """The default language's file, and the schema generated from it."""

    shown: str
    strings: Strings
    lines: YamlLines
    schema: dict[str, Any]

    @classmethod
    def read(cls, path: Path, shown: str) -> tuple[Reference | None, list[Finding]]:
        """The reference, with the problems of its own file (None when it cannot be read)."""
        strings, lines, findings = read(path, shown)
        if strings is None:
            return None, findings
        schema, found = schema_of(strings, shown, lines)
        findings += found
        findings += [Finding(shown, 1, tr("'{key}' is missing: the templates and plugins use it", key=key),
                             tr("add it back with its texts (see the other languages' files)"))
                     for key in REQUIRED if key not in strings]  # fmt: skip
        findings += _findings(strings, shown, lines, schema, shown, lines)
        return cls(shown, strings, lines, schema), findings

    def check(self, path: Path, shown: str) -> tuple[Strings | None, list[Finding]]:
        """Another language's file: its strings (None when it cannot be read) and its findings."""
        strings, lines, findings = read(path, shown)
        if strings is None:
            return None, findings
        return strings, findings + _findings(strings, shown, lines, self.schema, self.shown, self.lines)


# -- the site's files ------------------------------------------------------------------------------------------


def _line_of(text: str, *patterns: str) -> int:
    """Line of the first match of the last pattern, each searched after the match of the one before (1 if none)."""
    offset = 0
    for pattern in patterns:
        found = re.compile(pattern, re.M).search(text, offset)
        if not found:
            return 1
        offset = found.start()
    return text.count("\n", 0, offset) + 1


def _entry(code: str) -> str:
    """A language's entry in mkdocs.yml."""
    return rf"^\s*-\s*locale:\s*['\"]?{re.escape(code)}['\"]?\s*$"


def load(config_file: Path, root: Path) -> tuple[dict[str, Strings], list[Finding]]:
    """Every configured language's strings (``{lang: strings}``), and the findings that must fail the build."""
    config = site_config(config_file)
    config_text = config_file.read_text(encoding="utf-8")
    config_shown = display_path(config_file, root)
    entries = [lang for lang in plugin_config(config, "i18n").get("languages") or [] if isinstance(lang, dict)]
    codes = [str(lang.get("locale")) for lang in entries] or ["vi"]
    default = next((str(lang["locale"]) for lang in entries if lang.get("default")), codes[0])
    folder = strings_folder(config_file, config)
    paths = {code: folder / f"{code}.yml" for code in codes}
    reference = display_path(paths[default], root)
    findings: list[Finding] = []
    # One source for each string: mkdocs.yml no longer carries them (static-i18n would merge the two).
    for code, extra, after in [(default, config.get("extra"), r"^extra:")] + [
        (str(lang.get("locale")), lang.get("extra"), _entry(str(lang.get("locale")))) for lang in entries
    ]:
        if isinstance(extra, dict) and "ui" in extra:
            file = display_path(paths.get(code, folder / f"{code}.yml"), root)
            findings.append(Finding(config_shown, _line_of(config_text, after, r"^\s+ui:"),
                                    tr("extra.ui is set in mkdocs.yml; the interface strings are in {file}", file=file),
                                    tr("move any text that is missing there into {file}, then delete extra.ui here", file=file)))  # fmt: skip
    for code, path in paths.items():
        if not path.is_file():
            shown = display_path(path, root)
            fix = (tr("restore {file}: every language's strings are checked against it", file=reference) if code == default
                   else tr("copy {reference} to {file} and translate its texts", reference=reference, file=shown))  # fmt: skip
            findings.append(Finding(config_shown, _line_of(config_text, _entry(code)),
                                    tr("language '{lang}' has no interface strings file {file}", lang=code, file=shown), fix))  # fmt: skip
    if not paths[default].is_file():
        return {}, findings
    base, found = Reference.read(paths[default], reference)
    findings += found
    if base is None:
        return {}, findings
    strings = {default: base.strings}
    for code, path in paths.items():
        if code != default and path.is_file():
            data, found = base.check(path, display_path(path, root))
            findings += found
            if data is not None:
                strings[code] = data
    return strings, findings
