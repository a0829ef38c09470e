"""Server-rendered SVG for the landscape pages: budget bars, investment panels, a milestone timeline and a
world map drawn from the bundled Natural Earth geometry (no tiles, no network).

Every function returns a standalone SVG document (inline attributes, no stylesheet), so the markup shown
in a page is the same file a visitor downloads. Text goes through the page's translator `_`.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path

from fusionatlas.web.conventions import amount_ja

Translate = Callable[[str], str]
FONT = "system-ui, IPAGothic, 'Noto Sans CJK JP', sans-serif"
INK, MUTED, GRID = "#1b2733", "#5b6b7b", "#dde3ea"
BLUE, RED, AMBER = "#1f4e79", "#c0392b", "#d68910"
STATUS_COLOURS = {"achieved": "#2e7d32", "planned": "#1f77b4", "delayed": "#e67e22", "cancelled": "#7f8c8d"}
GEOMETRY = Path(__file__).resolve().parent.parent / "static" / "countries-110m.json"

# ISO 3166-1 alpha-2 -> numeric (the ids of the world-atlas geometry), for the countries the atlas names
# and their neighbours. A code missing here is listed under the map as "not on the map".
NUMERIC = {
    "AR": "032", "AT": "040", "AU": "036", "BE": "056", "BG": "100", "BR": "076", "CA": "124", "CH": "756",
    "CL": "152", "CN": "156", "CZ": "203", "DE": "276", "DK": "208", "EE": "233", "ES": "724", "FI": "246",
    "FR": "250", "GB": "826", "GR": "300", "HR": "191", "HU": "348", "ID": "360", "IE": "372", "IL": "376",
    "IN": "356", "IR": "364", "IT": "380", "JP": "392", "KR": "410", "KZ": "398", "LT": "440", "LV": "428",
    "MX": "484", "MY": "458", "NL": "528", "NO": "578", "NZ": "554", "PL": "616", "PT": "620", "RO": "642",
    "RU": "643", "SA": "682", "SE": "752", "SI": "705", "SK": "703", "TH": "764", "TR": "792", "TW": "158",
    "UA": "804", "US": "840", "VN": "704", "ZA": "710", "EG": "818", "LY": "434", "CR": "188",
}  # fmt: skip

# The drawn world: equirectangular, Antarctica left out.
MAP_WIDTH, LAT_TOP, LAT_BOTTOM = 960, 84.0, -58.0
SCALE = MAP_WIDTH / 360.0
MAP_HEIGHT = round((LAT_TOP - LAT_BOTTOM) * SCALE)
# Europe is crowded at world scale: it is drawn again, enlarged, in the empty South Pacific.
EUROPE = (-11.0, 33.0, 35.0, 61.0)  # lon_min, lon_max, lat_min, lat_max
INSET = (8.0, MAP_HEIGHT - 176.0, 262.0, 168.0)  # x, y, width, height in map pixels
SHADES = [(1, "#c6dbef"), (2, "#9ecae1"), (5, "#6baed6"), (10, "#3182bd"), (20, "#08519c")]


def money(usd: float, lang: str = "en") -> str:
    """A compact dollar figure: $650M, $1.8B; on Japanese pages 6.5億ドル, 18億ドル (web/conventions.py)."""
    if lang == "ja":
        return amount_ja(usd, "USD")
    if usd >= 1e9:
        return f"${usd / 1e9:.1f}B"
    if usd >= 1e6:
        return f"${usd / 1e6:.0f}M" if usd >= 1e7 else f"${usd / 1e6:.1f}M"
    return f"${usd:,.0f}"


def _svg(width: float, height: float, title: str, body: Iterable[str], element_id: str) -> str:
    content = "".join(body)
    # A chart with links (the world map's markers) is a group: an image's content is not for keyboards.
    role = "group" if "<a " in content else "img"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{element_id}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="100%" style="max-width:{width:.0f}px" font-family="{FONT}" font-size="12" fill="{INK}" '
        f'role="{role}" aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#fff"/>' + content + "</svg>"
    )


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 12, colour: str = INK, **extra: str) -> str:
    attributes = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in extra.items())
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{colour}"{attributes}>'
        f"{escape(text)}</text>"
    )


def _shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` columns, a Japanese (wide) character counting as two."""
    used = 0
    for position, character in enumerate(text):
        used += 2 if unicodedata.east_asian_width(character) in "WF" else 1
        if used > limit:
            return text[: max(0, position - 1)] + "…"
    return text


