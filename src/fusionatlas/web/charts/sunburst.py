"""A sunburst of a tree drawn as SVG by hand: rings of annular sectors, each a link, coloured by a count.

Every leaf gets the same angle, so a node's angle is the number of leaves below it: small branches stay
visible and clickable (weighting by supplier count would hide exactly the nodes nobody supplies).
Labels are written only where they fit, tangentially or along the radius, whichever leaves more room;
every segment also carries a <title> tooltip with its full name and count.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

# Supplier-count bins (lower bounds) and their colours: grey for none, then a sequential blue scale.
BINS: list[tuple[int, str]] = [
    (0, "#eceff1"),
    (1, "#deebf7"),
    (2, "#c6dbef"),
    (4, "#9ecae1"),
    (8, "#6baed6"),
    (16, "#3182bd"),
    (32, "#08519c"),
]
DARK_FROM = 16  # bins from this bound up carry white text
SIZE = 760  # the sunburst's square, in SVG units
LEGEND_WIDTH = 220
OUTER = 360.0
HOLE = 90.0
FONT = 11.0
FIRST_RING = 1.5  # the first ring is wider than the others: it carries the area names, the longest labels


@dataclass(frozen=True)
class Segment:
    node_id: str
    depth: int  # 1 for the ring next to the centre
    start: float  # radians, clockwise from 12 o'clock
    end: float


@dataclass(frozen=True)
class Tree:
    """What the drawing needs to know about each node; the callables keep this module free of the store."""

    children: Callable[[str], Sequence[str]]
    label: Callable[[str], str]
    count: Callable[[str], int]
    href: Callable[[str], str]


def colour(count: int) -> str:
    chosen = BINS[0][1]
    for bound, fill in BINS:
        if count >= bound:
            chosen = fill
    return chosen


def bin_labels() -> list[tuple[str, str]]:
    """(range text, colour) per bin, for legends: '0', '1', '2–3', ..., '32+'."""
    out = []
    for position, (bound, fill) in enumerate(BINS):
        if position + 1 == len(BINS):
            text = f"{bound}+"
        else:
            upper = BINS[position + 1][0] - 1
            text = str(bound) if upper == bound else f"{bound}–{upper}"
        out.append((text, fill))
    return out


def _leaves(tree: Tree, node: str, memo: dict[str, int]) -> int:
    if node not in memo:
        kids = tree.children(node)
        memo[node] = sum(_leaves(tree, kid, memo) for kid in kids) if kids else 1
    return memo[node]


def layout(tree: Tree, top: Sequence[str]) -> list[Segment]:
    """Segments for the nodes in `top` (the first ring) and everything below them."""
    memo: dict[str, int] = {}
    segments: list[Segment] = []

    def place(nodes: Sequence[str], start: float, span: float, depth: int) -> None:
        weight = sum(_leaves(tree, node, memo) for node in nodes) or 1
        for node in nodes:
            share = span * _leaves(tree, node, memo) / weight
            segments.append(Segment(node, depth, start, start + share))
            place(tree.children(node), start, share, depth + 1)
            start += share

    place(top, 0.0, 2 * math.pi, 1)
    return segments


def _point(radius: float, angle: float, centre: float) -> tuple[float, float]:
    """Angle clockwise from 12 o'clock, in SVG coordinates (y grows downwards)."""
    return centre + radius * math.sin(angle), centre - radius * math.cos(angle)


