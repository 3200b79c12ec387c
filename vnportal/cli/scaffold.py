"""``make new``: a page with valid front matter and placeholder text that ``make check`` refuses to publish.

The scaffold's description and body are fixed sentences (in the editor's language): until the editor
replaces them, ``make check`` reports each one, so a page never goes out with "write the text here".
A new page is not stamped as a translation: it becomes *translated* when ``make stamp`` says it matches.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from vnportal.content.placeholders import PLACEHOLDER_BODY, PLACEHOLDER_DESCRIPTION
from vnportal.core.messages import tr

PAGE_RE = re.compile(r"[a-z0-9][a-z0-9/-]*")


class ScaffoldError(Exception):
    """A plain message for the editor (what is wrong — how to fix it)."""


def page_text(page: str, title: str, today: dt.date) -> str:
    """The new page's Markdown: front matter for its type, placeholders to replace."""
    date = re.match(r"news/(\d{4}-\d{2}-\d{2})", page)
    lines = [
        "---",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        f"description: {json.dumps(tr(PLACEHOLDER_DESCRIPTION), ensure_ascii=False)}",
    ]
    if page.startswith("news/"):
        lines += ["type: news", f"date: {date.group(1) if date else today.isoformat()}"]
    else:
        lines += [
            "type: topic",
            f"updated: {today.isoformat()}",
            "# " + tr("sources: list what the page rests on, e.g."),
            "# sources:",
            "#   - {publisher: ..., title: ..., year: 2025, url: https://...}",
        ]
    return "\n".join([*lines, "---", "", tr(PLACEHOLDER_BODY), ""])


def new_page(docs: Path, lang: str, page: str, title: str, languages: list[str]) -> Path:
    """Write ``docs/<lang>/<page>.md``; ScaffoldError says what to change in the command."""
    if lang not in languages:
        raise ScaffoldError(tr("LOCALE={lang}: not a configured language — use one of {languages}, e.g.  make new LOCALE={example} PAGE=… TITLE=…",
                               lang=lang, languages=", ".join(languages), example=languages[0]))  # fmt: skip
    page = page.removesuffix(".md").strip("/")
    if not page:
        raise ScaffoldError(tr('PAGE is missing — e.g.  make new PAGE=news/2026-11-22-slug TITLE="…"'))
    if not PAGE_RE.fullmatch(page):
        raise ScaffoldError(tr("PAGE={page}: use lowercase letters, digits, - and / only (e.g. news/2026-11-22-slug)",
                               page=page))  # fmt: skip
    if not title.strip():
        raise ScaffoldError(tr('TITLE is missing — e.g.  make new PAGE={page} TITLE="…"', page=page))
    path = docs / lang / f"{page}.md"
    if path.exists():
        raise ScaffoldError(tr("{path}: already exists — choose another PAGE", path=path.as_posix()))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page_text(page, title.strip(), dt.date.today()), encoding="utf-8")
    return path
