"""The international landscape pages: an overview, then national programmes and budgets, private investment,
facilities on a world map, a milestone timeline and regulatory approaches, each with CSV/XLSX(/SVG) downloads.

- rows.py: each table's rows (names in the page's language, money with its conversion), the overview's figures;
- sections.py: the five sections, each declared once (filters, rows, columns, chart, template);
- section.py: what a declared section gets: its page, its downloads, and the context every page shares.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Engine

from fusionatlas.analysis.landscape import Landscape, read_landscape
from fusionatlas.web.i18n import language
from fusionatlas.web.pages.landscape.rows import LABELS, PARAMETERS, headlines
from fusionatlas.web.pages.landscape.section import register, show
from fusionatlas.web.pages.landscape.sections import COLUMNS, SECTIONS
from fusionatlas.web.viewer import viewer

__all__ = ["COLUMNS", "LABELS", "PARAMETERS", "router"]


def router(engine: Engine) -> APIRouter:
    routes = APIRouter()

    def load(request: Request) -> Landscape:
        with engine.connect() as connection:
            return read_landscape(connection, viewer(request))

    @routes.get("/landscape", response_class=HTMLResponse)
    def overview(request: Request) -> HTMLResponse:
        landscape = load(request)
        figures = headlines(landscape, language(request))
        latest = figures["latest_cumulative"]
        context = {"path": "/landscape", "figures": figures, "extra_sources": latest["source_ids"] if latest else []}
        return show(request, "landscape_overview.html", landscape, [], context)

    for section in SECTIONS:
        register(routes, section, load)
    return routes
