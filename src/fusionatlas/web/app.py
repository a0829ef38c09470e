"""The FastAPI application: the JSON API, error pages, and the routers of every page (web/pages/).

The public sees public records only.
"""

from __future__ import annotations

import os
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from fusionatlas import __version__
from fusionatlas.analysis.gaps import GapError
from fusionatlas.domain.messages import in_language
from fusionatlas.domain.values import MAX_SEARCH_QUERY, MAX_TOP, control_character_at
from fusionatlas.match.engine import MAX_QUERY, MatchError, match
from fusionatlas.match.opportunities import opportunities, seeds_of_organization, seeds_of_text
from fusionatlas.store import queries
from fusionatlas.store.engine import open_engine
from fusionatlas.store.migrate import upgrade
from fusionatlas.web import auth
from fusionatlas.web.answer_cache import PublicAnswerCache
from fusionatlas.web.i18n import language, translator
from fusionatlas.web.match_index import shared_index
from fusionatlas.web.names import country_code
from fusionatlas.web.pages import accounts as account_pages
from fusionatlas.web.pages import events as event_pages
from fusionatlas.web.pages import gaps, home, imports
from fusionatlas.web.pages import landscape as landscape_pages
from fusionatlas.web.pages import learn as learn_pages
from fusionatlas.web.pages import match as match_page
from fusionatlas.web.pages import needs as need_pages
from fusionatlas.web.pages import organizations as organization_pages
from fusionatlas.web.pages import people as people_pages
from fusionatlas.web.pages import roadmap as roadmap_pages
from fusionatlas.web.pages import saved_scenarios as saved_scenario_pages
from fusionatlas.web.pages import scenarios as scenario_pages
from fusionatlas.web.pages import search as search_pages
from fusionatlas.web.pages import technologies as technology_pages
from fusionatlas.web.pages import watch as watch_pages
from fusionatlas.web.render import render
from fusionatlas.web.serving import worker_lifespan
from fusionatlas.web.viewer import viewer

WARM_ENV = "FUSIONATLAS_WARM"
FORM_TYPES = ("application/x-www-form-urlencoded",)


def _refuse(request: Request, name: str, found: tuple[str, int]) -> HTTPException:
    """A 422 naming the field and the character: in the page's language, in English for the API."""
    _ = translator("en" if request.url.path.startswith("/api/") else language(request))
    where = _("%(code)s at position %(position)s") % {"code": found[0], "position": found[1]}
    text = _("%(name)s contains a control character (%(where)s): remove it") % {"name": name, "where": where}
    return HTTPException(422, text)


def _first_control(pairs: list[tuple[str, Any]]) -> tuple[str, tuple[str, int]] | None:
    for name, value in pairs:
        if found := control_character_at(name):
            return "name", found
        if isinstance(value, str) and (found := control_character_at(value)):
            return name, found
    return None


async def refuse_control_characters(request: Request) -> None:
    """Every request: no control character (NUL, ESC, DEL...; tab and line breaks are fine) in the path, the
    query string, the cookies or a submitted form's fields. One check, ahead of every route, so that no such
    character reaches a query (PostgreSQL refuses NUL) or a stored record: a clear 422 instead of a 500.

    Multipart forms (file uploads) are read by their own route, within its size limits; the import checks
    the file's contents row by row."""
    pairs: list[tuple[str, Any]] = [("path", request.url.path)]
    pairs += [*request.query_params.multi_items(), *request.cookies.items()]
    if request.method == "POST" and request.headers.get("content-type", "").startswith(FORM_TYPES):
        pairs += (await request.form()).multi_items()
    if bad := _first_control(pairs):
        raise _refuse(request, *bad)


