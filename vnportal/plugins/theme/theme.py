"""The theme, made cheaper: its file listing remembered, its templates without indentation, and their
compiled code cached (signed, so that a cache folder from elsewhere is never run).

MkDocs lists every file of the theme to find its static assets.

Material ships some 14,000 icon files among its templates, and MkDocs walks and filters them all at the
start of every build, once per language: a fifth of a second each time, for an answer that only depends
on the theme's folders and static templates. A file added to ``overrides/`` while ``mkdocs serve`` runs
is picked up after a restart (MkDocs does not watch the theme by default either).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket
from jinja2.ext import Extension
from mkdocs.theme import Theme

from vnportal.core.cache import touch, write_atomic
from vnportal.core.compat import wrap_get_env

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

    def remembering(env: Any) -> Any:
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

    wrap_get_env(theme, remembering)


class SignedBytecodeCache(FileSystemBytecodeCache):
    """Jinja's compiled templates are Python code: only load what this machine compiled.

    Each file holds an HMAC of the marshalled code made with the machine key (vnportal.core.cache.machine_key),
    which no restored or shared cache folder carries; a file that does not verify is compiled again.
    """

    def __init__(self, directory: str, key: bytes) -> None:
        super().__init__(directory)
        self._key = key

    def _mac(self, body: bytes) -> bytes:
        return hmac.new(self._key, body, hashlib.sha256).digest()

    def load_bytecode(self, bucket: Bucket) -> None:
        path = Path(self._get_cache_filename(bucket))
        try:
            data = path.read_bytes()
        except OSError:
            return
        mac, body = data[:32], data[32:]
        if hmac.compare_digest(mac, self._mac(body)):
            bucket.load_bytecode(io.BytesIO(body))
            touch(path)

    def dump_bytecode(self, bucket: Bucket) -> None:
        out = io.BytesIO()
        bucket.write_bytecode(out)
        body = out.getvalue()
        with contextlib.suppress(OSError):  # a cache that cannot be written only makes the next build slower
            write_atomic(Path(self._get_cache_filename(bucket)), self._mac(body) + body)
