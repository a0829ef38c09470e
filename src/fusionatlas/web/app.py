"""The FastAPI application: a minimal bilingual home and search, and a JSON API.

The full web atlas (maps, matching, gaps, accounts) builds on this; the public sees public records only.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from fusionatlas import __version__
from fusionatlas.analysis.gaps import GapError
from fusionatlas.match.engine import MAX_QUERY, PUBLIC, MatchError, match
from fusionatlas.match.index import MatchIndex, build_index
from fusionatlas.match.opportunities import opportunities, seeds_of_organization
from fusionatlas.store import queries
from fusionatlas.store.engine import open_engine
from fusionatlas.store.migrate import upgrade
from fusionatlas.web.i18n import language, translator
from fusionatlas.web.pages import gaps
from fusionatlas.web.render import render


def create_app(database: str | None = None) -> FastAPI:
    engine = open_engine(database)
    upgrade(engine)
    app = FastAPI(title="FusionAtlas", version=__version__)
    app.state.engine = engine
    app.state.index = None
    _routes(app, engine)
    _match_routes(app, engine)
    app.include_router(gaps.router(engine))
    # Every script, style and icon is served by the app itself: government networks often block CDNs.
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, error: StarletteHTTPException) -> Response:
        """API paths answer JSON; pages answer a page in the visitor's language."""
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": error.detail}, status_code=error.status_code)
        message = translator(language(request))("No such page or record.") if error.status_code == 404 else error.detail
        return render(request, "error.html", {"error": message}, status=error.status_code)

    @app.exception_handler(GapError)
    def bad_analysis_input(request: Request, error: GapError) -> HTMLResponse:
        return render(request, "error.html", {"error": str(error)}, status=422)

    return app


def _index(app: FastAPI, engine: Engine) -> MatchIndex:
    """The matching index, built on first use and kept (rebuilt when the store's counts change)."""
    with engine.connect() as connection:
        version = tuple(queries.counts(connection).values())
        if app.state.index is None or app.state.index_version != version:
            app.state.index = build_index(connection)
            app.state.index_version = version
    return app.state.index


def _match_routes(app: FastAPI, engine: Engine) -> None:
    @app.get("/api/match")
    def api_match(
        q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY, description="The need, in Japanese or English")],
        top: Annotated[int, Query(ge=1, le=100)] = 10,
        country: Annotated[str | None, Query(max_length=2)] = None,
        kind: Annotated[str | None, Query(max_length=32)] = None,
    ) -> dict[str, Any]:
        try:
            result = match(_index(app, engine), q, top, country, kind, viewer=PUBLIC)
        except MatchError as error:
            raise HTTPException(422, str(error)) from None
        return asdict(result)

    @app.get("/api/organizations/{org_id}/opportunities")
    def api_opportunities(org_id: str, top: Annotated[int, Query(ge=1, le=100)] = 10) -> dict[str, Any]:
        index = _index(app, engine)
        try:
            seeds = seeds_of_organization(index, org_id, PUBLIC)
        except MatchError as error:
            raise HTTPException(404, str(error)) from None
        return {"org_id": org_id, "results": [asdict(o) for o in opportunities(index, seeds, top, PUBLIC)]}


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
        with engine.connect() as connection:
            counts = queries.counts(connection)
            hits = queries.search(connection, q, 20, public_only=True) if q and q.strip() else None
        return render(request, "home.html", {"counts": counts, "q": q or "", "hits": hits})
