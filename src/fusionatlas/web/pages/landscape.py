"""The international landscape pages: national programmes and budgets, private investment, facilities on a
world map, a milestone timeline and regulatory approaches, each with CSV/XLSX/SVG downloads.

Money is shown in its own currency with its definition; the dollar column names the rate and year it
used, or says "no rate". Investment rounds are summed, cumulative totals never are (analysis/landscape.py).
Records of an organization the visitor may not see are hidden with it (domain/audience.py).
"""

from __future__ import annotations

import datetime
import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import urlencode

from babel import Locale
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine

from fusionatlas.analysis.landscape import (
    CUMULATIVE,
    INVESTMENT_KINDS,
    ROUND,
    Landscape,
    investment_kind,
    programme_year,
    programme_years,
    read_landscape,
    rounds_by_year,
    year_of,
)
from fusionatlas.domain.values import parse_country
from fusionatlas.web.exports import records_response, svg_response
from fusionatlas.web.i18n import language, translator
from fusionatlas.web.pages import landscape_charts as charts
from fusionatlas.web.render import render
from fusionatlas.web.viewer import viewer

FACILITY_KINDS = {
    "device": "Experimental device",
    "test_facility": "Test facility",
    "neutron_source": "Neutron source",
    "laser_facility": "Laser facility",
    "plant": "Power plant",
}
CONCEPTS = {
    "tokamak": "Tokamak",
    "spherical_tokamak": "Spherical tokamak",
    "stellarator": "Stellarator",
    "heliotron": "Heliotron",
    "frc": "Field-reversed configuration",
    "mirror": "Magnetic mirror",
    "zpinch": "Z-pinch",
    "laser_icf": "Laser inertial confinement",
    "mtf": "Magnetized target fusion",
    "linear": "Linear plasma device",
    "other": "Other",
}
FACILITY_STATUSES = {
    "operating": "Operating",
    "under_construction": "Under construction",
    "planned": "Planned",
    "shutdown": "Shut down",
    "cancelled": "Cancelled",
}
MILESTONE_STATUSES = {"achieved": "Achieved", "planned": "Planned", "delayed": "Delayed", "cancelled": "Cancelled"}
MILESTONE_KINDS = {
    "first_plasma": "First plasma",
    "construction_start": "Construction start",
    "operation_start": "Operation start",
    "record": "Performance record",
    "funding": "Funding",
    "strategy": "Strategy",
    "agreement": "Agreement",
    "regulation": "Regulation",
    "decision": "Formal decision",
    "founding": "Founding",
    "other": "Other",
}
INVESTMENT_KIND_NAMES = {ROUND: "Single round", CUMULATIVE: "Cumulative total", "other": "Other figure"}
LABELS = {
    "FACILITY_KINDS": FACILITY_KINDS,
    "CONCEPTS": CONCEPTS,
    "FACILITY_STATUSES": FACILITY_STATUSES,
    "MILESTONE_STATUSES": MILESTONE_STATUSES,
    "MILESTONE_KINDS": MILESTONE_KINDS,
    "INVESTMENT_KIND_NAMES": INVESTMENT_KIND_NAMES,
}
PARAMETERS = [  # facility column, English label with its unit
    ("major_radius_m", "Major radius (m)"),
    ("minor_radius_m", "Minor radius (m)"),
    ("field_t", "Field (T)"),
    ("current_ma", "Plasma current (MA)"),
    ("heating_mw", "Heating (MW)"),
    ("fusion_power_mw", "Fusion power (MW)"),
    ("pulse_length_s", "Pulse length (s)"),
    ("laser_energy_kj", "Laser energy (kJ)"),
    ("laser_wavelength_nm", "Laser wavelength (nm)"),
]

# Query parameters: blank means "all" (a form's empty select); anything else must have the right shape.
CountryParam = Annotated[str, Query(pattern=r"^([A-Za-z]{2})?$", description="ISO 3166-1 alpha-2 code, or EU")]
YearParam = Annotated[str, Query(pattern=r"^(\d{4})?$", description="a year, e.g. 2024")]
PageParam = Annotated[int, Query(ge=1, le=100_000)]
SizeParam = Annotated[int, Query(ge=1, le=500)]
FacilityKindParam = Annotated[str, Query(pattern="^(" + "|".join(FACILITY_KINDS) + ")?$")]
ConceptParam = Annotated[str, Query(pattern="^(" + "|".join(CONCEPTS) + ")?$")]
FacilityStatusParam = Annotated[str, Query(pattern="^(" + "|".join(FACILITY_STATUSES) + ")?$")]
MilestoneStatusParam = Annotated[str, Query(pattern="^(" + "|".join(MILESTONE_STATUSES) + ")?$")]
MilestoneKindParam = Annotated[str, Query(pattern=r"^[a-z_]{0,40}$")]
InvestmentKindParam = Annotated[str, Query(pattern="^(" + "|".join(INVESTMENT_KINDS) + ")?$")]


