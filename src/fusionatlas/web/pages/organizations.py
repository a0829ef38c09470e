"""The industry map: organizations (filterable, paginated, exportable), one page per organization, and the
technology-area x country heatmap. Every record passes through the request's viewer.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Connection, Engine

from fusionatlas.analysis.industry import (
    Industry,
    Matrix,
    filter_organizations,
    industry_matrix,
    memberships,
    read_industry,
    read_profile,
    read_sources,
)
from fusionatlas.domain.audience import Audience
from fusionatlas.domain.values import parse_country, parse_org_kind
from fusionatlas.match.engine import MatchError
from fusionatlas.match.index import MatchIndex
from fusionatlas.match.opportunities import Opportunity, opportunities, seeds_of_organization
from fusionatlas.store import queries
from fusionatlas.text.kana import gojuon_key, name_reading
from fusionatlas.web.cache import PER_RECORD, per_state
from fusionatlas.web.charts.heatmap import heatmap_svg
from fusionatlas.web.exports import TABLE_FORMATS, table_response
from fusionatlas.web.i18n import RELATION_KINDS, language
from fusionatlas.web.match_index import index_at
from fusionatlas.web.names import country_name, display_name
from fusionatlas.web.pagination import PageParam, paginate
from fusionatlas.web.render import render
from fusionatlas.web.viewer import viewer

DEFAULT_SIZE, MAX_SIZE = 50, 500
# Kinds by key, in English; the templates translate them like any text.
KINDS = {
    "company": "Company",
    "startup": "Startup",
    "national_lab": "National laboratory",
    "university": "University",
    "agency": "Government agency",
    "association": "Association",
    "consortium": "Consortium",
    "international": "International organization",
}
# Proper names, the same in both languages.
MEMBERSHIPS = {"j-fusion": "J-Fusion", "fia": "FIA"}
LIST_COLUMNS = ["id", "name_en", "name_ja", "kind", "country", "city", "website", "founded", "memberships", "areas"]
Sort = Literal["name", "-name", "country", "kind"]


@dataclass
class OrganizationFilters:
    """The organization list's filters and order, from the query string (the page and its downloads)."""

    country: Annotated[str | None, Query(max_length=8)] = None
    kind: Annotated[str | None, Query(max_length=32)] = None
    area: Annotated[str | None, Query(max_length=200)] = None
    membership: Annotated[str | None, Query(max_length=64)] = None
    q: Annotated[str | None, Query(max_length=200)] = None
    sort: Sort = "name"


def check_country(country: str | None) -> str | None:
    """An ISO code in upper case, or an HTTP 422 with the domain's message (domain/values.py parse_country)."""
    try:
        return parse_country(country)
    except ValueError as error:
        raise HTTPException(422, str(error)) from None


def check_kind(kind: str | None) -> str | None:
    """An organization kind, or an HTTP 422 with the domain's message (domain/values.py parse_org_kind)."""
    try:
        return parse_org_kind(kind)
    except ValueError as error:
        raise HTTPException(422, str(error)) from None


def name_key(org: dict[str, Any], lang: str) -> tuple[Any, ...]:
    """How a list orders names: in 五十音 order of their reading on Japanese pages (text/kana.py; a Japanese
    name without a stored reading gets the dictionary's), alphabetically on English ones."""
    if lang != "ja":
        return (display_name(org, lang).casefold(),)
    reading = name_reading(org.get("name_kana"), org.get("name_ja"), "JP" if org.get("name_ja") else None)
    return gojuon_key(reading, display_name(org, lang))


def _sorted(rows: list[dict[str, Any]], sort: Sort, lang: str) -> list[dict[str, Any]]:
    def name(org: dict[str, Any]) -> tuple[Any, ...]:
        return name_key(org, lang)

    if sort == "country":
        return sorted(rows, key=lambda o: (o["country"], name(o), o["id"]))
    if sort == "kind":
        return sorted(rows, key=lambda o: (o["kind"], name(o), o["id"]))
    return sorted(rows, key=lambda o: (name(o), o["id"]), reverse=sort == "-name")


