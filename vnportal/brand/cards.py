"""Social cards: 1200x630 PNG per page and language with the title, the site name and the mark.

Text is laid out in font runs (see fonts.FontIndex) so Vietnamese diacritics and Chinese render with
real glyphs; long titles wrap (Chinese between any two characters) and shrink, never overflow.
Cards are cached by a key of everything that affects their pixels, so a one-page edit redraws one card.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from vnportal.brand import linebreak
from vnportal.brand.fonts import FontIndex
from vnportal.core.cache import code_digest, file_stamp, place, seal, unseal

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
TITLE_TOP, TITLE_BOTTOM = 220, 566
TITLE_SIZES = (68, 60, 52, 46, 40)
#: The card generator's own code and the libraries that draw and encode a card: a change to either draws every card again.
CARD_VERSION = code_digest("vnportal.brand") + f";pillow={metadata.version('pillow')};numpy={metadata.version('numpy')}"


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
    key: str  # digest of tokens, artwork, fonts and the generator's code (CARD_VERSION)


@dataclass(frozen=True)
class CardJob:
    title: str
    site_name: str
    lang: str
    out: str  # where the site wants the PNG

    def cache_key(self, style: CardStyle) -> str:
        raw = "\x1f".join((style.key, self.title, self.site_name, self.lang)).encode()
        return hashlib.sha256(raw).hexdigest()[:24]


class Face:
    """One font file at one size, as FreeType (through Pillow) draws it: each glyph's coverage bitmap,
    advance and pair kerning are measured once, and lines are set by placing the bitmaps.

    Rasterising every title with FreeType took 2 ms a line; placing cached glyphs takes 0.1 ms and
    gives the same image (within a pixel's rounding), which is what makes a card per page affordable.
    Titles are NFC (``make check``): every Vietnamese letter is one precomposed glyph.
    """

    def __init__(self, path: str, size: int) -> None:
        self.font = ImageFont.truetype(path, size)
        self._glyphs: dict[str, tuple[np.ndarray, int, int]] = {}
        self._advances: dict[str, float] = {}
        self._kerning: dict[tuple[str, str], float] = {}

    def glyph(self, char: str) -> tuple[np.ndarray, int, int]:
        """Coverage bitmap and its offset from the pen position on the baseline."""
        if char not in self._glyphs:
            mask, (dx, dy) = self.font.getmask2(char, anchor="ls")
            width, height = mask.size
            self._glyphs[char] = (np.frombuffer(bytes(mask), np.uint8).reshape(height, width), dx, dy)
        return self._glyphs[char]

    def advance(self, char: str) -> float:
        if char not in self._advances:
            self._advances[char] = self.font.getlength(char)
        return self._advances[char]

    def kerning(self, left: str, right: str) -> float:
        pair = (left, right)
        if pair not in self._kerning:
            self._kerning[pair] = self.font.getlength(left + right) - self.advance(left) - self.advance(right)
        return self._kerning[pair]

    def width(self, text: str) -> float:
        return sum(self.advance(c) for c in text) + sum(self.kerning(a, b) for a, b in itertools.pairwise(text))

    def draw(self, coverage: np.ndarray, x: float, baseline: int, text: str) -> float:
        """Add ``text`` to ``coverage`` (lighter wins where glyphs overlap); return the pen's new x."""
        rows, cols = coverage.shape
        for i, char in enumerate(text):
            if i:
                x += self.kerning(text[i - 1], char)
            bitmap, dx, dy = self.glyph(char)
            left, top = int(x) + dx, baseline + dy
            height, width = bitmap.shape
            y0, y1, x0, x1 = max(top, 0), min(top + height, rows), max(left, 0), min(left + width, cols)
            if y0 < y1 and x0 < x1:
                view = coverage[y0:y1, x0:x1]
                np.maximum(view, bitmap[y0 - top : y1 - top, x0 - left : x1 - left], out=view)
            x += self.advance(char)
        return x


def _face(path: str, size: int) -> Face:
    """The face at ``path`` and ``size``, read again when the file changes (``mkdocs serve`` keeps the process)."""
    return _face_version(path, size, *file_stamp(path))


@lru_cache(maxsize=32)
def _face_version(path: str, size: int, mtime_ns: int, file_size: int) -> Face:
    return Face(path, size)


def _runs(text: str, index: FontIndex, size: int) -> list[tuple[str, Face]]:
    runs: list[tuple[str, Face]] = []
    fallback = index.files[0]
    faces: dict[str, Face] = {}  # each font file looked up (and its date checked) once per text, not per character
    for char in text:
        path = index.font_for(char) or fallback
        face = faces.get(path) or faces.setdefault(path, _face(path, size))
        if runs and runs[-1][1] is face:
            runs[-1] = (runs[-1][0] + char, face)
        else:
            runs.append((char, face))
    return runs


def _width(text: str, index: FontIndex, size: int) -> float:
    return sum(face.width(run) for run, face in _runs(text, index, size))


def wrap(text: str, index: FontIndex, size: int, max_width: int) -> list[str]:
    return linebreak.wrap(text, lambda line: _width(line, index, size), max_width)


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


def _draw_text(coverage: np.ndarray, xy: tuple[float, float], text: str, index: FontIndex, size: int) -> None:
    x, baseline = xy
    for run, face in _runs(text, index, size):
        x = face.draw(coverage, x, round(baseline), run)


def _hex(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


RAMP = 128  # anti-aliasing levels of the title text, as palette entries
#: Title coverage (0-255) -> palette index on the surface->text ramp (0: no ink, keep the background).
LEVELS = np.array([0] + [256 - RAMP + min(RAMP - 1, c * RAMP // 256) for c in range(1, 256)], np.uint8)
TITLE_BAND = (TITLE_TOP - 20, HEIGHT - 12)  # the rows a title can touch (above the accent bar)


@dataclass(frozen=True)
class _Base:
    pixels: np.ndarray  # palette indices, HEIGHT x WIDTH
    palette: list[int]


#: Drawn bases by site name and style digest (tokens, artwork, fonts): content-keyed, so one that outlives a
#: build in ``mkdocs serve`` is still right; a handful are kept (one per language's site name).
_BASES: dict[tuple[str, str], _Base] = {}
BASES_KEPT = 8


def _base(site_name: str, style: CardStyle) -> _Base:
    if (site_name, style.key) not in _BASES:
        if len(_BASES) >= BASES_KEPT:
            _BASES.pop(next(iter(_BASES)))
        _BASES[site_name, style.key] = _draw_base(site_name, style)
    return _BASES[site_name, style.key]


def _draw_base(site_name: str, style: CardStyle) -> _Base:
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
    coverage = np.zeros((HEIGHT, WIDTH), np.uint8)
    _draw_text(coverage, (MARGIN + mark.width + 28, 64 + mark.height / 2 + 11), name, style.semibold, site_size)
    image = Image.composite(Image.new("RGB", image.size, style.muted), image, Image.fromarray(coverage, "L"))
    base = image.quantize(colors=256 - RAMP, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette = base.getpalette()[: 3 * (256 - RAMP)]
    palette += [0, 0, 0] * ((256 - RAMP) - len(palette) // 3)
    bg, fg = _hex(style.surface), _hex(style.text)
    for level in range(RAMP):
        t = (level + 1) / RAMP
        palette += [round(b + (f - b) * t) for b, f in zip(bg, fg, strict=True)]
    return _Base(np.asarray(base).copy(), palette)


def render(job: CardJob, style: CardStyle) -> bytes:
    base = _base(job.site_name, style)
    size, lines = layout_title(job.title, style.bold)
    top, bottom = TITLE_BAND
    coverage = np.zeros((bottom - top, WIDTH), np.uint8)
    y = TITLE_TOP + size - top
    for line in lines:
        _draw_text(coverage, (MARGIN, y), line, style.bold, size)
        y += size * 1.25
    pixels = base.pixels.copy()
    band = pixels[top:bottom]
    ink = coverage > 0
    band[ink] = LEVELS[coverage[ink]]
    image = Image.fromarray(pixels, "P")
    image.putpalette(base.palette)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=3)  # palette image: level 3 is 3x faster than 6, +20% bytes
    return out.getvalue()


_STYLE: CardStyle | None = None


def _init(style: CardStyle) -> None:
    global _STYLE
    _STYLE = style


def _render_to_cache(args: tuple[CardJob, str]) -> bytes:
    job, target = args
    assert _STYLE is not None
    data = render(job, _STYLE)
    seal(Path(target), data)
    return data


def render_all(
    jobs: list[CardJob],
    style: CardStyle,
    cache_dir: Path,
    workers: int | None = None,
    placed: Callable[[str, bytes], bool] | None = None,
) -> int:
    """Render the cards not yet in the cache (in parallel) and place each as it comes, then place the cached ones; a
    card is not placed where ``placed`` says its page's folder already has these bytes (``out``, data). Returns how
    many were drawn. A cached card is read and verified once, when it is placed (one that fails its HMAC is drawn
    there, and counted); no card's bytes are kept once placed (a thousand cards are 25 MB per language)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    by_target: dict[str, list[CardJob]] = {}  # pages with the same title, site name and language share a card
    for job in jobs:
        by_target.setdefault(str(cache_dir / f"{job.cache_key(style)}.card"), []).append(job)
    todo = [target for target in by_target if not Path(target).is_file()]
    work = [(by_target[target][0], target) for target in todo]

    def put(target: str, data: bytes) -> None:
        for job in by_target[target]:
            if placed is None or not placed(job.out, data):
                place(data, Path(job.out))

    workers = workers or os.cpu_count() or 1
    if len(work) > 8 and workers > 1:
        with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(style,)) as pool:
            chunk = max(1, len(work) // (workers * 8))
            for target, data in zip(todo, pool.map(_render_to_cache, work, chunksize=chunk), strict=True):
                put(target, data)
    else:
        _init(style)
        for target, item in zip(todo, work, strict=True):
            put(target, _render_to_cache(item))
    redrawn, drawn = 0, set(todo)
    for target in (target for target in by_target if target not in drawn):
        sealed = unseal(Path(target), 1)
        if sealed is None:  # damaged, changed since it was drawn, or sealed with another key: draw it again
            data = render(by_target[target][0], style)
            seal(Path(target), data)
            redrawn += 1
        else:
            (data,) = sealed
        put(target, data)
    return len(work) + redrawn