def _country(code: str) -> str:
    """A filter's country code, upper-cased; an unknown one is a 422, like any malformed parameter."""
    try:
        return parse_country(code) or ""  # the domain's one country check, and its message
    except ValueError as error:
        raise HTTPException(422, str(error)) from None


@dataclass
class Filters:
    """A section's filters from the query string (FastAPI reads a subclass's fields as query parameters)."""

    country: CountryParam = ""

    def __post_init__(self) -> None:
        self.country = _country(self.country)


@dataclass
class ProgrammeFilters(Filters):
    year: YearParam = ""

    def rows(self, landscape: Landscape, lang: str) -> list[dict[str, Any]]:
        return programme_rows(landscape, lang, self.country, self.year)


@dataclass
class InvestmentFilters(Filters):
    kind: InvestmentKindParam = ""
    year: YearParam = ""

    def rows(self, landscape: Landscape, lang: str) -> list[dict[str, Any]]:
        return investment_rows(landscape, lang, self.country, self.kind, self.year)


@dataclass
class FacilityFilters(Filters):
    kind: FacilityKindParam = ""
    concept: ConceptParam = ""
    status: FacilityStatusParam = ""

    def rows(self, landscape: Landscape, lang: str, every_country: bool = False) -> list[dict[str, Any]]:
        country = "" if every_country else self.country
        return facility_rows(landscape, lang, country, self.kind, self.concept, self.status)

    def map(self, landscape: Landscape, lang: str) -> str:
        return map_svg(landscape, lang, self.kind, self.concept, self.status, translator(lang))


@dataclass
class MilestoneFilters(Filters):
    kind: MilestoneKindParam = ""
    status: MilestoneStatusParam = ""

    def rows(self, landscape: Landscape, lang: str) -> list[dict[str, Any]]:
        return milestone_rows(landscape, lang, self.country, self.kind, self.status)


@dataclass
class RegulationFilters(Filters):
    def rows(self, landscape: Landscape, lang: str) -> list[dict[str, Any]]:
        return regulation_rows(landscape, lang, self.country)


@lru_cache(maxsize=2)
def _territories(lang: str) -> dict[str, str]:
    return dict(Locale(lang).territories)


def country_name(code: str | None, lang: str) -> str:
    if not code:
        return ""
    return _territories(lang).get(code, code)


def record_name(record: dict[str, Any] | None, lang: str, field: str = "name") -> str:
    """A record's name in the page language, falling back to the other language."""
    if not record:
        return ""
    english, japanese = record.get(f"{field}_en"), record.get(f"{field}_ja")
    return (japanese or english or "") if lang == "ja" else (english or japanese or "")


@dataclass(frozen=True)
class Paged:
    rows: list[dict[str, Any]]
    page: int
    pages: int
    total: int
    previous: str | None
    next: str | None


def paginate(request: Request, rows: list[dict[str, Any]], page: int, size: int) -> Paged:
    pages = max(1, math.ceil(len(rows) / size))

    def link(number: int) -> str:
        return "?" + urlencode({**dict(request.query_params), "page": number})

    return Paged(
        rows[(page - 1) * size : page * size],
        page,
        pages,
        len(rows),
        link(page - 1) if page > 1 else None,
        link(page + 1) if page < pages else None,
    )


def _money_columns(conversion: Any) -> dict[str, Any]:
    rate = conversion.rate
    return {
        "usd": round(conversion.usd) if conversion.usd is not None else None,
        "usd_status": conversion.status,
        "rate_per_usd": rate.per_usd if rate else (1.0 if conversion.status == "usd" else None),
        "rate_year": rate.year if rate else None,
        "rate_source_ids": list(rate.source_ids) if rate else [],
    }


# --- rows of each table ---------------------------------------------------------------------------------


