"""Server-rendered Gantt chart of one roadmap track: a row per milestone, its announced date, the P50-P80
range of the simulation, the dependencies drawn as arrows and the critical path in red.

Like the landscape charts, it returns a standalone SVG document (the page shows the same file a visitor
downloads as SVG; the page's script turns it into PNG).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from fusionatlas.roadmap.dates import middle
from fusionatlas.web.charts.landscape import AMBER, BLUE, GRID, INK, MUTED, RED, _shorten, _svg, _text

Translate = Callable[[str], str]
GREEN = "#2e7d32"
WIDTH, LABEL, RIGHT, ROW, TOP = 980, 330, 960, 26, 54
# Columns of a row's label (a wide character counts two) that fit in the LABEL - 8 pixels left of the chart at
# 11px: about 6.9px a column in bold, 6.3px in normal weight (measured in Chromium).
LABEL_COLUMNS, LABEL_COLUMNS_BOLD = 48, 44


@dataclass(frozen=True)
class Bar:
    id: str
    label: str
    announced: str | None  # partial ISO date
    p50: str | None
    p80: str | None
    status: str  # achieved, cancelled, overdue, delayed, planned, undated
    critical: bool
    depends_on: tuple[str, ...]
    tooltip: str


def _years(bars: list[Bar], today: dt.date) -> tuple[int, int]:
    values = [middle(v) for b in bars for v in (b.announced, b.p50, b.p80) if v]
    values.append(today.year + 0.5)
    return int(min(values)), int(max(values)) + 1


def _diamond(cx: float, cy: float, fill: str, stroke: str) -> str:
    return (
        f'<path d="M{cx:.1f} {cy - 7:.1f} L{cx + 6:.1f} {cy:.1f} L{cx:.1f} {cy + 7:.1f} L{cx - 6:.1f} {cy:.1f} Z" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="1.6"/>'
    )


def gantt(bars: list[Bar], title: str, today: dt.date, _: Translate, element_id: str = "gantt-chart") -> str:
    """The track's rows in the given order; arrows run from each predecessor drawn on the chart."""
    body = [_text(10, 20, title, size=14, font_weight="bold")]
    if not bars:
        body.append(_text(10, 46, _("No milestone to show."), colour=MUTED))
        return _svg(WIDTH, 60, title, body, element_id)
    first, last = _years(bars, today)
    span = max(1, last - first)

    def x(value: float) -> float:
        return LABEL + (value - first) / span * (RIGHT - LABEL)

    bottom = TOP + ROW * len(bars)
    height = bottom + 70
    step = 1 if span <= 16 else (5 if span <= 60 else 10)
    for year in range(first, last + 1):
        if year % step == 0:
            body.append(f'<line x1="{x(year):.1f}" x2="{x(year):.1f}" y1="{TOP - 8}" y2="{bottom}" stroke="{GRID}"/>')
            body.append(_text(x(year), TOP - 12, str(year), "middle", 10, MUTED))
    now = x(today.year + (today.timetuple().tm_yday - 1) / 365.25)
    body.append(
        f'<line x1="{now:.1f}" x2="{now:.1f}" y1="{TOP - 8}" y2="{bottom}" stroke="{AMBER}" stroke-dasharray="4 3"/>'
    )
    # Right of the line, or left of it when the line is near the right edge (the label would run off it).
    if now + 36 > WIDTH:
        body.append(_text(now - 3, TOP - 24, _("today"), "end", 10, AMBER))
    else:
        body.append(_text(now + 3, TOP - 24, _("today"), size=10, colour=AMBER))
    row_of = {bar.id: i for i, bar in enumerate(bars)}
    anchor: dict[str, float] = {}
    for i, bar in enumerate(bars):
        y = TOP + i * ROW + ROW / 2
        colour = RED if bar.critical else INK
        weight = "bold" if bar.critical else "normal"
        # Bold (critical) labels are wider: fewer columns fit in the label space left of the chart.
        label = _shorten(bar.label, LABEL_COLUMNS_BOLD if bar.critical else LABEL_COLUMNS)
        body.append(_text(LABEL - 8, y + 4, label, "end", 11, colour, font_weight=weight))
        parts: list[str] = []
        if bar.p50 and bar.p80:
            x50, x80 = x(middle(bar.p50)), x(middle(bar.p80))
            fill = "#f5b7b1" if bar.critical else "#aed6f1"
            parts.append(
                f'<rect x="{x50:.1f}" y="{y - 6:.1f}" width="{max(2.0, x80 - x50):.1f}" height="12" '
                f'fill="{fill}" rx="2"/>'
            )
            parts.append(f'<circle cx="{x50:.1f}" cy="{y:.1f}" r="4" fill="{RED if bar.critical else BLUE}"/>')
            anchor[bar.id] = x50
        if bar.announced:
            xa = x(middle(bar.announced))
            shade = GREEN if bar.status == "achieved" else (AMBER if bar.status == "overdue" else INK)
            parts.append(_diamond(xa, y, shade if bar.status == "achieved" else "#fff", shade))
            anchor.setdefault(bar.id, xa)
        if bar.status == "overdue":
            parts.append(_text(RIGHT - 2, y + 4, _("overdue"), "end", 10, AMBER, font_weight="bold"))
        body.append(
            f'<g id="row-{i}" data-milestone="{bar.id}"><title>{escape(bar.tooltip)}</title>{"".join(parts)}</g>'
        )
    for bar in bars:
        for pred in bar.depends_on:
            if pred not in row_of or pred not in anchor or bar.id not in anchor:
                continue
            x0, y0 = anchor[pred], TOP + row_of[pred] * ROW + ROW / 2
            x1, y1 = anchor[bar.id], TOP + row_of[bar.id] * ROW + ROW / 2
            critical = bar.critical and bars[row_of[pred]].critical
            colour = RED if critical else MUTED
            mid = (x0 + x1) / 2
            body.append(
                f'<path class="dependency{" critical" if critical else ""}" d="M{x0:.1f} {y0:.1f} C{mid:.1f} {y0:.1f} '
                f'{mid:.1f} {y1:.1f} {x1 - 7:.1f} {y1:.1f}" fill="none" stroke="{colour}" '
                f'stroke-width="{2 if critical else 1}" marker-end="url(#arrow-{"red" if critical else "grey"})"/>'
            )
    defs = (
        "<defs>"
        f'<marker id="arrow-red" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="6" markerHeight="6" orient="auto">'
        f'<path d="M0 0 L10 5 L0 10 z" fill="{RED}"/></marker>'
        f'<marker id="arrow-grey" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="6" markerHeight="6" orient="auto">'
        f'<path d="M0 0 L10 5 L0 10 z" fill="{MUTED}"/></marker>'
        "</defs>"
    )
    legend_y = TOP + ROW * len(bars) + 30
    lx = LABEL
    body.append(_diamond(lx, legend_y - 4, "#fff", INK))
    body.append(_text(lx + 10, legend_y, _("announced date"), size=11))
    lx += 140
    body.append(f'<rect x="{lx - 6}" y="{legend_y - 10}" width="26" height="12" fill="#aed6f1" rx="2"/>')
    body.append(f'<circle cx="{lx - 6}" cy="{legend_y - 4}" r="4" fill="{BLUE}"/>')
    body.append(_text(lx + 26, legend_y, _("P50 to P80 (simulated)"), size=11))
    lx += 200
    body.append(
        f'<line x1="{lx - 6}" x2="{lx + 20}" y1="{legend_y - 4}" y2="{legend_y - 4}" stroke="{RED}" stroke-width="2"/>'
    )
    body.append(_text(lx + 26, legend_y, _("critical path"), size=11, colour=RED))
    lx += 130
    body.append(_diamond(lx, legend_y - 4, GREEN, GREEN))
    body.append(_text(lx + 10, legend_y, _("achieved"), size=11))
    return _svg(WIDTH, height, title, [defs, *body], element_id)
