"""Server-rendered SVG of one technology's readiness: every assessment over time (TRL against year), the
one the gap analysis uses ringed, self-assessments hollow, and the TRL the DEMO/plant targets require as
a dashed line. Standalone SVG (inline attributes), text through the page's translator `_`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from typing import Any

Translate = Callable[[str], str]
FONT = "system-ui, IPAGothic, 'Noto Sans CJK JP', sans-serif"
INK, MUTED, GRID, RED = "#1b2733", "#5b6b7b", "#dde3ea", "#c0392b"
CONTEXT_COLOURS = {"demo": "#1f4e79", "power_plant": "#6a3d9a", "iter": "#2e7d32", "general": "#7f8c8d"}
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 560, 240, 44, 16, 16, 40


def _year(date: Any) -> float | None:
    found = re.match(r"\s*(\d{4})(?:-(\d{2}))?", str(date or ""))
    if not found:
        return None
    return int(found.group(1)) + (int(found.group(2)) - 1) / 12 if found.group(2) else float(found.group(1))


def readiness_svg(assessments: list[dict[str, Any]], used_id: str | None, required: int | None, _: Translate) -> str:
    """The chart; with no assessment it still draws the axes and the required level, and says so."""
    years = [y for y in (_year(a.get("date")) for a in assessments) if y is not None]
    low = int(min(years)) - 1 if years else 2000
    high = int(max(years)) + 1 if years else 2030
    span = max(1, high - low)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(year: float) -> float:
        return LEFT + (year - low) / span * plot_w

    def y(trl: float) -> float:
        return TOP + (9 - trl) / 8 * plot_h

    title = escape(_("Readiness assessments over time"))
    parts = [f"<title>{title}</title>"]
    for trl in range(1, 10):
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(trl):.1f}" y2="{y(trl):.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y(trl) + 4:.1f}" text-anchor="end" fill="{MUTED}">{trl}</text>')
    middle = TOP + plot_h / 2
    step = max(1, span // 6)
    for year in range(low, high + 1, step):
        parts.append(
            f'<text x="{x(year):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" fill="{MUTED}">{year}</text>'
        )
    parts.append(
        f'<text x="12" y="{middle:.0f}" transform="rotate(-90 12 {middle:.0f})" text-anchor="middle" '
        f'fill="{MUTED}">TRL</text>'
    )
    if required:
        label = escape(_("TRL required for DEMO"))
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(required):.1f}" y2="{y(required):.1f}" '
            f'stroke="{RED}" stroke-dasharray="6 4" class="required"/>'
        )
        parts.append(
            f'<text x="{WIDTH - RIGHT}" y="{y(required) - 4:.1f}" text-anchor="end" fill="{RED}">'
            f"{label} ({required})</text>"
        )
    for row in assessments:
        when = _year(row.get("date"))
        if when is None:
            continue
        colour = CONTEXT_COLOURS.get(row.get("context") or "general", MUTED)
        fill = "white" if row.get("self_assessed") else colour
        tip = escape(f"{row['id']}: TRL {row['value']} ({row.get('context')}, {row.get('date')})")
        parts.append(
            f'<circle class="assessment" cx="{x(when):.1f}" cy="{y(row["value"]):.1f}" r="5" fill="{fill}" '
            f'stroke="{colour}" stroke-width="2"><title>{tip}</title></circle>'
        )
        if row["id"] == used_id:
            parts.append(f'<circle cx="{x(when):.1f}" cy="{y(row["value"]):.1f}" r="9" fill="none" stroke="{INK}"/>')
    if not assessments:
        note = escape(_("No readiness assessment recorded yet."))
        parts.append(
            f'<text x="{LEFT + plot_w / 2:.0f}" y="{middle:.0f}" text-anchor="middle" fill="{MUTED}">{note}</text>'
        )
    body = "".join(parts)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="readiness-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'style="max-width:{WIDTH}px" font-family="{FONT}" font-size="12" fill="{INK}" role="img" '
        f'aria-label="{title}">{body}</svg>'
    )
