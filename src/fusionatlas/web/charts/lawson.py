"""Server-rendered SVG for the explainer: the fusion triple product achieved by devices against the year, on a
logarithmic axis, with the levels sources give for ignition and for more fusion energy than needed. Points the
chart computed from n, T and τ (the source states no product) are drawn hollow."""

from __future__ import annotations

import math
from dataclasses import dataclass

from fusionatlas.web.charts.landscape import BLUE, GRID, MUTED, RED, Translate, _svg, _text, tick_text

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 720, 360, 70, 20, 44, 40
FLOOR, CEILING = 1e18, 1e23  # keV·s/m³: from early tokamaks to beyond ignition
AMBER = "#b9770e"


@dataclass(frozen=True)
class Level:
    value: float  # keV·s/m³
    label: str  # English; translated when drawn
    source_id: str


@dataclass(frozen=True)
class Point:
    year: int
    value: float
    label: str
    computed: bool  # from n·T·τ here, not stated by the source
    record_id: str


# The levels as the sources state them: single numbers, not the temperature-dependent curves of Wurzel and Hsu.
LEVELS = (
    Level(3e21, "Ignition (Max Planck Institute for Plasma Physics)", "src:learn-ipp-fusion-product"),
    Level(5e21, "More fusion energy than needed (EUROfusion)", "src:learn-eurofusion-glossary-triple-product"),
)


def triple_product_chart(points: list[Point], first_year: int, last_year: int, _: Translate) -> str:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    span = max(1, last_year - first_year)

    def x(year: float) -> float:
        return LEFT + plot_w * (year - first_year) / span

    def y(value: float) -> float:
        share = (math.log10(max(value, FLOOR)) - math.log10(FLOOR)) / (math.log10(CEILING) - math.log10(FLOOR))
        return TOP + plot_h * (1 - share)

    title = _("Fusion triple product achieved, by year")
    body = [_text(10, 18, title + " (keV·s/m³)", size=14, font_weight="bold")]
    body.append(
        _text(
            10,
            34,
            _("Logarithmic scale; hollow points computed from density, temperature and time"),
            size=11,
            colour=MUTED,
        )
    )
    for exponent in range(round(math.log10(FLOOR)), round(math.log10(CEILING)) + 1):
        ty = y(10**exponent)
        body.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="{GRID}"/>')
        body.append(
            _text(LEFT - 6, ty + 4, tick_text(10.0**exponent, logarithmic=True), anchor="end", size=10, colour=MUTED)
        )
    for year in range(first_year + (-first_year) % 10, last_year + 1, 10):
        body.append(_text(x(year), HEIGHT - BOTTOM + 16, str(year), anchor="middle", size=10, colour=MUTED))
    # The two levels lie close together: the lower one is labelled under its line, the upper one above.
    for level, colour, offset in zip(LEVELS, (RED, AMBER), (14, -4), strict=True):
        ly = y(level.value)
        body.append(
            f'<line class="level" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ly:.1f}" y2="{ly:.1f}" '
            f'stroke="{colour}" stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
        body.append(_text(LEFT + 6, ly + offset, _(level.label), size=11, colour=colour))
    for point in points:
        px, py = x(point.year), y(point.value)
        fill = "#fff" if point.computed else BLUE
        body.append(
            f'<circle class="record" data-id="{point.record_id}" cx="{px:.1f}" cy="{py:.1f}" r="5" '
            f'fill="{fill}" stroke="{BLUE}" stroke-width="2"/>'
        )
        body.append(_text(px + 8, py + 4, f"{point.label} {point.year}", size=11))
    body.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{HEIGHT - BOTTOM}" y2="{HEIGHT - BOTTOM}" stroke="{MUTED}"/>'
    )
    return _svg(WIDTH, HEIGHT, title, body, "triple-product-chart")
