"""The typography a language expects, as text rules: French spacing (narrow no-break spaces before ; ! ? % and
inside « », a no-break space before :, grouped thousands) and Chinese line joining. Applied to rendered Markdown
by the plugin ``vnportal/typography`` and to the texts the build formats (facts, interface strings)."""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown.util import AMP_SUBSTITUTE

NNBSP, NBSP = "\u202f", "\u00a0"
SKIP = {"code", "pre", "kbd", "samp", "script", "style", "math"}
_AFTER = r"(?:(?<=[^\s(\[{«\"'/:])|^)"  # after a word or closing mark, or at the start of a text node
_FR_BEFORE_TIGHT = re.compile(rf"{_AFTER}[ \u00a0]?([;!?])(?=[ \t\n]|$|[»)\]])")
_FR_BEFORE_COLON = re.compile(rf"{_AFTER}[ \u202f]?(:)(?=[ \t\n]|$)")
#: "&para" before ";" is an entity, not a word (Python-Markdown holds "&" as AMP_SUBSTITUTE until the end).
_ENTITY_END = re.compile(rf"(?:&|{re.escape(AMP_SUBSTITUTE)})#?\w{{1,31}}$")
_FR_AFTER_OPEN = re.compile(r"«[ \u00a0\u202f]?")
_FR_BEFORE_CLOSE = re.compile(r"[ \u00a0\u202f]?»")
_FR_PERCENT = re.compile(r"(?<=\d)[ \u00a0]?%")
_FR_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3})((?: \d{3})+)(?![\d.]\d|\d)")
CJK = r"\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_BREAK = re.compile(rf"(?<=[{CJK}])[ \t]*\n[ \t]*(?=[{CJK}])")


def _tight(match: re.Match[str]) -> str:
    if match.group(1) == ";" and _ENTITY_END.search(match.string, 0, match.start()):
        return match.group()
    return NNBSP + match.group(1)


def french(text: str) -> str:
    text = _FR_BEFORE_TIGHT.sub(_tight, text)
    text = _FR_BEFORE_COLON.sub(lambda m: NBSP + m.group(1), text)
    text = _FR_AFTER_OPEN.sub("«" + NNBSP, text)
    text = _FR_BEFORE_CLOSE.sub(NNBSP + "»", text)
    text = _FR_PERCENT.sub(NNBSP + "%", text)
    return _FR_THOUSANDS.sub(lambda m: m.group(1) + m.group(2).replace(" ", NNBSP), text)


def cjk(text: str) -> str:
    return _CJK_BREAK.sub("", text)


RULES: dict[str, Callable[[str], str]] = {"fr": french, "zh": cjk, "ja": cjk, "ko": cjk}


def apply(lang: str, text: str) -> str:
    """``text`` with the typography of ``lang`` (unchanged for languages without rules)."""
    rule = RULES.get(lang.split("-")[0])
    return rule(text) if rule else text


#: Scripts that write a label's colon full-width, with no space after it.
FULL_WIDTH_COLON = ("zh", "ja")


def colon(lang: str) -> str:
    """What separates a label from its value: ": ", " : " in French (no-break space, as its Markdown gets), "：" in
    Chinese."""
    base = lang.split("-")[0]
    return "：" if base in FULL_WIDTH_COLON else f"{NBSP}: " if base == "fr" else ": "


def label(lang: str, text: str) -> str:
    """A label before its value as ``lang`` writes it: "Source: ", "Source : ", "来源："."""
    return text + colon(lang)