def create_app(database: str | None = None) -> FastAPI:
    engine = open_engine(database)
    upgrade(engine)
    # No /docs or /redoc: their pages load Swagger UI and ReDoc from a CDN, which many networks block.
    # `serve` asks for its workers' start-up: warm caches, one socket each, a few threads (web/serving.py).
    lifespan = worker_lifespan if os.environ.get(WARM_ENV) == "1" else None
    app = FastAPI(
        title="FusionAtlas",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        dependencies=[Depends(refuse_control_characters)],
    )
    app.state.engine = engine
    app.state.index = None
    auth.install(app)  # trusted proxies, security headers, login redirects, 503 when the database is busy
    app.add_middleware(PublicAnswerCache, engine=engine)  # anonymous /api/search answers (web/answer_cache.py)
    _routes(app, engine)
    app.include_router(home.router(engine))
    app.include_router(search_pages.router(engine))
    _match_routes(app, engine)
    app.include_router(gaps.router(engine))
    app.include_router(imports.router(engine))
    app.include_router(landscape_pages.router(engine))
    app.include_router(learn_pages.router(engine))
    app.include_router(account_pages.router(engine))
    app.include_router(organization_pages.router(engine))
    app.include_router(roadmap_pages.router(engine))
    app.include_router(match_page.router(engine))
    app.include_router(need_pages.router(engine))
    app.include_router(people_pages.router(engine))
    app.include_router(technology_pages.router(engine))
    app.include_router(saved_scenario_pages.router(engine))
    app.include_router(scenario_pages.router(engine))
    app.include_router(watch_pages.router(engine))
    app.include_router(event_pages.router(engine))
    # Every script, style and icon is served by the app itself: government networks often block CDNs.
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, error: StarletteHTTPException) -> Response:
        """API paths answer JSON; pages answer a page in the visitor's language."""
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": error.detail}, status_code=error.status_code)
        lang = language(request)
        if error.status_code == 404:
            message = translator(lang)("No such page or record.")
        else:
            message = in_language(str(error.detail), lang)  # a parser's message (domain/messages.py)
        return render(request, "error.html", {"error": message}, status=error.status_code)

    @app.exception_handler(RequestValidationError)
    def bad_parameters(request: Request, error: RequestValidationError) -> Response:
        """Malformed query or form values: 422, as JSON for the API and as a readable page otherwise."""
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": jsonable_encoder(error.errors())}, status_code=422)
        lang = language(request)
        problems = "; ".join(
            in_language(f"{'.'.join(str(part) for part in e['loc'][1:]) or 'request'}: {e['msg']}", lang)
            for e in error.errors()
        )
        heading = translator(lang)("Some values in the request are not valid")
        return render(request, "error.html", {"error": f"{heading}: {problems}"}, status=422)

    @app.exception_handler(GapError)
    def bad_analysis_input(request: Request, error: GapError) -> HTMLResponse:
        return render(request, "error.html", {"error": str(error)}, status=422)

    return app


def _match_routes(app: FastAPI, engine: Engine) -> None:
    @app.get("/api/match")
    def api_match(
        request: Request,
        q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY, description="The need, in Japanese or English")],
        top: Annotated[int, Query(ge=1, le=MAX_TOP)] = 10,
        country: Annotated[str | None, Query(max_length=32)] = None,
        kind: Annotated[str | None, Query(max_length=32)] = None,
        exclude: Annotated[
            list[str] | None, Query(description="Organization ids never proposed (a need's buyer)")
        ] = None,
    ) -> dict[str, Any]:
        try:
            result = match(
                shared_index(app, engine),
                q,
                top,
                country_code(country),  # 日本 or Japan as well as JP
                kind,
                audience=viewer(request),
                exclude=exclude or [],
            )
        except MatchError as error:
            raise HTTPException(422, str(error)) from None
        return asdict(result)

    @app.get("/api/organizations/{org_id}/opportunities")
    def api_opportunities(
        request: Request, org_id: str, top: Annotated[int, Query(ge=1, le=MAX_TOP)] = 10
    ) -> dict[str, Any]:
        seen = viewer(request)
        index = shared_index(app, engine)
        try:
            seeds = seeds_of_organization(index, org_id, seen)
        except MatchError as error:
            raise HTTPException(404, str(error)) from None
        return {"org_id": org_id, "results": [asdict(o) for o in opportunities(index, seeds, top, seen)]}

    @app.get("/api/opportunities")
    def api_text_opportunities(
        request: Request,
        text: Annotated[str, Query(min_length=1, max_length=MAX_QUERY, description="A company's seeds, free text")],
        top: Annotated[int, Query(ge=1, le=MAX_TOP)] = 10,
    ) -> dict[str, Any]:
        """Opportunities for the seeds of a company not in the atlas, described in Japanese or English."""
        seen = viewer(request)
        index = shared_index(app, engine)
        found = opportunities(index, seeds_of_text(index, text), top, seen)
        note = None if found else "nothing in the atlas fits these seeds: name a technology (e.g. REBCO, gyrotron)"
        return {"text": text, "results": [asdict(o) for o in found], "note": note}


def _routes(app: FastAPI, engine: Engine) -> None:
    @app.get("/api/stats")
    def api_stats(request: Request) -> dict[str, dict[str, int]]:
        """Records per table, counting only what the caller may see."""
        seen = viewer(request)
        with engine.connect() as connection:
            return {"counts": queries.counts(connection, seen)}

    @app.get("/api/search")
    def api_search(
        request: Request,
        q: Annotated[str, Query(min_length=1, max_length=MAX_SEARCH_QUERY)],
        top: Annotated[int, Query(ge=1, le=MAX_TOP)] = 10,
    ) -> dict[str, object]:
        """Records matching every word, in either language, by synonym or by an organization's reading, best first."""
        with engine.connect() as connection:
            results = search_pages.search_index(connection, viewer(request)).ranked(q, top)
        return {"query": q, "results": [r.as_json() for r in results]}
