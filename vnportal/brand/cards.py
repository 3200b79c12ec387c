"""Social cards: 1200x630 PNG per page and language with the title, the site name and the mark.

Text is laid out in font runs (see fonts.FontIndex) so Vietnamese diacritics and Chinese render with
real glyphs; long titles wrap (Chinese between any two characters) and shrink, never overflow.
Cards are cached by a key of everything that affects their pixels, so a one-page edit redraws one card.
"""

from __future__ import annotations

import hashlib
import io
import os
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from vnportal.brand.fonts import FontIndex
from vnportal.cache import place

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
TITLE_TOP, TITLE_BOTTOM = 220, 566
TITLE_SIZES = (68, 60, 52, 46, 40)
CARD_VERSION = "2"


@dataclass(frozen=True)
class CardStyle:
    """Everything about a card that is not page-specific (picklable for worker processes)."""

    surface: str
    primary: str
    accent: str
    text: str
    muted: str
    mark_png: bytes
    bold: FontIndex
    semibold: FontIndex
    key: str  # digest of tokens, artwork, fonts and CARD_VERSION


@dataclass(frozen=True)
class CardJob:
    title: str
    site_name: str
    lang: str
    out: str  # where the site wants the PNG

    def cache_key(self, style: CardStyle) -> str:
        raw = "\x1f".join((style.key, self.title, self.site_name, self.lang)).encode()
        return hashlib.sha256(raw).hexdigest()[:24]


