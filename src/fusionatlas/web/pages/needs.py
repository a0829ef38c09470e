"""Needs: the list of what buyers want (filterable, open first, paginated, exportable) and one page per need
with the suppliers the matcher proposes for it.

Every need, buyer and awardee is read through the request's viewer (analysis/needs.py); a need the viewer
may not see is a 404, like one that does not exist. Statuses are as of today: an open need whose deadline
has passed shows as closed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection, Engine

from fusionatlas.analysis.industry import read_sources
from fusionatlas.analysis.needs import (
    STATUSES,
    NeedFilterError,
    NeedFilters,
    check_filters,
    filter_needs,
    needs_per_node,
    read_need,
    read_needs,
    status_counts,
)
from fusionatlas.dataset.edits import current_record, write_edit
from fusionatlas.dataset.problems import BadInput
from fusionatlas.domain.audience import Audience
from fusionatlas.match.engine import MatchResult, match
from fusionatlas.store.accounts import User
from fusionatlas.web.auth import require_user
from fusionatlas.web.cache import per_state
from fusionatlas.web.exports import TABLE_FORMATS, table_response
from fusionatlas.web.i18n import language
from fusionatlas.web.match_index import shared_index
from fusionatlas.web.pages.match import note_in
from fusionatlas.web.pages.organizations import (
    KINDS,
    country_name,
    display_name,
    technology_records,
)
from fusionatlas.web.pagination import PageParam, paginate
from fusionatlas.web.render import render
from fusionatlas.web.viewer import viewer

DEFAULT_SIZE, MAX_SIZE = 50, 500
SUPPLIERS = 10  # suppliers proposed on a need's page
EXPORT_COLUMNS = [
    "id",
    "title_en",
    "title_ja",
    "buyer_org_id",
    "buyer_name_en",
    "buyer_name_ja",
    "buyer_country",
    "technology_ids",
    "status",
    "recorded_status",
    "published",
    "deadline",
    "delivery_start",
    "delivery_end",
    "quantity",
    "quantity_unit",
    "value",
    "currency",
    "min_trl",
    "awardee_org_ids",
    "source_ids",
]


@dataclass
class NeedQuery:
    """The list's filters from the query string (the page and its downloads); see analysis.needs.NeedFilters."""

    status: Annotated[str | None, Query(max_length=16, description="Status as of today")] = None
    technology: Annotated[str | None, Query(max_length=200, description="A technology id; its subtree counts")] = None
    country: Annotated[str | None, Query(max_length=8, description="The buyer's country (ISO code)")] = None
    deadline_after: Annotated[str | None, Query(max_length=10, description="Deadline on or after (ISO date)")] = None
    deadline_before: Annotated[str | None, Query(max_length=10, description="Deadline on or before (ISO date)")] = None


def today() -> str:
    return date.today().isoformat()


def needs_for(connection: Connection, who: Audience, day: str) -> list[dict[str, Any]]:
    """The audience's needs as of `day`, in the list's order; kept per data version, sight and day."""
    return per_state(connection, ("needs", who.sight, day), lambda c: read_needs(c, who, day))


def title(need: dict[str, Any], lang: str) -> str:
    return display_name(need, lang, "title_en", "title_ja")


