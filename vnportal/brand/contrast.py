"""WCAG 2.2 contrast ratio (relative luminance of sRGB colours) and the pairs the theme really uses."""

from __future__ import annotations

from dataclasses import dataclass


def rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(foreground: str, background: str) -> float:
    hi, lo = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


#: Minimum ratios of WCAG 2.2 AA: body text, large text (>= 24px or 18.66px bold) and UI components.
MINIMUM = {"text": 4.5, "large": 3.0, "ui": 3.0}


@dataclass(frozen=True)
class Pair:
    """A foreground role drawn on a background role, as the theme CSS uses it."""

    foreground: str
    background: str
    kind: str  # text | large | ui
    where: str  # what in the theme draws it
    schemes: tuple[str, ...] = ("light", "dark")


#: Every foreground/background combination brand.css sets up (see css.MATERIAL_ROLES), in both schemes.
THEME_PAIRS: tuple[Pair, ...] = (
    Pair("text", "surface", "text", "body text"),
    Pair("text-muted", "surface", "text", "dates, captions, footer meta"),
    Pair("link", "surface", "text", "links"),
    Pair("accent-text", "surface", "text", "hovered links, notice border"),
    Pair("text", "surface-alt", "text", "notices, code, striped tables"),
    Pair("link", "surface-alt", "text", "links inside notices"),
    Pair("on-primary", "primary", "text", "header, tabs, buttons"),
    Pair("on-secondary", "secondary", "text", "secondary buttons"),
    Pair("accent", "primary", "ui", "the mark's sun on its red field (artwork uses the light colours)", ("light",)),
    Pair("primary", "surface", "ui", "primary buttons and borders on the page"),
)


def cmyk(hex_colour: str) -> tuple[int, int, int, int]:
    """Naive device CMYK (percent) for reference; print work should use a colour-managed conversion."""
    r, g, b = (c / 255 for c in rgb(hex_colour))
    k = 1 - max(r, g, b)
    if k >= 1:
        return 0, 0, 0, 100
    c, m, y = ((1 - x - k) / (1 - k) for x in (r, g, b))
    return round(c * 100), round(m * 100), round(y * 100), round(k * 100)
