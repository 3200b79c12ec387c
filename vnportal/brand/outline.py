"""Text set in the brand faces and converted to outlines (SVG path data), so a file needs no installed font.

HarfBuzz shapes each run (kerning, marks), fontTools' pens turn the glyphs into path data. A character the
Latin face lacks (Chinese) is set in the CJK face, as the website's font stack does.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import uharfbuzz as hb
from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen

from vnportal.brand import linebreak
from vnportal.core.cache import file_stamp


def _font(path: str) -> hb.Font:
    """The font at ``path``, read again when the file changes (``mkdocs serve`` keeps the process)."""
    return _font_version(path, *file_stamp(path))


@lru_cache(maxsize=16)
def _font_version(path: str, mtime_ns: int, size: int) -> hb.Font:
    return hb.Font(hb.Face(hb.Blob.from_file_path(path)))


@dataclass(frozen=True)
class Faces:
    """The files to set a text in, first choice first (e.g. Be Vietnam Pro Bold, then Noto Sans SC Bold)."""

    paths: tuple[str, ...]

    def face_for(self, char: str) -> str | None:
        for path in self.paths:
            if _font(path).get_nominal_glyph(ord(char)) is not None:
                return path
        return None

    def missing(self, text: str) -> list[str]:
        return sorted({c for c in text if not c.isspace() and self.face_for(c) is None})

    def runs(self, text: str) -> list[tuple[str, str]]:
        runs: list[tuple[str, str]] = []
        for char in unicodedata.normalize("NFC", text):
            path = self.face_for(char) or (runs[-1][1] if runs else self.paths[0])
            if runs and runs[-1][1] == path:
                runs[-1] = (runs[-1][0] + char, path)
            else:
                runs.append((char, path))
        return runs


def _shape(text: str, path: str) -> tuple[list, list]:
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(_font(path), buffer, {"kern": True, "liga": True})
    return buffer.glyph_infos, buffer.glyph_positions


def width(text: str, faces: Faces, size: float) -> float:
    total = 0.0
    for run, path in faces.runs(text):
        font = _font(path)
        scale = size / font.face.upem
        total += sum(p.x_advance for p in _shape(run, path)[1]) * scale
    return total


def path_data(text: str, faces: Faces, size: float, x: float, baseline: float) -> tuple[str, float]:
    """SVG path data of ``text`` at ``size`` px with its baseline at (x, baseline); and the pen's end x."""
    parts = []
    for run, path in faces.runs(text):
        font = _font(path)
        scale = size / font.face.upem
        infos, positions = _shape(run, path)
        for info, pos in zip(infos, positions, strict=True):
            pen = SVGPathPen(None, ntos=lambda v: f"{v:.2f}".rstrip("0").rstrip("."))
            origin = (x + pos.x_offset * scale, baseline - pos.y_offset * scale)
            font.draw_glyph_with_pen(info.codepoint, TransformPen(pen, (scale, 0, 0, -scale, *origin)))
            if commands := pen.getCommands():
                parts.append(commands)
            x += pos.x_advance * scale
    return " ".join(parts), x


def wrap(text: str, faces: Faces, size: float, max_width: float) -> list[str]:
    """Greedy line breaking: between words, and between any two Chinese characters."""
    return linebreak.wrap(text, lambda line: width(line, faces, size), max_width)