def programme_rows(landscape: Landscape, lang: str, country: str = "", year: str = "") -> list[dict[str, Any]]:
    rows = []
    for p in landscape.programmes:
        if country and p["country"] != country:
            continue
        if year and int(year) not in programme_years(p):
            continue
        when = programme_year(p)
        conversion = landscape.rates.to_usd(p.get("amount"), p.get("currency"), when)
        rows.append(
            {
                **p,
                "country_name": country_name(p["country"], lang),
                "name": record_name(p, lang),
                "year": when,
                **_money_columns(conversion),
            }
        )
    return sorted(rows, key=lambda r: (r["country_name"], r["year"] or 0, r["id"]))


def investment_rows(
    landscape: Landscape, lang: str, country: str = "", kind: str = "", year: str = ""
) -> list[dict[str, Any]]:
    rows = []
    for i in landscape.investments:
        org = landscape.organizations.get(i.get("org_id") or "")
        where = i.get("country") or (org or {}).get("country")
        figure = investment_kind(i.get("definition"))
        when = year_of(i.get("date"))
        if (country and where != country) or (kind and figure != kind) or (year and when != int(year)):
            continue
        conversion = landscape.rates.to_usd(i.get("amount"), i.get("currency"), when)
        rows.append(
            {
                **i,
                "organization": record_name(org, lang) if org else "",
                "country": where,
                "country_name": country_name(where, lang),
                "kind": figure,
                **_money_columns(conversion),
            }
        )
    return sorted(rows, key=lambda r: (r.get("date") or "", r["id"]), reverse=True)


def facility_rows(
    landscape: Landscape, lang: str, country: str = "", kind: str = "", concept: str = "", status: str = ""
) -> list[dict[str, Any]]:
    rows = []
    for f in landscape.facilities:
        if (kind and f["kind"] != kind) or (concept and f.get("concept") != concept):
            continue
        if (status and f.get("status") != status) or (country and f["country"] != country):
            continue
        operator = landscape.organizations.get(f.get("operator_org_id") or "")
        rows.append(
            {
                **f,
                "name": record_name(f, lang),
                "country_name": country_name(f["country"], lang),
                "operator": record_name(operator, lang) if operator else "",
            }
        )
    return sorted(rows, key=lambda r: (r["country_name"], r["name"]))


def milestone_rows(
    landscape: Landscape, lang: str, country: str = "", kind: str = "", status: str = ""
) -> list[dict[str, Any]]:
    facilities = {f["id"]: f for f in landscape.facilities}
    rows = []
    for m in landscape.milestones:
        if (country and m.get("country") != country) or (kind and m["kind"] != kind):
            continue
        if status and m.get("status") != status:
            continue
        org = landscape.organizations.get(m.get("org_id") or "")
        rows.append(
            {
                **m,
                "title": record_name(m, lang, "title"),
                "when": m.get("date_text") or m.get("date") or "",
                "year": year_of(m.get("date")),
                "country_name": country_name(m.get("country"), lang),
                "organization": record_name(org, lang) if org else "",
                "facility": record_name(facilities.get(m.get("facility_id") or ""), lang),
            }
        )
    return sorted(rows, key=lambda r: (r.get("date") or "9999", r["id"]))


def regulation_rows(landscape: Landscape, lang: str, country: str = "") -> list[dict[str, Any]]:
    rows = [
        {
            **r,
            "name": record_name(r, lang),
            "approach": record_name(r, lang, "approach"),
            "country_name": country_name(r["country"], lang),
        }
        for r in landscape.regulations
        if not country or r["country"] == country
    ]
    return sorted(rows, key=lambda r: (r["country_name"], r.get("date") or "", r["id"]))


# --- charts -------------------------------------------------------------------------------------------


def _amount_text(amount: float | None, currency: str | None) -> str:
    return f"{amount:,.0f} {currency}" if amount is not None else ""


def programmes_svg(rows: list[dict[str, Any]], _: Callable[[str], str]) -> str:
    bars = [
        charts.Bar(
            r["country_name"],
            r["name"],
            r["usd"],
            f"{r['name']}: {_amount_text(r['amount'], r['currency'])}"
            + (
                f" = {charts.money(r['usd'])} ({r['rate_per_usd']} {r['currency']}/USD, {r['rate_year']})"
                if r["rate_year"]
                else ""
            )
            + f" — {r.get('definition') or ''}",
            _("no rate") + f": {_amount_text(r['amount'], r['currency'])} ({r['year'] or '?'})",
        )
        for r in rows
        if r.get("amount") is not None
    ]
    left_out = sum(1 for r in rows if r.get("amount") is not None and r["usd"] is None)
    return charts.budget_bars(bars, left_out, _)


