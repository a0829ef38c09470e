"""The five landscape sections, each declared once: programmes, investments, facilities, timeline, regulation.

A section names its filters (a dataclass read from the query string), its rows (rows.py), its downloaded
columns, its chart (web/charts/landscape.py, fed from the rows here) and its template; section.py gives it
its page and downloads.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query

from fusionatlas.analysis.landscape import INVESTMENT_KINDS, ONE_YEAR, ROUND, Landscape, rounds_by_year, year_of
from fusionatlas.web.charts import landscape as charts
from fusionatlas.web.conventions import amount_text, date_in
from fusionatlas.web.names import country_name
from fusionatlas.web.pages.landscape.rows import (
    CONCEPTS,
    FACILITY_KINDS,
    FACILITY_STATUSES,
    FUNDING_DEFINITIONS,
    MILESTONE_STATUSES,
    PARAMETERS,
    budget_rows,
    facility_rows,
    investment_rows,
    listed_rows,
    milestone_rows,
    missing_countries,
    programme_rows,
    rate_years,
    regulation_rows,
)
from fusionatlas.web.pages.landscape.section import Filters, Row, Section, Selection, Translate, YearParam, choice

FacilityKindParam = Annotated[str, choice(FACILITY_KINDS)]
ConceptParam = Annotated[str, choice(CONCEPTS)]
FacilityStatusParam = Annotated[str, choice(FACILITY_STATUSES)]
MilestoneStatusParam = Annotated[str, choice(MILESTONE_STATUSES)]
InvestmentKindParam = Annotated[str, choice(INVESTMENT_KINDS)]
MilestoneKindParam = Annotated[str, Query(pattern=r"^[a-z_]{0,40}$")]  # the menu offers the kinds recorded
OneYearParam = Annotated[str, choice(ONE_YEAR)]
MONEY = ["usd", "usd_status", "rate_per_usd", "rate_year", "rate_through", "rate_source_ids"]


def _rate_text(r: Row, _: Translate) -> str:
    """The rate a conversion used, a year-to-date average named as such."""
    if not r.get("rate_year"):
        return ""
    through = f", {_('year-to-date average through')} {r['rate_through']}" if r.get("rate_through") else ""
    return f" ({r['rate_per_usd']} {r['currency']}/USD, {r['rate_year']}{through})"


def _amount_text(amount: float | None, currency: str | None, lang: str = "en") -> str:
    return amount_text(amount, currency, lang)


def _usd(usd: float, lang: str) -> str:
    return amount_text(usd, "USD", "ja") if lang == "ja" else charts.money(usd)


def _definition(row: dict[str, Any], lang: str) -> str:
    """What a figure counts, in the page's language (the data's definition_ja on Japanese pages)."""
    return (row.get("definition_ja") if lang == "ja" else None) or row.get("definition") or ""


# --- programmes -----------------------------------------------------------------------------------------


@dataclass
class ProgrammeFilters(Filters):
    year: YearParam = ""


def programmes_svg(chosen: Selection[ProgrammeFilters]) -> str:
    _, rows, lang = chosen.translate, chosen.rows, chosen.lang
    bars = [
        charts.Bar(
            r["country_name"],
            r["name"],
            r["usd"],
            f"{r['name']}: {_amount_text(r['amount'], r['currency'], lang)}"
            + (f" = {_usd(r['usd'], lang)}{_rate_text(r, _)}" if r["rate_year"] else "")
            + f" — {_(FUNDING_DEFINITIONS[r['definition']]) if r.get('definition') else ''}",
            _("no rate") + f": {_amount_text(r['amount'], r['currency'], lang)} ({r['year'] or '?'})",
        )
        for r in rows
        if r.get("amount") is not None
    ]
    left_out = sum(1 for r in rows if r.get("amount") is not None and r["usd"] is None)
    return charts.budget_bars(bars, left_out, _, lang)


PROGRAMMES = Section(
    path="/landscape/programmes",
    template="landscape_programmes.html",
    filters=ProgrammeFilters,
    rows=lambda landscape, lang, f: programme_rows(landscape, lang, f.country, f.year),
    table="programmes",
    columns=["id", "country", "name_en", "name_ja", "amount", "currency", "start", "end", "year", "definition",
             "fiscal_year", "part_of", *MONEY, "source_ids", "unconfirmed", "notes"],
    countries=lambda landscape: (p["country"] for p in landscape.programmes),
    chart=programmes_svg,
    chart_name="landscape-programmes",
    extras=lambda chosen: {
        "no_rate": [r for r in chosen.rows if r["usd_status"] == "no_rate"],
        "rate_years": rate_years(chosen.landscape),
    },
)  # fmt: skip


# --- public funding compared ----------------------------------------------------------------------------


@dataclass
class BudgetFilters(Filters):
    definition: OneYearParam = ""


def budgets_svg(chosen: Selection[BudgetFilters]) -> str:
    _ = chosen.translate
    panels = []
    for definition in ONE_YEAR:
        bars = [
            charts.Bar(
                r["country_name"],
                _("FY {year}").format(year=r["fiscal_year"]),
                r["usd"],
                f"{r['country_name']} {_('FY {year}').format(year=r['fiscal_year'])}, "
                f"{_(FUNDING_DEFINITIONS[definition])}: "
                f"{_amount_text(r['amount'], r['currency'], chosen.lang)}{_rate_text(r, _)} — "
                f"{', '.join(r['programmes'])}",
                _("no rate") + f": {_amount_text(r['amount'], r['currency'], chosen.lang)}",
            )
            for r in chosen.rows
            if r["definition"] == definition
        ]
        if bars:
            panels.append((_(FUNDING_DEFINITIONS[definition]), bars))
    return charts.annual_totals(panels, _, chosen.lang)


def _budget_extras(chosen: Selection[BudgetFilters]) -> dict[str, Any]:
    listed = listed_rows(chosen.landscape, chosen.lang, chosen.filters.country)
    cited = [s for r in listed for s in (*r.get("source_ids", ()), *r.get("rate_source_ids", ()))]
    return {"listed": listed, "missing": missing_countries(chosen.landscape), "extra_sources": cited}


BUDGETS = Section(
    path="/landscape/budgets",
    template="landscape_budgets.html",
    filters=BudgetFilters,
    rows=lambda landscape, lang, f: budget_rows(landscape, lang, f.country, f.definition),
    table="budgets",
    columns=["country", "definition", "fiscal_year", "amount", "currency", *MONEY, "programme_ids", "left_out_ids",
             "source_ids"],
    countries=lambda landscape: (p["country"] for p in landscape.programmes),
    chart=budgets_svg,
    chart_name="landscape-budgets",
    extras=lambda chosen: _budget_extras(chosen),
)  # fmt: skip


# --- investments ----------------------------------------------------------------------------------------


@dataclass
class InvestmentFilters(Filters):
    kind: InvestmentKindParam = ""
    year: YearParam = ""


def _fraction_of_year(date: str | None) -> float:
    year = year_of(date) or 0
    month = int(date[5:7]) if date and len(date) >= 7 and date[5:7].isdigit() else 7
    return year + (month - 1) / 12


def _rounds(chosen: Selection[Any]) -> list[Any]:
    """The chosen figures' single rounds added up per year."""
    ids = {r["id"] for r in chosen.rows}
    return rounds_by_year([i for i in chosen.landscape.investments if i["id"] in ids], chosen.landscape.rates)