def shown_number(value: float | int | None) -> str:
    """A figure for reading: thousands separated (47,000,000,000), 18.0 as 18; '' when there is none."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}"


def technology_options(
    technologies: dict[str, dict[str, Any]], counts: dict[str, int]
) -> list[tuple[str, int, dict[str, Any], int]]:
    """The nodes some need is on (or below), depth-first in id order: (id, depth from 0, record, needs)."""
    children: dict[str | None, list[str]] = {}  # None: the top of the map
    for tech in sorted(technologies.values(), key=lambda t: t["id"]):
        children.setdefault(tech["parent"] if tech["parent"] in technologies else None, []).append(tech["id"])
    options: list[tuple[str, int, dict[str, Any], int]] = []
    stack = [(root, 0) for root in reversed(children.get(None, []))]
    seen: set[str] = set()
    while stack:
        node, depth = stack.pop()
        if node in seen or node not in counts:
            continue
        seen.add(node)
        options.append((node, depth, technologies[node], counts[node]))
        stack.extend((child, depth + 1) for child in reversed(children.get(node, [])))
    return options


def _export_rows(rows: list[dict[str, Any]]) -> Iterable[list[Any]]:
    for need in rows:
        buyer = need["buyer"] or {}
        yield [
            need["id"],
            need["title_en"],
            need["title_ja"],
            need["buyer_org_id"] if buyer else None,
            buyer.get("name_en"),
            buyer.get("name_ja"),
            buyer.get("country"),
            need["technology_ids"],
            need["status"],
            need["recorded_status"],
            need["published"],
            need["deadline"],
            need["delivery_start"],
            need["delivery_end"],
            need["quantity"],
            need["quantity_unit"],
            need["value"],
            need["currency"],
            need["min_trl"],
            need["awardee_org_ids"],
            need["source_ids"] or [],
        ]


def matcher_text(need: dict[str, Any], lang: str) -> str:
    """The need's title and description in the page's language (each falling back to the other language)."""
    parts = (title(need, lang), display_name(need, lang, "description_en", "description_ja"))
    return "\n".join(part for part in parts if part)


def router(engine: Engine) -> APIRouter:
    routes = APIRouter()

    def filtered(
        request: Request, chosen: NeedQuery
    ) -> tuple[NeedFilters, list[dict[str, Any]], list[dict[str, Any]], dict[str, dict[str, Any]]]:
        """The checked filters, every need the viewer may see, the needs the filters keep, and the technologies."""
        with engine.connect() as connection:
            technologies = technology_records(connection)
            every = needs_for(connection, viewer(request), today())
        try:
            filters = check_filters(NeedFilters(**asdict(chosen)), technologies)
        except NeedFilterError as error:
            raise HTTPException(422, str(error)) from None
        return filters, every, filter_needs(every, filters, technologies), technologies

    @routes.get("/needs", response_class=HTMLResponse)
    def need_list(
        request: Request,
        chosen: Annotated[NeedQuery, Depends()],
        page: PageParam = 1,
        size: Annotated[int, Query(ge=1, le=MAX_SIZE)] = DEFAULT_SIZE,
    ) -> HTMLResponse:
        filters, every, rows, technologies = filtered(request, chosen)
        chosen_filters = {k: v for k, v in asdict(filters).items() if v}

        def link(**changes: Any) -> str:
            params = {**chosen_filters, "page": page, "size": size, **changes}
            return "/needs?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})

        return render(
            request,
            "needs_list.html",
            {
                "pager": paginate(rows, page, size, lambda number: link(page=number)),
                "seen": len(every),
                "by_status": status_counts(rows),
                "today": today(),
                "size": size,
                "filters": chosen_filters,
                "link": link,
                "export_query": urlencode(chosen_filters),
                "statuses": STATUSES,
                "countries": sorted({n["buyer"]["country"] for n in every if n["buyer"]}),
                "technology_options": technology_options(technologies, needs_per_node(every, technologies)),
                "technologies": technologies,
                "country_name": country_name,
                "display_name": display_name,
                "title": title,
                "shown_number": shown_number,
            },
        )

    @routes.get("/needs.{fmt}")
    def needs_export(request: Request, fmt: str, chosen: Annotated[NeedQuery, Depends()]) -> Response:
        """The whole filtered list (not one page of it) as CSV or XLSX, statuses as of today."""
        if fmt not in TABLE_FORMATS:
            raise HTTPException(404)
        _filters, _every, rows, _technologies = filtered(request, chosen)
        what = "Needs of fusion buyers (the filtered list)"
        return table_response(fmt, "needs", EXPORT_COLUMNS, _export_rows(rows), request=request, what=what)

    @routes.post("/needs/{need_id}", response_class=HTMLResponse)
    def update_need(
        request: Request,
        need_id: str,
        user: Annotated[User, Depends(require_user())],
        status: Annotated[str, Form(max_length=16)],
        deadline: Annotated[str, Form(max_length=10)] = "",
        description_en: Annotated[str, Form(max_length=5000)] = "",
        description_ja: Annotated[str, Form(max_length=5000)] = "",
    ) -> Response:
        """The buyer's users (and editors) keep their need current: close or cancel it, move its deadline,
        reword it. Validated like an import and audit-logged (dataset/edits.py)."""
        who = viewer(request)
        with engine.begin() as connection:
            record = current_record(connection, "needs", need_id)
            if record is None or read_need(connection, need_id, who, today()) is None:
                raise HTTPException(404)
            if not may_update(who, record):
                raise HTTPException(403, "only the buyer's users and editors may change this need")
            changed = {**record, "status": status, "deadline": deadline or None}
            changed |= {"description_en": description_en or None, "description_ja": description_ja or None}
            try:
                write_edit(connection, "needs", changed, user.id)
            except BadInput as error:
                raise HTTPException(422, str(error)) from None
        return RedirectResponse(f"/needs/{need_id}?saved=1", status_code=303)

    @routes.get("/needs/{need_id}", response_class=HTMLResponse)
    def need_page(request: Request, need_id: str) -> HTMLResponse:
        who = viewer(request)
        with engine.connect() as connection:
            detail = read_need(connection, need_id, who, today())
        if detail is None:
            raise HTTPException(404)
        lang = language(request)
        # The buyer is not its own supplier: it names the technologies it wants, so it would top the list.
        buyer = detail.need.get("buyer_org_id")
        proposed: MatchResult = match(
            shared_index(request.app, engine),
            matcher_text(detail.need, lang),
            top=SUPPLIERS,
            audience=who,
            exclude=[buyer] if buyer else [],
        )
        cited = {s for r in proposed.results for why in r.why for s in why.source_ids} - set(detail.sources)
        with engine.connect() as connection:
            sources = {**read_sources(connection, cited), **detail.sources}
        return render(
            request,
            "needs_detail.html",
            {
                "detail": detail,
                "need": detail.need,
                "proposed": proposed,
                "note": note_in(lang, proposed.note) if not proposed.results else None,
                "sources": sources,
                "KINDS": KINDS,
                "country_name": country_name,
                "display_name": display_name,
                "title": title,
                "shown_number": shown_number,
                "may_update": may_update(who, detail.need),
                "saved": request.query_params.get("saved") == "1",
            },
        )

    return routes


def may_update(who: Audience, need: dict[str, Any]) -> bool:
    """Editors, and the users of the organization that published the need."""
    return who.sees_everything or (who.org_id is not None and who.org_id == need.get("buyer_org_id"))
