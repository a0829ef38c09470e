"""The international landscape: programmes, investments, facilities, milestones and regulations.

Money keeps its currency. A conversion to US dollars uses the yearly rate of `exchange_rates.csv` for
the year the amount belongs to, and says which rate it used; where that year has no rate nothing is
converted (no nearest-year guess). Investment figures are told apart by their `definition`: single
rounds may be added up, cumulative totals and other aggregates never are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from fusionatlas.domain.audience import Audience
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
            rate = Rate(r["currency"], int(r["year"]), float(r["per_usd"]), tuple(r.get("source_ids") or ()))
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