def _sector(inner: float, outer: float, start: float, end: float, centre: float) -> str:
    if end - start >= 2 * math.pi - 1e-9:
        # A full ring: two half-circle arcs each way, the hole cut out by the even-odd rule.
        top_o, bottom_o = _point(outer, 0, centre), _point(outer, math.pi, centre)
        top_i, bottom_i = _point(inner, 0, centre), _point(inner, math.pi, centre)
        return (
            f"M{top_o[0]:.2f},{top_o[1]:.2f} A{outer:.2f},{outer:.2f} 0 1 1 {bottom_o[0]:.2f},{bottom_o[1]:.2f} "
            f"A{outer:.2f},{outer:.2f} 0 1 1 {top_o[0]:.2f},{top_o[1]:.2f} Z "
            f"M{top_i[0]:.2f},{top_i[1]:.2f} A{inner:.2f},{inner:.2f} 0 1 0 {bottom_i[0]:.2f},{bottom_i[1]:.2f} "
            f"A{inner:.2f},{inner:.2f} 0 1 0 {top_i[0]:.2f},{top_i[1]:.2f} Z"
        )
    large = 1 if end - start > math.pi else 0
    a, b = _point(outer, start, centre), _point(outer, end, centre)
    c, d = _point(inner, end, centre), _point(inner, start, centre)
    return (
        f"M{a[0]:.2f},{a[1]:.2f} A{outer:.2f},{outer:.2f} 0 {large} 1 {b[0]:.2f},{b[1]:.2f} "
        f"L{c[0]:.2f},{c[1]:.2f} A{inner:.2f},{inner:.2f} 0 {large} 0 {d[0]:.2f},{d[1]:.2f} Z"
    )


def _radii(depth: int, ring: float) -> tuple[float, float]:
    """Inner and outer radius of a ring (1 = next to the centre)."""
    inner = HOLE if depth == 1 else HOLE + ring * (FIRST_RING + depth - 2)
    return inner, inner + ring * (FIRST_RING if depth == 1 else 1)


def text_width(text: str, size: float = FONT) -> float:
    """An estimate good enough to decide whether a label fits: CJK glyphs are square, Latin ones narrower."""
    return sum(size if ord(ch) >= 0x2E80 else size * 0.58 for ch in text)


def fit(text: str, room: float, size: float = FONT) -> str:
    """The text, shortened with an ellipsis to fit `room`; empty when not even two characters fit."""
    if text_width(text, size) <= room:
        return text
    while text and text_width(text + "…", size) > room:
        text = text[:-1]
    text = text.rstrip()
    return text + "…" if len(text) >= 2 else ""


def wrap(text: str, room: float, size: float = FONT, lines: int = 2) -> list[str]:
    """The text over at most `lines` lines of `room` width, broken between words (anywhere in Japanese)."""
    out: list[str] = []
    rest = text.strip()
    while rest and len(out) < lines - 1 and text_width(rest, size) > room:
        cut = len(rest)
        while cut > 1 and text_width(rest[:cut], size) > room:
            cut -= 1
        space = rest.rfind(" ", 0, cut + 1)
        if space > 0:
            cut = space
        out.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    if rest:
        out.append(fit(rest, room, size))
    return out