@dataclass
class Listing:
    """The industry as one sight (domain.audience.Audience.sight) sees it, with what every page of the list reuses.

    Cached per data version; the orders are made on first use, from this industry and no other.
    """

    industry: Industry
    countries: list[str]
    membership_options: list[str]
    _orders: dict[tuple[Sort, str], list[dict[str, Any]]] = field(default_factory=dict)

    def ordered(self, sort: Sort, lang: str) -> list[dict[str, Any]]:
        # Two threads may sort at once on a fresh entry; both get the same order, so either may be kept.
        if (sort, lang) not in self._orders:
            self._orders[(sort, lang)] = _sorted(self.industry.organizations, sort, lang)
        return self._orders[(sort, lang)]


def read_listing(connection: Connection, who: Audience) -> Listing:
    industry = read_industry(connection, who)
    return Listing(industry, sorted({o["country"] for o in industry.organizations}), memberships(industry))


def listing_for(connection: Connection, who: Audience) -> Listing:
    return per_state(connection, ("industry", who.sight), lambda c: read_listing(c, who))


def technology_records(connection: Connection) -> dict[str, dict[str, Any]]:
    """Every technology by id (what an organization's capabilities are on), kept per data version."""
    return per_state(connection, ("technologies",), lambda c: queries.technology_tree(c)[0])


def _export_rows(rows: list[dict[str, Any]], industry: Industry) -> Iterable[list[Any]]:
    for org in rows:
        yield [
            *(org[c] for c in LIST_COLUMNS[:8]),
            ";".join(org["memberships"] or []),
            ";".join(sorted(industry.org_areas.get(org["id"], ()))),
        ]