def investments_svg(chosen: Selection[InvestmentFilters]) -> str:
    _ = chosen.translate
    points = [
        charts.Point(
            _fraction_of_year(r.get("date")),
            r["usd"],
            r["kind"],
            f"{r['organization'] or _('Worldwide aggregate')} {date_in(r.get('date'), chosen.lang)}: "
            f"{_amount_text(r['amount'], r['currency'], chosen.lang)} — {_definition(r, chosen.lang)}",
        )
        for r in chosen.rows
        if r["kind"] != ROUND and r["usd"] is not None and r.get("date")
    ]
    rounds = [(t.year, t.usd, len(t.counted)) for t in _rounds(chosen)]
    return charts.investment_panels(rounds, points, _, chosen.lang)


def _investment_countries(landscape: Landscape) -> list[str]:
    # A figure's country is its own or its organization's; names are not needed, any language will do.
    return [r["country"] for r in investment_rows(landscape, "en") if r["country"]]


INVESTMENTS = Section(
    path="/landscape/investments",
    template="landscape_investments.html",
    filters=InvestmentFilters,
    rows=lambda landscape, lang, f: investment_rows(landscape, lang, f.country, f.kind, f.year),
    table="investments",
    columns=["id", "org_id", "organization", "country", "amount", "currency", "date", "round", "investors",
             "definition", "kind", *MONEY, "source_ids", "unconfirmed", "notes"],
    countries=_investment_countries,
    size=50,
    chart=investments_svg,
    chart_name="landscape-investments",
    extras=lambda chosen: {"totals": _rounds(chosen), "figures_by_id": {r["id"]: r for r in chosen.rows}},
)  # fmt: skip