def _lines(x: float, y: float, lines: list[str], size: float, **attributes: str) -> str:
    """A <text> of several lines centred on (x, y)."""
    extra = "".join(f' {key.replace("_", "-")}="{value}"' for key, value in attributes.items())
    first = -(len(lines) - 1) / 2 * size * 1.2
    spans = "".join(
        f'<tspan x="{x:.2f}" dy="{(first if i == 0 else size * 1.2):.2f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text x="{x:.2f}" y="{y:.2f}" font-size="{size:g}"{extra}>{spans}</text>'


def _label(segment: Segment, text: str, inner: float, outer: float, centre: float, fill: str) -> str:
    middle = (segment.start + segment.end) / 2
    radius = (inner + outer) / 2
    along_arc = radius * (segment.end - segment.start)
    thickness = outer - inner
    x, y = _point(radius, middle, centre)
    degrees = math.degrees(middle)
    if along_arc >= thickness and thickness >= FONT * 1.3:
        shown = fit(text, along_arc * 0.85)
        # Tangential, turned so that it never reads upside down.
        rotation = degrees if math.cos(middle) >= 0 else degrees + 180
    elif along_arc >= FONT * 1.3:
        shown = fit(text, thickness * 0.88)
        rotation = degrees - 90 if math.sin(middle) >= 0 else degrees + 90
    else:
        return ""
    if not shown:
        return ""
    return (
        f'<text x="{x:.2f}" y="{y:.2f}" transform="rotate({rotation:.2f} {x:.2f} {y:.2f})" '
        f'fill="{fill}" text-anchor="middle" dominant-baseline="central">{escape(shown)}</text>'
    )


def _legend(title: str, none_label: str) -> str:
    x = SIZE + 10
    heading = wrap(title, LEGEND_WIDTH - 20, 12)
    lines = ['<g class="legend" font-size="12">']
    lines += [f'<text x="{x}" y="{40 + i * 15}" font-weight="bold">{escape(t)}</text>' for i, t in enumerate(heading)]
    top = 40 + 15 * len(heading)
    for row, (text, fill) in enumerate(bin_labels()):
        y = top + row * 24
        shown = none_label if text == "0" else text
        lines.append(
            f'<rect x="{x}" y="{y}" width="18" height="18" fill="{fill}" stroke="#90a4ae"/>'
            f'<text x="{x + 26}" y="{y + 13}">{escape(shown)}</text>'
        )
    lines.append("</g>")
    return "".join(lines)


@dataclass(frozen=True)
class Centre:
    label: str
    href: str | None
    title: str


def draw(
    tree: Tree,
    top: Sequence[str],
    centre: Centre,
    legend_title: str,
    none_label: str,
    count_label: str,
    standalone: bool = False,
    svg_id: str = "sunburst",
) -> str:
    """The whole SVG: centre disc, rings, labels and legend. `standalone` adds the XML namespace and fonts."""
    segments = layout(tree, top)
    depth = max((s.depth for s in segments), default=1)
    ring = (OUTER - HOLE) / (depth - 1 + FIRST_RING)
    middle = SIZE / 2
    namespace = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    parts = [
        # A group, not an image: its segments are links, and an image's content is not for keyboards (WCAG 4.1.2).
        f'<svg{namespace} id="{svg_id}" viewBox="0 0 {SIZE + LEGEND_WIDTH} {SIZE}" role="group" '
        f'aria-label="{escape(centre.title)}" '
        f'font-family="system-ui, IPAGothic, \'Noto Sans CJK JP\', sans-serif" font-size="{FONT:g}">',
        f"<title>{escape(centre.title)}</title>",
    ]
    if standalone:
        parts.append(f'<rect width="{SIZE + LEGEND_WIDTH}" height="{SIZE}" fill="#ffffff"/>')
    disc = f'<circle cx="{middle}" cy="{middle}" r="{HOLE - 2}" fill="#1f4e79"/>' + _lines(
        middle,
        middle,
        wrap(centre.label, 2 * HOLE - 36, 13),
        13,
        fill="#ffffff",
        text_anchor="middle",
        dominant_baseline="central",
    )
    if centre.href:
        disc = f'<a href="{escape(centre.href)}" class="centre"><title>{escape(centre.title)}</title>{disc}</a>'
    parts.append(disc)
    for segment in segments:
        node = segment.node_id
        count = tree.count(node)
        inner, outer = _radii(segment.depth, ring)
        fill = colour(count)
        text_fill = "#ffffff" if count >= DARK_FROM else "#1b2733"
        name = tree.label(node)
        parts.append(
            f'<a href="{escape(tree.href(node))}" class="segment" data-id="{escape(node)}">'
            f"<title>{escape(name)} — {escape(count_label)}: {count}</title>"
            f'<path d="{_sector(inner, outer, segment.start, segment.end, middle)}" fill="{fill}" '
            f'stroke="#ffffff" stroke-width="1"/>'
            f"{_label(segment, name, inner, outer, middle, text_fill)}</a>"
        )
    parts.append(_legend(legend_title, none_label))
    parts.append("</svg>")
    return "\n".join(parts)
