"""The sentences ``make new`` writes into a new page, and the findings while they are still there: a page never
goes out with "write the text here" (``make check`` and the build report each one, in any language of the
messages)."""

from __future__ import annotations

from vnportal.content.frontmatter import FrontMatter
from vnportal.core.findings import Finding
from vnportal.core.messages import N_, every_language, tr

PLACEHOLDER_DESCRIPTION = N_("Write a one-sentence summary of the page here (at most 300 characters).")
PLACEHOLDER_BODY = N_("Write the text of the page here.")


def placeholder_findings(fm: FrontMatter, source: str, shown: str) -> list[Finding]:
    """The scaffold's sentences still in the page (in any language of the messages)."""
    findings = []
    if fm.data.get("description") in every_language(PLACEHOLDER_DESCRIPTION):
        findings.append(Finding(shown, fm.line_of("description"), tr("'description' is still the text that make new wrote"),
                                tr("replace it with a one-sentence summary of the page")))  # fmt: skip
    bodies = set(every_language(PLACEHOLDER_BODY))
    for number, line in enumerate(source.splitlines(), 1):
        if line.strip() in bodies:
            findings.append(Finding(shown, number, tr("the page still has the text that make new wrote"),
                                    tr("replace this line with the text of the page")))  # fmt: skip
    return findings