def power_of_ten(exponent: int) -> str:
    """10 with a superscript exponent, as people write it: 10¹⁸, 10⁻³."""
    return "10" + str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


def tick_text(value: float, logarithmic: bool = False) -> str:
    """An axis label people read: 1,250 or 0.25 (never 1.25e+03); on a logarithmic axis a power of ten from
    10,000 up (or below 0.001) as 10 with a superscript exponent: 10⁴, 10¹⁸."""
    if value and logarithmic:
        exponent = math.log10(abs(value))
        if abs(exponent - round(exponent)) < 1e-9 and (exponent >= 4 or exponent <= -3):
            return ("-" if value < 0 else "") + power_of_ten(round(exponent))
    if value == 0:
        return "0"
    if abs(value) >= 1000 or value == round(value):
        return f"{round(value):,}"
    mantissa, _e, exponent_text = f"{value:.4g}".partition("e")
    if not exponent_text:
        return mantissa
    return f"{mantissa}×{power_of_ten(int(exponent_text))}"


def _nice_max(value: float) -> float:
    """A round axis maximum at or above `value`."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


# --- programmes ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    group: str  # the country's name
    label: str
    usd: float | None  # None: no rate for its year, drawn as a note instead of a bar
    tooltip: str
    note: str = ""


def budget_bars(bars: list[Bar], left_out: int, _: Translate, lang: str = "en") -> str:
    """One horizontal bar per programme, grouped by country. Bars are never added up: definitions differ."""
    width, label_width, row, top = 960, 430, 18, 44
    plot = width - label_width - 90
    peak = _nice_max(max((b.usd for b in bars if b.usd is not None), default=1.0))
    body, y, group = [], top, None
    body.append(_text(10, 18, _("Programme budgets in US dollars, one bar per programme"), size=14, font_weight="bold"))
    body.append(
        _text(
            10,
            34,
            _("Bars are not added up: each counts what its source states (one year, several years, up to...)."),
            size=11,
            colour=MUTED,
        )
    )
    for bar in bars:
        if bar.group != group:
            group = bar.group
            y += 6
            body.append(_text(10, y + 12, group, font_weight="bold"))
            y += row
        label = _text(24, y + 12, _shorten(bar.label, 62), size=11)
        body.append(_bar_row(bar, label, y, label_width, plot, peak, row, MUTED, lang))
        y += row
    if not bars:
        body.append(
            _text(10, y + 16, _("No programme with an amount in US dollars or a rate for its year."), colour=MUTED)
        )
        y += 24
    note = _("Programmes with an amount but no exchange rate for their year (no bar, amount in its own currency):")
    body.append(_text(10, y + 20, f"{note} {left_out}", size=11, colour=MUTED))
    return _svg(width, y + 32, _("Programme budgets"), body, "programmes-chart")


def _bar_row(
    bar: Bar, label: str, y: float, label_width: int, plot: int, peak: float, row: int, ink: str, lang: str = "en"
) -> str:
    """One bar with its label and amount, or, for an amount with no rate, its label and the note why."""
    if bar.usd is None:
        return (
            f"<g><title>{escape(bar.tooltip)}</title>{label}"
            f"{_text(label_width, y + 12, bar.note, size=11, colour=RED)}</g>"
        )
    length = max(1.0, plot * bar.usd / peak)
    return (
        f"<g><title>{escape(bar.tooltip)}</title>{label}"
        f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{row - 6}" fill="{BLUE}"/>'
        f"{_text(label_width + length + 4, y + 12, money(bar.usd, lang), size=11, colour=ink)}</g>"
    )


def annual_totals(panels: list[tuple[str, list[Bar]]], _: Translate, lang: str = "en") -> str:
    """Per-country yearly totals, one panel per definition (appropriations, requests, proposals): bars of
    different panels are never added up or drawn on one axis. A total without a rate is a note, not a bar."""
    width, label_width, row = 960, 300, 18
    plot = width - label_width - 90
    peak = _nice_max(max((b.usd for _title, bars in panels for b in bars if b.usd is not None), default=1.0))
    body = [
        _text(10, 18, _("Public funding per country and fiscal year, in US dollars"), size=14, font_weight="bold"),
        _text(10, 34, _("One panel per definition: figures of different definitions are never added up."),
              size=11, colour=MUTED),
    ]  # fmt: skip
    y = 44
    for title, bars in panels:
        y += 10
        body.append(_text(10, y + 12, title, font_weight="bold"))
        y += row + 2
        group = None
        for bar in bars:
            if bar.group != group:
                group = bar.group
                body.append(_text(24, y + 12, group, size=11, font_weight="bold"))
                y += row
            label = _text(40, y + 12, _shorten(bar.label, 40), size=11)
            body.append(_bar_row(bar, label, y, label_width, plot, peak, row, INK, lang))
            y += row
    if not panels:
        body.append(_text(10, y + 16, _("No one-year public funding figure for this choice."), colour=MUTED))
        y += 24
    return _svg(width, y + 16, _("Public funding compared"), body, "budgets-chart")


# --- investments --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    when: float  # a fractional year (2024.5 = July 2024)
    usd: float
    kind: str  # cumulative | other
    tooltip: str


def _year_axis(first: int, last: int, left: float, width: float) -> tuple[Callable[[float], float], float]:
    band = width / max(1, last - first + 1)
    return (lambda year: left + (year - first) * band), band


def _ticks(value: float) -> tuple[float, float]:
    """A round axis top at or above `value` and a round step that divides it into at most 6 parts."""
    if value <= 0:
        return 1.0, 0.25
    power = 10 ** math.floor(math.log10(value))
    for step in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10):
        if value / (step * power) <= 6:
            step *= power
            return step * math.ceil(value / step - 1e-9), step
    return 10 * power, 2 * power


def _value_axis(
    top_value: float, step: float, top: float, height: float, left: float, right: float, lang: str = "en"
) -> list[str]:
    lines, value = [], 0.0
    while value <= top_value + step / 2:
        y = top + height - height * value / top_value
        lines.append(f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        lines.append(_text(left - 6, y + 4, money(value, lang) if value else "0", "end", 10, MUTED))
        value += step
    return lines


def investment_panels(rounds: list[tuple[int, float, int]], points: list[Point], _: Translate, lang: str = "en") -> str:
    """Top: single rounds summed per year. Bottom: cumulative totals and other figures, each its own point."""
    width, left, right = 960, 70, 940
    years = [y for y, _u, _n in rounds] + [int(p.when) for p in points]
    first, last = (min(years), max(years)) if years else (2020, 2025)
    x_of, band = _year_axis(first, last, left, right - left)
    body = [_text(10, 18, _("Private investment in fusion companies, US dollars"), size=14, font_weight="bold")]
    top1, height = 50, 170
    body.append(_text(left, top1 - 10, _("Single rounds, added up per year"), font_weight="bold", colour=BLUE))
    peak, step = _ticks(max((u for _y, u, _n in rounds), default=1.0))
    body += _value_axis(peak, step, top1, height, left, right, lang)
    for year, usd, count in rounds:
        bar = height * usd / peak
        x = x_of(year) + band * 0.15
        tip = f"{year}: {money(usd, lang)} ({count} {_('rounds')})"
        body.append(
            f'<g><title>{escape(tip)}</title><rect x="{x:.1f}" y="{top1 + height - bar:.1f}" '
            f'width="{band * 0.7:.1f}" height="{bar:.1f}" fill="{BLUE}"/></g>'
        )
    top2 = top1 + height + 60
    title2 = _("Cumulative totals and other reported figures: one point each, never added to the rounds")
    body.append(_text(left, top2 - 10, title2, font_weight="bold", colour=RED))
    peak2, step2 = _ticks(max((p.usd for p in points), default=1.0))
    body += _value_axis(peak2, step2, top2, height, left, right, lang)
    for point in sorted(points, key=lambda p: p.kind):
        x = x_of(point.when)
        y = top2 + height - height * point.usd / peak2
        colour = RED if point.kind == "cumulative" else AMBER
        shape = (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}" fill-opacity="0.85"/>'
            if point.kind == "cumulative"
            else f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}" fill-opacity="0.85"/>'
        )
        body.append(f"<g><title>{escape(point.tooltip)}</title>{shape}</g>")
    axis_y = top2 + height
    step = 1 if last - first < 16 else 5
    for year in range(first, last + 1):
        if (year - first) % step == 0:
            for base in (top1 + height, axis_y):
                body.append(_text(x_of(year) + band / 2, base + 14, str(year), "middle", 10, MUTED))
    legend_y = axis_y + 36
    body.append(f'<rect x="{left}" y="{legend_y - 9}" width="10" height="10" fill="{BLUE}"/>')
    body.append(_text(left + 14, legend_y, _("single rounds (sum per year)"), size=11))
    body.append(f'<circle cx="{left + 245}" cy="{legend_y - 4}" r="5" fill="{RED}"/>')
    body.append(_text(left + 255, legend_y, _("cumulative total as reported"), size=11))
    body.append(f'<rect x="{left + 470}" y="{legend_y - 8}" width="8" height="8" fill="{AMBER}"/>')
    body.append(_text(left + 482, legend_y, _("other figure (a year's funding, an aggregate)"), size=11))
    return _svg(width, legend_y + 14, _("Private investment"), body, "investments-chart")


# --- milestones ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    lane: str  # the country's name
    year: int
    status: str
    words: str  # the source's wording when it gives no exact date ("early 2030s"), else ""
    tooltip: str


LABEL_SIZE = 9
COLUMN = LABEL_SIZE * 0.55  # a narrow character's width at that size; a wide one counts two


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _fitted_label(text: str, y: float, right: tuple[float, float], left: tuple[float, float]) -> str:
    """A small label in a free stretch beside its dot: `right` (from, to) after it, else `left` (from, to) before
    it (drawn ending at `to`), whole if it fits on either side; otherwise cut to the right-hand stretch with the
    whole text in its <title>, or nothing if fewer than three characters fit."""
    for (start, end), anchor in ((right, "start"), (left, "end")):
        if int((end - start) / COLUMN) >= _columns(text):
            return _text(start if anchor == "start" else end, y, text, anchor, size=LABEL_SIZE, colour=MUTED)
    room = int((right[1] - right[0]) / COLUMN)
    if room < 3:
        return ""
    return (
        f'<text x="{right[0]:.1f}" y="{y:.1f}" text-anchor="start" font-size="{LABEL_SIZE}" fill="{MUTED}">'
        f"<title>{escape(text)}</title>{escape(_shorten(text, room))}</text>"
    )


def timeline(events: list[Event], status_names: dict[str, str], _: Translate) -> str:
    """Country lanes over years; one dot per milestone, stacked within a year, coloured by status."""
    width, left, right = 960, 150, 940
    body = [_text(10, 18, _("Milestones by country and year"), size=14, font_weight="bold")]
    if not events:
        body.append(_text(10, 44, _("No milestone matches."), colour=MUTED))
        return _svg(width, 60, _("Milestone timeline"), body, "timeline-chart")
    first, last = min(e.year for e in events), max(e.year for e in events)
    x_of, band = _year_axis(first, last, left, right - left)
    lanes: dict[str, dict[int, list[Event]]] = {}
    for event in sorted(events, key=lambda e: (e.year, e.status)):
        lanes.setdefault(event.lane, {}).setdefault(event.year, []).append(event)
    order = sorted(lanes, key=lambda lane: (-sum(len(v) for v in lanes[lane].values()), lane))
    y, radius = 40.0, max(2.5, min(5.0, band / 2.5))
    gap = radius * 2 + 1
    for lane in order:
        stack = max(len(v) for v in lanes[lane].values())
        lane_height = max(22.0, stack * gap + 8)
        body.append(
            f'<line x1="{left}" x2="{right}" y1="{y + lane_height:.1f}" y2="{y + lane_height:.1f}" stroke="{GRID}"/>'
        )
        body.append(_text(left - 8, y + lane_height / 2 + 4, lane, "end", 11))
        # Dots of one stack row (same height) by x: a row's label runs right of its dot up to the next dot of
        # that row or the chart's edge, cut to fit (the whole wording in its <title>), or left out if no room.
        rows: dict[int, list[float]] = {}
        for year, stacked in lanes[lane].items():
            for position in range(len(stacked)):
                rows.setdefault(position, []).append(x_of(year) + band / 2)
        for year, stacked in lanes[lane].items():
            for position, event in enumerate(stacked):
                cx = x_of(year) + band / 2
                cy = y + lane_height - 4 - radius - position * gap
                colour = STATUS_COLOURS.get(event.status, MUTED)
                fill = "#fff" if event.words else colour
                after = min([x - radius - 3 for x in rows[position] if x > cx] + [width - 4.0])
                before = max([x + radius + 3 for x in rows[position] if x < cx] + [float(left)])
                right_side, left_side = (cx + radius + 2, after), (before, cx - radius - 2)
                words = _fitted_label(event.words, cy + 3, right_side, left_side) if event.words else ""
                body.append(
                    f'<g><title>{escape(event.tooltip)}</title><circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" '
                    f'fill="{fill}" stroke="{colour}" stroke-width="1.5"/>{words}</g>'
                )
        y += lane_height
    step = 1 if last - first < 16 else 5
    for year in range(first, last + 1):
        if year % step == 0 or year == first:
            body.append(_text(x_of(year) + band / 2, y + 14, str(year), "middle", 10, MUTED))
    legend_x, legend_y = left, y + 36
    for status, colour in STATUS_COLOURS.items():
        body.append(f'<circle cx="{legend_x}" cy="{legend_y - 4}" r="5" fill="{colour}"/>')
        body.append(_text(legend_x + 9, legend_y, _(status_names[status]), size=11))
        legend_x += 120
    body.append(f'<circle cx="{legend_x}" cy="{legend_y - 4}" r="5" fill="#fff" stroke="{MUTED}" stroke-width="1.5"/>')
    body.append(_text(legend_x + 9, legend_y, _("date given in words (e.g. early 2030s)"), size=11))
    return _svg(width, legend_y + 14, _("Milestone timeline"), body, "timeline-chart")


# --- world map ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Country:
    numeric: str
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]  # projected rings, map pixels
    centre: tuple[float, float]
    box: tuple[float, float, float, float]  # lon_min, lat_min, lon_max, lat_max


def _project(lon: float, lat: float) -> tuple[float, float]:
    return (lon + 180.0) * SCALE, (LAT_TOP - lat) * SCALE


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs (quantized, delta-encoded) to longitude/latitude lists."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _unwrap(ring: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring that crosses the antimeridian made continuous (longitudes past ±180), plus its copy shifted
    by 360 degrees so that the part beyond the map's edge shows on the other side (the map is clipped)."""
    points, shift = [ring[0]], 0.0
    for lon, lat in ring[1:]:
        step = lon + shift - points[-1][0]
        if step > 180:
            shift -= 360
        elif step < -180:
            shift += 360
        points.append((lon + shift, lat))
    copies = [points]
    if min(p[0] for p in points) < -180:
        copies.append([(lon + 360, lat) for lon, lat in points])
    if max(p[0] for p in points) > 180:
        copies.append([(lon - 360, lat) for lon, lat in points])
    return copies


