"""Server-rendered SVG for the scenario pages: one item's demand band (P10-P90, median line) against its
capacity band, year by year, with the first shortfall year marked. A logarithmic axis is used when demand and
capacity differ by more than a factor of 10, and the chart says so."""

from __future__ import annotations

import math
from typing import Any

from fusionatlas.web.charts.landscape import BLUE, GRID, MUTED, RED, Translate, _nice_max, _svg, _text, tick_text

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 720, 300, 70, 20, 44, 40
CAPACITY = "#2e7d32"


def _ticks_linear(peak: float) -> list[float]:
    return [peak * i / 4 for i in range(5)]


def demand_chart(item: dict[str, Any], years: list[int], name: str, _: Translate) -> str:
    """The chart of one item of a scenario result (as `scenarios.results.run` returns it)."""
    series = [
        item["demand_p10"],
        item["demand_p50"],
        item["demand_p90"],
        item["capacity_p10"],
        item["capacity"],
        item["capacity_p90"],
    ]
    positive = [v for s in series for v in s if v > 0]
    top = max(positive, default=1.0)
    demand_top = max(item["demand_p90"], default=0.0)
    logarithmic = demand_top > 0 and top / demand_top > 10
    if logarithmic:
        floor = 10 ** math.floor(math.log10(max(min(positive), top * 1e-6)))
        ceiling = 10 ** math.ceil(math.log10(top))
        ticks = [10**e for e in range(round(math.log10(floor)), round(math.log10(ceiling)) + 1)]
    else:
        floor, ceiling = 0.0, _nice_max(top)
        ticks = _ticks_linear(ceiling)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    span = max(1, years[-1] - years[0])

    def x(year: float) -> float:
        return LEFT + plot_w * (year - years[0]) / span

    def y(value: float) -> float:
        if logarithmic:
            value = max(value, floor)
            share = (math.log10(value) - math.log10(floor)) / (math.log10(ceiling) - math.log10(floor))
        else:
            share = value / ceiling
        return TOP + plot_h * (1 - share)

    def band(low: list[float], high: list[float], colour: str, opacity: float) -> str:
        points = [(x(t), y(v)) for t, v in zip(years, high, strict=True)]
        points += [(x(t), y(v)) for t, v in reversed(list(zip(years, low, strict=True)))]
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        return f'<polygon points="{path}" fill="{colour}" fill-opacity="{opacity}" stroke="none"/>'

    def line(values: list[float], colour: str, dashed: bool = False) -> str:
        path = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in zip(years, values, strict=True))
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        return f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'

    unit = item["unit"]
    body = [_text(10, 18, f"{name} ({unit})", size=14, font_weight="bold")]
    scale = _("logarithmic scale") if logarithmic else _("linear scale")
    body.append(
        _text(
            10,
            34,
            _("Demand P10-P90 (shaded) and median; capacity median (dashed) and P10-P90") + f" · {scale}",
            size=11,
            colour=MUTED,
        )
    )
    for tick in ticks:
        ty = y(tick)
        body.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="{GRID}"/>')
        body.append(_text(LEFT - 6, ty + 4, tick_text(tick, logarithmic), anchor="end", size=10, colour=MUTED))
    for year in years:
        if year % 5 == 0:
            body.append(_text(x(year), HEIGHT - BOTTOM + 16, str(year), anchor="middle", size=10, colour=MUTED))
    body.append(band(item["capacity_p10"], item["capacity_p90"], CAPACITY, 0.12))
    body.append(band(item["demand_p10"], item["demand_p90"], BLUE, 0.25))
    body.append(line(item["capacity"], CAPACITY, dashed=True))
    body.append(line(item["demand_p50"], BLUE))
    shortfall = item.get("first_shortfall_year")
    if shortfall:
        sx = x(shortfall)
        body.append(
            f'<line x1="{sx:.1f}" x2="{sx:.1f}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" stroke="{RED}" stroke-width="1.5"/>'
        )
        body.append(_text(sx + 4, TOP + 12, _("First shortfall") + f" {shortfall}", size=11, colour=RED))
    body.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{HEIGHT - BOTTOM}" y2="{HEIGHT - BOTTOM}" stroke="{MUTED}"/>'
    )
    return _svg(WIDTH, HEIGHT, f"{name} ({unit})", body, f"chart-{item['id']}")
