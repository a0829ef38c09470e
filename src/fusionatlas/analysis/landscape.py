"""The international landscape: programmes, investments, facilities, milestones and regulations.

Money keeps its currency. A conversion to US dollars uses the yearly rate of `exchange_rates.csv` for
the year the amount belongs to, and says which rate it used; where that year has no rate nothing is
converted (no nearest-year guess); a rate averaged over part of its year only (`through`) is named as a
year-to-date average wherever it is used. Investment figures are told apart by their `definition`: single
rounds may be added up, cumulative totals and other aggregates never are.

Public funding (`funding_totals`): a programme's `definition` is controlled (domain/values.py
`FundingDefinition`). Figures for one fiscal year (appropriations, requests, proposals) are added up per
country, definition and fiscal year, never across definitions, and a programme that is `part_of` another
counted one is left out of the sum (its parent already holds it). Multi-year packages, in-kind
contributions and awards are listed as stated, never added up: their periods overlap and their sums would
count the same money twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from fusionatlas.domain.audience import Audience
from fusionatlas.domain.values import FundingDefinition
from fusionatlas.store import queries
from fusionatlas.store.schema import TABLES_BY_NAME
from fusionatlas.store.visibility import where_visible

ROUND, CUMULATIVE, OTHER = "round", "cumulative", "other"
INVESTMENT_KINDS = (ROUND, CUMULATIVE, OTHER)
# Words of a `definition` that mark one round (or one award) rather than a sum over several.
_ROUND_WORDS = ("single round", "single tranche", "single award", "part of a round")


@dataclass(frozen=True)
class Rate:
    currency: str
    year: int
    per_usd: float  # units of `currency` per US dollar
    source_ids: tuple[str, ...] = ()
    through: str | None = None  # set: the average from 1 January through this date (year to date)


@dataclass(frozen=True)
class Conversion:
    """An amount in US dollars and how it was obtained. `status` says why `usd` may be missing."""

    usd: float | None
    status: str  # "usd" (already dollars), "converted", "no_rate", "no_year", "no_amount"
    rate: Rate | None = None


def year_of(date: str | None) -> int | None:
    """The year of an ISO date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`)."""
    if not date or len(date) < 4 or not date[:4].isdigit():
        return None
    return int(date[:4])


@dataclass
class Rates:
    by_key: dict[tuple[str, int], Rate] = field(default_factory=dict)

    @classmethod
    def from_records(cls, records: Iterable[dict[str, Any]]) -> Rates:
        rates = {}
        for r in records:
            sources = tuple(r.get("source_ids") or ())
            rate = Rate(r["currency"], int(r["year"]), float(r["per_usd"]), sources, r.get("through") or None)
            rates[(rate.currency, rate.year)] = rate
        return cls(rates)

    def to_usd(self, amount: float | None, currency: str | None, year: int | None) -> Conversion:
        """`amount` in US dollars with the rate of `year`, or why it cannot be converted."""
        if amount is None or not currency:
            return Conversion(None, "no_amount")
        if currency == "USD":
            return Conversion(float(amount), "usd")
        if year is None:
            return Conversion(None, "no_year")
        rate = self.by_key.get((currency, year))
        if rate is None:
            return Conversion(None, "no_rate")
        return Conversion(amount / rate.per_usd, "converted", rate)


def programme_year(programme: dict[str, Any]) -> int | None:
    """The year a programme's amount belongs to: its start, else its end."""
    return year_of(programme.get("start")) or year_of(programme.get("end"))


def programme_years(programme: dict[str, Any]) -> range:
    """Every year a programme runs (its start year alone when it has no end)."""
    first = year_of(programme.get("start"))
    last = year_of(programme.get("end"))
    years = [year for year in (first, last) if year is not None]
    if not years:
        return range(0)
    return range(min(years), max(years) + 1)


def investment_kind(definition: str | None) -> str:
    """`cumulative` (a running total), `round` (one round or award) or `other` (a period or aggregate figure)."""
    text = (definition or "").lower()
    if "cumulative" in text:
        return CUMULATIVE
    if any(word in text for word in _ROUND_WORDS):
        return ROUND
    return OTHER


@dataclass(frozen=True)
class YearRounds:
    """Single rounds dated in one year: their sum in dollars and the ones that could not be converted."""

    year: int
    usd: float
    counted: tuple[str, ...]
    not_converted: tuple[str, ...]


def rounds_by_year(investments: Iterable[dict[str, Any]], rates: Rates) -> list[YearRounds]:
    """Sum of single rounds per year, in dollars. Cumulative totals and other figures are left out."""
    years: dict[int, tuple[float, list[str], list[str]]] = {}
    for investment in investments:
        year = year_of(investment.get("date"))
        if year is None or investment_kind(investment.get("definition")) != ROUND:
            continue
        total, counted, missing = years.setdefault(year, (0.0, [], []))
        if investment.get("amount") is None:
            continue
        conversion = rates.to_usd(investment["amount"], investment.get("currency"), year)
        if conversion.usd is None:
            missing.append(investment["id"])
        else:
            counted.append(investment["id"])
            years[year] = (total + conversion.usd, counted, missing)
    return [YearRounds(y, t, tuple(c), tuple(m)) for y, (t, c, m) in sorted(years.items())]


# --- public funding compared --------------------------------------------------------------------------

ONE_YEAR = (FundingDefinition.APPROPRIATION, FundingDefinition.REQUEST, FundingDefinition.PROPOSAL)
LISTED = (FundingDefinition.MULTI_YEAR, FundingDefinition.IN_KIND, FundingDefinition.AWARD)
# The countries and bodies the comparison always names, with or without a figure.
COMPARED = ("JP", "US", "GB", "EU", "DE", "FR", "CN", "KR")


@dataclass(frozen=True)
class FundingTotal:
    """The one-year figures of one definition for one country and fiscal year, added up in their currency."""

    country: str
    definition: str
    fiscal_year: int
    currency: str
    amount: int
    conversion: Conversion
    counted: tuple[str, ...]  # programme ids added up
    inside: tuple[str, ...]  # programmes left out: part of a counted one
    source_ids: tuple[str, ...]


def funding_totals(programmes: Iterable[dict[str, Any]], rates: Rates) -> list[FundingTotal]:
    """Per country, definition, fiscal year and currency: the sum of one-year figures, in dollars at the
    average rate of the year the fiscal year is named by."""
    chosen = [
        p for p in programmes
        if p.get("definition") in ONE_YEAR and p.get("amount") is not None and p.get("fiscal_year")
    ]  # fmt: skip
    ids = {p["id"] for p in chosen}
    groups: dict[tuple[str, str, int, str], list[dict[str, Any]]] = {}
    for p in chosen:
        groups.setdefault((p["country"], p["definition"], int(p["fiscal_year"]), p["currency"]), []).append(p)
    totals = []
    for (country, definition, year, currency), members in sorted(groups.items()):
        counted = [p for p in members if p.get("part_of") not in ids]
        inside = [p for p in members if p.get("part_of") in ids]
        amount = sum(int(p["amount"]) for p in counted)
        sources = dict.fromkeys(s for p in members for s in p.get("source_ids") or ())
        totals.append(
            FundingTotal(
                country,
                definition,
                year,
                currency,
                amount,
                rates.to_usd(amount, currency, year),
                tuple(p["id"] for p in counted),
                tuple(p["id"] for p in inside),
                tuple(sources),
            )
        )
    return totals


def listed_figures(programmes: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Multi-year packages, in-kind contributions and awards, as stated (never added up)."""
    return [p for p in programmes if p.get("definition") in LISTED]


def countries_without_figures(programmes: Iterable[dict[str, Any]]) -> dict[str, str]:
    """For each compared country lacking figures: "none" (no public figure at all in the atlas) or
    "no_one_year" (figures, but none for a single fiscal year)."""
    with_amount: dict[str, set[str]] = {}
    for p in programmes:
        if p.get("amount") is not None:
            with_amount.setdefault(p["country"], set()).add(p.get("definition") or "")
    missing = {}
    for country in COMPARED:
        definitions = with_amount.get(country, set())
        if not definitions:
            missing[country] = "none"
        elif not definitions & set(ONE_YEAR):
            missing[country] = "no_one_year"
    return missing


@dataclass
class Landscape:
    """The landscape tables as one audience sees them, with the organizations and sources they name."""

    programmes: list[dict[str, Any]]
    investments: list[dict[str, Any]]
    facilities: list[dict[str, Any]]
    milestones: list[dict[str, Any]]
    regulations: list[dict[str, Any]]
    organizations: dict[str, dict[str, Any]]
    sources: dict[str, dict[str, Any]]
    rates: Rates


def _by_ids(connection: Connection, table_name: str, wanted: set[str], audience: Audience) -> dict[str, dict[str, Any]]:
    """Rows of a table whose id is in `wanted`, read in chunks (a synthetic atlas has 100,000 organizations)."""
    table = TABLES_BY_NAME[table_name]
    found: dict[str, dict[str, Any]] = {}
    ordered = sorted(wanted)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        query = where_visible(select(table).where(table.c.id.in_(chunk)), audience, table_name)
        for row in connection.execute(query).mappings():
            found[row["id"]] = dict(row)
    return found


def read_landscape(connection: Connection, audience: Audience) -> Landscape:
    """The landscape tables as the audience may see them (records of a hidden organization are hidden too)."""
    tables = {
        name: list(queries.records(connection, name, audience))
        for name in ("programmes", "investments", "facilities", "milestones", "regulations")
    }
    org_ids = {
        r[key]
        for name, key in (("investments", "org_id"), ("milestones", "org_id"), ("facilities", "operator_org_id"))
        for r in tables[name]
        if r.get(key)
    }
    source_ids = {s for rows in tables.values() for r in rows for s in r.get("source_ids") or ()}
    rate_records = list(queries.records(connection, "exchange_rates", audience))
    source_ids |= {s for r in rate_records for s in r.get("source_ids") or ()}
    return Landscape(
        **tables,
        organizations=_by_ids(connection, "organizations", org_ids, audience),
        sources=_by_ids(connection, "sources", source_ids, audience),
        rates=Rates.from_records(rate_records),
    )