def _area_and_centre(ring: list[tuple[float, float]]) -> tuple[float, tuple[float, float]]:
    """Signed area and centroid of a projected ring (shoelace formula)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-9:
        xs, ys = zip(*ring, strict=True)
        return 0.0, (sum(xs) / len(xs), sum(ys) / len(ys))
    return area / 2, (cx / (3 * area), cy / (3 * area))


@lru_cache(maxsize=1)
def world() -> tuple[Country, ...]:
    """The bundled countries, projected once per process."""
    topology = json.loads(GEOMETRY.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") == "010" or "arcs" not in geometry:  # Antarctica
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        lonlat = [copy for polygon in polygons for ring in polygon for copy in _unwrap(_ring(arcs, ring))]
        outer = [_unwrap(_ring(arcs, polygon[0]))[0] for polygon in polygons]
        biggest = max(outer, key=lambda ring: abs(_area_and_centre([_project(*p) for p in ring])[0]))
        raw = [p for polygon in polygons for p in _ring(arcs, polygon[0])]
        lons, lats = [p[0] for p in raw], [p[1] for p in raw]
        countries.append(
            Country(
                numeric=geometry.get("id", ""),
                name=geometry["properties"]["name"],
                rings=tuple(tuple(_project(*p) for p in ring) for ring in lonlat),
                centre=_area_and_centre([_project(*p) for p in biggest])[1],
                box=(min(lons), min(lats), max(lons), max(lats)),
            )
        )
    return tuple(countries)


def _path(rings: Iterable[tuple[tuple[float, float], ...]]) -> str:
    """Path data with relative steps between points rounded to 0.1 px (the map is ~3 times smaller so)."""
    parts = []
    for ring in rings:
        points = [(round(x, 1), round(y, 1)) for x, y in ring]
        (x0, y0), steps = points[0], []
        for x, y in points[1:]:
            dx, dy = round(x - x0, 1), round(y - y0, 1)
            if dx or dy:
                steps.append(f"{dx:g},{dy:g}")
                x0, y0 = x, y
        if len(steps) >= 2:  # a ring smaller than a pixel draws nothing (and "l" needs numbers)
            parts.append(f"M{points[0][0]:g},{points[0][1]:g}l" + " ".join(steps) + "z")
    return "".join(parts)


def _shade(count: int) -> str:
    colour = "#e9edf1"
    for floor, shade in SHADES:
        if count >= floor:
            colour = shade
    return colour


def _in_europe(box: tuple[float, float, float, float]) -> bool:
    lon_min, lat_min, lon_max, lat_max = box
    return lon_max >= EUROPE[0] and lon_min <= EUROPE[1] and lat_max >= EUROPE[2] and lat_min <= EUROPE[3]


def _radius(count: int) -> float:
    return 6 + 2.2 * math.sqrt(count)


def _inset_point(country: Country, count: int) -> tuple[float, float]:
    """Where a European country's marker goes in the inset: at its centre, or, for a country whose centre lies
    outside the enlarged box (Sweden, Norway, Finland), at the middle of its part inside the box; kept inside
    the inset's frame."""
    ix, iy, iw, ih = INSET
    kx = iw / ((EUROPE[1] - EUROPE[0]) * SCALE)
    (ox, oy), (ex, ey) = _project(EUROPE[0], EUROPE[3]), _project(EUROPE[1], EUROPE[2])
    cx, cy = country.centre
    if not (ox <= cx <= ex and oy <= cy <= ey):
        inside = [(x, y) for ring in country.rings for x, y in ring if ox <= x <= ex and oy <= y <= ey]
        if inside:
            cx, cy = sum(x for x, _y in inside) / len(inside), sum(y for _x, y in inside) / len(inside)
    x, y = ix + (cx - ox) * kx, iy + (cy - oy) * kx
    margin = _radius(count) + 1
    return min(max(x, ix + margin), ix + iw - margin), min(max(y, iy + margin), iy + ih - margin)