# --- facilities -----------------------------------------------------------------------------------------


@dataclass
class FacilityFilters(Filters):
    kind: FacilityKindParam = ""
    concept: ConceptParam = ""
    status: FacilityStatusParam = ""

    def rows(self, landscape: Landscape, lang: str, every_country: bool = False) -> list[Row]:
        country = "" if every_country else self.country
        return facility_rows(landscape, lang, country, self.kind, self.concept, self.status)


def map_svg(chosen: Selection[FacilityFilters]) -> str:
    """Every country's facilities of the chosen kind, concept and status (the country filter is the map's click)."""
    f, lang = chosen.filters, chosen.lang
    counts = Counter(r["country"] for r in f.rows(chosen.landscape, lang, every_country=True))
    # Every country the map can name, in the page's language (not only those with facilities).
    names = {code: country_name(code, lang) for code in {*counts, *charts.NUMERIC}}
    query = {k: v for k, v in {"kind": f.kind, "concept": f.concept, "status": f.status}.items() if v}

    def link(code: str) -> str:
        return "/landscape/facilities?" + urlencode({**query, "country": code})

    return charts.world_map(dict(counts), names, link, chosen.translate)


FACILITIES = Section(
    path="/landscape/facilities",
    template="landscape_facilities.html",
    filters=FacilityFilters,
    rows=lambda landscape, lang, f: f.rows(landscape, lang),
    table="facilities",
    columns=["id", "name_en", "name_ja", "kind", "concept", "country", "operator_org_id", "status",
             *(p for p, _label in PARAMETERS), "first_plasma", "construction_start", "operation_end",
             "source_ids", "unconfirmed", "notes"],
    countries=lambda landscape: (f["country"] for f in landscape.facilities),
    chart=map_svg,
    chart_name="landscape-map",
    chart_label="map (SVG)",
    extras=lambda chosen: {
        "by_country": Counter(r["country"] for r in chosen.filters.rows(chosen.landscape, chosen.lang, True))
    },
)  # fmt: skip


# --- timeline -------------------------------------------------------------------------------------------


@dataclass
class MilestoneFilters(Filters):
    kind: MilestoneKindParam = ""
    status: MilestoneStatusParam = ""


def timeline_svg(chosen: Selection[MilestoneFilters]) -> str:
    _ = chosen.translate
    events = []
    for r in chosen.rows:
        if r["year"] is None:
            continue
        status = r.get("status") or ""
        label = f" ({_(MILESTONE_STATUSES[status])})" if status in MILESTONE_STATUSES else ""
        lane = r["country_name"] or _("International")
        tooltip = f"{r['when']} — {r['title']}{label}"
        events.append(charts.Event(lane, r["year"], status, date_in(r.get("date_text") or "", chosen.lang), tooltip))
    return charts.timeline(events, MILESTONE_STATUSES, _)


TIMELINE = Section(
    path="/landscape/timeline",
    template="landscape_timeline.html",
    filters=MilestoneFilters,
    rows=lambda landscape, lang, f: milestone_rows(landscape, lang, f.country, f.kind, f.status),
    table="milestones",
    columns=["id", "date", "date_text", "country", "org_id", "facility_id", "kind", "status", "title_en",
             "title_ja", "depends_on", "source_ids", "unconfirmed", "notes"],
    countries=lambda landscape: (m["country"] for m in landscape.milestones if m.get("country")),
    chart=timeline_svg,
    chart_name="landscape-timeline",
    extras=lambda chosen: {
        "kinds": sorted({m["kind"] for m in chosen.landscape.milestones}),
        "undated": [r for r in chosen.rows if r["year"] is None],
    },
)  # fmt: skip


# --- regulation -----------------------------------------------------------------------------------------

REGULATION = Section(
    path="/landscape/regulation",
    template="landscape_regulation.html",
    filters=Filters,
    rows=lambda landscape, lang, f: regulation_rows(landscape, lang, f.country),
    table="regulations",
    columns=["id", "country", "body", "name_en", "name_ja", "approach_en", "approach_ja", "date",
             "source_ids", "unconfirmed", "notes"],
    countries=lambda landscape: (r["country"] for r in landscape.regulations),
)  # fmt: skip

SECTIONS: list[Section[Any]] = [PROGRAMMES, BUDGETS, INVESTMENTS, FACILITIES, TIMELINE, REGULATION]
COLUMNS = {section.table: section.columns for section in SECTIONS}
