"""The home page: headline figures over what the visitor may see, and a bilingual search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection, Engine

from fusionatlas.store import queries
from fusionatlas.web.auth import search_filter
from fusionatlas.web.cache import per_state
from fusionatlas.web.render import render
from fusionatlas.web.viewer import Viewer, viewer

# The record visibilities each viewer level may count (a count of hidden records would disclose them).
VISIBLE_AT = {0: ("public",), 1: ("public", "members"), 2: ("public", "members", "private")}


def figures(connection: Connection, who: Viewer) -> dict[str, int]:
    """The headline figures: ten counts over the whole atlas, so kept per data version."""
    visible = VISIBLE_AT[who.level]
    return per_state(connection, ("headline-figures", visible), lambda c: queries.headline_figures(c, visible))


def router(engine: Engine) -> APIRouter:
    routes = APIRouter()

    @routes.get("/", response_class=HTMLResponse)
    def home(request: Request, q: Annotated[str | None, Query(max_length=1000)] = None) -> HTMLResponse:
        seen = viewer(request)
        with engine.connect() as connection:
            numbers = figures(connection, seen)
            hits = queries.search(connection, q, 20, visible=search_filter(seen)) if q and q.strip() else None
        return render(request, "home.html", {"figures": numbers, "q": q or "", "hits": hits})

    return routes
