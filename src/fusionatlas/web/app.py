"""The FastAPI application: a minimal bilingual home and search, and a JSON API.

The full web atlas (maps, matching, gaps, accounts) builds on this; the public sees public records only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine

from fusionatlas import __version__
from fusionatlas.store import queries
from fusionatlas.store.engine import open_engine
from fusionatlas.store.migrate import upgrade
from fusionatlas.web.i18n import labels, language

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")


def create_app(database: str | None = None) -> FastAPI:
    engine = open_engine(database)
    upgrade(engine)
    app = FastAPI(title="FusionAtlas", version=__version__)
    app.state.engine = engine
    _routes(app, engine)
    return app


def _routes(app: FastAPI, engine: Engine) -> None:
    @app.get("/api/stats")
    def api_stats() -> dict[str, dict[str, int]]:
        with engine.connect() as connection:
            return {"counts": queries.counts(connection)}

    @app.get("/api/search")
    def api_search(q: Annotated[str, Query(min_length=1, max_length=1000)], top: int = 10) -> dict[str, object]:
        with engine.connect() as connection:
            hits = queries.search(connection, q, min(max(top, 1), 100), public_only=True)
        return {"query": q, "results": [hit.__dict__ for hit in hits]}

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request, q: Annotated[str | None, Query(max_length=1000)] = None) -> HTMLResponse:
        lang = language(request)
        with engine.connect() as connection:
            counts = queries.counts(connection)
            hits = queries.search(connection, q, 20, public_only=True) if q and q.strip() else None
        response = TEMPLATES.TemplateResponse(
            request,
            "home.html",
            {"lang": lang, "t": labels(lang), "counts": counts, "q": q or "", "hits": hits},
        )
        response.set_cookie("lang", lang, samesite="lax", max_age=365 * 24 * 3600)
        return response