def _fraction_of_year(date: str | None) -> float:
    year = year_of(date) or 0
    month = int(date[5:7]) if date and len(date) >= 7 and date[5:7].isdigit() else 7
    return year + (month - 1) / 12


def investments_svg(landscape: Landscape, rows: list[dict[str, Any]], _: Callable[[str], str]) -> str:
    chosen = {r["id"] for r in rows}
    totals = rounds_by_year([i for i in landscape.investments if i["id"] in chosen], landscape.rates)
    points = [
        charts.Point(
            _fraction_of_year(r.get("date")),
            r["usd"],
            r["kind"],
            f"{r['organization'] or _('Worldwide aggregate')} {r.get('date')}: "
            f"{_amount_text(r['amount'], r['currency'])} — {r.get('definition') or ''}",
        )
        for r in rows
        if r["kind"] != ROUND and r["usd"] is not None and r.get("date")
    ]
    return charts.investment_panels([(t.year, t.usd, len(t.counted)) for t in totals], points, _)


def timeline_svg(rows: list[dict[str, Any]], lang: str, _: Callable[[str], str]) -> str:
    events = []
    for r in rows:
        if r["year"] is None:
            continue
        status = r.get("status") or ""
        label = f" ({_(MILESTONE_STATUSES[status])})" if status in MILESTONE_STATUSES else ""
        lane = r["country_name"] or _("International")
        tooltip = f"{r['when']} — {r['title']}{label}"
        events.append(charts.Event(lane, r["year"], status, r.get("date_text") or "", tooltip))
    return charts.timeline(events, MILESTONE_STATUSES, _)


def map_svg(landscape: Landscape, lang: str, kind: str, concept: str, status: str, _: Callable[[str], str]) -> str:
    rows = facility_rows(landscape, lang, "", kind, concept, status)
    counts = Counter(r["country"] for r in rows)
    names = {code: country_name(code, lang) for code in counts}
    query = {k: v for k, v in {"kind": kind, "concept": concept, "status": status}.items() if v}

    def link(code: str) -> str:
        return "/landscape/facilities?" + urlencode({**query, "country": code})

    return charts.world_map(dict(counts), names, link, _)


# --- downloads ----------------------------------------------------------------------------------------


MONEY = ["usd", "usd_status", "rate_per_usd", "rate_year", "rate_source_ids"]
COLUMNS = {
    "programmes": ["id", "country", "name_en", "name_ja", "amount", "currency", "start", "end", "year", "definition",
                   *MONEY, "source_ids", "unconfirmed", "notes"],
    "investments": ["id", "org_id", "organization", "country", "amount", "currency", "date", "round", "investors",
                    "definition", "kind", *MONEY, "source_ids", "unconfirmed", "notes"],
    "facilities": ["id", "name_en", "name_ja", "kind", "concept", "country", "operator_org_id", "status",
                   *(p for p, _label in PARAMETERS), "first_plasma", "construction_start", "operation_end",
                   "source_ids", "unconfirmed", "notes"],
    "milestones": ["id", "date", "date_text", "country", "org_id", "facility_id", "kind", "status", "title_en",
                   "title_ja", "depends_on", "source_ids", "unconfirmed", "notes"],
    "regulations": ["id", "country", "body", "name_en", "name_ja", "approach_en", "approach_ja", "date",
                    "source_ids", "unconfirmed", "notes"],
}  # fmt: skip


def download(rows: list[dict[str, Any]], table: str, fmt: str) -> Response:
    return records_response(fmt, f"landscape-{table}", COLUMNS[table], rows, table)


# --- overview -----------------------------------------------------------------------------------------


