"""Where brand text may break into lines, and the lines it fills: between words, and around every wide
(Chinese) character. The social cards (measured with Pillow) and the SVG outlines (measured with HarfBuzz)
break text the same way; only their measure of a line differs."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable


def is_wide(char: str) -> bool:
    """An East Asian wide or full-width character (Chinese): a line may break before and after it."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def tokens(text: str) -> list[str]:
    """Break opportunities: each word with the space after it, and every wide character on its own."""
    found: list[str] = []
    word = ""
    for char in text:
        if is_wide(char):
            if word:
                found.append(word)
                word = ""
            found.append(char)
        elif char == " ":
            found.append(word + " ")
            word = ""
        else:
            word += char
    if word:
        found.append(word)
    return found


def wrap(text: str, measure: Callable[[str], float], max_width: float) -> list[str]:
    """Greedy line breaking: each line takes tokens while ``measure`` of it stays within ``max_width`` (a token
    wider than that gets a line of its own)."""
    lines: list[str] = []
    current = ""
    for token in tokens(text):
        candidate = current + token
        if current and measure(candidate.rstrip()) > max_width:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current = candidate
    if current.strip():
        lines.append(current.rstrip())
    return lines