def router(engine: Engine) -> APIRouter:
    routes = APIRouter()

    def filtered(request: Request, filters: OrganizationFilters) -> tuple[Listing, list[dict[str, Any]]]:
        """The organizations the filters select, sorted."""
        code, kind = check_country(filters.country), check_kind(filters.kind)
        with engine.connect() as connection:
            listing = listing_for(connection, viewer(request))
        industry = listing.industry
        area = filters.area.strip() if filters.area else None
        if area and area not in industry.areas:
            raise HTTPException(422, f"unknown technology area {area!r} (a top-level node of the technology map)")
        # Filtering keeps the order it is given: sorting once per version, not per request, is the cheap part.
        among = listing.ordered(filters.sort, language(request))
        return listing, filter_organizations(industry, area, filters.membership, filters.q, code, kind, among)

    @routes.get("/organizations", response_class=HTMLResponse)
    def organization_list(
        request: Request,
        chosen: Annotated[OrganizationFilters, Depends()],
        page: PageParam = 1,
        size: Annotated[int, Query(ge=1, le=MAX_SIZE)] = DEFAULT_SIZE,
    ) -> HTMLResponse:
        listing, rows = filtered(request, chosen)
        sort = chosen.sort
        filters = {k: v for k, v in asdict(chosen).items() if v and k != "sort"}
        # A page past the last one (an old link after the list shrank, a typed number) shows the last page:
        # an empty page would say "no organization matches" under "Organizations found: 426".
        page = min(page, max(1, math.ceil(len(rows) / size)))

        def link(**changes: Any) -> str:
            params = {**filters, "sort": sort, "page": page, "size": size, **changes}
            return "/organizations?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})

        return render(
            request,
            "organizations_list.html",
            {
                "pager": paginate(rows, page, size, lambda number: link(page=number)),
                "size": size,
                "sort": sort,
                "filters": filters,
                "link": link,
                "export_query": urlencode({**filters, "sort": sort}),  # the download keeps the chosen order
                "industry": listing.industry,
                "countries": listing.countries,
                "membership_options": listing.membership_options,
                "KINDS": KINDS,
                "MEMBERSHIPS": MEMBERSHIPS,
                "RELATION_KINDS": RELATION_KINDS,
                "country_name": country_name,
                "display_name": display_name,
            },
        )

    @routes.get("/organizations.{fmt}")
    def organizations_export(request: Request, fmt: str, chosen: Annotated[OrganizationFilters, Depends()]) -> Response:
        """The whole filtered list (not one page of it) as CSV or XLSX."""
        if fmt not in TABLE_FORMATS:
            raise HTTPException(404)
        listing, rows = filtered(request, chosen)
        exported = _export_rows(rows, listing.industry)
        what = "Organizations of the industry map (the filtered list)"
        return table_response(fmt, "organizations", LIST_COLUMNS, exported, request=request, what=what)

    @routes.get("/organizations/{org_id}", response_class=HTMLResponse)
    def organization_page(request: Request, org_id: str) -> HTMLResponse:
        who = viewer(request)
        with engine.connect() as connection:
            profile = read_profile(connection, org_id, who, technology_records(connection))
        if profile is None:
            raise HTTPException(404)
        with engine.connect() as connection:
            # Matching the seeds against every open need is the page's costly part: kept per data version.
            key = ("opportunities", org_id, who.sight)
            found = PER_RECORD.get(connection, key, lambda c: _opportunities(index_at(request.app, c), org_id, who))
            cited = {s for o in found for why in o.why for s in why.source_ids}
            sources = {**read_sources(connection, cited - set(profile.sources)), **profile.sources}
        return render(
            request,
            "organizations_detail.html",
            {
                "profile": profile,
                "org": profile.organization,
                "opportunities": found,
                "sources": sources,
                "KINDS": KINDS,
                "MEMBERSHIPS": MEMBERSHIPS,
                "country_name": country_name,
                "display_name": display_name,
            },
        )

    def matrix_for(request: Request) -> tuple[Industry, Matrix]:
        with engine.connect() as connection:
            industry = listing_for(connection, viewer(request)).industry
        return industry, industry_matrix(industry)

    @routes.get("/industry-map", response_class=HTMLResponse)
    def industry_map(request: Request) -> HTMLResponse:
        industry, matrix = matrix_for(request)
        lang = language(request)
        return render(
            request,
            "organizations_map.html",
            {"matrix": matrix, "svg": heatmap_svg(industry, matrix, lang), "display_name": display_name},
        )

    @routes.get("/industry-map.svg")
    def industry_map_svg(request: Request) -> Response:
        industry, matrix = matrix_for(request)
        return Response(
            heatmap_svg(industry, matrix, language(request), standalone=True),
            media_type="image/svg+xml",
            headers={"Content-Disposition": 'attachment; filename="industry-map.svg"'},
        )

    @routes.get("/industry-map.csv")
    def industry_map_csv(request: Request) -> Response:
        industry, matrix = matrix_for(request)
        header, rows = matrix_table(industry, matrix)
        what = "Organizations per technology area and country"
        return table_response("csv", "industry-map", header, rows, request=request, what=what)

    @routes.get("/industry-map.xlsx")
    def industry_map_xlsx(request: Request) -> Response:
        industry, matrix = matrix_for(request)
        header, rows = matrix_table(industry, matrix)
        what = "Organizations per technology area and country"
        return table_response("xlsx", "industry-map", header, rows, "industry map", request=request, what=what)

    return routes


def _opportunities(index: MatchIndex, org_id: str, audience: Audience, top: int = 10) -> list[Opportunity]:
    """Open needs and adjacent technologies for the organization's capabilities the audience may see."""
    try:
        seeds = seeds_of_organization(index, org_id, audience)
    except MatchError:
        return []
    return opportunities(index, seeds, top, audience)


def matrix_table(industry: Industry, matrix: Matrix) -> tuple[list[str], list[list[Any]]]:
    header = ["area_id", "name_en", "name_ja", *matrix.countries, "total"]
    rows = []
    for area in matrix.areas:
        tech = industry.technologies[area]
        counts = [matrix.count(area, country) for country in matrix.countries]
        rows.append([area, tech["name_en"], tech["name_ja"], *counts, matrix.area_totals.get(area, 0)])
    totals = [matrix.country_totals[country] for country in matrix.countries]
    rows.append(["total", "organizations with capabilities", "技術能力を持つ組織", *totals, ""])
    return header, rows
