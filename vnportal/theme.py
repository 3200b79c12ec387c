"""The theme, made cheaper: its file listing remembered, and its templates without indentation.

MkDocs lists every file of the theme to find its static assets.

Material ships some 14,000 icon files among its templates, and MkDocs walks and filters them all at the
start of every build, once per language: a fifth of a second each time, for an answer that only depends
on the theme's folders and static templates. A file added to ``overrides/`` while ``mkdocs serve`` runs
is picked up after a restart (MkDocs does not watch the theme by default either).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from jinja2.ext import Extension
from mkdocs.theme import Theme

INDENT_RE = re.compile(r"^[ \t]+|(?<=\n)\n+", re.M)


class Dedent(Extension):
    """Template lines lose their indentation and blank lines before compiling.

    Material's templates are indented for reading; the indentation is copied into every page (a fifth of
    a page's bytes) and ``lstrip_blocks`` only removes it before block tags. Newlines stay, so text that
    was separated by white space still is; page content comes in through variables and is never touched.
    """

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return INDENT_RE.sub("", source)


def remember_theme_files(theme: Theme, memo: dict[tuple[Any, ...], list[str]]) -> None:
    """Make the environments of ``theme`` answer ``list_templates`` from ``memo`` (kept by the caller)."""
    if getattr(theme.get_env, "remembers_files", False):
        return
    make_env = theme.get_env

    def get_env() -> Any:
        env = make_env()
        listing = env.list_templates

        def list_templates(extensions: Any = None, filter_func: Callable[[str], bool] | None = None) -> list[str]:
            key = (
                tuple(theme.dirs),
                tuple(sorted(theme.static_templates)),
                tuple(extensions or ()),
                getattr(filter_func, "__code__", filter_func),
            )
            if key not in memo:
                memo[key] = listing(extensions, filter_func)
            return list(memo[key])

        env.list_templates = list_templates
        return env

    get_env.remembers_files = True  # type: ignore[attr-defined]
    theme.get_env = get_env  # type: ignore[method-assign]