def _is_cjk(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _tokens(text: str) -> list[str]:
    """Break opportunities: between words, and around every wide (CJK) character."""
    tokens: list[str] = []
    word = ""
    for char in text:
        if _is_cjk(char):
            if word:
                tokens.append(word)
                word = ""
            tokens.append(char)
        elif char == " ":
            tokens.append(word + " ")
            word = ""
        else:
            word += char
    if word:
        tokens.append(word)
    return tokens


@cache
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


def _runs(text: str, index: FontIndex, size: int) -> list[tuple[str, ImageFont.FreeTypeFont]]:
    runs: list[tuple[str, ImageFont.FreeTypeFont]] = []
    fallback = index.files[0]
    for char in text:
        font = _font(index.font_for(char) or fallback, size)
        if runs and runs[-1][1] is font:
            runs[-1] = (runs[-1][0] + char, font)
        else:
            runs.append((char, font))
    return runs


def _width(text: str, index: FontIndex, size: int) -> float:
    return sum(font.getlength(run) for run, font in _runs(text, index, size))


def wrap(text: str, index: FontIndex, size: int, max_width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for token in _tokens(text):
        candidate = current + token
        if current and _width(candidate.rstrip(), index, size) > max_width:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current = candidate
    if current.strip():
        lines.append(current.rstrip())
    return lines


def layout_title(title: str, index: FontIndex) -> tuple[int, list[str]]:
    """Largest size whose wrapped lines fit the title box; at the smallest, cut with an ellipsis."""
    max_width = WIDTH - 2 * MARGIN
    for size in TITLE_SIZES:
        lines = wrap(title, index, size, max_width)
        if len(lines) * size * 1.25 <= TITLE_BOTTOM - TITLE_TOP and all(
            _width(line, index, size) <= max_width for line in lines
        ):
            return size, lines
    size = TITLE_SIZES[-1]
    fit = int((TITLE_BOTTOM - TITLE_TOP) // (size * 1.25))
    lines = wrap(title, index, size, max_width)[:fit]
    last = lines[-1]
    while last and _width(last + "…", index, size) > max_width:
        last = last[:-1]
    lines[-1] = last.rstrip() + "…"
    return size, lines


def _draw_text(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, index: FontIndex, size: int, fill):
    x, y = xy
    for run, font in _runs(text, index, size):
        draw.text((x, y), run, font=font, fill=fill, anchor="ls")
        x += font.getlength(run)


def _hex(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


RAMP = 128  # anti-aliasing levels of the title text, as palette entries


_BASES: dict[tuple[str, str], tuple[Image.Image, int]] = {}


def _base(site_name: str, style: CardStyle) -> tuple[Image.Image, int]:
    if (site_name, style.key) not in _BASES:
        _BASES[site_name, style.key] = _draw_base(site_name, style)
    return _BASES[site_name, style.key]


def _draw_base(site_name: str, style: CardStyle) -> tuple[Image.Image, int]:
    """Everything but the title, as a palette image; the palette ends with a surface->text ramp.

    Per card only the title is drawn (as coverage, mapped onto the ramp), and a palette PNG is a third
    of the bytes to filter and deflate: this is what keeps thousands of cards affordable.
    """
    image = Image.new("RGB", (WIDTH, HEIGHT), style.surface)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 23, HEIGHT), fill=style.primary)
    draw.rectangle((0, HEIGHT - 12, WIDTH, HEIGHT), fill=style.accent)
    mark = Image.open(io.BytesIO(style.mark_png)).convert("RGBA")
    image.paste(mark, (MARGIN, 64), mark)
    name, site_size = site_name, 30
    while _width(name, style.semibold, site_size) > WIDTH - MARGIN - 200 and len(name) > 1:
        name = name[:-2] + "…"
    _draw_text(
        draw, (MARGIN + mark.width + 28, 64 + mark.height / 2 + 11), name, style.semibold, site_size, style.muted
    )
    base = image.quantize(colors=256 - RAMP, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette = base.getpalette()[: 3 * (256 - RAMP)]
    palette += [0, 0, 0] * ((256 - RAMP) - len(palette) // 3)
    bg, fg = _hex(style.surface), _hex(style.text)
    for level in range(RAMP):
        t = (level + 1) / RAMP
        palette += [round(b + (f - b) * t) for b, f in zip(bg, fg, strict=True)]
    base.putpalette(palette)
    return base, 256 - RAMP


def render(job: CardJob, style: CardStyle) -> bytes:
    base, offset = _base(job.site_name, style)
    image = base.copy()
    size, lines = layout_title(job.title, style.bold)
    top = TITLE_TOP - 20
    coverage = Image.new("L", (WIDTH, HEIGHT - 12 - top), 0)
    draw = ImageDraw.Draw(coverage)
    y = TITLE_TOP + size - top
    for line in lines:
        _draw_text(draw, (MARGIN, y), line, style.bold, size, 255)
        y += size * 1.25
    lut = [0] + [offset + min(RAMP - 1, c * RAMP // 256) for c in range(1, 256)]
    indices = coverage.point(lut)
    image.paste(
        Image.frombuffer("P", indices.size, indices.tobytes(), "raw", "P", 0, 1),
        (0, top),
        coverage.point(lambda c: 255 if c else 0),
    )
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=3)  # palette image: level 3 is 3x faster than 6, +20% bytes
    return out.getvalue()


_STYLE: CardStyle | None = None


def _init(style: CardStyle) -> None:
    global _STYLE
    _STYLE = style


def _render_to_cache(args: tuple[CardJob, str]) -> None:
    job, target = args
    assert _STYLE is not None
    data = render(job, _STYLE)
    tmp = Path(target + f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(target)


def render_all(jobs: list[CardJob], style: CardStyle, cache_dir: Path, workers: int | None = None) -> int:
    """Render the cards not yet in the cache (in parallel), then place every card. Returns cards drawn."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    todo: dict[str, CardJob] = {}
    for job in jobs:
        target = cache_dir / f"{job.cache_key(style)}.png"
        if not target.exists():
            todo[str(target)] = job
    work = [(job, target) for target, job in todo.items()]
    workers = workers or os.cpu_count() or 1
    if len(work) > 8 and workers > 1:
        with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(style,)) as pool:
            list(pool.map(_render_to_cache, work, chunksize=max(1, len(work) // (workers * 8))))
    else:
        _init(style)
        for item in work:
            _render_to_cache(item)
    for job in jobs:
        place(cache_dir / f"{job.cache_key(style)}.png", Path(job.out))
    return len(work)