def _marker(x: float, y: float, count: int, tooltip: str) -> str:
    radius = _radius(count)
    return (
        f'<g class="marker"><title>{escape(tooltip)}</title>'
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{RED}" fill-opacity="0.9" stroke="#fff"/>'
        + _text(x, y + 4, str(count), "middle", 11, "#fff", font_weight="bold")
        + "</g>"
    )


def world_map(counts: dict[str, int], names: dict[str, str], link: Callable[[str], str], _: Translate) -> str:
    """Countries shaded by facility count, a marker with the count at each country's centre; Europe enlarged."""
    by_numeric = {numeric: code for code, numeric in NUMERIC.items()}
    top = 30
    body = [_text(10, 18, _("Fusion facilities by country"), size=14, font_weight="bold")]
    body.append(f'<g transform="translate(0 {top})">')
    body.append(
        f'<clipPath id="world-clip"><rect width="{MAP_WIDTH}" height="{MAP_HEIGHT}"/></clipPath>'
        f'<rect width="{MAP_WIDTH}" height="{MAP_HEIGHT}" fill="#f4f8fb"/><g clip-path="url(#world-clip)">'
    )
    markers, inset_shapes, inset_markers = [], [], []
    ix, iy, iw, ih = INSET
    kx = iw / ((EUROPE[1] - EUROPE[0]) * SCALE)
    ox, oy = _project(EUROPE[0], EUROPE[3])
    for country in world():
        code = by_numeric.get(country.numeric)
        count = counts.get(code, 0) if code else 0
        # A country the atlas has no code for is drawn without a name: the map's own names are English only.
        label = names.get(code) if code else None
        tooltip = f"{label}: {count} {_('facility') if count == 1 else _('facilities')}" if label else ""
        title = f"<title>{escape(tooltip)}</title>" if tooltip else ""
        shape = f'<path d="{_path(country.rings)}" fill="{_shade(count)}" stroke="#fff" stroke-width="0.5"/>'
        body.append(f'<g class="country" data-country="{escape(code or "")}">{title}{shape}</g>')
        europe = _in_europe(country.box)
        if europe:
            inset_shapes.append(f"<g>{title}{shape}</g>")
        if count and code:
            cx, cy = country.centre
            if europe and EUROPE[0] <= cx / SCALE - 180 <= EUROPE[1]:
                marker = _marker(*_inset_point(country, count), count, tooltip)
                inset_markers.append(f'<a href="{escape(link(code))}">{marker}</a>')
            else:
                markers.append(f'<a href="{escape(link(code))}">{_marker(cx, cy, count, tooltip)}</a>')
    body.append("</g>")
    body += markers
    # The enlarged Europe: the same shapes scaled into a framed box, clipped to it.
    ex0, ey0 = _project(EUROPE[0], EUROPE[3])
    ex1, ey1 = _project(EUROPE[1], EUROPE[2])
    body.append(
        f'<rect x="{ex0:.1f}" y="{ey0:.1f}" width="{ex1 - ex0:.1f}" height="{ey1 - ey0:.1f}" fill="none" '
        f'stroke="{MUTED}" stroke-dasharray="3 2"/>'
    )
    body.append(
        f'<clipPath id="europe-clip"><rect x="{ix}" y="{iy}" width="{iw}" height="{ih}"/></clipPath>'
        f'<rect x="{ix}" y="{iy}" width="{iw}" height="{ih}" fill="#f4f8fb" stroke="{MUTED}"/>'
        f'<g clip-path="url(#europe-clip)"><g transform="translate({ix - ox * kx:.2f} {iy - oy * kx:.2f}) '
        f'scale({kx:.4f})">' + "".join(inset_shapes) + "</g></g>"
    )
    body += inset_markers
    body.append(_text(ix + 4, iy + 14, _("Europe (enlarged)"), size=11, colour=MUTED))
    body.append("</g>")
    legend_y = top + MAP_HEIGHT + 22
    x = 10.0
    body.append(_text(x, legend_y, _("Facilities"), size=11))
    x += 70
    for (floor, shade), nxt in zip(SHADES, [*SHADES[1:], (None, None)], strict=True):
        label = f"{floor}+" if nxt[0] is None else (str(floor) if nxt[0] - floor == 1 else f"{floor}–{nxt[0] - 1}")
        body.append(f'<rect x="{x}" y="{legend_y - 10}" width="14" height="12" fill="{shade}"/>')
        body.append(_text(x + 18, legend_y, label, size=11))
        x += 60
    body.append(
        _text(MAP_WIDTH - 8, legend_y, _("Map: Natural Earth (public domain) via world-atlas"), "end", 10, MUTED)
    )
    # Countries (and the EU) the map cannot draw: on their own line(s) under the legend, clear of the credit.
    bottom = legend_y
    unmapped = sorted(code for code in counts if code not in NUMERIC)
    if unmapped:
        listed = ", ".join(f"{names.get(code, code)} ({counts[code]})" for code in unmapped)
        for line in _wrap(f"{_('Not on the map')}: {listed}", 150):
            bottom += 16
            body.append(_text(10, bottom, line, size=11, colour=MUTED))
    return _svg(MAP_WIDTH, bottom + 10, _("World map of fusion facilities"), body, "world-map")


