"""The home page: headline figures over what the visitor may see, and the search box (web/pages/search.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection, Engine

from fusionatlas.domain.audience import Audience
from fusionatlas.domain.values import MAX_SEARCH_QUERY
from fusionatlas.store import queries
from fusionatlas.web.cache import per_state
from fusionatlas.web.pages.search import run_search, template_names
from fusionatlas.web.render import render
from fusionatlas.web.viewer import viewer


def figures(connection: Connection, who: Audience) -> dict[str, int]:
    """The headline figures: ten counts over what the audience may see, so kept per data version and sight."""
    return per_state(connection, ("headline-figures", who.sight), lambda c: queries.headline_figures(c, who))


def router(engine: Engine) -> APIRouter:
    routes = APIRouter()

    @routes.get("/", response_class=HTMLResponse)
    def home(request: Request, q: Annotated[str | None, Query(max_length=MAX_SEARCH_QUERY)] = None) -> HTMLResponse:
        seen = viewer(request)
        with engine.connect() as connection:
            numbers = figures(connection, seen)
        found = run_search(engine, seen, q) if q and q.strip() else None
        context = {"figures": numbers, "q": q or "", "found": found}
        return render(request, "home.html", {**context, **template_names(request)})

    return routes
