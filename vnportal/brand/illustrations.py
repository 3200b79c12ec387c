"""Original illustrations drawn from the brand mark: the drum's rays and rings, the water lines, terraces.

Abstract and geometric, drawn by code (no clip-art of places or people, nothing traced): each is a small
SVG whose parts carry classes (``art-a``, ``art-b``, ``art-c``, ``art-bg``), coloured by the theme's CSS
custom properties when inline in a page (so light and dark follow the visitor's scheme) and by the tokens'
colours when exported as files (the media library and the brand kit). A seed (a section or page name)
varies each motif deterministically, so every section and page gets its own picture, the same every build.
"""

from __future__ import annotations

import hashlib
import math

from markupsafe import Markup

from vnportal.brand.tokens import Brand

MOTIFS = ("drum", "waves", "terraces", "rings")
WIDTH, HEIGHT = 480, 270  # 16:9


def _numbers(seed: str, count: int) -> list[float]:
    """``count`` numbers in [0, 1) from ``seed`` (stable across runs and machines)."""
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    while len(digest) < count * 2:
        digest += hashlib.sha256(digest).digest()
    return [int.from_bytes(digest[i * 2 : i * 2 + 2], "big") / 65536 for i in range(count)]


def motif_of(seed: str) -> str:
    return MOTIFS[int(_numbers(seed, 1)[0] * len(MOTIFS))]


def _drum(r: list[float]) -> str:
    cx, cy = WIDTH * (0.62 + r[0] * 0.2), HEIGHT * (0.45 + r[1] * 0.2)
    rings = "".join(
        f'<circle class="art-{"ab"[i % 2]}" cx="{cx:.0f}" cy="{cy:.0f}" r="{40 + i * 34}"/>' for i in range(5)
    )
    rays = []
    for i in range(14):  # the drum's star has fourteen rays, as the mark's sun
        angle = 2 * math.pi * (i / 14 + r[2] / 14)
        x1, y1 = cx + 18 * math.cos(angle), cy + 18 * math.sin(angle)
        x2, y2 = cx + 36 * math.cos(angle), cy + 36 * math.sin(angle)
        rays.append(f"M{x1:.0f} {y1:.0f}L{x2:.0f} {y2:.0f}")
    return f'{rings}<circle class="art-c art-fill" cx="{cx:.0f}" cy="{cy:.0f}" r="12"/><path class="art-c" d="{"".join(rays)}"/>'


def _waves(r: list[float]) -> str:
    lines = []
    for i in range(6):
        y = HEIGHT * (0.3 + i * 0.11)
        amplitude, phase = 10 + r[i] * 14, r[(i + 3) % len(r)] * WIDTH
        # one crest drawn, the next five mirrored from it (t): the same wave in a third of the bytes
        d = f"M-20 {y:.0f}q{50 + phase % 40:.0f} {amplitude:.0f} 100 0" + "t100 0" * 5
        lines.append(f'<path class="art-{"abc"[i % 3]}" d="{d}"/>')
    return (
        f'<circle class="art-c art-fill" cx="{WIDTH * (0.7 + r[7] * 0.2):.0f}" cy="{HEIGHT * 0.2:.0f}" r="22"/>'
        + "".join(lines)
    )


def _terraces(r: list[float]) -> str:
    lines = []
    for i in range(8):
        y = HEIGHT * (0.2 + i * 0.1)
        bend = 30 + r[i] * 40
        lines.append(
            f'<path class="art-{"ab"[i % 2]}" d="M-10 {y + bend:.0f} C{WIDTH * 0.3:.0f} {y - bend:.0f} '
            f'{WIDTH * 0.6:.0f} {y + bend / 2:.0f} {WIDTH + 10} {y - bend / 3:.0f}"/>'
        )
    return (
        "".join(lines)
        + f'<circle class="art-c art-fill" cx="{WIDTH * (0.15 + r[9] * 0.2):.0f}" cy="{HEIGHT * 0.18:.0f}" r="16"/>'
    )


def _rings(r: list[float]) -> str:
    circles = []
    for i in range(7):
        cx, cy = WIDTH * r[i], HEIGHT * r[(i + 5) % len(r)]
        circles.append(
            f'<circle class="art-{"abc"[i % 3]}" cx="{cx:.0f}" cy="{cy:.0f}" r="{24 + r[(i + 2) % len(r)] * 60:.0f}"/>'
        )
    return "".join(circles)


DRAW = {"drum": _drum, "waves": _waves, "terraces": _terraces, "rings": _rings}


def body(seed: str, motif: str | None = None) -> str:
    """The drawing's elements (no colours: classes only)."""
    motif = motif or motif_of(seed)
    return DRAW[motif](_numbers(f"{motif}:{seed}", 12))


def inline(seed: str, motif: str | None = None, label: str = "") -> Markup:
    """The illustration for a page: coloured by the theme (light and dark), decorative unless labelled."""
    role = f'role="img" aria-label="{Markup.escape(label)}"' if label else 'aria-hidden="true"'
    return Markup(
        f'<svg class="portal-art" viewBox="0 0 {WIDTH} {HEIGHT}" preserveAspectRatio="xMidYMid slice" '
        f'focusable="false" {role}><rect class="art-bg" width="{WIDTH}" height="{HEIGHT}"/>{body(seed, motif)}</svg>'
    )


def standalone(seed: str, brand: Brand, scheme: str, motif: str | None = None, metadata: str = "") -> bytes:
    """The illustration as a file, in one scheme's token colours, with its rights in ``<metadata>`` (XMP)."""
    bg, a, b, c = (brand.color(scheme, role) for role in ("surface-alt", "primary", "secondary", "accent"))
    style = (
        f".art-bg{{fill:{bg}}}.art-a,.art-b,.art-c{{fill:none;stroke-width:3;stroke-linecap:round}}"
        f".art-a{{stroke:{a}}}.art-b{{stroke:{b}}}.art-c{{stroke:{c}}}.art-fill{{fill:{c}}}"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">'
        f"{metadata}<style>{style}</style>"
        f'<rect class="art-bg" width="{WIDTH}" height="{HEIGHT}"/>{body(seed, motif)}</svg>\n'
    ).encode()