def headlines(landscape: Landscape, lang: str, today: datetime.date | None = None) -> dict[str, Any]:
    """The overview's figures: counts, the latest worldwide cumulative total as reported, recorded rounds."""
    worldwide = [
        i for i in landscape.investments
        if not i.get("org_id") and investment_kind(i.get("definition")) == CUMULATIVE and i.get("amount")
    ]  # fmt: skip
    latest = max(worldwide, key=lambda i: i.get("date") or "", default=None)
    rounds = rounds_by_year(landscape.investments, landscape.rates)
    statuses = Counter(f.get("status") for f in landscape.facilities)
    milestones = Counter(m.get("status") for m in landscape.milestones)
    # Planned events still dated in the past are stale plans, not what comes next.
    this_month = (today or datetime.date.today()).isoformat()[:7]
    upcoming = sorted(
        (m for m in landscape.milestones if m.get("status") == "planned" and (m.get("date") or "") >= this_month),
        key=lambda m: m["date"],
    )
    return {
        "programmes": len(landscape.programmes),
        "programme_countries": sorted({p["country"] for p in landscape.programmes}),
        "programmes_with_amount": sum(1 for p in landscape.programmes if p.get("amount") is not None),
        "latest_cumulative": latest,
        "rounds_usd": sum(r.usd for r in rounds),
        "rounds_counted": sum(len(r.counted) for r in rounds),
        "rounds_not_converted": sum(len(r.not_converted) for r in rounds),
        "facilities": len(landscape.facilities),
        "facility_countries": sorted({f["country"] for f in landscape.facilities}),
        "facility_statuses": [(k, statuses[k]) for k in FACILITY_STATUSES if statuses[k]],
        "milestones": len(landscape.milestones),
        "milestone_statuses": [(k, milestones[k]) for k in MILESTONE_STATUSES if milestones[k]],
        "upcoming": [{**m, "title": record_name(m, lang, "title")} for m in upcoming[:3]],
        "regulations": len(landscape.regulations),
        "regulation_countries": sorted({r["country"] for r in landscape.regulations}),
    }


def sources_of(rows: Iterable[dict[str, Any]], landscape: Landscape, *extra: str) -> list[dict[str, Any]]:
    """The sources the shown rows cite (and their rates cite), in order of first mention."""
    wanted: dict[str, None] = {}
    for row in rows:
        for source_id in [*(row.get("source_ids") or []), *(row.get("rate_source_ids") or [])]:
            wanted.setdefault(source_id)
    for source_id in extra:
        wanted.setdefault(source_id)
    return [landscape.sources.get(s) or {"id": s, "title": s} for s in wanted]