def _wrap(text: str, limit: int) -> list[str]:
    """`text` in lines of at most `limit` columns (a wide character counts two), broken after a comma."""
    lines, line = [], ""
    for part in text.split(", "):
        candidate = f"{line}, {part}" if line else part
        if line and sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in candidate) > limit:
            lines.append(line + ",")
            candidate = part
        line = candidate
    return [*lines, line]


LABELS = [
    "Programme budgets in US dollars, one bar per programme",
    "Bars are not added up: each counts what its source states (one year, several years, up to...).",
    "No programme with an amount in US dollars or a rate for its year.",
    "Programmes with an amount but no exchange rate for their year (no bar, amount in its own currency):",
    "no rate",
    "Programme budgets",
    "Private investment in fusion companies, US dollars",
    "Single rounds, added up per year",
    "rounds",
    "Cumulative totals and other reported figures: one point each, never added to the rounds",
    "single rounds (sum per year)",
    "cumulative total as reported",
    "other figure (a year's funding, an aggregate)",
    "Private investment",
    "Milestones by country and year",
    "No milestone matches.",
    "Milestone timeline",
    "date given in words (e.g. early 2030s)",
    "Fusion facilities by country",
    "facilities",
    "facility",
    "Europe (enlarged)",
    "Facilities",
    "Not on the map",
    "Map: Natural Earth (public domain) via world-atlas",
    "World map of fusion facilities",
]
"""Every text the charts draw, for the translation test."""
