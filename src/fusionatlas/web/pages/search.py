"""Search: the results page (grouped by kind, filters), suggestions as you type, and the index they share.

The index (search/index.py) holds what one sight may see and is kept per data version (web/cache.py), so
a search reads the database only for the data version; answers are kept by the index itself.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection, Engine

from fusionatlas.domain.audience import Audience
from fusionatlas.domain.values import MAX_SEARCH_QUERY, parse_country
from fusionatlas.search.index import KIND_ORDER, Found, SearchIndex
from fusionatlas.web.cache import per_state
from fusionatlas.web.i18n import language
from fusionatlas.web.names import country_name, display_name
from fusionatlas.web.render import render
from fusionatlas.web.viewer import viewer

MAX_SUGGESTIONS = 10
# Each kind's heading, in English; the catalogs translate them.
KIND_LABELS = {
    "organizations": "Organizations",
    "technologies": "Technologies",
    "needs": "Needs",
    "capabilities": "Capabilities",
    "facilities": "Facilities",
    "programmes": "Programmes",
    "investments": "Investments",
    "milestones": "Milestones",
    "regulations": "Regulations",
    "training": "Training offers",
    "skills": "Skills",
    "relations": "Relations",
    "readiness": "Readiness assessments",
    "capacities": "Production capacities",
    "sources": "Sources",
}
RESULTS_PER_PAGE = 200


def search_index(connection: Connection, who: Audience) -> SearchIndex:
    """The index of what `who` may see, built once per data version and sight."""
    return per_state(connection, ("search-index", who.sight), lambda c: SearchIndex.build(c, who))


def check_kinds(kinds: list[str] | None) -> frozenset[str] | None:
    unknown = [k for k in kinds or [] if k not in KIND_ORDER]
    if unknown:
        raise HTTPException(422, f"kind: unknown kind of record {unknown[0]!r}; one of {', '.join(KIND_ORDER)}")
    return frozenset(kinds) if kinds else None


def check_country(country: str | None) -> str | None:
    try:
        return parse_country(country or None)
    except ValueError as error:
        raise HTTPException(422, str(error)) from None


def run_search(
    engine: Engine, who: Audience, q: str, kinds: frozenset[str] | None = None, country: str | None = None
) -> Found:
    with engine.connect() as connection:
        return search_index(connection, who).search(q, kinds, country, RESULTS_PER_PAGE)


def template_names(request: Request) -> dict[str, Any]:
    """What the results' macros look up: the kinds in order, their headings, countries' names."""
    lang = language(request)
    return {"KIND_ORDER": KIND_ORDER, "KIND_LABELS": KIND_LABELS, "country_name": lambda c: country_name(c, lang)}


def router(engine: Engine) -> APIRouter:
    routes = APIRouter()

    @routes.get("/search", response_class=HTMLResponse)
    def search_page(
        request: Request,
        q: Annotated[str | None, Query(max_length=MAX_SEARCH_QUERY)] = None,
        kind: Annotated[list[str] | None, Query(max_length=32)] = None,
        country: Annotated[str | None, Query(max_length=8)] = None,
    ) -> HTMLResponse:
        who = viewer(request)
        kinds, code = check_kinds(kind), check_country(country)
        found = run_search(engine, who, q, kinds, code) if q and q.strip() else None
        countries = sorted({r.country for r in found.results if r.country}) if found else []
        context: dict[str, Any] = {"q": q or "", "found": found, "kinds": kinds or frozenset(), "country": code or ""}
        context["countries"] = countries
        return render(request, "search.html", {**context, **template_names(request)})

    @routes.get("/api/suggest")
    def api_suggest(
        request: Request,
        q: Annotated[str, Query(min_length=1, max_length=MAX_SEARCH_QUERY)],
        top: Annotated[int, Query(ge=1, le=MAX_SUGGESTIONS)] = 8,
    ) -> dict[str, Any]:
        """Organizations and technologies whose name or reading (kana or romaji) starts with what was typed."""
        lang = language(request)
        with engine.connect() as connection:
            entries = search_index(connection, viewer(request)).suggest(q, top)
        return {
            "query": q,
            "suggestions": [
                {
                    "kind": e.kind,
                    "id": e.id,
                    "name": display_name({"name_en": e.name_en, "name_ja": e.name_ja}, lang),
                    "reading": e.reading,
                    "url": e.url,
                }
                for e in entries
            ],
        }

    return routes