def router(engine: Engine) -> APIRouter:
    routes = APIRouter()

    def load(request: Request) -> Landscape:
        with engine.connect() as connection:
            return read_landscape(connection, viewer(request))

    def show(request: Request, template: str, landscape: Landscape, context: dict[str, Any]) -> HTMLResponse:
        lang = language(request)
        shown = context.get("rows")
        rows = shown.rows if isinstance(shown, Paged) else shown or []
        sources = sources_of(rows, landscape, *context.pop("extra_sources", ()))
        return render(
            request,
            template,
            {
                **LABELS,
                "PARAMETERS": PARAMETERS,
                "sources": sources,
                "source_index": {s["id"]: s for s in sources},
                "query": urlencode({k: v for k, v in request.query_params.items() if k not in ("page", "size")}),
                "country_name": lambda code: country_name(code, lang),
                **context,
            },
        )

    @routes.get("/landscape", response_class=HTMLResponse)
    def overview(request: Request) -> HTMLResponse:
        landscape = load(request)
        figures = headlines(landscape, language(request))
        latest = figures["latest_cumulative"]
        extra = latest["source_ids"] if latest else []
        return show(request, "landscape_overview.html", landscape, {"figures": figures, "extra_sources": extra})

    # programmes

    @routes.get("/landscape/programmes", response_class=HTMLResponse)
    def programmes(
        request: Request, filters: Annotated[ProgrammeFilters, Depends()], page: PageParam = 1, size: SizeParam = 100
    ) -> HTMLResponse:
        landscape, lang = load(request), language(request)
        rows = filters.rows(landscape, lang)
        context = {
            **asdict(filters),
            "rows": paginate(request, rows, page, size),
            "chart": programmes_svg(rows, translator(lang)),
            "countries": sorted({p["country"] for p in landscape.programmes}),
            "no_rate": [r for r in rows if r["usd_status"] == "no_rate"],
        }
        return show(request, "landscape_programmes.html", landscape, context)

    @routes.get("/landscape/programmes.{fmt}")
    def programmes_download(request: Request, fmt: str, filters: Annotated[ProgrammeFilters, Depends()]) -> Response:
        landscape, lang = load(request), language(request)
        rows = filters.rows(landscape, lang)
        if fmt == "svg":
            return svg_response(programmes_svg(rows, translator(lang)), "landscape-programmes")
        return download(rows, "programmes", _format(fmt))

    # investments

    @routes.get("/landscape/investments", response_class=HTMLResponse)
    def investments(
        request: Request, filters: Annotated[InvestmentFilters, Depends()], page: PageParam = 1, size: SizeParam = 50
    ) -> HTMLResponse:
        landscape, lang = load(request), language(request)
        rows = filters.rows(landscape, lang)
        chosen = {r["id"] for r in rows}
        context = {
            **asdict(filters),
            "rows": paginate(request, rows, page, size),
            "chart": investments_svg(landscape, rows, translator(lang)),
            "totals": rounds_by_year([i for i in landscape.investments if i["id"] in chosen], landscape.rates),
            "countries": sorted({r["country"] for r in investment_rows(landscape, lang) if r["country"]}),
        }
        return show(request, "landscape_investments.html", landscape, context)

    @routes.get("/landscape/investments.{fmt}")
    def investments_download(request: Request, fmt: str, filters: Annotated[InvestmentFilters, Depends()]) -> Response:
        landscape, lang = load(request), language(request)
        rows = filters.rows(landscape, lang)
        if fmt == "svg":
            return svg_response(investments_svg(landscape, rows, translator(lang)), "landscape-investments")
        return download(rows, "investments", _format(fmt))

    # facilities

    @routes.get("/landscape/facilities", response_class=HTMLResponse)
    def facilities(
        request: Request, filters: Annotated[FacilityFilters, Depends()], page: PageParam = 1, size: SizeParam = 100
    ) -> HTMLResponse:
        landscape, lang = load(request), language(request)
        context = {
            **asdict(filters),
            "rows": paginate(request, filters.rows(landscape, lang), page, size),
            "map": filters.map(landscape, lang),
            "countries": sorted({f["country"] for f in landscape.facilities}),
            "by_country": Counter(r["country"] for r in filters.rows(landscape, lang, every_country=True)),
        }
        return show(request, "landscape_facilities.html", landscape, context)

    @routes.get("/landscape/facilities.{fmt}")
    def facilities_download(request: Request, fmt: str, filters: Annotated[FacilityFilters, Depends()]) -> Response:
        landscape, lang = load(request), language(request)
        if fmt == "svg":
            return svg_response(filters.map(landscape, lang), "landscape-map")
        return download(filters.rows(landscape, lang), "facilities", _format(fmt))

    # timeline

    @routes.get("/landscape/timeline", response_class=HTMLResponse)
    def timeline(
        request: Request, filters: Annotated[MilestoneFilters, Depends()], page: PageParam = 1, size: SizeParam = 100
    ) -> HTMLResponse:
        landscape, lang = load(request), language(request)
        rows = filters.rows(landscape, lang)
        context = {
            **asdict(filters),
            "rows": paginate(request, rows, page, size),
            "chart": timeline_svg(rows, lang, translator(lang)),
            "countries": sorted({m["country"] for m in landscape.milestones if m.get("country")}),
            "kinds": sorted({m["kind"] for m in landscape.milestones}),
            "undated": [r for r in rows if r["year"] is None],
        }
        return show(request, "landscape_timeline.html", landscape, context)

    @routes.get("/landscape/timeline.{fmt}")
    def timeline_download(request: Request, fmt: str, filters: Annotated[MilestoneFilters, Depends()]) -> Response:
        landscape, lang = load(request), language(request)
        rows = filters.rows(landscape, lang)
        if fmt == "svg":
            return svg_response(timeline_svg(rows, lang, translator(lang)), "landscape-timeline")
        return download(rows, "milestones", _format(fmt))

    # regulation

    @routes.get("/landscape/regulation", response_class=HTMLResponse)
    def regulation(
        request: Request, filters: Annotated[RegulationFilters, Depends()], page: PageParam = 1, size: SizeParam = 100
    ) -> HTMLResponse:
        landscape, lang = load(request), language(request)
        rows = filters.rows(landscape, lang)
        context = {
            **asdict(filters),
            "rows": paginate(request, rows, page, size),
            "countries": sorted({r["country"] for r in landscape.regulations}),
            "by_country": Counter(r["country"] for r in rows),
        }
        return show(request, "landscape_regulation.html", landscape, context)

    @routes.get("/landscape/regulation.{fmt}")
    def regulation_download(request: Request, fmt: str, filters: Annotated[RegulationFilters, Depends()]) -> Response:
        landscape, lang = load(request), language(request)
        return download(filters.rows(landscape, lang), "regulations", _format(fmt))

    return routes


def _format(fmt: str) -> str:
    if fmt not in ("csv", "xlsx"):
        raise HTTPException(404, f"unknown format {fmt!r}")
    return fmt
