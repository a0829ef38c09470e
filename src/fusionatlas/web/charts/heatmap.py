"""The industry map's heatmap: organizations per technology area (rows) and country (columns), each cell a link
to the organizations it counts; a square-root scale, so that small counts still show.
"""

from __future__ import annotations

import math
from urllib.parse import urlencode

from fusionatlas.analysis.industry import Industry, Matrix
from fusionatlas.web.i18n import translator
from fusionatlas.web.names import country_name, display_name


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _text_width(text: str) -> int:
    """About how wide `text` is at 12px, bold: a full-width (CJK) character 13px, others 8px."""
    return sum(13 if ord(c) >= 0x2E80 else 8 for c in text)


def heatmap_svg(industry: Industry, matrix: Matrix, lang: str, standalone: bool = False) -> str:
    """The area x country heatmap as SVG; each cell links to the organizations it counts."""
    _ = translator(lang)
    cell = 30
    # The area names sit left of the grid, right-aligned: at least 210px, wider when a name needs it (the
    # normal-weight names are about 0.8 of _text_width's bold estimate).
    names = [display_name(industry.technologies[area], lang) for area in matrix.areas]
    label_width = max([210] + [round(_text_width(name) * 0.8) + 14 for name in names])
    # Column heads are the countries' names, slanted at 60°: the head is as tall as the longest name needs
    # (sin 60° of its length), and the chart as wide as the last head reaches (cos 60°), so none is cut off.
    heads = [(country, country_name(country, lang)) for country in matrix.countries] + [(None, _("Total"))]
    longest = max(_text_width(text) for _code, text in heads)
    header = max(60, round(longest * 0.87) + 12)
    width = label_width + cell * len(heads) + max(10, round(longest * 0.5))
    height = header + cell * (len(matrix.areas) + 1) + 10
    largest = max(matrix.largest, 1)
    parts = [  # a group, not an image: its cells are links (an image's content is not for keyboards)
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" id="industry-svg" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="group" '
        f'aria-label="{_escape(_("Organizations per technology area and country"))}" '
        'font-family="system-ui, IPAGothic, Noto Sans CJK JP, sans-serif" font-size="12">',
        f"<title>{_escape(_('Organizations per technology area and country'))}</title>",
    ]
    for column, (country, text) in enumerate(heads):
        x = label_width + column * cell + cell / 2
        code = f'data-country="{_escape(country)}" ' if country else ""
        parts.append(
            f'<text {code}x="{x:.0f}" y="{header - 6}" transform="rotate(-60 {x:.0f} {header - 6})" '
            f'font-weight="bold"><title>{_escape(text)}</title>{_escape(text)}</text>'
        )
    for row, area in enumerate(matrix.areas):
        y = header + row * cell
        name = display_name(industry.technologies[area], lang)
        area_link = _escape("/organizations?" + urlencode({"area": area}))
        parts.append(
            f'<a href="{area_link}" xlink:href="{area_link}"><text x="{label_width - 6}" y="{y + cell / 2 + 4:.0f}" '
            f'text-anchor="end" fill="#1f4e79">{_escape(name)}</text></a>'
        )
        for column, country in enumerate(matrix.countries):
            count = matrix.count(area, country)
            parts.append(_cell(label_width + column * cell, y, cell, count, largest, area, country, name, lang))
        total = matrix.area_totals.get(area, 0)
        x = label_width + len(matrix.countries) * cell
        parts.append(
            f'<text x="{x + cell / 2:.0f}" y="{y + cell / 2 + 4:.0f}" text-anchor="middle" font-weight="bold">'
            f"{total}</text>"
        )
    y = header + len(matrix.areas) * cell
    parts.append(
        f'<text x="{label_width - 6}" y="{y + cell / 2 + 4:.0f}" text-anchor="end" font-weight="bold">'
        f"{_escape(_('Total'))}</text>"
    )
    for column, country in enumerate(matrix.countries):
        parts.append(
            f'<text x="{label_width + column * cell + cell / 2:.0f}" y="{y + cell / 2 + 4:.0f}" '
            f'text-anchor="middle" font-weight="bold">{matrix.country_totals[country]}</text>'
        )
    parts.append("</svg>")
    svg = "".join(parts)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + svg) if standalone else svg


def _cell(x: int, y: int, size: int, count: int, largest: int, area: str, country: str, name: str, lang: str) -> str:
    # Square-root scale: a few countries hold most organizations, and small counts must still show.
    strength = math.sqrt(count / largest) if count else 0.0
    fill = f"rgba(31, 78, 121, {0.08 + 0.87 * strength:.2f})" if count else "#f4f6f8"
    colour = "#fff" if strength > 0.55 else "#1b2733"
    tip = f"{name} · {country_name(country, lang)}: {count}"
    rect = (
        f'<rect x="{x + 1}" y="{y + 1}" width="{size - 2}" height="{size - 2}" fill="{fill}" rx="2">'
        f"<title>{_escape(tip)}</title></rect>"
    )
    if not count:
        return rect
    link = _escape("/organizations?" + urlencode({"area": area, "country": country}))
    label = (
        f'<text x="{x + size / 2:.0f}" y="{y + size / 2 + 4:.0f}" text-anchor="middle" fill="{colour}">{count}</text>'
    )
    return f'<a class="cell" href="{link}" xlink:href="{link}" data-count="{count}">{rect}{label}</a>'
