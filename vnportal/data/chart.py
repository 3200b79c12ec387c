"""Static SVG line charts for time series: no JavaScript, readable without colour, localised labels.

A chart has a title, axis labels with the unit, readable ticks (the caller's locale formatting, e.g.
Babel's compact "400 tỷ", "400 Md", "4000亿") and, as its text alternative, the data table the page prints
beside it (``aria-describedby``). Every text is escaped: the result is Markup the templates print.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

from markupsafe import Markup, escape

#: Drawn for a phone first: 560 units scale to about 0.6 on a 360 px screen and 1.2 on a desktop column, so the
#: 15-unit labels read at roughly 9 and 18 px. The left margin grows with the longest tick label.
WIDTH, HEIGHT = 560, 300
RIGHT, TOP, BOTTOM = 16, 16, 58
FONT = 15


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2 or 5 × 10ⁿ apart) covering [low, high], zero included."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + 1
    raw = (high - low) / (count - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.999 and len(ticks) < 12:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _number(value: float) -> str:
    """A coordinate to a tenth of a unit, without a trailing ".0"."""
    return f"{round(value, 1):g}"


def _relative_path(points: list[tuple[float, float]]) -> str:
    """A polyline as SVG path data: the first point, then each step relative to the last (a third of the bytes of
    absolute coordinates). Steps are differences of coordinates rounded to tenths, so no rounding error adds up."""
    tenths = [(round(x * 10), round(y * 10)) for x, y in points]
    steps = [f"M{tenths[0][0] / 10:g} {tenths[0][1] / 10:g}"]
    steps += [f"l{(x - px) / 10:g} {(y - py) / 10:g}" for (px, py), (x, y) in itertools.pairwise(tenths)]
    return "".join(steps)


def line_chart(
    points: list[tuple[float, float]],
    title: str,
    fmt: Callable[[float], str],
    chart_id: str,
    x_label: str,
    y_label: str,
    table_id: str,
) -> Markup:
    """One series as an SVG; ``fmt`` formats a y value for the ticks in the page's language."""
    if len(points) < 2:
        return Markup("")
    chart_id = escape(chart_id)
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, x1 = min(xs), max(xs)
    ticks = nice_ticks(min(ys), max(ys))
    y0, y1 = ticks[0], ticks[-1]
    tick_labels = [fmt(t) for t in ticks]
    left = round(FONT * 1.6 + 10 + FONT * 0.62 * max(len(label) for label in tick_labels))

    def sx(x: float) -> float:
        return left + (x - x0) / (x1 - x0 or 1) * (WIDTH - left - RIGHT)

    def sy(y: float) -> float:
        return HEIGHT - BOTTOM - (y - y0) / (y1 - y0 or 1) * (HEIGHT - TOP - BOTTOM)

    path = _relative_path([(sx(x), sy(y)) for x, y in points])
    grid = "".join(
        f'<path class="grid{" zero" if zero else ""}" fill="none" d="'
        + "".join(f"M{left} {_number(sy(t))}H{WIDTH - RIGHT}" for t in ticks if (t == 0) == zero)
        + '"/>'
        for zero in (False, True)
        if any((t == 0) == zero for t in ticks)
    )
    tick_labels = "".join(
        f'<text x="{left - 8}" y="{_number(sy(t) + 5)}">{escape(label)}</text>'
        for t, label in zip(ticks, tick_labels, strict=True)
    )
    span = int(x1 - x0)
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100) if span / s <= 6)
    years = [x for x in range(int(math.ceil(x0 / step) * step), int(x1) + 1, step)]
    labels = "".join(f'<text x="{_number(sx(x))}" y="{HEIGHT - BOTTOM + 20}">{x}</text>' for x in years)
    last_x, last_y = points[-1]
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-t" aria-describedby="{escape(table_id)}" class="portal-chart">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'{grid}<g text-anchor="end">{tick_labels}</g><g text-anchor="middle">{labels}'
        f'<text class="axis" x="{(left + WIDTH - RIGHT) / 2:.0f}" y="{HEIGHT - 10}">{escape(x_label)}</text>'
        f'<text class="axis" transform="rotate(-90)" x="{-(TOP + HEIGHT - BOTTOM) / 2:.0f}" y="{FONT + 2}">'
        f"{escape(y_label)}</text></g>"
        f'<path d="{path}" class="line" fill="none"/>'
        f'<circle cx="{_number(sx(last_x))}" cy="{_number(sy(last_y))}" r="4" class="dot"/>'
        "</svg>"
    )
