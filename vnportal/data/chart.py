"""Static SVG line charts for time series: no JavaScript, readable without colour, localised labels."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 96, 24, 24, 40


def line_chart(
    points: list[tuple[float, float]], title: str, describe: str, fmt: Callable[[float], str], chart_id: str
) -> Markup:
    """One series as an SVG ``<figure>`` body; the caller supplies localised number formatting. Every text
    (title, labels, the id made from field names) is escaped: the result is Markup the templates print."""
    if len(points) < 2:
        return Markup("")
    chart_id = escape(chart_id)
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, x1, y1 = min(xs), max(xs), max(ys)
    y0 = 0.0

    def sx(x: float) -> float:
        return LEFT + (x - x0) / (x1 - x0 or 1) * (WIDTH - LEFT - RIGHT)

    def sy(y: float) -> float:
        return HEIGHT - BOTTOM - (y - y0) / (y1 - y0 or 1) * (HEIGHT - TOP - BOTTOM)

    path = " ".join(f"{'M' if i == 0 else 'L'}{sx(x):.1f},{sy(y):.1f}" for i, (x, y) in enumerate(points))
    ticks = [y0 + (y1 - y0) * k / 4 for k in range(5)]
    grid = "".join(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{sy(t):.1f}" y2="{sy(t):.1f}" class="grid"/>'
        f'<text x="{LEFT - 8}" y="{sy(t) + 4:.1f}" text-anchor="end">{escape(fmt(t))}</text>'
        for t in ticks
    )
    years = sorted({x0, x1, *xs[:: max(1, len(xs) // 6)]})
    labels = "".join(
        f'<text x="{sx(x):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">{int(x)}</text>' for x in years
    )
    last_x, last_y = points[-1]
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" class="portal-chart">'
        f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(describe)}</desc>'
        f"{grid}{labels}"
        f'<path d="{path}" class="line" fill="none"/>'
        f'<circle cx="{sx(last_x):.1f}" cy="{sy(last_y):.1f}" r="4" class="dot"/>'
        "</svg>"
    )
