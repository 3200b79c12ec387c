"""What ``make check`` (and the build) say about the facts a page uses.

- an unknown fact id, or an unknown form, is an error at its line;
- a fact whose dataset has a newer period than the one the page shows is a warning (page, fact, period);
- on a fact sheet every figure comes from the register: a digit typed by hand is an error;
- the home page's key figures (front matter ``figures:``) must be facts that exist.
"""

from __future__ import annotations

import re

from vnportal.content.frontmatter import split
from vnportal.core.findings import Finding
from vnportal.core.messages import tr
from vnportal.facts.register import Register
from vnportal.facts.render import FORMS
from vnportal.facts.syntax import CODE_SPAN_RE, FACT_RE, FENCE_RE, references

#: What may hold digits on a fact sheet without being a figure: link targets, HTML comments, anchors.
NOT_TEXT_RE = re.compile(r"\]\([^)]*\)|<!--.*?-->|\{[#:][^}]*\}|^\s*\[[^\]]+\]:\s*\S+")


def page_findings(source: str, shown: str, meta: dict, register: Register) -> tuple[list[Finding], list[Finding]]:
    """(errors, warnings) for one Markdown source (front matter included, for the line numbers)."""
    parts = split(source)
    body, offset = parts.body, parts.body_line
    errors: list[Finding] = []
    warnings: list[Finding] = []
    for number, match in references(body):
        line = offset + number
        fact = register.get(match["id"])
        if fact is None:
            known = ", ".join(sorted(register.facts)[:8])
            errors.append(Finding(shown, line, tr("unknown fact '{id}'", id=match["id"]),
                                  tr("use an id from {register} (e.g. {known}) or add the fact there", register=register.path, known=known)))  # fmt: skip
            continue
        if match["form"] and match["form"] not in FORMS[1:]:
            errors.append(Finding(shown, line, tr("unknown form '|{form}' of fact '{id}'", form=match["form"], id=fact.id),
                                  tr("write [[fact:id]], [[fact:id|value]], [[fact:id|number]] or [[fact:id|period]]")))  # fmt: skip
        if fact.newest and fact.period and fact.newest > fact.period:
            warnings.append(Finding(shown, line, tr("fact '{id}' shows {period}; its dataset has {newest}", id=fact.id, period=fact.period, newest=fact.newest),
                                    tr("update the period of '{id}' in {register} (and the text around it)", id=fact.id, register=register.path)))  # fmt: skip
    if meta.get("type") == "factsheet":
        errors += _typed_figures(body, offset, shown)
    figures = meta.get("figures") or []
    lines = source.split("\n")
    for fact_id in figures if isinstance(figures, list) else []:
        if register.get(str(fact_id)) is None:
            line = next((i for i, row in enumerate(lines, 1) if row.startswith("figures")), 1)
            errors.append(Finding(shown, line, tr("key figure '{id}' is not in the facts register", id=fact_id),
                                  tr("use ids from {register}", register=register.path)))  # fmt: skip
    return errors, warnings


def _typed_figures(body: str, offset: int, shown: str) -> list[Finding]:
    """Digits typed on a fact sheet, outside fact references, code and link targets."""
    findings = []
    fenced = False
    for number, line in enumerate(body.split("\n"), 1):
        if FENCE_RE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        text = NOT_TEXT_RE.sub(" ", FACT_RE.sub(" ", CODE_SPAN_RE.sub(" ", line)))
        if re.search(r"\d", text):
            findings.append(Finding(shown, offset + number, tr("a figure typed by hand on a fact sheet"),
                                    tr("take it from the facts register: [[fact:id]] (add the fact to data/facts.yml)")))  # fmt: skip
    return findings
