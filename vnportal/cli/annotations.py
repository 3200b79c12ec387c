"""Findings as GitHub workflow commands, so each one shows on the changed line of the pull request.

``::error file=docs/vi/a.md,line=3,title=make check::missing 'description' — add …``: the message is escaped
as workflow-command data (``%``, CR, LF) and the file and title as properties (also ``:`` and ``,``).
"""

from __future__ import annotations

from vnportal.core.findings import Finding

TITLE = "make check"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding, level: str = "error") -> str:
    """One ``::error`` (or ``::warning``) line for one finding."""
    props = f"file={escape_property(finding.path)},line={max(finding.line, 1)},title={escape_property(TITLE)}"
    return f"::{level} {props}::{escape_data(f'{finding.message} — {finding.fix}')}"
